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
from collections.abc import Callable, Iterator
from pathlib import Path

from app.core.base.errors import DocumentError
from app.core.reading.cleanup import clean_text
from app.core.reading.document import PARAGRAPH_SEPARATOR, Article
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

MAX_FILE_BYTES = 50 * 1024 * 1024
MAX_TEXT_FILE_BYTES = 10 * 1024 * 1024
MAX_TEXT_CHARS = 1_000_000
MAX_PDF_PAGES = 2_000
MAX_ZIP_ENTRIES = 10_000
MAX_ZIP_UNCOMPRESSED_BYTES = 200 * 1024 * 1024
#: An entry bigger than 1 MB that expanded more than this many times is treated as a zip bomb
#: (text compresses ~3-10x; bombs compress ~1000x).
MAX_ZIP_RATIO = 100

_XML_SUFFIXES = (".xml", ".xhtml", ".html", ".htm", ".opf", ".ncx", ".rels", ".svg")
_BLOCK_TAGS = (
    "p", "div", "section", "article", "header", "footer", "aside", "main",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dd", "dt", "figcaption",
    "table", "ul", "ol", "dl", "hr",
)  # fmt: skip
_DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "nav",
    "iframe",
    "object",
    "svg",
)
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


def _too_long(name: str, chars: int) -> DocumentError:
    return DocumentError(
        f"{name} has {chars:,} characters of text; Ringkas reads articles up to "
        f"{MAX_TEXT_CHARS:,} characters"
    )


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
    if size > MAX_FILE_BYTES:
        raise DocumentError(
            f"{name} is too large ({size / 1e6:.1f} MB); Ringkas reads files up to "
            f"{MAX_FILE_BYTES // (1024 * 1024)} MB"
        )
    if size == 0:
        raise DocumentError(f"{name} is empty")
    try:
        with path.open("rb") as handle:  # read-only: the user's file is never modified
            return handle.read(MAX_FILE_BYTES + 1)
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
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DocumentError("the file is a damaged or truncated ZIP archive") from exc
    if "META-INF/container.xml" in names:
        return "epub"
    if "word/document.xml" in names:
        return "docx"
    raise DocumentError("unsupported format: a ZIP archive that is neither EPUB nor DOCX")


# ---------------------------------------------------------------------------------------------
# Text decoding

_BOMS = (
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)


def decode_text(data: bytes) -> str:
    """Decode text bytes: a BOM if present, else UTF-8, else charset-normalizer's best guess.

    Raises :class:`DocumentError` when the bytes are not text at all.
    """
    text = None
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data[len(bom) :].decode(encoding.replace("-sig", ""))
            except UnicodeDecodeError as exc:
                raise DocumentError(f"the file starts as {encoding} text but is damaged") from exc
            break
    if text is None and b"\x00" not in data:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = None
    if text is None:
        import charset_normalizer

        best = charset_normalizer.from_bytes(data).best()
        if best is None:
            raise DocumentError("the file is binary data, not text")
        text = str(best)
    if _looks_binary(text):
        raise DocumentError("the file is binary data, not text")
    return text


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f\v")
    return "\x00" in sample or controls / len(sample) > 0.01


# ---------------------------------------------------------------------------------------------
# Markup


def _html_parser():
    from lxml import html

    return html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


#: Characters XML (and so lxml) refuses in text: C0 controls other than tab and line breaks.
_NOT_XML_TEXT = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _markup_text(markup: bytes | str) -> str:
    """Markup as a str lxml accepts: decoded, no XML declaration, no control characters."""
    if isinstance(markup, bytes):
        try:
            markup = markup.decode("utf-8-sig")
        except UnicodeDecodeError:
            markup = decode_text(markup)
    head = _XML_DECLARATION.sub("", markup[:1000])  # lxml refuses str with an encoding declaration
    return (head + markup[1000:]).translate(_NOT_XML_TEXT)


def _parse_html(markup: bytes | str):
    from lxml import etree, html

    text = _markup_text(markup)
    if not text.strip():
        return None
    try:
        return html.fromstring(text, parser=_html_parser())
    except (etree.ParserError, ValueError):
        return None


def html_blocks(markup: bytes | str) -> list[str]:
    """The text of each block element (paragraph, heading, list item...) of an HTML document.

    Used for EPUB chapters and rendered Markdown, where every block is content. Scripts,
    styles and navigation are skipped; nothing is fetched. The tree is only read, never
    modified, and walked iteratively (deeply nested markup cannot exhaust the stack).
    """
    from lxml import etree

    root = _parse_html(markup)
    if root is None:
        return []
    body = root.find(".//body")
    start = body if body is not None else root
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        block = " ".join("".join(current).split())
        if block:
            blocks.append(block)
        current.clear()

    walker = etree.iterwalk(start, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if not tag or tag in _DROPPED_TAGS:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            elif tag == "br":
                current.append(" ")
            if element.text:
                current.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if element is not start and element.tail:
                current.append(element.tail)
    flush()
    return blocks


def _parse_page(markup: str):
    """The page as an lxml tree without scripts, styles or embedded data (a SingleFile page
    can carry megabytes of base64 images), or None when it cannot be parsed."""
    from lxml import etree

    root = _parse_html(markup)
    if root is None:
        return None
    # strip_elements works inside libxml2 and keeps each element's tail text.
    etree.strip_elements(root, "script", "style", "noscript", "template", "svg", with_tail=False)
    for element in root.iter("img", "source", "image", "link", "iframe", "object", "embed"):
        for attribute in ("src", "srcset", "href", "data"):
            element.attrib.pop(attribute, None)
    return root


def _load_html(data: bytes) -> tuple[str, str | None]:
    """Main text of a saved web page (trafilatura), one block per paragraph, and its title."""
    import copy

    import trafilatura

    markup = decode_text(data)
    root = _parse_page(markup)
    if root is None:
        raise DocumentError("the web page could not be parsed")
    # Refuse a page with far more text than an article before the (slower) extraction runs.
    visible = len(root.text_content())
    if visible > 2 * MAX_TEXT_CHARS:
        raise _too_long("the page", visible)
    try:
        metadata = trafilatura.extract_metadata(copy.deepcopy(root))
        text = trafilatura.extract(
            root,
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            favor_recall=True,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise DocumentError("the web page could not be parsed") from exc
    if not text or not text.strip():
        blocks = html_blocks(markup)  # a bare page trafilatura judged too short to be an article
        text = "\n".join(blocks)
    title = metadata.title if metadata is not None and metadata.title else None
    # trafilatura writes one block per line; make each a paragraph.
    return text.replace("\n", "\n\n"), title


def _load_markdown(data: bytes) -> tuple[str, str | None]:
    from markdown_it import MarkdownIt

    source = decode_text(data)
    rendered = MarkdownIt("commonmark", {"html": False}).render(source)
    return "\n\n".join(html_blocks(rendered)), None


# ---------------------------------------------------------------------------------------------
# Archives (EPUB, DOCX)


def check_archive(data: bytes, kind: str) -> None:
    """Refuse zip bombs and XML entity declarations before any library expands the archive."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise DocumentError(f"the {kind} has {len(entries):,} entries, too many to be safe")
            total = 0
            for entry in entries:
                total += entry.file_size
                ratio = entry.file_size / max(entry.compress_size, 1)
                if total > MAX_ZIP_UNCOMPRESSED_BYTES or (
                    entry.file_size > 1024 * 1024 and ratio > MAX_ZIP_RATIO
                ):
                    raise DocumentError(
                        f"the {kind} expands to far more than its size (a zip bomb?); refused"
                    )
            for entry in entries:
                if entry.filename.lower().endswith(_XML_SUFFIXES):
                    with archive.open(entry) as member:
                        content = member.read(entry.file_size + 1)
                    if len(content) > entry.file_size:
                        raise DocumentError(
                            f"the {kind} holds an entry larger than it declares (a zip bomb?); refused"
                        )
                    if b"<!ENTITY" in content or b"<\x00!\x00E\x00N\x00T\x00I\x00T\x00Y" in content:
                        raise DocumentError(
                            f"the {kind} declares XML entities (a possible entity bomb); refused"
                        )
    except DocumentError:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, ValueError) as exc:
        raise DocumentError(f"the {kind} is damaged or truncated") from exc
    except NotImplementedError as exc:
        raise DocumentError(f"the {kind} uses an unsupported compression method") from exc


def _load_epub(data: bytes) -> tuple[str, str | None]:
    check_archive(data, "EPUB")
    import ebooklib
    from ebooklib import epub

    try:
        book = epub.read_epub(io.BytesIO(data), options={"ignore_ncx": True})
        blocks: list[str] = []
        chars = 0
        for item_id, _linear in book.spine:
            item = book.get_item_with_id(item_id)
            if item is not None and item.get_type() == ebooklib.ITEM_DOCUMENT:
                chapter = html_blocks(item.get_content())
                blocks.extend(chapter)
                chars += sum(map(len, chapter))
                if chars > MAX_TEXT_CHARS:
                    raise _too_long("the EPUB", chars)
        titles = book.get_metadata("DC", "title")
    except DocumentError:
        raise
    except Exception as exc:  # EbookLib raises bare exceptions for many kinds of damage
        raise DocumentError("the EPUB is damaged or not a valid e-book") from exc
    title = titles[0][0].strip() if titles and titles[0] and titles[0][0] else None
    return "\n\n".join(blocks), title


def _load_docx(data: bytes) -> tuple[str, str | None]:
    check_archive(data, "DOCX")
    import docx
    from docx.table import Table

    try:
        document = docx.Document(io.BytesIO(data))
        blocks: list[str] = []
        title = None
        for block in document.iter_inner_content():
            if isinstance(block, Table):
                for row in block.rows:
                    cells = [cell.text.strip() for cell in row.cells]
                    blocks.append(" | ".join(dict.fromkeys(c for c in cells if c)))
                continue
            text = block.text.strip()
            style = block.style.name if block.style is not None else ""
            if title is None and text and style in ("Title", "Heading 1") and not blocks:
                title = text
            blocks.append(text)
    except Exception as exc:  # python-docx raises KeyError, ValueError, lxml errors...
        raise DocumentError("the DOCX is damaged or not a valid Word document") from exc
    return "\n\n".join(b for b in blocks if b), title


# ---------------------------------------------------------------------------------------------
# PDF


def _load_pdf(data: bytes) -> tuple[str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                "the PDF is password-protected; open it and save a copy without a password"
            )
        if len(reader.pages) > MAX_PDF_PAGES:
            raise DocumentError(
                f"the PDF has {len(reader.pages):,} pages; Ringkas reads documents up to "
                f"{MAX_PDF_PAGES:,} pages"
            )
        pages, chars = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > MAX_TEXT_CHARS:
                raise _too_long("the PDF", chars)
    except DocumentError:
        raise
    except FileNotDecryptedError as exc:
        raise DocumentError("the PDF is password-protected") from exc
    except DependencyError as exc:  # AES needs the optional cryptography package
        raise DocumentError(
            "the PDF is encrypted in a way Ringkas cannot open; save a copy without encryption"
        ) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, OSError) as exc:
        raise DocumentError("the PDF is damaged or truncated") from exc
    except Exception as exc:  # pypdf's DependencyError (AES without cryptography) and others
        raise DocumentError(f"the PDF cannot be read: {exc}".splitlines()[0]) from exc
    text = "\n".join(pages)
    if sum(ch.isalpha() for ch in text) < 20:
        raise DocumentError(
            "the PDF has no text layer (probably scanned images); Ringkas cannot read it without OCR"
        )
    return text, None


_LOADERS = {
    "txt": lambda data: (decode_text(data), None),
    "md": _load_markdown,
    "html": _load_html,
    "epub": _load_epub,
    "pdf": _load_pdf,
    "docx": _load_docx,
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
    if len(text) > MAX_TEXT_CHARS:
        raise _too_long(name, len(text))
    cleaned = clean_text(text)
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
    if fmt in ("txt", "md") and len(data) > MAX_TEXT_FILE_BYTES:
        raise DocumentError(
            f"{name} is too large for an article ({len(data) / 1e6:.1f} MB); Ringkas reads text "
            f"files up to {MAX_TEXT_FILE_BYTES // (1024 * 1024)} MB"
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
