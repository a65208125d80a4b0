"""The original pane: a ParagraphView that maps article offsets to document positions
and highlights the mentions of a name."""

from __future__ import annotations

import bisect

from PySide6.QtWidgets import QWidget

from app.gui.reading_view import ParagraphView, _utf16_length


class OriginalView(ParagraphView):
    """The article as cleaned by the reader; maps ``Article.text`` offsets to positions."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__("Original article", parent)
        self._starts: list[int] = []
        self._texts: list[str] = []

    def set_article(self, article) -> None:
        self._starts = [p.start for p in article.paragraphs]
        self._texts = [p.text for p in article.paragraphs]
        self.set_paragraphs(self._texts)

    def clear_article(self) -> None:
        self._starts = []
        self._texts = []
        self.set_paragraphs([])

    def position_for_offset(self, offset: int) -> int:
        """Document position of character ``offset`` of ``Article.text``."""
        if not self._starts:
            return 0
        index = max(0, bisect.bisect_right(self._starts, offset) - 1)
        block = self.document().findBlockByNumber(index)
        text = self._texts[index]
        within = max(0, min(offset - self._starts[index], len(text)))
        return block.position() + _utf16_length(text[:within])

    def offset_for_position(self, position: int) -> int:
        """``Article.text`` offset of document position ``position``."""
        block = self.document().findBlock(position)
        index = block.blockNumber()
        if not 0 <= index < len(self._starts):
            return 0
        units = position - block.position()
        text = self._texts[index]
        within = 0
        while within < len(text) and units > 0:
            units -= 2 if ord(text[within]) > 0xFFFF else 1
            within += 1
        return self._starts[index] + within

    def highlight_mentions(self, mentions, scroll: bool = True) -> None:
        """Highlight every mention (``Mention.start``/``end`` are ``Article.text`` offsets)."""
        self.highlight_positions(
            [
                (self.position_for_offset(m.start), self.position_for_offset(m.end))
                for m in mentions
            ],
            scroll=scroll,
        )

    def highlight_source_offsets(self, ranges: list[tuple[int, int]], scroll: bool = True) -> None:
        """Highlight summary sources given as ``Article.text`` offsets."""
        self.highlight_sources(
            [(self.position_for_offset(s), self.position_for_offset(e)) for s, e in ranges],
            scroll=scroll,
        )

    def source_highlight_offsets(self) -> list[tuple[int, int]]:
        """The highlighted summary sources as ``Article.text`` offsets."""
        return [
            (self.offset_for_position(s), self.offset_for_position(e))
            for s, e in self.source_highlight_positions()
        ]

    def entity_highlight_offsets(self) -> list[tuple[int, int]]:
        """The highlighted mentions as ``Article.text`` offsets."""
        return [
            (self.offset_for_position(s), self.offset_for_position(e))
            for s, e in self.entity_highlight_positions()
        ]
