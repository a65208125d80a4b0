"""Fuzzing of the readers, cleanup and segmentation (hypothesis).

Any bytes under any supported extension give an :class:`Article` or a :class:`DocumentError`,
nothing else, within a time bound per input and without holding on to memory. Besides random
bytes the fuzzer mutates real files (EPUB, DOCX, PDF, HTML built in the test): truncated,
bit-flipped, with byte runs overwritten or inserted, sometimes under the wrong extension.

Runs are reproducible (``derandomize=True``, no example database) and small enough for CI.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.base.errors import DocumentError
from app.core.reading.document import PARAGRAPH_SEPARATOR, Article
from app.core.reading.reader import SUPPORTED_FORMATS, article_from_text, load_article

from .hostile_corpus import valid_documents

#: Wall-clock bound for one input (generous: two shared cores, first-call imports excluded).
MAX_SECONDS_PER_INPUT = 10.0
#: Resident memory the process may gain across a fuzz run (leaks, retained expansions).
MAX_RSS_GROWTH = 400 * 1024 * 1024

EXTENSIONS = sorted({ext for exts in SUPPORTED_FORMATS.values() for ext in exts}) + ["", ".bin"]

FUZZ = settings(
    max_examples=80,
    deadline=None,  # timing is checked per input below, with a bound that tolerates slow CI
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class _Bounds:
    """Checks that each input is read quickly and memory does not keep growing."""

    def __init__(self) -> None:
        self.process = psutil.Process()
        self.baseline = self.process.memory_info().rss
        self.slowest = (0.0, "")

    def check(self, seconds: float, what: str) -> None:
        if seconds > self.slowest[0]:
            self.slowest = (seconds, what)
        assert seconds < MAX_SECONDS_PER_INPUT, f"{what} took {seconds:.1f}s"
        grown = self.process.memory_info().rss - self.baseline
        assert grown < MAX_RSS_GROWTH, f"memory grew by {grown / 1e6:.0f} MB after {what}"


@pytest.fixture(scope="module")
def bounds() -> _Bounds:
    # Import the heavy readers (lxml, trafilatura, pypdf, lingua...) once before timing anything.
    with tempfile.TemporaryDirectory() as tmp:
        for ext, data in valid_documents().items():
            path = Path(tmp) / f"warm{ext}"
            path.write_bytes(data)
            load_article(path)
    return _Bounds()


def check_article(article: Article) -> None:
    """The invariants every reader promises (entity offsets and highlighting rely on them)."""
    assert isinstance(article, Article)
    assert article.paragraphs, "an article without paragraphs should have been a DocumentError"
    text = article.text
    for paragraph in article.paragraphs:
        assert paragraph.text and paragraph.text == paragraph.text.strip()
        assert text[paragraph.start : paragraph.end] == paragraph.text
        assert PARAGRAPH_SEPARATOR not in paragraph.text
    assert isinstance(article.title, str) and article.title
    assert article.format in SUPPORTED_FORMATS


def read_bytes_as_file(data: bytes, extension: str, bounds: _Bounds) -> Article | None:
    """Write ``data`` to a fresh file and read it: an Article, or None for a DocumentError."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{extension}"
        path.write_bytes(data)
        started = time.perf_counter()
        try:
            article = load_article(path)
        except DocumentError as exc:
            message = str(exc)
            assert message and "\n" not in message, f"not a one-line message: {message!r}"
            article = None
        bounds.check(time.perf_counter() - started, f"{len(data)} bytes as {extension!r}")
        assert path.read_bytes() == data, "the reader modified the file"
    if article is not None:
        check_article(article)
    return article


@FUZZ
@given(data=st.binary(max_size=4096), extension=st.sampled_from(EXTENSIONS))
def test_random_bytes_under_any_extension(bounds, data, extension):
    read_bytes_as_file(data, extension, bounds)


#: Prefixes that steer random bytes into each loader (the reader sniffs content, not names).
MAGIC = [
    b"%PDF-1.4\n",
    b"PK\x03\x04",
    b"<html><body>",
    b"<!DOCTYPE html>",
    b"\xef\xbb\xbf",
    b"\xff\xfe",
    b"",
]


@FUZZ
@given(
    magic=st.sampled_from(MAGIC),
    data=st.binary(max_size=2048),
    extension=st.sampled_from(EXTENSIONS),
)
def test_random_bytes_behind_a_format_signature(bounds, magic, data, extension):
    read_bytes_as_file(magic + data, extension, bounds)


_mutation = st.one_of(
    st.tuples(st.just("truncate"), st.floats(0.0, 1.0)),
    st.tuples(st.just("flip"), st.floats(0.0, 1.0), st.integers(0, 7)),
    st.tuples(st.just("overwrite"), st.floats(0.0, 1.0), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("insert"), st.floats(0.0, 1.0), st.binary(min_size=1, max_size=64)),
    st.tuples(st.just("delete"), st.floats(0.0, 1.0), st.integers(1, 256)),
)


def mutate(data: bytes, mutations: list[tuple]) -> bytes:
    out = bytearray(data)
    for mutation in mutations:
        kind, where = mutation[0], mutation[1]
        i = min(int(where * len(out)), max(len(out) - 1, 0))
        if kind == "truncate":
            del out[i:]
        elif not out:
            continue
        elif kind == "flip":
            out[i] ^= 1 << mutation[2]
        elif kind == "overwrite":
            out[i : i + len(mutation[2])] = mutation[2]
        elif kind == "insert":
            out[i:i] = mutation[2]
        elif kind == "delete":
            del out[i : i + mutation[2]]
    return bytes(out)


@FUZZ
@given(
    original=st.sampled_from([".epub", ".docx", ".pdf", ".html"]),
    mutations=st.lists(_mutation, min_size=1, max_size=6),
    wrong_extension=st.one_of(st.none(), st.sampled_from(EXTENSIONS)),
)
def test_mutated_real_documents(bounds, original, mutations, wrong_extension):
    data = mutate(valid_documents()[original], mutations)
    read_bytes_as_file(data, wrong_extension if wrong_extension is not None else original, bounds)


def test_the_unmutated_documents_are_read(bounds):
    """The fuzz seeds are valid articles: mutations start from something the reader accepts."""
    for extension, data in valid_documents().items():
        article = read_bytes_as_file(data, extension, bounds)
        assert article is not None and article.title == "Banjir Melanda Semarang"


# --- cleanup, language and segmentation on arbitrary text --------------------------------

_text = st.text(
    alphabet=st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(list(" \n\n\n\t\r\x0b\x0c\u2028\u2029\u00a0\u200b\ufeff.!?…\"'”“")),
    ),
    max_size=1500,
)


@FUZZ
@given(text=_text, title=st.one_of(st.none(), st.text(max_size=80)))
def test_article_from_any_text(bounds, text, title):
    started = time.perf_counter()
    try:
        article = article_from_text(text, title=title)
    except DocumentError as exc:
        assert str(exc) and "\n" not in str(exc)
    else:
        check_article(article)
        for paragraph in article.paragraphs:
            assert len(paragraph.language) in (2, 3), paragraph.language
    bounds.check(time.perf_counter() - started, f"article_from_text of {len(text)} chars")


@FUZZ
@given(text=_text, language=st.sampled_from(["id", "en", "und", "ms", "xx"]))
def test_sentence_spans_point_into_the_text(bounds, text, language):
    from app.core.reading.segment import sentence_spans, split_sentences

    started = time.perf_counter()
    spans = sentence_spans(text, language)
    previous_end = 0
    for start, end in spans:
        assert previous_end <= start < end <= len(text), (spans, len(text))
        sentence = text[start:end]
        assert sentence == sentence.strip() and sentence
        previous_end = end
    assert split_sentences(text, language) == [text[s:e] for s, e in spans]
    # no text outside a sentence except whitespace
    covered = set()
    for start, end in spans:
        covered.update(range(start, end))
    assert all(text[i].isspace() for i in range(len(text)) if i not in covered) or not spans
    bounds.check(time.perf_counter() - started, f"sentence_spans of {len(text)} chars")


@FUZZ
@given(
    sentences=st.lists(st.text(min_size=1, max_size=60), max_size=60),
    budget=st.integers(1, 200),
)
def test_chunk_by_budget_keeps_every_sentence_in_order(sentences, budget):
    from app.core.reading.segment import chunk_by_budget

    chunks = chunk_by_budget(sentences, len, budget)
    assert [s for chunk in chunks for s in chunk] == sentences
    for chunk in chunks:
        assert chunk
        assert len(chunk) == 1 or sum(map(len, chunk)) <= budget


def test_chunk_by_budget_refuses_a_non_positive_budget():
    from app.core.reading.segment import chunk_by_budget

    with pytest.raises(ValueError):
        chunk_by_budget(["a"], len, 0)


def _members(extension: str) -> list[str]:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(valid_documents()[extension])) as archive:
        return [n for n in archive.namelist() if not n.endswith("/") and n != "mimetype"]


@FUZZ
@given(data=st.data(), extension=st.sampled_from([".epub", ".docx"]))
def test_mutated_xml_inside_a_valid_archive(bounds, data, extension):
    """The ZIP stays valid so the damage reaches the XML parsers of EbookLib and python-docx."""
    import io
    import zipfile

    from .hostile_corpus import replace_member

    member = data.draw(st.sampled_from(_members(extension)), label="member")
    with zipfile.ZipFile(io.BytesIO(valid_documents()[extension])) as archive:
        content = archive.read(member)
    mutations = data.draw(st.lists(_mutation, min_size=1, max_size=4), label="mutations")
    archive_bytes = replace_member(valid_documents()[extension], member, mutate(content, mutations))
    read_bytes_as_file(archive_bytes, extension, bounds)
