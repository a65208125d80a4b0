"""Pasted text becomes an article file in the user data folder, so it can be reopened and
analysed again like any saved article (``<data dir>/pasted/<date>-<time>-<first words>.txt``
or ``.html`` when the clipboard held HTML)."""

from __future__ import annotations

import re
import time
from pathlib import Path

from app.core.base import paths
from app.core.base.errors import DocumentError

#: Pasted text longer than this is refused (the reader's own limits are far above real
#: articles; a clipboard holding a whole book is a mistake).
MAX_PASTE_CHARS = 5_000_000


def pasted_dir() -> Path:
    return paths.data_dir() / "pasted"


def _slug(text: str) -> str:
    words = re.findall(r"[^\W_]+", text)[:6]
    slug = "-".join(w.lower() for w in words)[:60].strip("-")
    return slug or "pasted"


def save_pasted(text: str, html: str | None = None, *, now: float | None = None) -> Path:
    """Write the clipboard's ``html`` (preferred: it keeps headings and paragraphs) or plain
    ``text`` to a new file and return its path. Raises DocumentError for an empty clipboard."""
    body = html if html and html.strip() else text
    if not body or not body.strip():
        raise DocumentError("the clipboard holds no text to open")
    if len(body) > MAX_PASTE_CHARS:
        raise DocumentError(
            f"the clipboard holds {len(body):,} characters; paste at most {MAX_PASTE_CHARS:,}"
        )
    is_html = bool(html and html.strip())
    if is_html and not re.search(r"<\s*(html|body)\b", body, re.IGNORECASE):
        head = "<!DOCTYPE html>\n<html><head><meta charset='utf-8'></head><body>\n"
        body = f"{head}{body}\n</body></html>"
    folder = pasted_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(now))
    visible = text if (text or "").strip() else re.sub(r"<[^>]+>", " ", body)
    stem = f"{stamp}-{_slug(visible)}"
    suffix = ".html" if is_html else ".txt"
    path = folder / f"{stem}{suffix}"
    n = 2
    while path.exists():
        path = folder / f"{stem}-{n}{suffix}"
        n += 1
    path.write_text(body, encoding="utf-8")
    return path
