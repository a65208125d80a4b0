"""Markdown: rendered to HTML (raw HTML off) and read block by block."""

from __future__ import annotations

from app.core.reading.formats.common import decode_text
from app.core.reading.formats.html import html_blocks


def load_markdown(data: bytes) -> tuple[str, str | None]:
    from markdown_it import MarkdownIt

    source = decode_text(data)
    rendered = MarkdownIt("commonmark", {"html": False}).render(source)
    return "\n\n".join(html_blocks(rendered)), None
