"""Reading saved articles: sniff the format from the bytes, extract the text, clean it, detect its
language and build an :class:`~app.core.reading.document.Article`.

The user's file is opened once, read-only, into memory; nothing is ever written to it, nothing
is fetched and no script in it runs. Every failure is a one-line :class:`DocumentError`.

Limits (so a wrong or hostile file fails fast instead of hanging): any file over
:data:`MAX_FILE_BYTES`; a text or Markdown file over :data:`MAX_TEXT_FILE_BYTES`; a web page
with more than twice :data:`MAX_TEXT_CHARS` of visible text (checked before extraction); an
article of more than :data:`MAX_TEXT_CHARS` characters of text; EPUB/DOCX archives that
expand past :data:`MAX_ZIP_UNCOMPRESSED_BYTES`, compress suspiciously well
(:data:`MAX_ZIP_RATIO`) or declare XML entities (a "billion laughs" bomb).
"""

from __future__ import annotations

import contextlib
import io
import logging
import os
import re
import warnings
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path

from app.core.base.errors import DocumentError
from app.core.reading.cleanup import clean_text
from app.core.reading.document import PARAGRAPH_SEPARATOR, Article
from app.core.reading.formats import common
from app.core.reading.formats.common import (  # noqa: F401  (public names re-exported)
    MAX_FILE_BYTES,
    MAX_PDF_PAGES,
    MAX_TEXT_CHARS,
    MAX_TEXT_FILE_BYTES,
    MAX_ZIP_ENTRIES,
    MAX_ZIP_RATIO,
    MAX_ZIP_UNCOMPRESSED_BYTES,
    check_archive,
    decode_text,
    too_long,
)
from app.core.reading.formats.docx import load_docx
from app.core.reading.formats.epub import load_epub
from app.core.reading.formats.html import html_blocks, load_html  # noqa: F401
from app.core.reading.formats.markdown import load_markdown
from app.core.reading.formats.pdf import load_pdf
from app.core.reading.formats.text import load_text
from app.core.reading.language import detect_paragraph_languages

#: format name -> file extensions (the window builds its File > Open filters from this).
SUPPORTED_FORMATS: dict[str, list[str]] = {
    "txt": [".txt", ".text"],
    "md": [".md", ".markdown"],
    "html": [".html", ".htm", ".xhtml"],
    "epub": [".epub"],
    "pdf": [".pdf"],
    "docx": [".docx"],
}

_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|p|div|h1)\b", re.IGNORECASE)


#: Libraries that log warnings about damaged input (pypdf: "EOF marker not found"): the user
#: gets one DocumentError line instead, so these are silenced while a file is read.
_CHATTY_LOGGERS = ("pypdf", "trafilatura", "htmldate", "courlan", "charset_normalizer", "ebooklib")


@contextlib.contextmanager
def _quiet_libraries() -> Iterator[None]:
    loggers = [logging.getLogger(name) for name in _CHATTY_LOGGERS]
    levels = [logger.level for logger in loggers]
    try:
        for logger in loggers:
            logger.setLevel(logging.CRITICAL)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        for logger, level in zip(loggers, levels, strict=True):
            logger.setLevel(level)


def _display(path: Path) -> str:
    return path.name or str(path)


# ---------------------------------------------------------------------------------------------
# Reading bytes and sniffing the format


def _read_bytes(path: Path) -> bytes:
    name = _display(path)
    if not path.exists():
        raise DocumentError(f"{path} does not exist")
    if path.is_dir():
        raise DocumentError(f"{path} is a folder, not an article file")
    if not path.is_file():
        raise DocumentError(f"{path} is not a regular file")
    size = path.stat().st_size
    if size > common.MAX_FILE_BYTES:
        raise DocumentError(
            f"{name} is too large ({size / 1e6:.1f} MB); Ringkas reads files up to "
            f"{common.MAX_FILE_BYTES // (1024 * 1024)} MB"
        )
    if size == 0:
        raise DocumentError(f"{name} is empty")
    try:
        with path.open("rb") as handle:  # read-only: the user's file is never modified
            return handle.read(common.MAX_FILE_BYTES + 1)
    except PermissionError as exc:
        raise DocumentError(f"{name} cannot be read: permission denied") from exc
    except OSError as exc:
        raise DocumentError(f"{name} cannot be read: {exc.strerror or exc}") from exc


_BINARY_SIGNATURES = {
    b"\x89PNG": "a PNG image",
    b"\xff\xd8\xff": "a JPEG image",
    b"GIF8": "a GIF image",
    b"\xd0\xcf\x11\xe0": "an old Microsoft Office file (.doc/.xls); save it as .docx",
    b"Rar!": "a RAR archive",
    b"\x1f\x8b": "a gzip archive",
    b"7z\xbc\xaf": "a 7-Zip archive",
    b"\x7fELF": "a program",
    b"MZ": "a Windows program",
}


def sniff_format(data: bytes, suffix: str = "") -> str:
    """The format of ``data`` ("txt", "md", "html", "epub", "pdf", "docx") judged by content.

    The extension only decides between formats the content cannot tell apart (Markdown is
    plain text). Raises :class:`DocumentError` for content Ringkas cannot read.
    """
    suffix = suffix.lower()
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data)
    for signature, what in _BINARY_SIGNATURES.items():
        if data.startswith(signature):
            raise DocumentError(f"unsupported format: the file is {what}")
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and _HTML_START.search(head[:2048]):
        return "html"
    if suffix in SUPPORTED_FORMATS["md"]:
        return "md"
    return "txt"


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() == b"application/epub+zip":
                return "epub"
    except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        raise DocumentError("the file is a damaged or truncated ZIP archive") from exc
    if "META-INF/container.xml" in names:
        return "epub"
    if "word/document.xml" in names:
        return "docx"
    raise DocumentError("unsupported format: a ZIP archive that is neither EPUB nor DOCX")


_LOADERS = {
    "txt": load_text,
    "md": load_markdown,
    "html": load_html,
    "epub": load_epub,
    "pdf": load_pdf,
    "docx": load_docx,
}

# ---------------------------------------------------------------------------------------------
# Public API


def _fallback_title(first_paragraph: str, source_path: Path | None) -> str:
    if source_path is not None:
        return source_path.stem
    words = first_paragraph.split()
    title = " ".join(words[:12])
    return title + ("…" if len(words) > 12 else "")


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


#: Looks up the languages already detected for a cleaned text: ``text -> (article language,
#: per-paragraph languages)``, or None when unknown (e.g. the result cache's record).
KnownLanguages = Callable[[str], "tuple[str, list[str]] | None"]


def article_from_text(
    text: str,
    *,
    title: str | None = None,
    source_path: str | os.PathLike[str] | None = None,
    format: str = "txt",
    known_languages: KnownLanguages | None = None,
) -> Article:
    """Clean ``text``, detect its languages and build the article.

    With ``title`` (from a page's or book's metadata) the title becomes the first paragraph
    unless the text already starts with it; without, the text's first line is the title when
    it looks like one (short, no closing full stop) and stays the first paragraph.
    """
    source = Path(source_path) if source_path is not None else None
    name = _display(source) if source is not None else "the text"
    if len(text) > common.MAX_TEXT_CHARS:
        raise too_long(name, len(text))
    cleaned = clean_text(text, blocks=format == "html", paged=format == "pdf")
    paragraphs = list(cleaned.paragraphs)
    if not paragraphs:
        if cleaned.removed:
            raise DocumentError(f"{name} has no article text left after removing page chrome")
        raise DocumentError(f"{name} contains no text")
    title = " ".join(title.split()) if title else None
    if title and cleaned.title and title.casefold().startswith(cleaned.title.casefold()):
        title = cleaned.title  # "Headline - Site Name" in the metadata, "Headline" in the text
    if title:
        if not _same_text(paragraphs[0], title):
            paragraphs.insert(0, title)
    else:
        title = cleaned.title or _fallback_title(paragraphs[0], source)
    known = known_languages(PARAGRAPH_SEPARATOR.join(paragraphs)) if known_languages else None
    if known is not None and len(known[1]) == len(paragraphs):
        # Detected before for this very text: skip the detector (about 1 s to load, once).
        language, paragraph_languages = known[0], list(known[1])
    else:
        language, paragraph_languages = detect_paragraph_languages(paragraphs)
    return Article.from_texts(
        paragraphs,
        title=title,
        source_path=source,
        format=format,
        language=language,
        paragraph_languages=paragraph_languages,
        removed=cleaned.removed,
    )


def load_article(
    path: str | os.PathLike[str], *, known_languages: KnownLanguages | None = None
) -> Article:
    """Read the article saved at ``path`` (any of :data:`SUPPORTED_FORMATS`)."""
    source = Path(os.path.abspath(Path(path).expanduser()))
    name = _display(source)
    data = _read_bytes(source)
    try:
        fmt = sniff_format(data, source.suffix)
    except DocumentError as exc:
        raise DocumentError(f"cannot read {name}: {exc}") from exc
    if fmt in ("txt", "md") and len(data) > common.MAX_TEXT_FILE_BYTES:
        raise DocumentError(
            f"{name} is too large for an article ({len(data) / 1e6:.1f} MB); Ringkas reads text "
            f"files up to {common.MAX_TEXT_FILE_BYTES // (1024 * 1024)} MB"
        )
    try:
        with _quiet_libraries():
            text, title = _LOADERS[fmt](data)
    except DocumentError as exc:
        raise DocumentError(f"cannot read {name}: {exc}") from exc
    if not text.strip():
        raise DocumentError(f"{name} contains no text")
    return article_from_text(
        text, title=title, source_path=source, format=fmt, known_languages=known_languages
    )
