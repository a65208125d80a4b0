"""A large chat summariser runs alone: the translator and the names model are unloaded before
it, the next steps load them again, and the translation, summary and names are those of a
service that keeps every model loaded."""

from __future__ import annotations

from app.core.analysis.cache import ResultCache
from app.core.analysis.service import AnalysisService
from app.core.base.results import AnalysisOptions, StepFinished
from app.core.base.steps import Step
from app.core.reading.document import Article
from app.core.runners.entities import EntityRecognizer
from app.core.runners.translator import Translator

# no cache: each service runs its models on every article
ONE_THREAD = AnalysisOptions(threads=1, device="cpu", use_cache=False)


def _articles() -> list[Article]:
    texts = [
        [
            "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.",
            "Bank Indonesia menaikkan suku bunga acuan menjadi enam persen.",
        ],
        [
            "Menteri Keuangan Sri Mulyani berbicara di Bandung pada hari Jumat.",
            "Gubernur Jawa Barat Ridwan Kamil menyambut para tamu dari Surabaya.",
        ],
        [
            "Banjir melanda Semarang, kata Badan Nasional Penanggulangan Bencana.",
        ],
    ]
    return [
        Article.from_texts(t, title=f"Berita {n}", source_path=None, format="txt", language="id")
        for n, t in enumerate(texts)
    ]


def _run(service: AnalysisService, articles: list[Article]) -> tuple[list, list[bool]]:
    """(the results, whether a names model was in memory as each summary finished)."""
    loaded_during_summary: list[bool] = []

    def on_event(event) -> None:
        if isinstance(event, StepFinished) and event.step == Step.SUMMARIZE:
            runners = [r for r in service._runners.values() if isinstance(r, EntityRecognizer)]
            loaded_during_summary.append(any(r.loaded for r in runners))

    results = [service.analyze(a, ONE_THREAD, on_event=on_event) for a in articles]
    return results, loaded_during_summary


def _names(result) -> list[tuple]:
    return [
        (e.text, e.label, [(m.start, m.end) for m in e.mentions]) for e in result.entities.entities
    ]


def _loads(service: AnalysisService, kind: type) -> int:
    return sum(r.loads for r in service._runners.values() if isinstance(r, kind))


def test_a_large_chat_summariser_runs_with_the_other_models_unloaded(
    install_tiny, model_store, tiny_chat_dirs
):
    install_tiny()
    model_store.add(tiny_chat_dirs["chat"], name="tiny-qwen-instruct")
    articles = _articles()

    # every chat model counts as large: the other models are unloaded before each summary
    lean = AnalysisService(model_store, ResultCache(), large_chat_bytes=0)
    lean_results, lean_loaded = _run(lean, articles)
    # never unloaded
    kept = AnalysisService(model_store, ResultCache(), large_chat_bytes=None)
    kept_results, kept_loaded = _run(kept, articles)

    # the first summary runs before any names model was loaded; then the names model was
    # unloaded before each summary, or kept throughout
    assert lean_loaded == [False, False, False]
    assert kept_loaded == [False, True, True]
    # the translator and the names model load once per article, the chat model once
    assert [_loads(lean, Translator), _loads(lean, EntityRecognizer)] == [3, 3]
    assert [lean.model_loads, kept.model_loads] == [7, 3]
    for a, b in zip(lean_results, kept_results, strict=True):
        assert a.entities.kind == "model" and _names(a) == _names(b)
        assert a.summary.text == b.summary.text and a.summary.model == "tiny-qwen-instruct"
        assert a.translation.kind == "model"
        assert a.translation.paragraphs == b.translation.paragraphs
    assert any(_names(r) for r in lean_results)


def test_a_small_chat_summariser_keeps_the_other_models_loaded(
    install_tiny, model_store, tiny_chat_dirs
):
    install_tiny()
    model_store.add(tiny_chat_dirs["chat"], name="tiny-qwen-instruct")
    service = AnalysisService(model_store, ResultCache())  # the default bound: a few MB is small
    _, loaded = _run(service, _articles())
    assert loaded == [False, True, True]
    assert service.model_loads == 3  # translator, chat summariser, names: each loaded once


def test_a_seq2seq_summariser_keeps_the_other_models_loaded(install_tiny, model_store):
    install_tiny()  # the tiny mT5 summariser: not a chat model
    service = AnalysisService(model_store, ResultCache(), large_chat_bytes=0)
    _, loaded = _run(service, _articles())
    assert loaded == [False, True, True]
    assert service.model_loads == 3  # translator, mT5 summariser, names: each loaded once
