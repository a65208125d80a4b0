"""The batch queue: folders and files, per-article and overall progress with an ETA, failures
listed per file without stopping, Cancel, resume that skips what is already analysed, and an
index that stays consistent with the cache when the process is killed mid-batch."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from app.core.analysis.batch import (
    CANCELLED,
    DONE,
    FAILED,
    SKIPPED,
    BatchQueue,
    collect_inputs,
)
from app.core.analysis.cache import ResultCache
from app.core.analysis.library import LibraryIndex
from app.core.analysis.service import AnalysisService
from app.core.base.results import AnalysisOptions

ROOT = Path(__file__).resolve().parents[3]
OPTIONS = AnalysisOptions(threads=1)
CITIES = ["Semarang", "Surabaya", "Medan", "Makassar", "Padang", "Manado", "Ambon", "Kupang"]


def write_articles(folder: Path, count: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        city = CITIES[n % len(CITIES)]
        path = folder / f"artikel-{n:03d}.txt"
        path.write_text(
            f"Banjir ke-{n} di {city}\n\n"
            f"Banjir besar melanda {city} setelah hujan deras selama {n + 2} hari.\n\n"
            f"Wali kota {city} meminta warga mengungsi; dana bantuan nomor {n} dikorupsi.\n",
            encoding="utf-8",
        )
        paths.append(path)
    return paths


def test_collect_inputs_walks_folders_and_keeps_files_once(tmp_path):
    write_articles(tmp_path / "a", 2)
    (tmp_path / "a" / "sub").mkdir()
    (tmp_path / "a" / "sub" / "c.md").write_text("# C\n\nTeks.")
    (tmp_path / "a" / "notes.xyz").write_text("not an article")
    (tmp_path / "a" / ".hidden").mkdir()
    (tmp_path / "a" / ".hidden" / "d.txt").write_text("hidden")
    found = collect_inputs([tmp_path / "a", tmp_path / "a" / "artikel-000.txt"])
    assert [p.name for p in found] == ["artikel-000.txt", "artikel-001.txt", "c.md"]


def test_queue_reports_progress_failures_and_indexes(tmp_path):
    paths = write_articles(tmp_path / "in", 3)
    broken = tmp_path / "in" / "broken.pdf"
    broken.write_bytes(b"\x00\x01\x02\x03" * 64)
    service = AnalysisService()
    progress, finished = [], []
    with LibraryIndex(cache=service.cache) as library:
        queue = BatchQueue(
            service, OPTIONS, library=library, on_progress=progress.append, on_item=finished.append
        )
        report = queue.run([tmp_path / "in"])
        assert [i.status for i in report.items] == [DONE, DONE, DONE, FAILED]
        assert report.items[3].path == broken and "broken.pdf" in report.items[3].error
        assert [i.path for i in finished] == [*paths, broken]
        overall = [p.overall for p in progress]
        assert overall == sorted(overall) and overall[-1] == 1.0
        assert any(0 < p.fraction < 1 for p in progress)  # per-article progress
        assert progress[0].eta_s is None and progress[-1].eta_s == 0.0
        assert any(p.eta_s and p.eta_s > 0 for p in progress)
        assert library.count() == 3
        assert {h.article.title for h in library.search("dikorupsi")} == {
            "Banjir ke-0 di Semarang",
            "Banjir ke-1 di Surabaya",
            "Banjir ke-2 di Medan",
        }


def test_cancel_then_resume_skips_what_is_done(tmp_path):
    write_articles(tmp_path / "in", 4)
    service = AnalysisService()
    with LibraryIndex(cache=service.cache) as library:
        queue = BatchQueue(service, OPTIONS, library=library)
        queue.on_item = lambda item: queue.cancel() if item.status == DONE else None
        first = queue.run([tmp_path / "in"])
        assert [i.status for i in first.items] == [DONE, CANCELLED, CANCELLED, CANCELLED]
        assert first.cancelled and library.count() == 1
        again = BatchQueue(service, OPTIONS, library=library).run([tmp_path / "in"])
        assert [i.status for i in again.items] == [SKIPPED, DONE, DONE, DONE]
        assert library.count() == 4
        assert again.items[0].key == first.items[0].key


def test_an_article_the_index_missed_is_indexed_on_reopen(tmp_path):
    """A crash after the cache stored an article but before the index did: nothing is lost."""
    write_articles(tmp_path / "in", 2)
    service = AnalysisService()
    BatchQueue(service, OPTIONS, library=None).run([tmp_path / "in"])  # index never written
    with LibraryIndex(cache=service.cache) as library:
        assert library.count() == 2
        assert len(library.search("banjir")) == 2


def _library_rows(db_path: Path) -> int:
    db = sqlite3.connect(db_path, timeout=5)
    try:
        return db.execute("SELECT count(*) FROM library_articles").fetchone()[0]
    except sqlite3.OperationalError:
        return 0
    finally:
        db.close()


def test_killed_mid_batch_nothing_lost_or_duplicated(tmp_path, isolated_user_dirs):
    count = 40
    write_articles(tmp_path / "in", count)
    db_path = isolated_user_dirs["cache"] / "results.sqlite3"
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    code = "import sys; from app.cli import main; sys.exit(main(sys.argv[1:]))"
    child = subprocess.Popen(
        [sys.executable, "-c", code, "analyze", str(tmp_path / "in"), "--threads", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and child.poll() is None:
        if db_path.exists() and _library_rows(db_path) >= 3:
            break
        time.sleep(0.05)
    killed = child.poll() is None
    child.send_signal(signal.SIGKILL) if killed else None
    child.wait(timeout=30)
    assert killed, "the batch finished before it could be killed"

    cache = ResultCache(db_path)
    with LibraryIndex(cache=cache) as library:
        cached = {e.key for e in cache.library()}
        assert 3 <= len(cached) < count
        assert {a.key for a in library.articles()} == cached
        db = sqlite3.connect(db_path)
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        db.execute("INSERT INTO library_fts(library_fts) VALUES ('integrity-check')")
        assert db.execute("SELECT count(*) FROM library_fts").fetchone()[0] == len(cached)
        db.close()
        report = BatchQueue(AnalysisService(cache=cache), OPTIONS, library=library).run(
            [tmp_path / "in"]
        )
        assert report.count(SKIPPED) >= len(cached) - 1  # the one in flight may have no record
        assert report.count(DONE) + report.count(SKIPPED) == count
        assert library.count() == count
        assert len(library.search("banjir", limit=100)) == count
