"""Word documents (.docx): paragraphs and table rows in document order."""

from __future__ import annotations

import io

from app.core.base.errors import DocumentError
from app.core.reading.formats.common import check_archive


def load_docx(data: bytes) -> tuple[str, str | None]:
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
