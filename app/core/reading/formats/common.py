"""Limits and helpers shared by the format readers: text decoding, the archive guard, errors."""

from __future__ import annotations

import io
import re
import zipfile
import zlib

from app.core.base.errors import DocumentError

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


def too_long(name: str, chars: int) -> DocumentError:
    return DocumentError(
        f"{name} has {chars:,} characters of text; Ringkas reads articles up to "
        f"{MAX_TEXT_CHARS:,} characters"
    )


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
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,  # a damaged deflate stream inside an entry
        OSError,
        EOFError,
        ValueError,
    ) as exc:
        raise DocumentError(f"the {kind} is damaged or truncated") from exc
    except NotImplementedError as exc:
        raise DocumentError(f"the {kind} uses an unsupported compression method") from exc


#: Scripts written without spaces between words (Han, kana, Hangul): each character counts.
_UNSPACED = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_SPACED_WORD = re.compile(r"[^\W\d_]")


def word_count(text: str) -> int:
    """Words in ``text`` that hold a letter (a price or a date is no word), each Han, kana or
    Hangul character counted as one (those scripts put no spaces between words)."""
    unspaced = len(_UNSPACED.findall(text))
    spaced = sum(1 for token in _UNSPACED.sub(" ", text).split() if _SPACED_WORD.search(token))
    return unspaced + spaced
