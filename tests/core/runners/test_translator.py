"""The translator runner with the tiny random-weight Marian model: structure, order, splitting,
batching and cancellation (the output itself is gibberish and never checked for meaning)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.base.errors import CancelledError
from app.core.base.results import (
    AnalysisOptions,
    CancelToken,
    ParagraphTranslated,
    StepFinished,
    StepSkipped,
    StepStarted,
)
from app.core.engines.hf import TransformersBackend
from app.core.reading.document import Article
from app.core.runners.translator import (
    Translator,
    is_translatable,
    output_budget,
    split_to_fit,
)

ONE_THREAD = AnalysisOptions(threads=1, use_cache=False)


class RecordingBackend:
    """A real backend, wrapped to record what the runner sends it."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.max_input_tokens = inner.max_input_tokens
        self.calls: list[list[str]] = []
        self.settings: list = []
        self.outputs: dict[str, str] = {}

    @property
    def source_language(self):
        return self.inner.source_language

    @source_language.setter
    def source_language(self, value):
        self.inner.source_language = value

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def generate(self, texts, settings):
        self.calls.append(list(texts))
        self.settings.append(settings)
        outputs = self.inner.generate(texts, settings)
        self.outputs.update(zip(texts, (o.strip() for o in outputs), strict=True))
        return outputs


@pytest.fixture
def translator_model(install_tiny):
    return install_tiny("translate")["translate"]


@pytest.fixture
def recording(translator_model):
    backend = RecordingBackend(TransformersBackend(translator_model, "cpu", 1))
    return backend, Translator(translator_model, lambda model: backend, max_batch=4)


def test_split_to_fit_keeps_every_word_in_order_and_respects_the_budget():
    def count(text: str) -> int:
        return len(text.split())

    sentence = (
        "satu dua tiga empat lima, enam tujuh delapan sembilan sepuluh sebelas dua belas; "
        "tiga belas empat belas lima belas enam belas tujuh belas delapan belas sembilan belas"
    )
    pieces = split_to_fit(sentence, count, 5)
    assert len(pieces) > 1
    assert all(count(p) <= 5 for p in pieces)
    assert " ".join(pieces).split() == sentence.split()
    # Clause punctuation is preferred as a split point: the first clause stays whole.
    assert pieces[0] == "satu dua tiga empat lima,"
    assert split_to_fit("pendek saja", count, 5) == ["pendek saja"]


@given(
    words=st.lists(
        st.text(alphabet="abcdefgh,;:", min_size=1, max_size=12), min_size=1, max_size=40
    ),
    budget=st.integers(min_value=1, max_value=30),
)
@settings(max_examples=60, deadline=None)
def test_split_to_fit_property(words, budget):
    """Character counts as a stand-in tokenizer: pieces fit, and together they are the text."""
    text = " ".join(words)
    pieces = split_to_fit(text, len, budget)
    assert all(len(p) <= budget for p in pieces)
    assert "".join("".join(pieces).split()) == "".join(text.split())


def test_is_translatable_leaves_numbers_punctuation_and_urls():
    assert is_translatable("Presiden mengunjungi Jakarta.")
    for text in [
        "",
        "   ",
        "2024",
        "12.30 - 14.00",
        "***",
        "https://contoh.co.id/berita?id=5",
        "(1)",
    ]:
        assert not is_translatable(text), text


def test_paragraphs_in_equal_paragraphs_out_in_order_with_blank_ones_kept(recording):
    backend, translator = recording
    paragraphs = [
        "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.",
        "2024",
        "Banjir besar melanda Semarang. Harga beras naik di pasar tradisional Surabaya.",
        "https://contoh.co.id/berita",
        "Polisi menangkap tiga tersangka pencurian di Palembang.",
    ]
    seen: list[tuple[int, str]] = []
    out = translator.translate_paragraphs(
        paragraphs, "id", on_paragraph=lambda i, t: seen.append((i, t))
    )
    assert len(out) == len(paragraphs)
    assert out[1] == "2024" and out[3] == "https://contoh.co.id/berita"
    assert all(out[i].strip() for i in (0, 2, 4))
    # One callback per paragraph, in paragraph order, with the final text.
    assert [i for i, _ in seen] == list(range(len(paragraphs)))
    assert [t for _, t in seen] == out
    # Non-text paragraphs never reach the model; the two-sentence paragraph is two inputs.
    sent = [t for call in backend.calls for t in call]
    assert "2024" not in sent and not any("https://" in t for t in sent)
    assert len(sent) == 4
    assert translator.loads == 1


def test_sentences_are_batched_longest_first_and_put_back_in_order(recording):
    backend, translator = recording
    sentences = [
        "Gempa.",
        "Banjir besar melanda Semarang setelah hujan deras selama tiga hari di kota itu.",
        "Harga beras naik.",
        "Menteri Keuangan Sri Mulyani menyampaikan laporan anggaran di Bandung.",
    ]
    together = translator.translate_paragraphs([" ".join(sentences)], "id")[0]
    batch = backend.calls[-1]
    lengths = [backend.count_tokens(t) for t in batch]
    assert lengths == sorted(lengths, reverse=True)
    assert len(batch) == 4
    # The paragraph is the sentences' own outputs, put back in sentence order.
    assert together == " ".join(backend.outputs[s] for s in sentences)
    assert [t for t in sentences if t in batch] == sentences


def test_every_sentence_in_a_batch_gets_its_own_output_budget(recording):
    backend, translator = recording
    sentences = [
        "Gempa.",
        "Banjir besar melanda Semarang setelah hujan deras selama tiga hari di kota itu.",
        "Harga beras naik.",
    ]
    translator.translate_paragraphs([" ".join(sentences)], "id")
    [batch], [settings] = backend.calls, backend.settings
    budgets = tuple(output_budget(backend.count_tokens(t)) for t in batch)
    assert settings.max_new_tokens_each == budgets
    assert settings.max_new_tokens == max(budgets) > min(budgets)


def test_a_sentence_longer_than_the_model_limit_is_split_never_truncated(recording):
    backend, translator = recording
    limit = backend.max_input_tokens
    words = [
        "pemerintah",
        "akan",
        "membangun",
        "jalan",
        "tol",
        "baru",
        "di",
        "sumatera",
        "utara",
        "dan",
        "kota",
        "medan",
    ]
    sentence = " ".join(words[i % len(words)] for i in range(limit * 2)) + "."
    assert backend.count_tokens(sentence) > limit
    out = translator.translate_paragraphs([sentence], "id")
    assert len(out) == 1 and out[0]
    sent = [t for call in backend.calls for t in call]
    assert len(sent) >= 2
    assert max(backend.count_tokens(t) for t in sent) <= limit
    pieces = split_to_fit(sentence, backend.count_tokens, limit)
    assert sorted(pieces) == sorted(sent)
    assert " ".join(pieces).split() == sentence.split()
    assert out[0] == " ".join(backend.outputs[p] for p in pieces)


def test_cancel_stops_within_one_batch(recording):
    backend, translator = recording
    paragraphs = [f"Banjir besar melanda kota nomor {i} setelah hujan deras." for i in range(12)]
    token = CancelToken()

    def on_paragraph(index, text):
        token.cancel()

    with pytest.raises(CancelledError):
        translator.translate_paragraphs(paragraphs, "id", on_paragraph=on_paragraph, cancel=token)
    # The first batch (the first paragraph alone: the top of the page comes first) finished
    # the first paragraph; no batch ran after the cancel.
    assert len(backend.calls) == 1
    assert backend.calls[0] == [paragraphs[0]]


def test_service_translation_events_and_result(model_store, install_tiny):
    from app.core.analysis.cache import ResultCache
    from app.core.analysis.service import AnalysisService

    install_tiny("translate")
    article = Article.from_texts(
        ["Presiden mengunjungi Jakarta.", "***", "Harga beras naik di Surabaya."],
        title="Berita",
        source_path=None,
        format="txt",
        language="id",
    )
    events = []
    result = AnalysisService(model_store, ResultCache()).analyze(
        article, ONE_THREAD, on_event=events.append
    )
    assert result.translation.kind == "model"
    assert result.translation.model == "tiny-opus-mt-id-en"
    assert len(result.translation.paragraphs) == 3
    assert result.translation.paragraphs[1] == "***"
    translate_events = [
        e
        for e in events
        if getattr(e, "step", None) == "translate" or isinstance(e, ParagraphTranslated)
    ]
    assert isinstance(translate_events[0], StepStarted) and translate_events[0].total == 3
    assert isinstance(translate_events[-1], StepFinished)
    assert [e.index for e in events if isinstance(e, ParagraphTranslated)] == [0, 1, 2]


def test_english_article_is_not_translated_and_loads_no_translator(model_store, install_tiny):
    from app.core.analysis.cache import ResultCache
    from app.core.analysis.service import AnalysisService

    install_tiny("translate")
    article = Article.from_texts(
        ["The president visited Jakarta on Monday.", "Rice prices rose this week."],
        title="News",
        source_path=None,
        format="txt",
        language="en",
    )
    service = AnalysisService(model_store, ResultCache())
    result = service.analyze(article, AnalysisOptions(threads=1, summarize=False, entities=False))
    assert result.translation.kind == "identity"
    assert result.translation.paragraphs == [p.text for p in article.paragraphs]
    assert service.model_loads == 0


def test_missing_translator_is_reported_with_its_install_command(model_store):
    from app.core.analysis.cache import ResultCache
    from app.core.analysis.service import AnalysisService

    article = Article.from_texts(
        ["Presiden mengunjungi Jakarta pada hari Senin.", "Harga beras naik."],
        title="Berita",
        source_path=None,
        format="txt",
        language="id",
    )
    events = []
    result = AnalysisService(model_store, ResultCache()).analyze(
        article, ONE_THREAD, on_event=events.append
    )
    assert result.translation.kind == "none"
    assert result.translation.paragraphs == ["", ""]
    skipped = [e for e in events if isinstance(e, StepSkipped) and e.step == "translate"]
    assert len(skipped) == 1
    assert skipped[0].notice.install_hint.startswith("ringkas models ")
    # The other steps still ran (with their no-model fallbacks).
    assert result.summary.kind == "extractive" and result.summary.text
    assert result.entities.kind == "rules"


def test_top_of_the_page_first_then_a_screenful_then_large_batches(translator_model):
    """The first paragraph is decoded alone, the next window holds about a screenful
    (max_batch // 2 sentences), later windows up to 2 x max_batch."""
    backend = RecordingBackend(TransformersBackend(translator_model, "cpu", 1))
    translator = Translator(translator_model, lambda model: backend, max_batch=4)
    paragraphs = [f"Warga desa nomor {i} menanam padi di sawah." for i in range(14)]
    seen: list[int] = []
    translator.translate_paragraphs(paragraphs, "id", on_paragraph=lambda i, t: seen.append(i))
    assert seen == list(range(14))
    calls = [set(call) for call in backend.calls]
    assert calls[0] == {paragraphs[0]}
    # window 2: paragraphs 1-2 (max_batch // 2 = 2 sentences), then the rest
    assert set().union(*calls[1:2]) == set(paragraphs[1:3])
    assert set().union(*calls[2:]) == set(paragraphs[3:])
    assert all(len(call) <= 4 for call in backend.calls)
