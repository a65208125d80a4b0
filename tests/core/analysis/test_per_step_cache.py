"""Per-step results: each step is cached under its own key, one analyze call per article, the
library reopens the latest analysis, and an old whole-result cache is migrated."""

from __future__ import annotations

import json
import sqlite3

from app.core.analysis.cache import ResultCache, step_key
from app.core.analysis.engine import AnalysisEngine
from app.core.analysis.engine_process import EngineProcess
from app.core.analysis.export import result_to_dict
from app.core.analysis.service import AnalysisService
from app.core.base.results import (
    AnalysisOptions,
    AnalysisResult,
    ArticleLoaded,
    StepFinished,
    StepStarted,
    Summary,
    Translation,
)
from app.core.base.steps import Step
from app.core.reading.document import Article

ONE_THREAD = AnalysisOptions(threads=1)


def _article(word: str = "Semarang") -> Article:
    texts = [f"Banjir besar melanda {word} nomor {i} setelah hujan deras." for i in range(3)]
    return Article.from_texts(texts, title="Banjir", source_path=None, format="txt", language="id")


def _finished(events) -> dict[str, bool]:
    return {str(e.step): e.from_cache for e in events if isinstance(e, StepFinished)}


def test_changing_the_summary_length_reruns_only_the_summary(installed_models, model_store):
    service = AnalysisService(model_store, ResultCache())
    first = service.analyze(_article(), ONE_THREAD)
    events = []
    second = service.analyze(
        _article(), AnalysisOptions(threads=1, summary_length="short"), on_event=events.append
    )
    assert _finished(events) == {"translate": True, "summarize": False, "entities": True}
    assert second.translation.paragraphs == first.translation.paragraphs
    assert second.summary.length == "short" and first.summary.length == "medium"
    assert [e.text for e in second.entities.entities] == [e.text for e in first.entities.entities]
    assert not second.from_cache
    # and back: now every step comes from the cache
    events.clear()
    third = service.analyze(_article(), ONE_THREAD, on_event=events.append)
    assert _finished(events) == {"translate": True, "summarize": True, "entities": True}
    assert third.from_cache and third.summary.text == first.summary.text


def test_article_loaded_is_emitted_exactly_once_before_any_step(
    installed_models, model_store, tmp_path
):
    path = tmp_path / "banjir.txt"
    path.write_text("Banjir\n\n" + "\n\n".join(p.text for p in _article().paragraphs), "utf-8")
    service = AnalysisService(model_store, ResultCache())
    for _ in range(2):  # computed, then from the cache: the same events for the caller
        events = []
        service.analyze(path, ONE_THREAD, on_event=events.append)
        loaded = [i for i, e in enumerate(events) if isinstance(e, ArticleLoaded)]
        assert len(loaded) == 1
        first_step = next(
            i for i, e in enumerate(events) if isinstance(e, StepStarted) and e.step != "load"
        )
        assert loaded[0] < first_step


def test_step_keys_depend_only_on_what_changes_each_step():
    base = step_key("teks", Step.SUMMARIZE, "m@1", {"summary_length": "short"})
    assert base == step_key("teks", Step.SUMMARIZE, "m@1", {"summary_length": "short"})
    assert base != step_key("teks!", Step.SUMMARIZE, "m@1", {"summary_length": "short"})
    assert base != step_key("teks", Step.SUMMARIZE, "m@2", {"summary_length": "short"})
    assert base != step_key("teks", Step.SUMMARIZE, "m@1", {"summary_length": "long"})
    assert base != step_key("teks", Step.TRANSLATE, "m@1", {"summary_length": "short"})


def test_the_library_reopens_the_latest_analysis(installed_models, model_store):
    service = AnalysisService(model_store, ResultCache())
    service.analyze(_article(), ONE_THREAD)
    latest = service.analyze(_article(), AnalysisOptions(threads=1, summary_length="long"))
    entries = service.library()
    assert len(entries) == 1
    opened = service.open_from_library(entries[0].key)
    assert opened.from_cache
    assert opened.summary.text == latest.summary.text and opened.summary.length == "long"
    assert opened.translation.paragraphs == latest.translation.paragraphs
    assert opened.article.text == latest.article.text


def test_an_old_whole_result_cache_is_migrated_not_thrown_away(tmp_path):
    article = _article("Medan")
    old = AnalysisResult(
        article,
        Translation(["Flood one.", "Flood two.", "Flood three."], "id", "model", "opus"),
        Summary("A flood hit Medan.", "abstractive", "mt5"),
        None,
    )
    path = tmp_path / "results.sqlite3"
    db = sqlite3.connect(path)
    db.executescript(
        "CREATE TABLE results (key TEXT PRIMARY KEY, text_hash TEXT NOT NULL, title TEXT NOT "
        "NULL, language TEXT NOT NULL, source_path TEXT, analysed_at REAL NOT NULL, word_count "
        "INTEGER NOT NULL, result_json TEXT NOT NULL);"
    )
    db.execute(
        "INSERT INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            "old-key",
            "h",
            article.title,
            "id",
            None,
            1.0,
            article.word_count,
            json.dumps(result_to_dict(old)),
        ),
    )
    db.commit()
    db.close()

    cache = ResultCache(path)
    entries = cache.library()
    assert [e.title for e in entries] == ["Banjir"]
    opened = cache.open_article(entries[0].key)
    assert opened.translation.paragraphs == ["Flood one.", "Flood two.", "Flood three."]
    assert opened.summary.text == "A flood hit Medan."
    assert cache.known_languages(article.text)[0] == "id"
    # opening it again (a second process) does not migrate twice
    assert len(ResultCache(path).library()) == 1


def test_both_engines_implement_the_one_interface(model_store):
    assert isinstance(AnalysisService(model_store, ResultCache()), AnalysisEngine)
    assert isinstance(EngineProcess(), AnalysisEngine)
