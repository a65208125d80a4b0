"""EPUB e-books: the spine's documents, block by block."""

from __future__ import annotations

import io

from app.core.base.errors import DocumentError
from app.core.reading.formats import common
from app.core.reading.formats.common import check_archive, too_long
from app.core.reading.formats.html import html_blocks


def load_epub(data: bytes) -> tuple[str, str | None]:
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
                if chars > common.MAX_TEXT_CHARS:
                    raise too_long("the EPUB", chars)
        titles = book.get_metadata("DC", "title")
    except DocumentError:
        raise
    except Exception as exc:  # EbookLib raises bare exceptions for many kinds of damage
        raise DocumentError("the EPUB is damaged or not a valid e-book") from exc
    title = titles[0][0].strip() if titles and titles[0] and titles[0][0] else None
    return "\n\n".join(blocks), title
