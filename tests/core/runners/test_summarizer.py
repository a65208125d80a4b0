"""Summaries: the abstractive runner with the tiny mT5 (single pass and map-reduce), the
language choice of the service, and the extractive TextRank fallback on news articles."""

from __future__ import annotations

import numpy as np
import pytest
from sample_articles import IRAN_BELARUS, WRITTEN, article_params

from app.core.analysis.cache import ResultCache
from app.core.analysis.service import AnalysisService
from app.core.base.results import AnalysisOptions, StepSkipped
from app.core.engines.hf import TransformersBackend
from app.core.reading.document import Article
from app.core.reading.reader import load_article
from app.core.reading.segment import split_sentences
from app.core.runners.extractive import extractive_summary, pagerank, pick_sentences
from app.core.runners.summarizer import LENGTH_PRESETS, Summarizer, summary_settings

OPTIONS = AnalysisOptions(threads=1, use_cache=False, entities=False)

SENTENCES = [
    "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.",
    "Bank Indonesia menaikkan suku bunga acuan menjadi enam persen.",
    "Banjir besar melanda Semarang setelah hujan deras selama tiga hari.",
    "Menteri Keuangan Sri Mulyani menyampaikan laporan anggaran di Bandung.",
    "Pemerintah akan membangun jalan tol baru di Sumatera Utara.",
    "Harga beras naik di pasar tradisional Surabaya minggu ini.",
]


class RecordingBackend:
    """A real backend, wrapped to record every batch the runner sends it."""

    def __init__(self, inner):
        self.inner = inner
        self.name = inner.name
        self.max_input_tokens = inner.max_input_tokens
        self.calls: list[list[str]] = []

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def generate(self, texts, settings):
        self.calls.append(list(texts))
        return self.inner.generate(texts, settings)


@pytest.fixture
def recording(install_tiny):
    model = install_tiny("summarize")["summarize"]
    backend = RecordingBackend(TransformersBackend(model, "cpu", 1))
    return backend, Summarizer(model, lambda m: backend)


def test_length_presets_grow_and_never_exceed_the_input():
    short, medium, long = (summary_settings(n, 1000) for n in ("short", "medium", "long"))
    assert short.max_new_tokens < medium.max_new_tokens < long.max_new_tokens
    assert (short.max_new_tokens, long.max_new_tokens) == (
        LENGTH_PRESETS["short"][1],
        LENGTH_PRESETS["long"][1],
    )
    tiny = summary_settings("long", 20)
    assert tiny.max_new_tokens == 30 and tiny.min_new_tokens <= tiny.max_new_tokens // 2
    # Partial (map-step) summaries stay under half the model's input budget.
    assert summary_settings("long", 1000, partial_budget=128).max_new_tokens == 64


def test_a_text_that_fits_is_summarised_in_one_pass(recording):
    backend, summarizer = recording
    text = " ".join(SENTENCES[:2])
    summary = summarizer.summarize(text, "id", "short")
    assert isinstance(summary, str) and summary
    assert summarizer.last_rounds == []
    assert backend.calls == [[text]]


def test_a_long_article_takes_the_map_reduce_path(recording):
    backend, summarizer = recording
    text = "\n".join(" ".join(SENTENCES) for _ in range(4))
    budget = summarizer.input_budget()
    assert backend.count_tokens(text) > budget
    summary = summarizer.summarize(text, "id", "short")
    assert summary
    rounds = summarizer.last_rounds
    assert rounds and rounds[0] >= 2
    first_round = [
        t for call in backend.calls[: -(-rounds[0] // summarizer.max_batch)] for t in call
    ]
    assert len(first_round) == rounds[0]
    # The chunks are the whole article, in order, nothing dropped; each fits the model.
    assert " ".join(first_round).split() == text.split()
    assert all(backend.count_tokens(c) <= budget for call in backend.calls for c in call)
    # The last call summarises the joined partial summaries, as one input.
    assert len(backend.calls[-1]) == 1


def test_pagerank_ranks_the_hub_of_a_star_highest():
    weights = np.zeros((5, 5))
    weights[0, 1:] = weights[1:, 0] = 1.0
    scores = pagerank(weights)
    assert scores.argmax() == 0
    assert scores.sum() == pytest.approx(1.0)


def test_pick_sentences_keeps_article_order_and_skips_fragments():
    sentences = [
        "Banjir besar melanda Semarang setelah hujan deras.",
        "Baca juga.",
        "Hujan deras membuat banjir di Semarang semakin besar.",
        "Harga beras naik di pasar tradisional Surabaya.",
        "Warga Semarang mengungsi karena banjir dan hujan deras.",
    ]
    picked = pick_sentences(sentences, "short")
    assert picked == sorted(picked)
    assert 1 not in picked
    assert 1 <= len(picked) <= 2
    # The flood sentences share words with each other; the rice one is the outlier.
    assert 3 not in picked


@pytest.mark.parametrize("sample", article_params(*WRITTEN, IRAN_BELARUS))
def test_extractive_summary_of_a_multi_paragraph_news_article(sample):
    article = load_article(sample.path)
    assert len(article.paragraphs) > 5
    paragraphs = [p.text for p in article.paragraphs]
    sentences = [
        s.strip() for p in paragraphs for s in split_sentences(p, article.language) if s.strip()
    ]
    picked = pick_sentences(sentences, "medium")
    summary = extractive_summary(paragraphs, article.language, "medium")
    assert summary == " ".join(sentences[i] for i in picked)
    assert 2 <= len(picked) <= 4
    positions = [article.text.find(sentences[i]) for i in picked]
    assert all(p >= 0 for p in positions), "every sentence is quoted from the original"
    assert positions == sorted(positions), "in article order"
    short = extractive_summary(paragraphs, article.language, "short")
    assert len(short) < len(summary)


@pytest.mark.parametrize("sample", article_params(*WRITTEN, IRAN_BELARUS))
def test_extractive_summary_reads_as_whole_sentences(sample):
    """The headline (no full stop) is never picked, so it cannot run into the next sentence
    ('... ke Jepang Bitung - Koperasi ...')."""
    article = load_article(sample.path)
    summary = extractive_summary(
        [p.text for p in article.paragraphs], article.language, "medium", title=article.title
    )
    sentences = split_sentences(summary, article.language)
    assert 2 <= len(sentences) <= 4
    assert all(article.text.find(s) >= 0 for s in sentences), "each sentence reads as written"


def _article(language="id") -> Article:
    return Article.from_texts(
        SENTENCES[:3], title="Berita", source_path=None, format="txt", language=language
    )


def test_no_summariser_gives_a_labelled_extractive_summary_and_a_notice(model_store):
    events = []
    result = AnalysisService(model_store, ResultCache()).analyze(
        _article(), OPTIONS, on_event=events.append
    )
    assert result.summary.kind == "extractive" and result.summary.model is None
    picked = split_sentences(result.summary.text, "id")
    assert picked and all(s in SENTENCES[:3] for s in picked)
    skipped = [e for e in events if isinstance(e, StepSkipped) and e.step == "summarize"]
    assert skipped and skipped[0].notice.install_hint
    assert any(n.step == "summarize" and n.install_hint for n in result.notices)


def test_multilingual_summariser_reads_the_translation_for_an_english_summary(
    install_tiny, model_store
):
    install_tiny("translate", "summarize")
    result = AnalysisService(model_store, ResultCache()).analyze(_article(), OPTIONS)
    assert result.summary.kind == "abstractive"
    assert result.summary.model == "tiny-mt5-xlsum"
    assert result.summary.language == "en"


def test_without_a_translator_the_summary_is_in_the_article_language_and_says_so(
    install_tiny, model_store
):
    install_tiny("summarize")
    result = AnalysisService(model_store, ResultCache()).analyze(_article(), OPTIONS)
    assert result.summary.kind == "abstractive"
    assert result.summary.language == "id"
    assert any(n.step == "summarize" and "language" in n.message for n in result.notices)


def test_source_language_summary_on_request(install_tiny, model_store):
    install_tiny("translate", "summarize")
    options = AnalysisOptions(threads=1, use_cache=False, entities=False, summary_language="source")
    result = AnalysisService(model_store, ResultCache()).analyze(_article(), options)
    assert result.summary.kind == "abstractive" and result.summary.language == "id"
