"""SQLite cache of analysis results, which is also the window's library of analysed articles.

One row per (cleaned text hash, models used, result-changing options). The cache never breaks
an analysis: a corrupt file is moved aside and rebuilt, a locked or unwritable one is bypassed;
each such event is logged and remembered in :attr:`ResultCache.warnings` for the caller to show.
WAL journaling and a short busy timeout let the window and the CLI share one file.
"""

from __future__ import annotations

import hashlib
import json
import logging
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from app.core.analysis.export import SCHEMA_VERSION, result_from_dict, result_to_dict
from app.core.base import paths
from app.core.base.results import AnalysisResult

log = logging.getLogger(__name__)

CACHE_FILE_NAME = "results.sqlite3"
#: How long to wait for another process holding the database before bypassing it.
BUSY_TIMEOUT_S = 1.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS results (
    key TEXT PRIMARY KEY,
    text_hash TEXT NOT NULL,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    source_path TEXT,
    analysed_at REAL NOT NULL,
    word_count INTEGER NOT NULL,
    result_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS results_by_time ON results (analysed_at);
"""


@dataclass(frozen=True)
class LibraryEntry:
    """An analysed article as the library lists it."""

    key: str
    title: str
    language: str
    source_path: str | None
    analysed_at: float
    word_count: int


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def cache_key(text: str, models: dict[str, str | None], params: dict) -> str:
    """Key of one result: the cleaned text, the model (id@revision) per step, and the options."""
    material = json.dumps(
        {"text": text_hash(text), "models": models, "params": params, "schema": SCHEMA_VERSION},
        sort_keys=True,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


class ResultCache:
    """Results by key in ``<cache dir>/results.sqlite3``.

    Attributes:
        path: the database file.
        warnings: one-line messages about bypassed or rebuilt caches, oldest first.
    """

    def __init__(self, path: str | Path | None = None, *, busy_timeout_s: float = BUSY_TIMEOUT_S):
        self.path = Path(path) if path else paths.cache_dir() / CACHE_FILE_NAME
        self.busy_timeout_s = busy_timeout_s
        self.warnings: list[str] = []
        self._lock = threading.Lock()
        self._ready = False
        self._disabled = False

    # --- public API ----------------------------------------------------------------------

    def get(self, key: str) -> AnalysisResult | None:
        row = self._run(
            "read",
            lambda db: db.execute(
                "SELECT result_json FROM results WHERE key = ?", (key,)
            ).fetchone(),
        )
        if not row:
            return None
        try:
            result = result_from_dict(json.loads(row[0]))
        except (ValueError, KeyError, TypeError) as exc:
            self._warn(f"ignoring an unreadable cached result ({exc.__class__.__name__})")
            return None
        result.from_cache = True
        return result

    def put(self, key: str, result: AnalysisResult) -> bool:
        """Store ``result``; False when the cache is unavailable (already warned)."""
        article = result.article
        data = result_to_dict(result)
        data["from_cache"] = False
        row = (
            key,
            text_hash(article.text),
            article.title,
            article.language,
            str(article.source_path) if article.source_path else None,
            time.time(),
            article.word_count,
            json.dumps(data, ensure_ascii=False),
        )

        def write(db: sqlite3.Connection) -> bool:
            with db:
                db.execute("INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
            return True

        return bool(self._run("write", write))

    def known_languages(self, text: str) -> tuple[str, list[str]] | None:
        """The languages recorded with an analysed article of exactly this cleaned ``text``."""
        row = self._run(
            "read",
            lambda db: db.execute(
                "SELECT result_json FROM results WHERE text_hash = ? "
                "ORDER BY analysed_at DESC LIMIT 1",
                (text_hash(text),),
            ).fetchone(),
        )
        if not row:
            return None
        try:
            data = json.loads(row[0])
            return data["language"], [p["language"] for p in data["paragraphs"]]
        except (ValueError, KeyError, TypeError):
            return None

    def library(self) -> list[LibraryEntry]:
        """Analysed articles, newest first; an article analysed with several settings is listed once."""
        rows = self._run(
            "read",
            lambda db: db.execute(
                "SELECT key, title, language, source_path, analysed_at, word_count, text_hash "
                "FROM results ORDER BY analysed_at DESC, rowid DESC"
            ).fetchall(),
        )
        entries, seen = [], set()
        for key, title, language, source, at, words, digest in rows or []:
            if digest in seen:
                continue
            seen.add(digest)
            entries.append(LibraryEntry(key, title, language, source, at, words))
        return entries

    def remove(self, key: str) -> None:
        def delete(db: sqlite3.Connection) -> None:
            with db:
                db.execute("DELETE FROM results WHERE key = ?", (key,))

        self._run("write", delete)

    # --- plumbing ------------------------------------------------------------------------

    def _warn(self, message: str) -> None:
        log.warning("result cache: %s", message)
        self.warnings.append(message)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.busy_timeout_s, check_same_thread=False)
        db.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_s * 1000)}")
        return db

    def _open(self) -> sqlite3.Connection | None:
        """A connection to a usable database, creating (or rebuilding) it once per instance."""
        if self._disabled:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._disable(
                f"cannot create {self.path.parent} ({exc.strerror or exc}); results are not cached"
            )
            return None
        if self._ready:
            return self._connect()
        for attempt in range(2):
            db = None
            try:
                db = self._connect()
                db.execute("PRAGMA journal_mode = WAL")
                db.executescript(_SCHEMA)
                db.execute("SELECT count(*) FROM results").fetchone()
                self._ready = True
                return db
            except sqlite3.DatabaseError as exc:
                if db is not None:
                    db.close()
                message = str(exc).lower()
                if "locked" in message or "busy" in message:
                    self._warn("the cache is locked by another program; this result bypasses it")
                    return None
                if "readonly" in message or "read-only" in message or "unable to open" in message:
                    self._disable(
                        f"the cache at {self.path} is not writable; results are not cached"
                    )
                    return None
                # Only a damaged file is moved aside: a full disk or an I/O error says nothing
                # about the file, and moving it would hide the user's library.
                damaged = "not a database" in message or "malformed" in message
                if attempt == 0 and damaged and self._move_aside():
                    continue
                self._disable(
                    f"the cache at {self.path} is unusable ({exc}); results are not cached"
                )
                return None
        return None

    def _move_aside(self) -> bool:
        """Rename a corrupt database (and its WAL files) so a fresh one can be built."""
        aside = self.path.with_name(f"{self.path.name}.corrupt-{int(time.time())}")
        try:
            self.path.replace(aside)
            for suffix in ("-wal", "-shm"):
                extra = self.path.with_name(self.path.name + suffix)
                if extra.exists():
                    extra.unlink()
        except OSError:
            return False
        self._warn(f"the cache file was corrupt; moved it to {aside.name} and started a new one")
        return True

    def _disable(self, message: str) -> None:
        self._disabled = True
        self._warn(message)

    def _run(self, what: str, operation):
        with self._lock:
            db = self._open()
            if db is None:
                return None
            try:
                return operation(db)
            except sqlite3.DatabaseError as exc:
                message = str(exc).lower()
                if "locked" in message or "busy" in message:
                    self._warn(f"the cache is locked by another program; {what} bypassed")
                elif "readonly" in message or "read-only" in message:
                    self._disable(f"the cache at {self.path} is read-only; results are not cached")
                else:
                    self._warn(f"cache {what} failed ({exc}); bypassed")
                    self._ready = False
                return None
            finally:
                db.close()
