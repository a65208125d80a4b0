"""The article model every other part of Ringkas works on.

Invariant (tested): ``article.text == PARAGRAPH_SEPARATOR.join(p.text for p in article.paragraphs)``
and ``article.text[p.start:p.end] == p.text`` for every paragraph. Entity offsets and the
window's highlighting rely on these spans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

PARAGRAPH_SEPARATOR = "\n\n"

#: ISO 639-1 code used when the language cannot be determined.
UNKNOWN_LANGUAGE = "und"


@dataclass(frozen=True)
class Paragraph:
    text: str
    start: int
    end: int
    language: str = UNKNOWN_LANGUAGE

    def to_dict(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "language": self.language}


@dataclass(frozen=True)
class RemovedLine:
    """A line the cleanup dropped, and why, so a user can see (and trust) what went."""

    text: str
    reason: str

    def to_dict(self) -> dict:
        return {"text": self.text, "reason": self.reason}


@dataclass
class Article:
    title: str
    source_path: Path | None
    format: str
    language: str
    paragraphs: list[Paragraph]
    removed: list[RemovedLine] = field(default_factory=list)

    @property
    def text(self) -> str:
        return PARAGRAPH_SEPARATOR.join(p.text for p in self.paragraphs)

    @property
    def word_count(self) -> int:
        return sum(len(p.text.split()) for p in self.paragraphs)

    @classmethod
    def from_texts(
        cls,
        texts: list[str],
        *,
        title: str,
        source_path: Path | None,
        format: str,
        language: str = UNKNOWN_LANGUAGE,
        paragraph_languages: list[str] | None = None,
        removed: list[RemovedLine] | None = None,
    ) -> Article:
        """Build an article from paragraph texts, computing each paragraph's span."""
        paragraphs = []
        offset = 0
        for i, text in enumerate(texts):
            lang = paragraph_languages[i] if paragraph_languages else UNKNOWN_LANGUAGE
            paragraphs.append(Paragraph(text, offset, offset + len(text), lang))
            offset += len(text) + len(PARAGRAPH_SEPARATOR)
        return cls(title, source_path, format, language, paragraphs, list(removed or []))

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "source": str(self.source_path) if self.source_path else None,
            "format": self.format,
            "language": self.language,
            "word_count": self.word_count,
            "text": self.text,
            "paragraphs": [p.to_dict() for p in self.paragraphs],
            "removed": [r.to_dict() for r in self.removed],
        }
