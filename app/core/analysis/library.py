"""The library index: full-text search and names over every analysed article.

It lives in the result cache's SQLite file (``<cache dir>/results.sqlite3``, WAL) in its own
tables, so there is no second database to keep in step:

* ``library_articles``: one row per article (its cleaned text hash), with the key of the cached
  result that opens it, title, path, language, date, reading position and a soft "removed" mark
  (undo until :meth:`LibraryIndex.purge_removed`);
* ``library_fts``: FTS5 over title, original, English translation and summary, folded for case
  and diacritics (``unicode61 remove_diacritics 2``), plus a ``stems`` shadow column holding the
  Indonesian stems (PySastrawi) of the title and original, so "korupsi" finds "dikorupsi" and
  "pemberantasan" finds "memberantas". Queries are stemmed the same way;
* ``library_names`` and ``library_aliases``: every stored name with its article, and the
  acronym / full-form pairs the texts link ("Komisi Pemberantasan Korupsi (KPK)"), so a name
  and its acronym count as one.

Every write for one article is one transaction (:func:`index_in_transaction` takes the caller's
connection, so the cache can write its result row and the index together). Opening an index
also indexes the cached results it does not hold yet (:meth:`LibraryIndex.sync_from_cache`):
that migrates a database from the release without a library, and repairs an index that a crash
left one article behind the cache. Keys are the cache's library keys (the cleaned text's hash),
which ``ResultCache.open_article`` reopens.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import sqlite3
import threading
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import cast

from app.core.analysis.cache import CACHE_FILE_NAME, ResultCache
from app.core.base import paths
from app.core.base.errors import RingkasError

#: Version of the library tables; older versions are upgraded in :func:`ensure_schema`.
LIBRARY_SCHEMA_VERSION = 2
BUSY_TIMEOUT_S = 2.0
#: Languages whose original text gets Indonesian stems (Malay shares the affixes).
STEMMED_LANGUAGES = frozenset({"id", "ms", "und"})
#: bm25 column weights: title, original, translation, summary, stems.
_WEIGHTS = (4.0, 1.0, 1.0, 2.0, 0.75)
SORTS = {
    "date": "analysed_at DESC, id DESC",
    "title": "title COLLATE NOCASE ASC, id ASC",
    "language": "language ASC, analysed_at DESC, id DESC",
}

_SCHEMA = """
CREATE TABLE IF NOT EXISTS library_meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS library_articles (
    id INTEGER PRIMARY KEY,
    text_hash TEXT NOT NULL UNIQUE,
    result_key TEXT NOT NULL,
    title TEXT NOT NULL,
    source_path TEXT,
    language TEXT NOT NULL,
    analysed_at REAL NOT NULL,
    word_count INTEGER NOT NULL DEFAULT 0,
    position INTEGER NOT NULL DEFAULT 0,
    removed_at REAL
);
CREATE INDEX IF NOT EXISTS library_articles_key ON library_articles (result_key);
CREATE INDEX IF NOT EXISTS library_articles_date ON library_articles (analysed_at);
CREATE INDEX IF NOT EXISTS library_articles_removed ON library_articles (removed_at)
    WHERE removed_at IS NOT NULL;
CREATE TABLE IF NOT EXISTS library_names (
    article INTEGER NOT NULL,
    name TEXT NOT NULL,
    norm TEXT NOT NULL,
    label TEXT NOT NULL,
    count INTEGER NOT NULL,
    analysed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS library_names_norm ON library_names (norm, analysed_at, article);
CREATE INDEX IF NOT EXISTS library_names_article ON library_names (article);
CREATE TABLE IF NOT EXISTS library_aliases (
    article INTEGER NOT NULL,
    short TEXT NOT NULL,
    long TEXT NOT NULL,
    analysed_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS library_aliases_short ON library_aliases (short, analysed_at, article);
CREATE INDEX IF NOT EXISTS library_aliases_long ON library_aliases (long, analysed_at, article);
CREATE INDEX IF NOT EXISTS library_aliases_article ON library_aliases (article);
CREATE VIRTUAL TABLE IF NOT EXISTS library_fts USING fts5(
    title, original, translation, summary, stems,
    tokenize = 'unicode61 remove_diacritics 2'
);
"""


class SearchSyntaxError(RingkasError):
    """A search query the full-text syntax cannot read; the message says what to fix."""


# --- text folding and stemming -----------------------------------------------------------

_WORD = re.compile(r"[^\W_]+", re.UNICODE)


@cache
def _stemmer():
    """PySastrawi's Indonesian stemmer, built on first use (not needed to show the library)."""
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


def fold(text: str) -> str:
    """Lower case without diacritics ("Éléonore" -> "eleonore"), as the FTS tokenizer folds."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Indonesian stem of one folded word ("dikorupsi" -> "korupsi"); the word if none."""
    if len(word) < 4 or not word.isalpha():
        return word
    return _stemmer().stem(word) or word


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for every word of ``text``, as FTS5 splits it."""
    return [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]


def stems_of(text: str) -> str:
    return " ".join(stem(w) for _, _, w in words(text))


def normalise_name(name: str) -> str:
    """The form names are compared in: folded, single-spaced, without edge punctuation."""
    return " ".join(fold(name).replace("’", "'").split()).strip(" .,;:'\"()")


# --- acronyms ---------------------------------------------------------------------------

_LINK_WORDS = {"dan", "untuk", "dari", "di", "ke", "pada", "the", "of", "for", "and", "de", "la"}
_LONG_THEN_SHORT = re.compile(
    r"((?:[A-Z][\w'’.-]*\s+)(?:(?:[A-Z][\w'’.-]*|dan|untuk|dari|di|ke|pada|the|of|for|and|de|la)"
    r"\s+){0,8}[A-Z][\w'’.-]*)\s*\(\s*([A-Z][A-Za-z0-9-]{1,11})\s*\)"
)
_SHORT_THEN_LONG = re.compile(r"\b([A-Z][A-Za-z0-9-]{1,11})\s*\(\s*([A-Z][^()]{3,120}?)\s*\)")


def abbreviates(short: str, long: str) -> bool:
    """Whether ``short`` is built from the starts of ``long``'s words, in order ("KPK" from
    "Komisi Pemberantasan Korupsi", "Bareskrim" from "Badan Reserse Kriminal"); linking words
    such as "dan" or "of" may be skipped."""
    letters = fold(short).replace("-", "").replace(".", "")
    parts = [fold(w) for w in re.findall(r"[^\W_]+", long)]
    if len(letters) < 2 or len(parts) < 2:
        return False

    @cache
    def match(i: int, j: int) -> bool:  # letters[i:] from parts[j:]
        if i == len(letters):
            return all(p in _LINK_WORDS for p in parts[j:])
        if j == len(parts):
            return False
        part = parts[j]
        if part in _LINK_WORDS and match(i, j + 1):
            return True
        k = 0
        while k < len(part) and i + k < len(letters) and part[k] == letters[i + k]:
            k += 1
            if match(i + k, j + 1):
                return True
        return False

    return match(0, 0)


def linked_acronyms(text: str) -> list[tuple[str, str]]:
    """(acronym, full form) pairs the text links: "Full Form (FF)" or "FF (Full Form)"."""
    pairs: list[tuple[str, str]] = []
    for long, short in _LONG_THEN_SHORT.findall(text):
        tokens = long.split()
        # The full form may start later than the match (e.g. "Kata Komisi ... (KPK)").
        for start in range(len(tokens) - 1):
            candidate = " ".join(tokens[start:])
            if abbreviates(short, candidate):
                pairs.append((short, candidate))
                break
    for short, long in _SHORT_THEN_LONG.findall(text):
        if abbreviates(short, long):
            pairs.append((short, long))
    seen, unique = set(), []
    for short, long in pairs:
        pair = (normalise_name(short), normalise_name(long))
        if pair not in seen:
            seen.add(pair)
            unique.append((short, long))
    return unique


# --- results ----------------------------------------------------------------------------


@dataclass(frozen=True)
class LibraryArticle:
    """An article in the library, as the library panel lists it."""

    key: str  # the cached result's key: opens the article
    title: str
    language: str
    source_path: str | None
    analysed_at: float
    word_count: int
    position: int = 0
    text_hash: str = ""

    @property
    def source_missing(self) -> bool:
        if not self.source_path:
            return False
        return not Path(self.source_path).exists()


@dataclass(frozen=True)
class SearchHit:
    """One article a search found.

    ``snippet`` is a stretch of the matching paragraph; ``marks`` are (start, end) spans of the
    matching words inside it. ``field`` is "original", "translation", "summary" or "title";
    ``paragraph`` the index of the matching paragraph (original and translation share them),
    -1 for the summary or the title.
    """

    article: LibraryArticle
    score: float
    field: str
    paragraph: int
    snippet: str
    marks: tuple[tuple[int, int], ...] = ()

    @property
    def key(self) -> str:
        return self.article.key

    def highlighted(self, before: str = "[", after: str = "]", escape=None) -> str:
        """The snippet with every match wrapped in ``before``/``after`` (escaped by ``escape``)."""
        esc = escape or (lambda s: s)
        out, last = [], 0
        for start, end in self.marks:
            out += [esc(self.snippet[last:start]), before, esc(self.snippet[start:end]), after]
            last = end
        out.append(esc(self.snippet[last:]))
        return "".join(out)


@dataclass
class NamedArticles:
    """The articles that name someone, with the names that were taken as the same one."""

    name: str
    forms: list[str]
    articles: list[LibraryArticle] = field(default_factory=list)
    #: All the articles that name it (``articles`` may stop at a limit).
    total: int = 0


# --- query parsing ----------------------------------------------------------------------

_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class _Term:
    text: str  # folded
    prefix: bool = False


def _lex(query: str) -> list[tuple[str, str]]:
    """(kind, value) tokens: phrase, word, op, lparen, rparen, near; SearchSyntaxError if bad."""
    tokens: list[tuple[str, str]] = []
    i, n = 0, len(query)
    while i < n:
        c = query[i]
        if c.isspace():
            i += 1
        elif c == '"':
            end = query.find('"', i + 1)
            if end < 0:
                raise SearchSyntaxError(
                    'The search has an opening quote (") without a closing one. '
                    'Close the phrase, e.g. "komisi pemberantasan".'
                )
            star = end + 1 < n and query[end + 1] == "*"
            tokens.append(("phrase", query[i + 1 : end] + ("*" if star else "")))
            i = end + 1 + (1 if star else 0)
        elif c == "(":
            tokens.append(("lparen", c))
            i += 1
        elif c == ")":
            tokens.append(("rparen", c))
            i += 1
        elif c == "*":
            raise SearchSyntaxError(
                "A lone * matches nothing: put it right after the start of a word, e.g. korup*."
            )
        else:
            # c is no space, quote, parenthesis or star: the pattern matches at least c
            m = cast(re.Match[str], re.compile(r"[^\s\"()]+").match(query, i))
            word = m.group()
            i = m.end()
            if word in _OPERATORS:
                tokens.append(("op", word))
            elif (
                word == "NEAR("
                or word.startswith("NEAR(")
                or (word == "NEAR" and i < n and query[i] == "(")
            ):
                start = query.index("(", m.start())
                end = query.find(")", start)
                if end < 0:
                    raise SearchSyntaxError(
                        "NEAR( is not closed: write NEAR(word1 word2) or NEAR(word1 word2, 10)."
                    )
                tokens.append(("near", query[start + 1 : end]))
                i = end + 1
            else:
                tokens.append(("word", word))
    return tokens


def _terms(text: str) -> list[_Term]:
    prefix = text.endswith("*")
    found = [w for _, _, w in words(text.rstrip("*"))]
    return [_Term(w, prefix and i == len(found) - 1) for i, w in enumerate(found)]


def _quoted(terms: Sequence[_Term], stemmed: bool = False) -> str:
    body = " ".join(stem(t.text) if stemmed and not t.prefix else t.text for t in terms)
    star = "*" if terms and terms[-1].prefix else ""
    return f'"{body}"{star}'


def _group(terms: list[_Term]) -> str:
    """One word or phrase: as written in any column, or by its stems in the stems column."""
    plain = _quoted(terms)
    stems = _quoted(terms, stemmed=True)
    # The plain form already matches every column, the stems column included.
    return plain if stems == plain else f"({plain} OR stems : {stems})"


def parse_query(query: str) -> tuple[str, list[_Term]]:
    """The FTS5 expression for a user's query and its positive terms (for highlighting).

    Words, "phrases", prefix* words, AND / OR / NOT, parentheses and NEAR(a b, N) are
    understood; every word also matches its Indonesian stem. Bad syntax raises
    :class:`SearchSyntaxError` with a message a user can act on.
    """
    if not query.strip():
        raise SearchSyntaxError("Type something to search for.")
    tokens = _lex(query)
    out: list[str] = []
    positives: list[_Term] = []
    depth = 0
    negate_next = False
    expect_operand = True
    i = 0
    while i < len(tokens):
        kind, value = tokens[i]
        if kind in ("word", "phrase"):
            terms = _terms(value)
            if not terms:
                i += 1
                continue
            if not expect_operand:
                out.append("AND")
            out.append(_group(terms))
            if not negate_next:
                positives.extend(terms)
            negate_next = False
            expect_operand = False
        elif kind == "near":
            inner, distance = value, None
            head, comma, tail = value.rpartition(",")
            if comma:
                if not tail.strip().isdigit():
                    raise SearchSyntaxError(
                        "NEAR's distance must be a number: NEAR(korupsi menteri, 10)."
                    )
                inner, distance = head, tail.strip()
            groups = [_terms(p) for p in re.findall(r'"[^"]*"|[^\s"]+', inner)]
            groups = [g for g in groups if g]
            if len(groups) < 2:
                raise SearchSyntaxError("NEAR needs at least two words: NEAR(korupsi menteri, 10).")
            if not expect_operand:
                out.append("AND")
            phrases = " ".join(_quoted(g) for g in groups)
            out.append(f"NEAR({phrases}, {distance})" if distance else f"NEAR({phrases})")
            for g in groups:
                positives.extend(g)
            expect_operand = False
            negate_next = False
        elif kind == "op":
            if expect_operand:
                raise SearchSyntaxError(
                    f"{value} needs a word on each side, e.g. korupsi {value} suap."
                )
            if value == "NOT":
                negate_next = True
            out.append(value)
            expect_operand = True
        elif kind == "lparen":
            if not expect_operand:
                out.append("AND")
            out.append("(")
            depth += 1
            expect_operand = True
        elif kind == "rparen":
            depth -= 1
            if depth < 0:
                raise SearchSyntaxError("The search closes a bracket ) that was never opened.")
            if expect_operand:
                raise SearchSyntaxError("A bracket holds nothing to search for: fill or remove ().")
            out.append(")")
            expect_operand = False
        i += 1
    if depth > 0:
        raise SearchSyntaxError("The search opens a bracket ( that is never closed.")
    if not out or not positives:
        raise SearchSyntaxError("Nothing to search for: give at least one word that must match.")
    if expect_operand:
        raise SearchSyntaxError(f"The search ends with {out[-1]}: add a word after it.")
    return " ".join(out), positives


# --- writing ----------------------------------------------------------------------------


def ensure_schema(db: sqlite3.Connection) -> bool:
    """Create or upgrade the library tables; True when they were new (the caller may migrate)."""
    row = None
    with contextlib.suppress(sqlite3.OperationalError):
        row = db.execute("SELECT value FROM library_meta WHERE name = 'schema'").fetchone()
    version = int(row[0]) if row else 0
    if version == LIBRARY_SCHEMA_VERSION:
        return False
    if version > LIBRARY_SCHEMA_VERSION:
        raise RingkasError(
            f"the library in this cache was written by a newer Ringkas (schema {version})"
        )
    if version:
        # The index is derived from the cache: an older layout is dropped and rebuilt by the
        # caller's sync (reading positions and pending removals of that layout are lost).
        db.executescript(
            "DROP TABLE IF EXISTS library_fts; DROP TABLE IF EXISTS library_names;"
            " DROP TABLE IF EXISTS library_aliases; DROP TABLE IF EXISTS library_articles;"
        )
    db.executescript(_SCHEMA)  # every statement is IF NOT EXISTS: safe to repeat
    with db:
        db.execute(
            "INSERT OR REPLACE INTO library_meta VALUES ('schema', ?)",
            (str(LIBRARY_SCHEMA_VERSION),),
        )
    return True


def _text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _delete_article(db: sqlite3.Connection, article_id: int) -> None:
    db.execute("DELETE FROM library_fts WHERE rowid = ?", (article_id,))
    db.execute("DELETE FROM library_names WHERE article = ?", (article_id,))
    db.execute("DELETE FROM library_aliases WHERE article = ?", (article_id,))
    db.execute("DELETE FROM library_articles WHERE id = ?", (article_id,))


def _entity_rows(entities: Iterable) -> list[tuple[str, str, int]]:
    rows = []
    for e in entities or ():
        if isinstance(e, dict):
            rows.append((e["text"], e.get("label", ""), int(e.get("count", 1))))
        elif isinstance(e, str):
            rows.append((e, "", 1))
        else:
            rows.append((e.text, e.label, int(e.count)))
    return rows


def index_in_transaction(
    db: sqlite3.Connection,
    key: str,
    title: str,
    path: str | None,
    language: str,
    analysed_at: float,
    original: str,
    translation: str | Sequence[str] | None,
    summary: str | None,
    entities: Iterable = (),
    *,
    word_count: int | None = None,
    text_hash: str | None = None,
) -> int:
    """Index one article on ``db`` without committing (the caller's transaction holds it).

    Idempotent: an article (by the hash of its cleaned ``original``) is held once; indexing it
    again (e.g. analysed with other models under another ``key``) replaces it, keeping the
    reading position. Returns the article's row id.
    """
    digest = text_hash or _text_hash(original)
    if translation is not None and not isinstance(translation, str):
        translation = "\n\n".join(p.replace("\n\n", "\n") for p in translation)
    translation = translation or ""
    summary = summary or ""
    old = db.execute(
        "SELECT id, position FROM library_articles WHERE text_hash = ? OR result_key = ?",
        (digest, key),
    ).fetchall()
    position = max((p for _, p in old), default=0)
    for article_id, _ in old:
        _delete_article(db, article_id)
    cursor = db.execute(
        "INSERT INTO library_articles (text_hash, result_key, title, source_path, language,"
        " analysed_at, word_count, position) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            digest,
            key,
            title or "",
            str(path) if path else None,
            language or "und",
            float(analysed_at),
            len(original.split()) if word_count is None else int(word_count),
            position,
        ),
    )
    article_id = cast(int, cursor.lastrowid)  # set: the statement is an INSERT
    stem_source = f"{title}\n{original}" if language in STEMMED_LANGUAGES else ""
    db.execute(
        "INSERT INTO library_fts (rowid, title, original, translation, summary, stems)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (article_id, title or "", original, translation, summary, stems_of(stem_source)),
    )
    names = {}
    at = float(analysed_at)
    for name, label, count in _entity_rows(entities):
        norm = normalise_name(name)
        if norm and norm not in names:
            names[norm] = (article_id, name, norm, label, count, at)
    db.executemany("INSERT INTO library_names VALUES (?, ?, ?, ?, ?, ?)", list(names.values()))
    db.executemany(
        "INSERT INTO library_aliases VALUES (?, ?, ?, ?)",
        [
            (article_id, normalise_name(short), normalise_name(long), at)
            for short, long in linked_acronyms(f"{title}\n{original}")
        ],
    )
    return article_id


def _result_fields(result) -> dict:
    """index_in_transaction's arguments from an AnalysisResult."""
    article = result.article
    translation = result.translation
    return {
        "title": article.title,
        "path": str(article.source_path) if article.source_path else None,
        "language": article.language,
        "original": article.text,
        "translation": translation.paragraphs
        if translation and translation.kind == "model"
        else None,
        "summary": result.summary.text if result.summary else None,
        "entities": result.entities.entities if result.entities else (),
        "word_count": article.word_count,
    }


def index_result_in_transaction(
    db: sqlite3.Connection, key: str, result, analysed_at: float | None = None
) -> int:
    """:func:`index_in_transaction` for an AnalysisResult (what the cache stores under ``key``)."""
    fields = _result_fields(result)
    return index_in_transaction(
        db, key, analysed_at=time.time() if analysed_at is None else analysed_at, **fields
    )


# --- the index --------------------------------------------------------------------------


class LibraryIndex:
    """Search, names and housekeeping over the analysed articles in the cache database.

    One connection per instance (thread-safe behind a lock); WAL lets the cache, other windows
    and the CLI use the same file at the same time.
    """

    def __init__(
        self, path: str | Path | None = None, *, cache: ResultCache | None = None, sync: bool = True
    ):
        if path is None and cache is not None:
            path = cache.path
        self.path = Path(path) if path else paths.cache_dir() / CACHE_FILE_NAME
        self.cache = cache if cache is not None else ResultCache(self.path)
        self.cache.library()  # opens (and migrates) the cache's own tables first
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.RLock()
        self._db = sqlite3.connect(
            self.path, timeout=BUSY_TIMEOUT_S, check_same_thread=False, isolation_level=None
        )
        try:
            self._db.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            self._db.execute("PRAGMA journal_mode = WAL")
            # implicit transactions, committed by `with db`; typeshed omits the documented ""
            self._db.isolation_level = ""  # type: ignore[assignment]
            ensure_schema(self._db)
        except sqlite3.DatabaseError as exc:
            self._db.close()
            raise RingkasError(f"the library in {self.path} cannot be opened ({exc})") from None
        if sync:
            self.sync_from_cache()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    def __enter__(self) -> LibraryIndex:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- writing -----------------------------------------------------------------------

    def index_article(
        self,
        key: str,
        title: str,
        path: str | None,
        language: str,
        analysed_at: float,
        original: str,
        translation: str | Sequence[str] | None,
        summary: str | None,
        entities: Iterable = (),
        **extra,
    ) -> int:
        """Index one article in its own transaction (see :func:`index_in_transaction`)."""
        with self._lock, self._db:
            return index_in_transaction(
                self._db,
                key,
                title,
                path,
                language,
                analysed_at,
                original,
                translation,
                summary,
                entities,
                **extra,
            )

    def index_result(self, key: str, result, analysed_at: float | None = None) -> int:
        with self._lock, self._db:
            return index_result_in_transaction(self._db, key, result, analysed_at)

    def remove(self, key: str) -> bool:
        """Hide an article from the library (undo with :meth:`restore`); False if unknown."""
        with self._lock, self._db:
            cursor = self._db.execute(
                "UPDATE library_articles SET removed_at = ? WHERE result_key = ?",
                (time.time(), key),
            )
        return cursor.rowcount > 0

    def restore(self, key: str) -> bool:
        with self._lock, self._db:
            cursor = self._db.execute(
                "UPDATE library_articles SET removed_at = NULL WHERE result_key = ?", (key,)
            )
        return cursor.rowcount > 0

    def purge_removed(self) -> list[str]:
        """Forget removed articles for good, with their cached steps (``ResultCache.remove``).

        The cache goes first: a crash in between leaves an index row without its article,
        which the next :meth:`sync_from_cache` drops; never an article that comes back.
        """
        with self._lock:
            rows = self._db.execute(
                "SELECT id, result_key FROM library_articles WHERE removed_at IS NOT NULL"
            ).fetchall()
        for article_id, key in rows:
            self.cache.remove(key)
            with self._lock, self._db:
                _delete_article(self._db, article_id)
        return [key for _, key in rows]

    def set_position(self, key: str, paragraph: int) -> None:
        """Remember where the reader is in an article (a paragraph index)."""
        with self._lock, self._db:
            self._db.execute(
                "UPDATE library_articles SET position = ? WHERE result_key = ?",
                (max(0, int(paragraph)), key),
            )

    def position(self, key: str) -> int:
        with self._lock:
            row = self._db.execute(
                "SELECT position FROM library_articles WHERE result_key = ?", (key,)
            ).fetchone()
        return int(row[0]) if row else 0

    # --- the cache -------------------------------------------------------------------------

    def sync_from_cache(self) -> int:
        """Bring the index in step with the cache's library (``ResultCache.library()``).

        Articles the cache holds and the index does not are indexed (one transaction each,
        unreadable ones skipped); index rows whose article the cache no longer holds are
        dropped. This migrates a database that predates the library (the cache migrates its
        own tables on first open) and repairs an index a crash left behind the cache.
        Returns how many articles were indexed.
        """
        entries = self.cache.library()
        if self.cache.warnings and not entries:
            return 0  # the cache is unusable (already warned): keep what the index has
        cached = {e.key: e for e in entries}
        with self._lock:
            held = {
                k for (k,) in self._db.execute("SELECT result_key FROM library_articles").fetchall()
            }
        stale = held - set(cached)
        if stale:
            with self._lock, self._db:
                for key in stale:
                    for (article_id,) in self._db.execute(
                        "SELECT id FROM library_articles WHERE result_key = ?", (key,)
                    ).fetchall():
                        _delete_article(self._db, article_id)
        indexed = 0
        for key in [k for k in cached if k not in held]:
            result = self.cache.open_article(key)
            if result is None:
                continue
            try:
                self.index_result(key, result, cached[key].analysed_at)
            except (AttributeError, TypeError, ValueError):
                continue
            indexed += 1
        return indexed

    # --- reading -----------------------------------------------------------------------

    _ARTICLE_COLUMNS = (
        "result_key, title, language, source_path, analysed_at, word_count, position, text_hash"
    )

    @staticmethod
    def _article(row) -> LibraryArticle:
        return LibraryArticle(*row)

    def count(self) -> int:
        with self._lock:
            return self._db.execute(
                "SELECT count(*) FROM library_articles WHERE removed_at IS NULL"
            ).fetchone()[0]

    def articles(
        self, sort: str = "date", offset: int = 0, limit: int = -1
    ) -> list[LibraryArticle]:
        """Articles in the library (not removed), sorted by "date", "title" or "language"."""
        order = SORTS.get(sort)
        if order is None:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}, not {sort!r}")
        with self._lock:
            rows = self._db.execute(
                f"SELECT {self._ARTICLE_COLUMNS} FROM library_articles WHERE removed_at IS NULL"
                f" ORDER BY {order} LIMIT ? OFFSET ?",
                (limit, offset),
            ).fetchall()
        return [self._article(r) for r in rows]

    def article(self, key: str) -> LibraryArticle | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {self._ARTICLE_COLUMNS} FROM library_articles WHERE result_key = ?",
                (key,),
            ).fetchone()
        return self._article(row) if row else None

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Articles matching ``query``, best first (bm25), with the matching paragraph.

        Raises :class:`SearchSyntaxError` for a query the syntax cannot read.
        """
        expression, terms = parse_query(query)
        weights = ", ".join(str(w) for w in _WEIGHTS)
        # Rank row ids only (the sorter carries no article text), then read the few winners.
        # Removed articles are few (until the window closes): left out inside the ranking.
        ranked_sql = (
            f"SELECT rowid, bm25(library_fts, {weights}) AS score FROM library_fts"
            " WHERE library_fts MATCH ? AND rowid NOT IN"
            " (SELECT id FROM library_articles WHERE removed_at IS NOT NULL)"
            " ORDER BY score LIMIT ?"
        )
        columns = ", ".join("a." + c.strip() for c in self._ARTICLE_COLUMNS.split(","))
        with self._lock:
            try:
                ranked = self._db.execute(ranked_sql, (expression, int(limit))).fetchall()
            except sqlite3.OperationalError as exc:
                raise SearchSyntaxError(
                    f"The search could not be read ({exc}). Put words with punctuation in quotes."
                ) from None
            rows = {}
            for article_id, _ in ranked:
                rows[article_id] = self._db.execute(
                    f"SELECT {columns}, f.original, f.translation, f.summary"
                    " FROM library_articles a JOIN library_fts f ON f.rowid = a.id"
                    " WHERE a.id = ?",
                    (article_id,),
                ).fetchone()
        hits = []
        for article_id, score in ranked:
            row = rows[article_id]
            article = self._article(row[:8])
            field_name, paragraph, snippet, marks = _locate(
                terms, article.title, row[8], row[9], row[10]
            )
            hits.append(SearchHit(article, -float(score), field_name, paragraph, snippet, marks))
        return hits

    def _name_forms(self, name: str) -> list[str]:
        """The normalised name plus the acronyms / full forms the texts link to it."""
        forms = {normalise_name(name)}
        for _ in range(2):
            marks = ",".join("?" * len(forms))
            rows = self._db.execute(
                f"SELECT short, long FROM library_aliases a"
                f" WHERE (short IN ({marks}) OR long IN ({marks}))",
                [*forms, *forms],
            ).fetchall()
            grown = forms | {s for s, _ in rows} | {lo for _, lo in rows}
            if grown == forms:
                break
            forms = grown
        return sorted(forms)

    def _hidden(self, exclude_key: str | None) -> set[int]:
        """Ids of the removed articles and of ``exclude_key``'s."""
        return {
            i
            for (i,) in self._db.execute(
                "SELECT id FROM library_articles WHERE removed_at IS NOT NULL OR result_key = ?",
                (exclude_key or "",),
            ).fetchall()
        }

    def _naming(
        self, name: str, exclude_key: str | None, hidden: set[int] | None = None
    ) -> tuple[list[str], list[int]]:
        """The forms of ``name`` and the ids of the articles naming one of them, newest first
        (read from the covering name indexes only; removed and excluded articles left out;
        ``hidden``: :meth:`_hidden` when the caller has it already)."""
        forms = self._name_forms(name)
        marks = ",".join("?" * len(forms))
        rows = self._db.execute(
            f"SELECT article, max(at) AS at FROM ("
            f" SELECT article, analysed_at AS at FROM library_names WHERE norm IN ({marks})"
            f" UNION ALL SELECT article, analysed_at FROM library_aliases WHERE short IN ({marks})"
            f" UNION ALL SELECT article, analysed_at FROM library_aliases WHERE long IN ({marks})"
            ") GROUP BY article ORDER BY at DESC, article DESC",
            [*forms, *forms, *forms],
        ).fetchall()
        if hidden is None:
            hidden = self._hidden(exclude_key)
        return forms, [i for i, _ in rows if i not in hidden]

    def articles_naming(
        self, name: str, exclude_key: str | None = None, limit: int = 200
    ) -> NamedArticles:
        """Articles that name ``name`` (or the acronym / full form a text links to it), newest
        first, at most ``limit`` (``total`` counts them all); ``exclude_key`` leaves out the
        article being read."""
        with self._lock:
            forms, ids = self._naming(name, exclude_key)
            top = ids[:limit]
            marks = ",".join("?" * len(top))
            rows = self._db.execute(
                f"SELECT id, {self._ARTICLE_COLUMNS} FROM library_articles WHERE id IN ({marks})",
                top,
            ).fetchall()
        by_id = {r[0]: self._article(r[1:]) for r in rows}
        return NamedArticles(name, forms, [by_id[i] for i in top if i in by_id], len(ids))

    def count_naming(self, name: str, exclude_key: str | None = None) -> int:
        """How many articles (other than ``exclude_key``) name ``name`` or a linked form."""
        with self._lock:
            return len(self._naming(name, exclude_key)[1])

    def other_article_counts(self, names: Iterable[str], exclude_key: str | None) -> dict[str, int]:
        """For the Names panel: how many other articles name each of ``names``."""
        with self._lock:
            hidden = self._hidden(exclude_key)
            return {n: len(self._naming(n, exclude_key, hidden)[1]) for n in dict.fromkeys(names)}

    def size_bytes(self) -> int:
        """Bytes of the database file (and its WAL)."""
        total = 0
        for suffix in ("", "-wal"):
            p = self.path.with_name(self.path.name + suffix)
            if p.exists():
                total += p.stat().st_size
        return total


# --- snippets ---------------------------------------------------------------------------

SNIPPET_WORDS = 24


def _matches(term: _Term, word: str) -> bool:
    if term.prefix:
        return word.startswith(term.text) or stem(word).startswith(term.text)
    return word == term.text or stem(word) == stem(term.text)


def _locate(
    terms: list[_Term], title: str, original: str, translation: str, summary: str
) -> tuple[str, int, str, tuple[tuple[int, int], ...]]:
    """Where the terms match first: field, paragraph index, snippet and the marks in it.

    A cheap pass first looks only at paragraphs whose folded text contains a term or its
    stem; the full word-by-word pass runs only when that finds nothing (e.g. "memukul", whose
    stem "pukul" is not a substring).
    """
    fields = (
        ("original", original),
        ("translation", translation),
        ("summary", summary),
        ("title", title),
    )
    needles = {t.text for t in terms} | {stem(t.text) for t in terms if not t.prefix}
    for quick in (True, False):
        for field_name, text in fields:
            if quick and not any(n in fold(text or "") for n in needles):
                continue
            for index, paragraph in enumerate((text or "").split("\n\n")):
                if quick and not any(n in fold(paragraph) for n in needles):
                    continue
                found = _snippet(terms, paragraph)
                if found is not None:
                    snippet, marks = found
                    paragraph_index = index if field_name in ("original", "translation") else -1
                    return field_name, paragraph_index, snippet, marks
    # Matched only through a column or form the snippet scan does not see (rare).
    return "original", 0, (original or "")[:160], ()


def reindex_from_cache(cache: ResultCache) -> int:
    """Index every article ``cache`` holds that the library does not; returns how many."""
    with LibraryIndex(cache=cache, sync=False) as index:
        return index.sync_from_cache()


def _snippet(terms: list[_Term], paragraph: str) -> tuple[str, tuple[tuple[int, int], ...]] | None:
    """A stretch of ``paragraph`` around its first match, and the marks of every match in it."""
    found = words(paragraph)
    hits = [i for i, (_, _, w) in enumerate(found) if any(_matches(t, w) for t in terms)]
    if not hits:
        return None
    first = max(0, hits[0] - SNIPPET_WORDS // 3)
    last = min(len(found), first + SNIPPET_WORDS)
    start = 0 if first == 0 else found[first][0]
    end = len(paragraph) if last == len(found) else found[last - 1][1]
    prefix = "" if start == 0 else "…"
    suffix = "" if end == len(paragraph) else "…"
    shift = len(prefix) - start
    marks = tuple((found[i][0] + shift, found[i][1] + shift) for i in hits if first <= i < last)
    return prefix + paragraph[start:end] + suffix, marks
