"""SQLite cache of analysis results, step by step, which is also the window's library.

Each step's result (translation, summary, names) is stored under its own key: the cleaned
text, that step's model (id@revision) and the options that change it. Changing the summary
length therefore misses only the summary; the translation and the names come from the cache.
Each analysed article has one row in ``articles`` (keyed by its text's hash) with the step keys
of its latest analysis: that row is what the library lists and reopens.

The cache never breaks an analysis: a corrupt file is moved aside and rebuilt, a locked or
unwritable one is bypassed; each such event is logged and remembered in
:attr:`ResultCache.warnings` for the caller to show. WAL journaling and a short busy timeout
let the window and the CLI share one file. A database of the previous release (one ``results``
row per whole result) is migrated on first open: its articles stay in the library.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import sqlite3
import stat
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app import __version__
from app.core.analysis.export import SCHEMA_VERSION, result_from_dict
from app.core.base import paths
from app.core.base.results import (
    AnalysisResult,
    EntityResult,
    StepNotice,
    Summary,
    Translation,
)
from app.core.base.steps import Step
from app.core.reading.document import Article, RemovedLine

log = logging.getLogger(__name__)

CACHE_FILE_NAME = "results.sqlite3"
#: How long to wait for another process holding the database before bypassing it.
BUSY_TIMEOUT_S = 1.0
#: ``PRAGMA user_version`` of the per-step layout (0: the previous release's ``results`` table).
DB_VERSION = 2

_SCHEMA = """
CREATE TABLE IF NOT EXISTS steps (
    key TEXT PRIMARY KEY,
    text_hash TEXT NOT NULL,
    step TEXT NOT NULL,
    created REAL NOT NULL,
    data_json TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS articles (
    text_hash TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    language TEXT NOT NULL,
    source_path TEXT,
    analysed_at REAL NOT NULL,
    word_count INTEGER NOT NULL,
    article_json TEXT NOT NULL,
    steps_json TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS articles_by_time ON articles (analysed_at);
CREATE TABLE IF NOT EXISTS sources (
    source_key TEXT PRIMARY KEY,
    text_hash TEXT NOT NULL,
    created REAL NOT NULL
);
"""

_DECODERS: dict[Step, Any] = {
    Step.TRANSLATE: Translation.from_dict,
    Step.SUMMARIZE: Summary.from_dict,
    Step.ENTITIES: EntityResult.from_dict,
}


@dataclass(frozen=True)
class LibraryEntry:
    """An analysed article as the library lists it (``key``: the hash of its cleaned text)."""

    key: str
    title: str
    language: str
    source_path: str | None
    analysed_at: float
    word_count: int


@dataclass
class StepRecord:
    """One step's cached outcome: its value (None when the step produced none) and notices."""

    value: Translation | Summary | EntityResult | None
    notices: list[StepNotice]
    seconds: float = 0.0


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


#: Files larger than this are read every time (hashing them would cost what reading does).
SOURCE_KEY_MAX_BYTES = 64 * 2**20


@functools.cache
def reader_fingerprint() -> str:
    """What the reading of a file depends on: Ringkas' version and the reading package's files
    (names, sizes, modification times: a changed cleanup rule or classifier gives a new one)."""
    import app.core.reading as reading

    root = Path(reading.__file__).parent
    digest = hashlib.sha256(__version__.encode())
    for file in sorted(root.rglob("*")):
        if file.suffix in (".py", ".gz", ".json", ".txt") and file.is_file():
            stat = file.stat()
            digest.update(f"{file.relative_to(root)}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()


def source_key(path: Path) -> str | None:
    """Key of a file as the reader sees it: its bytes, its suffix (which chooses the format)
    and :func:`reader_fingerprint`. None when the file cannot be read or is very large (the
    reader then reports or handles it)."""
    try:
        info = path.stat()
        # only a regular file: a named pipe or a device would block or never end
        if not stat.S_ISREG(info.st_mode) or not 0 < info.st_size <= SOURCE_KEY_MAX_BYTES:
            return None
        with path.open("rb") as handle:  # read-only, as the reader
            data = handle.read(SOURCE_KEY_MAX_BYTES + 1)
    except (OSError, ValueError):
        return None
    digest = hashlib.sha256(data)
    digest.update(f"|{path.suffix.lower()}|{reader_fingerprint()}".encode())
    return digest.hexdigest()


def step_key(text: str, step: str, model: str | None, params: dict) -> str:
    """Key of one step's result: the cleaned text, the step, its model (id@revision), options."""
    material = json.dumps(
        {
            "text": text_hash(text),
            "step": str(step),
            "model": model,
            "params": params,
            "schema": SCHEMA_VERSION,
        },
        sort_keys=True,
    )
    return hashlib.sha256(material.encode("utf-8")).hexdigest()


def article_to_dict(article: Article) -> dict:
    return {
        "title": article.title,
        "source": str(article.source_path) if article.source_path else None,
        "format": article.format,
        "language": article.language,
        "paragraphs": [p.to_dict() for p in article.paragraphs],
        "removed": [r.to_dict() for r in article.removed],
    }


def article_from_dict(d: dict) -> Article:
    paragraphs = d["paragraphs"]
    return Article.from_texts(
        [p["text"] for p in paragraphs],
        title=d["title"],
        source_path=Path(d["source"]) if d.get("source") else None,
        format=d.get("format", "txt"),
        language=d["language"],
        paragraph_languages=[p.get("language", "und") for p in paragraphs],
        removed=[RemovedLine(r["text"], r["reason"]) for r in d.get("removed", [])],
    )


def _encode_step(record: StepRecord) -> str:
    return json.dumps(
        {
            "value": record.value.to_dict() if record.value is not None else None,
            "notices": [n.to_dict() for n in record.notices],
            "seconds": record.seconds,
        },
        ensure_ascii=False,
    )


def _decode_step(step: Step, data: str) -> StepRecord:
    d = json.loads(data)
    value = _DECODERS[step](d["value"]) if d.get("value") is not None else None
    notices = [StepNotice.from_dict(n) for n in d.get("notices", [])]
    return StepRecord(value, notices, float(d.get("seconds", 0.0)))


class ResultCache:
    """Step results by key, and the library of analysed articles, in ``results.sqlite3``.

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

    # --- steps ---------------------------------------------------------------------------

    def get_step(self, key: str) -> StepRecord | None:
        row = self._run(
            "read",
            lambda db: db.execute(
                "SELECT step, data_json FROM steps WHERE key = ?", (key,)
            ).fetchone(),
        )
        if not row:
            return None
        try:
            return _decode_step(Step(row[0]), row[1])
        except (ValueError, KeyError, TypeError) as exc:
            self._warn(f"ignoring an unreadable cached step ({exc.__class__.__name__})")
            return None

    def put_step(self, key: str, text: str, step: Step, record: StepRecord) -> bool:
        """Store one step's outcome; False when the cache is unavailable (already warned)."""
        row = (key, text_hash(text), str(step), time.time(), _encode_step(record))

        def write(db: sqlite3.Connection) -> bool:
            with db:
                db.execute("INSERT OR REPLACE INTO steps VALUES (?, ?, ?, ?, ?)", row)
            return True

        return bool(self._run("write", write))

    # --- articles (the library) ----------------------------------------------------------

    def put_article(self, article: Article, step_keys: Mapping[Step, str]) -> bool:
        """Record ``article`` in the library with the step keys of its latest analysis."""
        row = (
            text_hash(article.text),
            article.title,
            article.language,
            str(article.source_path) if article.source_path else None,
            time.time(),
            article.word_count,
            json.dumps(article_to_dict(article), ensure_ascii=False),
            json.dumps({str(k): v for k, v in step_keys.items()}),
        )

        def write(db: sqlite3.Connection) -> bool:
            with db:
                db.execute("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)", row)
            return True

        return bool(self._run("write", write))

    def article_for_source(self, source_key: str) -> Article | None:
        """The cleaned article last read from a file with this :func:`source_key`, if it is
        still in the library; None otherwise."""
        row = self._run(
            "read",
            lambda db: db.execute(
                "SELECT a.article_json FROM sources s JOIN articles a ON a.text_hash = s.text_hash "
                "WHERE s.source_key = ?",
                (source_key,),
            ).fetchone(),
        )
        if not row:
            return None
        try:
            return article_from_dict(json.loads(row[0]))
        except (ValueError, KeyError, TypeError) as exc:
            self._warn(f"ignoring an unreadable cached article ({exc.__class__.__name__})")
            return None

    def put_source(self, source_key: str, article: Article) -> bool:
        """Remember that a file with this :func:`source_key` reads as ``article``."""
        row = (source_key, text_hash(article.text), time.time())

        def write(db: sqlite3.Connection) -> bool:
            with db:
                db.execute("INSERT OR REPLACE INTO sources VALUES (?, ?, ?)", row)
            return True

        return bool(self._run("write", write))

    def open_article(self, key: str) -> AnalysisResult | None:
        """The latest analysis of the library entry ``key``, assembled from its steps."""
        row = self._run(
            "read",
            lambda db: db.execute(
                "SELECT article_json, steps_json FROM articles WHERE text_hash = ?", (key,)
            ).fetchone(),
        )
        if not row:
            return None
        try:
            article = article_from_dict(json.loads(row[0]))
            step_keys = json.loads(row[1])
        except (ValueError, KeyError, TypeError) as exc:
            self._warn(f"ignoring an unreadable library entry ({exc.__class__.__name__})")
            return None
        values: dict[Step, Any] = {}
        notices: list[StepNotice] = []
        for step in (Step.TRANSLATE, Step.SUMMARIZE, Step.ENTITIES):
            record = self.get_step(step_keys[step]) if step in step_keys else None
            if record is not None:
                values[step] = record.value
                notices.extend(record.notices)
        return AnalysisResult(
            article,
            values.get(Step.TRANSLATE),
            values.get(Step.SUMMARIZE),
            values.get(Step.ENTITIES),
            notices,
            {},
            from_cache=True,
        )

    def known_languages(self, text: str) -> tuple[str, list[str]] | None:
        """The languages recorded with an analysed article of exactly this cleaned ``text``."""
        row = self._run(
            "read",
            lambda db: db.execute(
                "SELECT article_json FROM articles WHERE text_hash = ?", (text_hash(text),)
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
        """Analysed articles, newest first."""
        rows = self._run(
            "read",
            lambda db: db.execute(
                "SELECT text_hash, title, language, source_path, analysed_at, word_count "
                "FROM articles ORDER BY analysed_at DESC, rowid DESC"
            ).fetchall(),
        )
        return [LibraryEntry(*row) for row in rows or []]

    def remove(self, key: str) -> None:
        """Remove an article from the library, with its cached steps."""

        def delete(db: sqlite3.Connection) -> None:
            with db:
                db.execute("DELETE FROM articles WHERE text_hash = ?", (key,))
                db.execute("DELETE FROM steps WHERE text_hash = ?", (key,))

        self._run("write", delete)

    # --- migration -----------------------------------------------------------------------

    def _migrate(self, db: sqlite3.Connection) -> None:
        """Bring a previous release's whole-result rows into the per-step layout, once."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version >= DB_VERSION:
            return
        has_old = db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'results'"
        ).fetchone()
        moved = 0
        with db:
            if has_old:
                rows = db.execute(
                    "SELECT key, result_json, analysed_at FROM results ORDER BY analysed_at"
                ).fetchall()
                for old_key, data, analysed_at in rows:
                    try:
                        result = result_from_dict(json.loads(data))
                    except (ValueError, KeyError, TypeError):
                        continue  # unreadable then, unreadable now: it was never shown
                    article: Article = result.article  # type: ignore[assignment]
                    digest = text_hash(article.text)
                    keys = {}
                    for step, value in (
                        (Step.TRANSLATE, result.translation),
                        (Step.SUMMARIZE, result.summary),
                        (Step.ENTITIES, result.entities),
                    ):
                        # Old rows cannot say which models made them: they reopen from the
                        # library, and a new analysis computes (and caches) each step afresh.
                        key = f"legacy:{old_key}:{step}"
                        record = StepRecord(value, [n for n in result.notices if n.step == step])
                        db.execute(
                            "INSERT OR REPLACE INTO steps VALUES (?, ?, ?, ?, ?)",
                            (key, digest, str(step), analysed_at, _encode_step(record)),
                        )
                        keys[str(step)] = key
                    db.execute(
                        "INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        (
                            digest,
                            article.title,
                            article.language,
                            str(article.source_path) if article.source_path else None,
                            analysed_at,
                            article.word_count,
                            json.dumps(article_to_dict(article), ensure_ascii=False),
                            json.dumps(keys),
                        ),
                    )
                    moved += 1
            db.execute(f"PRAGMA user_version = {DB_VERSION}")
        if moved:
            log.info("result cache: migrated %d article(s) to the per-step layout", moved)

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
                self._migrate(db)
                db.execute("SELECT count(*) FROM articles").fetchone()
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
