"""The SQLite result cache: round trips, the library, and never breaking an analysis (corrupt,
locked, unwritable); a cache hit loads no model and does not even import torch."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.analysis.cache import CACHE_FILE_NAME, ResultCache, StepRecord
from app.core.analysis.service import AnalysisService
from app.core.base.results import AnalysisOptions, AnalysisResult, Summary, Translation
from app.core.base.steps import Step
from app.core.reading.document import Article

ROOT = Path(__file__).resolve().parents[3]
ONE_THREAD = AnalysisOptions(threads=1)


def _child_json(code: str):
    """Run ``code`` in a fresh interpreter (nothing imported yet); its last line, as JSON."""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _result(text: str = "Harga beras naik di Surabaya.", title: str = "Beras") -> AnalysisResult:
    article = Article.from_texts(
        [title, text], title=title, source_path=Path("/tmp/beras.txt"), format="txt", language="id"
    )
    return AnalysisResult(
        article,
        Translation(["Rice", "Rice prices rose in Surabaya."], "id", "model", "opus-mt-id-en"),
        Summary("Rice prices rose.", "abstractive", "some-model", "short", "en"),
        None,
        timings={"translate": 1.5},
    )


def _put(cache: ResultCache, key: str, result: AnalysisResult) -> bool:
    """Store ``result``'s translation as one step, and its article in the library."""
    record = StepRecord(result.translation, [])
    stored = cache.put_step(key, result.article.text, Step.TRANSLATE, record)
    return stored and cache.put_article(result.article, {Step.TRANSLATE: key})


def test_step_round_trip(tmp_path):
    cache = ResultCache(tmp_path / "c.sqlite3")
    result = _result()
    assert cache.get_step("k") is None
    assert _put(cache, "k", result)
    hit = cache.get_step("k")
    assert hit.value == result.translation and hit.notices == []
    opened = cache.open_article(cache.library()[0].key)
    assert opened.from_cache and opened.translation == result.translation
    assert cache.warnings == []


def test_library_is_newest_first_and_lists_an_article_once(tmp_path):
    cache = ResultCache(tmp_path / "c.sqlite3")
    _put(cache, "a-short", _result("Teks pertama.", "Pertama"))
    _put(cache, "b", _result("Teks kedua.", "Kedua"))
    _put(cache, "a-long", _result("Teks pertama.", "Pertama"))
    entries = cache.library()
    assert [e.title for e in entries] == ["Pertama", "Kedua"]
    assert entries[0].language == "id" and entries[0].word_count == 3
    assert entries[0].source_path == "/tmp/beras.txt"
    cache.remove(entries[0].key)
    assert [e.title for e in cache.library()] == ["Kedua"]
    assert cache.get_step("a-long") is None and cache.get_step("b") is not None


def test_a_corrupt_cache_file_is_moved_aside_and_rebuilt(tmp_path):
    path = tmp_path / CACHE_FILE_NAME
    path.write_bytes(b"this is not a database" * 100)
    cache = ResultCache(path)
    assert cache.get_step("k") is None
    assert _put(cache, "k", _result())
    assert cache.get_step("k") is not None
    assert any("corrupt" in w for w in cache.warnings)
    assert list(tmp_path.glob(CACHE_FILE_NAME + ".corrupt-*"))


def test_a_locked_cache_is_bypassed_with_a_warning(tmp_path):
    path = tmp_path / CACHE_FILE_NAME
    _put(ResultCache(path), "k", _result())
    holder = sqlite3.connect(path)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        cache = ResultCache(path, busy_timeout_s=0.05)
        assert _put(cache, "k2", _result()) is False
        assert cache.get_step("k") is None
        assert any("locked" in w for w in cache.warnings)
    finally:
        holder.rollback()
        holder.close()
    # Once released, it works again.
    assert ResultCache(path).get_step("k") is not None


def test_an_unwritable_cache_location_is_bypassed(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the cache folder should be")
    cache = ResultCache(blocker / CACHE_FILE_NAME)
    assert _put(cache, "k", _result()) is False
    assert cache.get_step("k") is None
    assert cache.library() == []
    assert cache.warnings and "not cached" in cache.warnings[0]


def test_service_analysis_still_works_without_a_usable_cache(model_store, tmp_path):
    blocker = tmp_path / "blocked"
    blocker.write_text("")
    service = AnalysisService(model_store, ResultCache(blocker / "x" / CACHE_FILE_NAME))
    article = _result().article
    result = service.analyze(article, ONE_THREAD)
    assert result.summary.kind == "extractive" and not result.from_cache


def _article() -> Article:
    return Article.from_texts(
        ["Presiden Joko Widodo mengunjungi Jakarta.", "Harga beras naik di pasar Surabaya."],
        title="Berita",
        source_path=None,
        format="txt",
        language="id",
    )


def test_a_cache_hit_loads_no_model(install_tiny, model_store):
    install_tiny("translate")
    service = AnalysisService(model_store, ResultCache())
    first = service.analyze(_article(), ONE_THREAD)
    assert not first.from_cache and service.model_loads == 1

    fresh = AnalysisService(model_store, ResultCache())
    events = []
    second = fresh.analyze(_article(), ONE_THREAD, on_event=events.append)
    assert second.from_cache
    assert fresh.model_loads == 0
    assert second.translation.paragraphs == first.translation.paragraphs
    assert any(getattr(e, "from_cache", False) for e in events)
    # Other options or models change only the keys of the steps they affect.
    keys = fresh.step_keys(_article(), ONE_THREAD)
    longer = fresh.step_keys(_article(), AnalysisOptions(summary_length="long"))
    assert longer[Step.TRANSLATE] == keys[Step.TRANSLATE]
    assert longer[Step.SUMMARIZE] != keys[Step.SUMMARIZE]
    install_tiny("summarize")
    with_summariser = fresh.step_keys(_article(), ONE_THREAD)
    assert with_summariser[Step.TRANSLATE] == keys[Step.TRANSLATE]
    assert with_summariser[Step.SUMMARIZE] != keys[Step.SUMMARIZE]


def test_no_cache_option_neither_reads_nor_writes(install_tiny, model_store):
    install_tiny("translate")
    service = AnalysisService(model_store, ResultCache())
    options = AnalysisOptions(threads=1, use_cache=False)
    service.analyze(_article(), options)
    keys = service.step_keys(_article(), ONE_THREAD)
    assert all(service.cache.get_step(key) is None for key in keys.values())
    assert service.library() == []


def test_a_cache_hit_does_not_import_torch(install_tiny, model_store, tmp_path):
    install_tiny("translate")
    article_file = tmp_path / "berita.txt"
    article_file.write_text(
        "Banjir di Semarang\n\nBanjir besar melanda Semarang setelah hujan deras.\n\n"
        "Warga mengungsi ke tempat yang lebih tinggi.\n",
        encoding="utf-8",
    )
    service = AnalysisService(model_store, ResultCache())
    assert not service.analyze(article_file, ONE_THREAD).from_cache

    code = (
        "import sys, json\n"
        "from app.core.analysis.service import AnalysisService\n"
        "from app.core.base.results import AnalysisOptions\n"
        f"r = AnalysisService().analyze({str(article_file)!r}, AnalysisOptions(threads=1))\n"
        "print(json.dumps({'from_cache': r.from_cache, 'torch': 'torch' in sys.modules,"
        " 'transformers': 'transformers' in sys.modules}))\n"
    )
    assert _child_json(code) == {
        "from_cache": True,
        "torch": False,
        "transformers": False,
    }


def test_reopening_an_analysed_file_reuses_its_languages_without_the_detector(tmp_path):
    """The languages stored with a result are reused for the same cleaned text: no lingua."""
    article_file = tmp_path / "campur.txt"
    article_file.write_text(
        "Banjir di Semarang\n\nBanjir besar melanda Semarang setelah hujan deras semalaman, "
        "dan warga mengungsi ke tempat yang lebih tinggi.\n\n"
        "The mayor said the city would open three more shelters before the weekend.\n",
        encoding="utf-8",
    )
    first = AnalysisService(cache=ResultCache()).analyze(article_file, ONE_THREAD).article
    # other bytes (a trailing blank line), the same cleaned text: read again, languages reused
    other = tmp_path / "campur-lagi.txt"
    other.write_text(article_file.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    code = (
        "import sys, json\n"
        "from app.core.analysis.service import AnalysisService\n"
        f"a = AnalysisService().load({str(other)!r})\n"
        "print(json.dumps({'lingua': 'lingua' in sys.modules, 'language': a.language,"
        " 'paragraphs': [p.language for p in a.paragraphs]}))\n"
    )
    assert _child_json(code) == {
        "lingua": False,
        "language": first.language,
        "paragraphs": [p.language for p in first.paragraphs],
    }
    assert "en" in [p.language for p in first.paragraphs]  # a real per-paragraph record


def test_an_unanalysed_text_is_still_detected(tmp_path):
    article_file = tmp_path / "baru.txt"
    article_file.write_text(
        "Harga beras naik lagi\n\nHarga beras di pasar tradisional naik dua ribu rupiah "
        "per kilogram sejak awal bulan, kata para pedagang.\n",
        encoding="utf-8",
    )
    assert ResultCache().known_languages("anything") is None
    assert AnalysisService(cache=ResultCache()).load(article_file).language == "id"


@pytest.mark.parametrize("length", ["short", "long"])
def test_open_from_library_returns_the_stored_result(model_store, length):
    service = AnalysisService(model_store, ResultCache())
    options = AnalysisOptions(threads=1, summary_length=length)
    result = service.analyze(_article(), options)
    (entry,) = service.library()
    opened = service.open_from_library(entry.key)
    assert opened.from_cache and opened.summary.text == result.summary.text
    assert service.open_from_library("no-such-key") is None


def _refuse_reading(monkeypatch):
    import app.core.reading.reader as reader

    def refuse(*args, **kwargs):
        raise AssertionError("the file was read again")

    monkeypatch.setattr(reader, "load_article", refuse)


def test_a_file_analysed_before_opens_without_being_read_again(tmp_path, monkeypatch):
    article_file = tmp_path / "berita.txt"
    article_file.write_bytes(
        b"Banjir di Semarang\n\nFoto: ANTARA/Aji\n\nBanjir besar melanda Semarang setelah hujan "
        b"deras semalaman, dan warga mengungsi ke tempat yang lebih tinggi.\n"
    )
    first = AnalysisService(cache=ResultCache()).analyze(article_file, ONE_THREAD).article
    assert first.removed  # the caption went, with its reason
    _refuse_reading(monkeypatch)
    service = AnalysisService(cache=ResultCache())

    again = service.load(article_file)
    assert (again.text, again.title, again.language, again.format) == (
        first.text,
        first.title,
        first.language,
        first.format,
    )
    assert [p.language for p in again.paragraphs] == [p.language for p in first.paragraphs]
    assert [(r.text, r.reason) for r in again.removed] == [
        (r.text, r.reason) for r in first.removed
    ]
    # the same bytes elsewhere: from the cache too, with its own path
    copy = tmp_path / "salinan" / "berita.txt"
    copy.parent.mkdir()
    copy.write_bytes(article_file.read_bytes())
    assert service.load(copy).source_path == copy
    assert service.analyze(copy, ONE_THREAD).from_cache


def test_a_changed_file_or_reader_is_read_again(tmp_path, monkeypatch):
    import app.core.analysis.cache as cache_module

    article_file = tmp_path / "berita.txt"
    text = "Harga beras naik\n\nHarga beras di pasar naik dua ribu rupiah sejak awal bulan.\n"
    article_file.write_text(text, encoding="utf-8")
    AnalysisService(cache=ResultCache()).analyze(article_file, ONE_THREAD)
    _refuse_reading(monkeypatch)
    service = AnalysisService(cache=ResultCache())
    assert service.load(article_file).title == "Harga beras naik"  # from the cache

    as_markdown = tmp_path / "berita.md"  # the same bytes, another format
    as_markdown.write_bytes(article_file.read_bytes())
    with pytest.raises(AssertionError, match="read again"):
        service.load(as_markdown)

    monkeypatch.setattr(cache_module, "reader_fingerprint", lambda: "a newer reader")
    with pytest.raises(AssertionError, match="read again"):
        service.load(article_file)
    monkeypatch.undo()
    _refuse_reading(monkeypatch)

    article_file.write_text(text + "\nPedagang mengeluh.\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="read again"):
        service.load(article_file)


def test_a_cache_hit_on_a_file_read_before_does_not_import_the_reader(tmp_path):
    article_file = tmp_path / "berita.txt"
    article_file.write_text(
        "Harga cabai turun\n\nHarga cabai rawit di Jakarta turun tajam minggu ini.\n",
        encoding="utf-8",
    )
    AnalysisService(cache=ResultCache()).analyze(article_file, ONE_THREAD)
    code = (
        "import sys, json\n"
        "from app.core.analysis.service import AnalysisService\n"
        "from app.core.base.results import AnalysisOptions\n"
        f"r = AnalysisService().analyze({str(article_file)!r}, AnalysisOptions(threads=1))\n"
        "print(json.dumps({'from_cache': r.from_cache, 'title': r.article.title,"
        " 'reader': 'app.core.reading.cleanup' in sys.modules}))\n"
    )
    assert _child_json(code) == {
        "from_cache": True,
        "title": "Harga cabai turun",
        "reader": False,
    }


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_named_pipe_or_a_device_gets_no_source_key_and_never_blocks(tmp_path):
    from app.core.analysis.cache import source_key

    fifo = tmp_path / "pipa.txt"
    os.mkfifo(fifo)
    device = tmp_path / "nol.txt"
    device.symlink_to("/dev/zero")
    empty = tmp_path / "kosong.txt"
    empty.write_bytes(b"")
    assert source_key(fifo) is None  # reading it would block until a writer comes
    assert source_key(device) is None
    assert source_key(empty) is None
    assert source_key(tmp_path / "tidak-ada.txt") is None
    real = tmp_path / "ada.txt"
    real.write_text("Isi.", encoding="utf-8")
    assert source_key(real) is not None
