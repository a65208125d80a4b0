"""PDF: the text layer of each page.

pypdf reads it first. When pypdf cannot parse the file (a damaged cross-reference table, an
unusual structure) or finds next to no text in it, PDFium (pypdfium2, the engine of Chrome's
PDF viewer) reads it as a second opinion, and the fuller text wins. A password still stops
both. "No text layer" is said only when neither finds any text at all: a page with a short
real text layer ("Hello, World!") opens.
"""

from __future__ import annotations

import io

from app.core.base.errors import DocumentError
from app.core.reading.formats import common
from app.core.reading.formats.common import too_long

#: pypdf's text is "almost nothing" below this many letters: PDFium is asked too.
MIN_LETTERS = 20

_NO_TEXT = "the PDF has no text layer (probably scanned images); Ringkas cannot read it without OCR"


def _letters(text: str) -> int:
    return sum(ch.isalpha() for ch in text)


def _check_pages(count: int) -> None:
    if count > common.MAX_PDF_PAGES:
        raise DocumentError(
            f"the PDF has {count:,} pages; Ringkas reads documents up to "
            f"{common.MAX_PDF_PAGES:,} pages"
        )


def _pypdf_text(data: bytes) -> str:
    """The text by pypdf; DocumentError for a password or the limits, other exceptions for
    a file pypdf cannot parse."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                "the PDF is password-protected; open it and save a copy without a password"
            )
        _check_pages(len(reader.pages))
        pages, chars = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > common.MAX_TEXT_CHARS:
                raise too_long("the PDF", chars)
    except FileNotDecryptedError as exc:
        raise DocumentError("the PDF is password-protected") from exc
    except DependencyError as exc:  # AES needs the optional cryptography package
        raise DocumentError(
            "the PDF is encrypted in a way Ringkas cannot open; save a copy without encryption"
        ) from exc
    return "\n".join(pages)


def _pdfium_text(data: bytes) -> str:
    """The text by PDFium (pypdfium2); DocumentError for a password or the limits."""
    import pypdfium2 as pdfium  # the PDFium binary: loaded only for PDFs pypdf cannot read

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise DocumentError("the PDF is password-protected") from exc
        raise
    try:
        _check_pages(len(document))
        pages, chars = [], 0
        for index in range(len(document)):
            page = document[index]
            textpage = page.get_textpage()
            pages.append(textpage.get_text_range().replace("\r\n", "\n").replace("\r", "\n"))
            textpage.close()
            page.close()
            chars += len(pages[-1])
            if chars > common.MAX_TEXT_CHARS:
                raise too_long("the PDF", chars)
    finally:
        document.close()
    return "\n".join(pages)


def load_pdf(data: bytes) -> tuple[str, str | None]:
    text, failure = "", None
    try:
        text = _pypdf_text(data)
    except DocumentError:
        raise
    except Exception as exc:  # pypdf raises many kinds on damaged files
        failure = exc
    if _letters(text) < MIN_LETTERS:
        try:
            second = _pdfium_text(data)
        except DocumentError:
            raise
        except Exception as exc:  # PdfiumError and friends: keep pypdf's verdict
            second = ""
            failure = failure or exc
        if _letters(second) > _letters(text):
            text = second
    if _letters(text) == 0:
        if failure is not None:
            raise DocumentError("the PDF is damaged or truncated") from failure
        raise DocumentError(_NO_TEXT)
    return text, None
