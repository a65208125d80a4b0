"""Names: token classification with the tiny XLM-R (aggregation, windows, offsets), grouping,
mapping back from a translation, and the capitalised-name fallback on news articles."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sample_articles import IRAN_BELARUS, NOT_NAMES, WRITTEN, article_params

from app.core.analysis.cache import ResultCache
from app.core.analysis.service import AnalysisService
from app.core.base.results import AnalysisOptions, Entity, Mention, StepSkipped
from app.core.reading.document import Article
from app.core.reading.reader import load_article
from app.core.runners.entities import (
    EntityRecognizer,
    Word,
    group_mentions,
    map_to_original,
    merge_words,
    strip_label,
)
from app.core.runners.names import LABELS, spot_names

OPTIONS = AnalysisOptions(threads=1, use_cache=False, summarize=False)
TEXT = [
    "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.",
    "Menteri Keuangan Sri Mulyani menyampaikan laporan anggaran di Bandung, kata Joko Widodo.",
]


def _article(texts=TEXT, language="id") -> Article:
    return Article.from_texts(
        texts, title="Berita", source_path=None, format="txt", language=language
    )


@pytest.fixture(scope="module", params=article_params(*WRITTEN, IRAN_BELARUS))
def sample(request):
    return request.param


@pytest.fixture(scope="module")
def sample_article(sample):
    return load_article(sample.path)


def test_strip_label():
    assert strip_label("B-PER") == ("B", "PER")
    assert strip_label("I-ORG") == ("I", "ORG")
    assert strip_label("LOC") == ("", "LOC")
    assert strip_label("O") == ("", "O")


def test_merge_words_follows_bio_tags_and_trims_punctuation():
    text = "Sri Mulyani ke Bank Indonesia, lalu Bandung."
    words = [
        Word(0, 3, "B-PER", 0.9),
        Word(4, 11, "I-PER", 0.7),
        Word(12, 14, "O", 0.99),
        Word(15, 19, "B-ORG", 0.8),
        Word(20, 30, "I-ORG", 0.6),  # "Indonesia," : the comma is trimmed
        Word(31, 35, "O", 0.9),
        Word(36, 44, "B-LOC", 0.5),
    ]
    mentions = merge_words(text, words, offset=100)
    assert [(m.text, m.label) for m in mentions] == [
        ("Sri Mulyani", "PER"),
        ("Bank Indonesia", "ORG"),
        ("Bandung", "LOC"),
    ]
    assert mentions[0].score == pytest.approx(0.8)
    assert (mentions[1].start, mentions[1].end) == (115, 129)
    # A B- tag starts a new mention even after one of the same type.
    again = merge_words("Jakarta Bandung", [Word(0, 7, "B-LOC", 1), Word(8, 15, "B-LOC", 1)], 0)
    assert [m.text for m in again] == ["Jakarta", "Bandung"]


def test_group_mentions_counts_and_orders_by_frequency():
    mentions = [
        Mention("Jakarta", 0, 7, "LOC"),
        Mention("Widodo", 10, 16, "PER"),
        Mention("jakarta", 20, 27, "LOC"),
        Mention("Jakarta", 30, 37, "LOC"),
        Mention("Jakarta", 40, 47, "ORG"),
    ]
    entities = group_mentions(mentions)
    assert [(e.text, e.label, e.count) for e in entities] == [
        ("Jakarta", "LOC", 3),
        ("Widodo", "PER", 1),
        ("Jakarta", "ORG", 1),
    ]
    assert [m.start for m in entities[0].mentions] == [0, 20, 30]


def test_map_to_original_finds_whole_word_occurrences():
    original = "Ahmadian bertemu Lukashenko di Minsk. Minsky bukan Minsk-nya."
    entities = [
        Entity("Minsk", "LOC", 1, [Mention("Minsk", 0, 5, "LOC", 0.8)]),
        Entity("Lukashenko", "PER", 1, [Mention("Lukashenko", 0, 10, "PER", 0.9)]),
        Entity("Moscow", "LOC", 1, [Mention("Moscow", 0, 6, "LOC", 0.9)]),
    ]
    mentions = map_to_original(entities, original)
    assert [(m.text, m.label) for m in mentions] == [
        ("Lukashenko", "PER"),
        ("Minsk", "LOC"),
        ("Minsk", "LOC"),
    ]
    assert all(original[m.start : m.end] == m.text for m in mentions)


def test_name_spotting_on_news_articles(sample, sample_article):
    article = sample_article
    mentions = spot_names(article.text, [(p.start, p.text) for p in article.paragraphs])
    assert all(article.text[m.start : m.end] == m.text for m in mentions)
    assert all(m.label in LABELS for m in mentions)
    names = {m.text for m in mentions}
    for expected in sample.names:
        assert expected in names
    for part in sample.name_parts:
        assert any(part in n for n in names), part
    # Sentence-initial and common words are not names.
    for word in NOT_NAMES:
        assert word not in names


def test_name_spotting_handles_titles_connectors_and_headlines():
    texts = [
        "Presiden Joko Widodo Resmikan Tol Baru Di Sumatera",  # a headline
        "Sementara itu, Presiden Joko Widodo bertemu Ludwig van Beethoven di Jakarta.",
        "Ia mengatakan Jakarta siap. Mereka setuju dengan WHO.",
    ]
    article = _article(texts)
    names = {
        m.text for m in spot_names(article.text, [(p.start, p.text) for p in article.paragraphs])
    }
    assert {"Joko Widodo", "Ludwig van Beethoven", "Jakarta", "WHO"} <= names
    assert not names & {"Sementara", "Presiden Joko Widodo", "Ia", "Mereka", "Resmikan", "Tol Baru"}


def test_no_ner_model_falls_back_to_unclassified_names(model_store, sample_article):
    events = []
    result = AnalysisService(model_store, ResultCache()).analyze(
        sample_article, OPTIONS, on_event=events.append
    )
    assert result.entities.kind == "rules" and result.entities.model is None
    assert any(isinstance(e, StepSkipped) and e.step == "entities" for e in events)
    text = sample_article.text
    for entity in result.entities.entities:
        assert entity.count == len(entity.mentions)
        assert all(text[m.start : m.end] == m.text for m in entity.mentions)
    counts = [e.count for e in result.entities.entities]
    assert counts == sorted(counts, reverse=True)


def test_recognizer_labels_words_and_offsets_slice_the_text(install_tiny):
    model = install_tiny("entities")["entities"]
    recognizer = EntityRecognizer(model, "cpu", 1)
    article = _article()
    mentions = recognizer.recognise([(p.start, p.text) for p in article.paragraphs])
    labels = set(recognizer._load()[1].config.id2label.values())
    kinds = {strip_label(label)[1] for label in labels} - {"O"}
    for m in mentions:
        assert article.text[m.start : m.end] == m.text
        assert m.label in kinds
        assert 0.0 <= m.score <= 1.0
    assert recognizer.loads == 1


def test_the_cpu_ner_model_runs_int8_and_mentions_stay_in_text_order(install_tiny):
    from app.core.engines.quantize import is_quantized

    model = install_tiny("entities")["entities"]
    recognizer = EntityRecognizer(model, "cpu", 1)
    paragraphs = [
        "Presiden Joko Widodo tiba di Jakarta.",
        "Banjir.",
        "Menteri bertemu warga Bandung.",
    ]
    spans, offset = [], 0
    for text in paragraphs:
        spans.append((offset, text))
        offset += len(text) + 2
    mentions = recognizer.recognise(spans)
    _, network = recognizer._load()
    assert is_quantized(network)
    assert [m.start for m in mentions] == sorted(m.start for m in mentions)
    text = "\n\n".join(paragraphs)
    assert all(text[m.start : m.end] == m.text for m in mentions)


def test_long_paragraphs_are_read_in_windows_covering_every_word(install_tiny):
    model = install_tiny("entities")["entities"]
    recognizer = EntityRecognizer(model, "cpu", 1)
    words = ["Presiden", "Joko", "Widodo", "mengunjungi", "Jakarta", "dan", "Bandung"]
    text = " ".join(words[i % len(words)] for i in range(400))
    (found,) = recognizer.classify_words([text])
    assert recognizer.max_input_tokens < 400
    # Every word of the text got exactly one label, in order, even past the first window.
    assert [text[w.start : w.end] for w in found] == text.split()


def test_service_with_a_ner_model_reports_model_labels(install_tiny, model_store):
    install_tiny("entities")
    article = _article()
    result = AnalysisService(model_store, ResultCache()).analyze(article, OPTIONS)
    assert result.entities.kind == "model"
    assert result.entities.model == "tiny-xlmr-ner"
    assert result.entities.via_translation is False
    for entity in result.entities.entities:
        assert entity.label in {"PER", "ORG", "LOC", "MISC"}
        assert all(article.text[m.start : m.end] == m.text for m in entity.mentions)


def test_english_only_ner_runs_on_the_translation(model_store, tiny_model_dirs, install_tiny):
    install_tiny("translate")
    model_store.add(
        tiny_model_dirs["entities"], name="tiny-ner-en", task="entities", languages=["en"]
    )
    article = _article()
    result = AnalysisService(model_store, ResultCache()).analyze(article, OPTIONS)
    assert result.translation.kind == "model"
    assert result.entities.kind == "model"
    assert result.entities.model == "tiny-ner-en"
    assert result.entities.via_translation is True
    # Whatever the gibberish translation held, only names found in the original remain.
    for entity in result.entities.entities:
        assert all(article.text[m.start : m.end] == m.text for m in entity.mentions)


@given(
    st.lists(
        st.sampled_from(
            [
                "Ia",
                "Jakarta",
                "BRICS",
                "van",
                "kota",
                ".",
                ",",
                "“",
                "”",
                "Sri Mulyani",
                "di",
                "\n\n",
                "Éric",
                "ke-2",
            ]
        ),
        max_size=40,
    )
)
@settings(max_examples=80, deadline=None)
def test_name_spotting_offsets_always_slice_the_text(tokens):
    text = " ".join(tokens)
    paragraphs, start = [], 0
    for part in text.split("\n\n"):
        paragraphs.append((start, part))
        start += len(part) + 2
    mentions = spot_names(text, paragraphs)
    assert all(text[m.start : m.end] == m.text and m.text.strip() == m.text for m in mentions)
    assert all(a.end <= b.start for a, b in zip(mentions, mentions[1:], strict=False))
