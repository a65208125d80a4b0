"""Plain text (.txt): decoded bytes, cleaned later like any other text."""

from __future__ import annotations

from app.core.reading.formats.common import decode_text


def load_text(data: bytes) -> tuple[str, str | None]:
    return decode_text(data), None
