"""With a names model installed, the service keeps every mention and label the model gave and
adds the rules' names only where the model labelled nothing."""

from __future__ import annotations

from app.core.analysis.cache import ResultCache
from app.core.analysis.service import AnalysisService
from app.core.base.results import AnalysisOptions, Mention
from app.core.reading.document import Article
from app.core.runners.entities import EntityRecognizer
from app.core.runners.names import recognise

TEXTS = [
    "Presiden Joko Widodo mengunjungi Kabupaten Bogor pada hari Senin bersama Menteri "
    "Keuangan Sri Mulyani.",
    "Komisi Pemberantasan Korupsi (KPK) memeriksa pejabat di Jakarta, kata Joko Widodo.",
]
OPTIONS = AnalysisOptions(threads=1, use_cache=False, summarize=False, translate=False)


def _article() -> Article:
    return Article.from_texts(TEXTS, title="Berita", source_path=None, format="txt", language="id")


def test_rules_fill_only_what_the_installed_model_left(install_tiny, model_store, monkeypatch):
    install_tiny("entities")
    article = _article()
    text = article.text
    widodo = text.index("Joko Widodo")
    bogor = text.index("Bogor")
    # What the model finds (the tiny random model labels nearly every word, which would leave
    # the rules nothing to do): "Joko Widodo" once, as an organisation, and "Bogor" alone.
    model_mentions = [
        Mention("Joko Widodo", widodo, widodo + 11, "ORG", 0.9),
        Mention("Bogor", bogor, bogor + 5, "LOC", 0.8),
    ]
    monkeypatch.setattr(EntityRecognizer, "recognise", lambda self, *a, **k: model_mentions)

    result = AnalysisService(model_store, ResultCache()).analyze(article, OPTIONS).entities

    assert result.kind == "model" and result.model == "tiny-xlmr-ner"
    found = {(m.start, m.end): m.label for e in result.entities for m in e.mentions}
    # the model's mentions and labels stay as they were
    assert found[(widodo, widodo + 11)] == "ORG" and found[(bogor, bogor + 5)] == "LOC"
    # "Kabupaten Bogor" (rules) overlaps the model's "Bogor": left out
    start = text.index("Kabupaten Bogor")
    assert (start, start + len("Kabupaten Bogor")) not in found
    # the model missed the second "Joko Widodo": the rules' mention joins its entity and label
    second = text.index("Joko Widodo", widodo + 1)
    assert found[(second, second + 11)] == "ORG"
    [joko] = [e for e in result.entities if e.text == "Joko Widodo"]
    assert [m.start for m in joko.mentions] == [widodo, second] and joko.count == 2
    # the rules' other names fill the rest, with their own labels
    assert found[(text.index("Sri Mulyani"), text.index("Sri Mulyani") + 11)] == "PER"
    assert found[(text.index("Jakarta"), text.index("Jakarta") + 7)] == "LOC"
    rules = {
        (m.start, m.end)
        for e in recognise(text, [(p.start, p.text) for p in article.paragraphs]).entities
        for m in e.mentions
    }
    assert set(found) - {(widodo, widodo + 11), (bogor, bogor + 5)} <= rules
    spans = sorted(found)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))
