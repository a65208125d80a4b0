"""PDF: the text layer of each page."""

from __future__ import annotations

import io

from app.core.base.errors import DocumentError
from app.core.reading.formats import common
from app.core.reading.formats.common import too_long


def load_pdf(data: bytes) -> tuple[str, str | None]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                "the PDF is password-protected; open it and save a copy without a password"
            )
        if len(reader.pages) > common.MAX_PDF_PAGES:
            raise DocumentError(
                f"the PDF has {len(reader.pages):,} pages; Ringkas reads documents up to "
                f"{common.MAX_PDF_PAGES:,} pages"
            )
        pages, chars = [], 0
        for page in reader.pages:
            pages.append(page.extract_text() or "")
            chars += len(pages[-1])
            if chars > common.MAX_TEXT_CHARS:
                raise too_long("the PDF", chars)
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
