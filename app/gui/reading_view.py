"""Read-only paragraph views: the original and the translation, one text block per paragraph.

Block ``i`` of each document is paragraph ``i`` of the article, so hovering a paragraph on one
side highlights its counterpart on the other. The original view also maps character offsets of
``Article.text`` (where entity mentions point) to document positions: paragraphs are separated by
``"\\n\\n"`` in ``Article.text`` but by one block break in the document, so paragraph ``i``'s
characters sit ``i`` positions earlier in the document. Qt also counts UTF-16 code units where
Python counts code points, so a character outside the Basic Multilingual Plane (an emoji) takes
two positions. :meth:`OriginalView.position_for_offset` does both mappings and
:meth:`OriginalView.offset_for_position` reverses them.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QMouseEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextFormat,
)
from PySide6.QtWidgets import QTextBrowser, QTextEdit, QWidget

from app.gui.theme import LIGHT, Theme, reading_font

#: Marks an ExtraSelection as an entity-mention highlight (vs. the hovered-paragraph highlight).
ENTITY_PROPERTY = QTextFormat.Property.UserProperty + 1
#: Marks an ExtraSelection as a source of the summary sentence under the mouse.
SOURCE_PROPERTY = QTextFormat.Property.UserProperty + 2
#: Opacity (0-255) of the source highlight drawn in the theme's accent colour.
SOURCE_ALPHA = 70
#: Qt's in-block line break: one character, like the "\n" it replaces, so offsets stay aligned.
LINE_SEPARATOR = "\u2028"


class ParagraphView(QTextBrowser):
    """A read-only document whose block ``i`` is paragraph ``i``.

    Signals:
        paragraph_hovered(int): the paragraph under the mouse changed (-1: none).
        paragraph_clicked(int): a paragraph was clicked.
    """

    paragraph_hovered = Signal(int)
    paragraph_clicked = Signal(int)

    def __init__(self, accessible_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(accessible_name)
        self.setOpenLinks(False)
        self.setOpenExternalLinks(False)
        self.setUndoRedoEnabled(False)
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.document().setDocumentMargin(22)
        self._theme = LIGHT
        self._font_size = 11
        self._pending: set[int] = set()
        self._hovered = -1
        self._paragraph_selection: list[QTextEdit.ExtraSelection] = []
        self._entity_selections: list[QTextEdit.ExtraSelection] = []
        self._source_selections: list[QTextEdit.ExtraSelection] = []
        self._apply_font()

    # --- appearance -----------------------------------------------------------------------

    def set_theme(self, theme: Theme, font_size: int) -> None:
        self._theme = theme
        self._font_size = font_size
        self._apply_font()
        self._restyle_blocks()
        self._refresh_selections()

    def _apply_font(self) -> None:
        font = reading_font(self._font_size)
        self.setFont(font)
        self.document().setDefaultFont(font)

    def _block_format(self) -> QTextBlockFormat:
        fmt = QTextBlockFormat()
        fmt.setLineHeight(150, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        fmt.setBottomMargin(round(self._font_size * 1.1))
        return fmt

    def _char_format(self, pending: bool) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(QColor(self._theme.muted if pending else self._theme.text))
        fmt.setFontItalic(pending)
        return fmt

    def _restyle_blocks(self) -> None:
        cursor = QTextCursor(self.document())
        for i in range(self.paragraph_count()):
            block = self.document().findBlockByNumber(i)
            cursor.setPosition(block.position())
            cursor.setPosition(
                block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor
            )
            cursor.setBlockFormat(self._block_format())
            cursor.setCharFormat(self._char_format(i in self._pending))

    # --- content --------------------------------------------------------------------------

    def set_paragraphs(self, texts: list[str], pending: set[int] | None = None) -> None:
        """Replace the document: one block per text; ``pending`` ones are drawn as placeholders."""
        self._pending = set(pending or ())
        self._hovered = -1
        self._paragraph_selection = []
        self._entity_selections = []
        self._source_selections = []
        doc = QTextDocument(self)
        doc.setDocumentMargin(22)
        doc.setDefaultFont(reading_font(self._font_size))
        doc.setUndoRedoEnabled(False)
        cursor = QTextCursor(doc)
        for i, text in enumerate(texts):
            if i:
                cursor.insertBlock()
            cursor.setBlockFormat(self._block_format())
            cursor.insertText(
                text.replace("\n", LINE_SEPARATOR), self._char_format(i in self._pending)
            )
        self.setDocument(doc)
        self.setExtraSelections([])
        self.verticalScrollBar().setValue(0)

    def set_paragraph(self, index: int, text: str, pending: bool = False) -> None:
        """Replace the text of paragraph ``index`` (e.g. when its translation arrives)."""
        if not 0 <= index < self.paragraph_count():
            return
        block = self.document().findBlockByNumber(index)
        cursor = QTextCursor(block)
        cursor.setPosition(block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text.replace("\n", LINE_SEPARATOR), self._char_format(pending))
        if pending:
            self._pending.add(index)
        else:
            self._pending.discard(index)
        self._refresh_selections()

    def paragraph_count(self) -> int:
        doc = self.document()
        return 0 if doc.isEmpty() and doc.blockCount() == 1 else doc.blockCount()

    def paragraph_text(self, index: int) -> str:
        return self.document().findBlockByNumber(index).text().replace(LINE_SEPARATOR, "\n")

    def is_pending(self, index: int) -> bool:
        return index in self._pending

    def pending_count(self) -> int:
        return len(self._pending)

    # --- highlighting ---------------------------------------------------------------------

    def highlight_paragraph(self, index: int) -> None:
        """Highlight paragraph ``index`` (the counterpart of the hovered one); -1 clears."""
        self._paragraph_selection = []
        if 0 <= index < self.paragraph_count():
            block = self.document().findBlockByNumber(index)
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(block)
            cursor.setPosition(
                block.position() + block.length() - 1, QTextCursor.MoveMode.KeepAnchor
            )
            sel.cursor = cursor
            sel.format.setBackground(QColor(self._theme.paragraph_highlight))
            self._paragraph_selection = [sel]
        self._refresh_selections()

    def highlight_positions(self, ranges: list[tuple[int, int]], scroll: bool = True) -> None:
        """Highlight document ranges ``[start, end)`` as entity mentions; scroll to the first."""
        selections = []
        end_of_doc = max(0, self.document().characterCount() - 1)
        for start, end in sorted(ranges):
            start, end = max(0, min(start, end_of_doc)), max(0, min(end, end_of_doc))
            if end <= start:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format.setBackground(QColor(self._theme.entity_highlight))
            sel.format.setProperty(ENTITY_PROPERTY, True)
            selections.append(sel)
        self._entity_selections = selections
        self._refresh_selections()
        if scroll and selections:
            cursor = QTextCursor(selections[0].cursor)
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def entity_highlight_positions(self) -> list[tuple[int, int]]:
        """The document ranges currently highlighted as entity mentions."""
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in self.extraSelections()
            if s.format.property(ENTITY_PROPERTY)
        ]

    def find_positions(self, needles: list[str]) -> list[tuple[int, int]]:
        """Document ranges where any of ``needles`` occurs as a whole word (case-insensitive)."""
        found: set[tuple[int, int]] = set()
        for needle in {n.strip() for n in needles if n and n.strip()}:
            cursor = QTextCursor(self.document())
            while True:
                cursor = self.document().find(needle, cursor, QTextDocument.FindFlag.FindWholeWords)
                if cursor.isNull():
                    break
                found.add((cursor.selectionStart(), cursor.selectionEnd()))
        return sorted(found)

    def clear_highlights(self) -> None:
        self._entity_selections = []
        self._paragraph_selection = []
        self._source_selections = []
        self._refresh_selections()

    def _refresh_selections(self) -> None:
        self.setExtraSelections(
            self._paragraph_selection + self._source_selections + self._entity_selections
        )

    # --- summary sources ------------------------------------------------------------------

    def paragraph_position(self, index: int, offset: int) -> int:
        """Document position of character ``offset`` of paragraph ``index``'s text."""
        block = self.document().findBlockByNumber(index)
        text = self.paragraph_text(index)
        return block.position() + _utf16_length(text[: max(0, min(offset, len(text)))])

    def highlight_sources(self, ranges: list[tuple[int, int]], scroll: bool = True) -> None:
        """Highlight document ranges as the sources of a summary sentence (``[]`` clears) and
        scroll the first into view when it is not."""
        selections = []
        end_of_doc = max(0, self.document().characterCount() - 1)
        color = QColor(self._theme.accent)
        color.setAlpha(SOURCE_ALPHA)
        for start, end in sorted(ranges):
            start, end = max(0, min(start, end_of_doc)), max(0, min(end, end_of_doc))
            if end <= start:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format.setBackground(color)
            sel.format.setProperty(SOURCE_PROPERTY, True)
            selections.append(sel)
        self._source_selections = selections
        self._refresh_selections()
        if scroll and selections:
            self._scroll_into_view(selections[0].cursor)

    def highlight_paragraph_spans(
        self, spans: list[tuple[int, int, int]], scroll: bool = True
    ) -> None:
        """Highlight ``(paragraph, start, end)`` spans (offsets into that paragraph's text)."""
        self.highlight_sources(
            [
                (self.paragraph_position(i, start), self.paragraph_position(i, end))
                for i, start, end in spans
                if 0 <= i < self.paragraph_count()
            ],
            scroll=scroll,
        )

    def source_highlight_positions(self) -> list[tuple[int, int]]:
        """The document ranges currently highlighted as summary sources."""
        return [
            (s.cursor.selectionStart(), s.cursor.selectionEnd())
            for s in self.extraSelections()
            if s.format.property(SOURCE_PROPERTY)
        ]

    def _scroll_into_view(self, selection: QTextCursor) -> None:
        """Scroll (only if needed) so the start of ``selection`` is visible; the user's text
        cursor and selection stay as they are."""
        cursor = QTextCursor(selection)
        cursor.setPosition(selection.selectionStart())
        rect = self.cursorRect(cursor)
        viewport = self.viewport().rect()
        if rect.top() < 0 or rect.bottom() > viewport.height():
            bar = self.verticalScrollBar()
            bar.setValue(bar.value() + rect.top() - viewport.height() // 3)

    # --- mouse ----------------------------------------------------------------------------

    def paragraph_at(self, pos) -> int:
        if self.paragraph_count() == 0:
            return -1
        block = self.cursorForPosition(pos).block()
        last = self.document().lastBlock()
        bottom = self.cursorRect(QTextCursor(last)).bottom() + 40
        return block.blockNumber() if pos.y() <= bottom else -1

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        index = self.paragraph_at(event.position().toPoint())
        if index != self._hovered:
            self._hovered = index
            self.paragraph_hovered.emit(index)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            index = self.paragraph_at(event.position().toPoint())
            if index >= 0:
                self.paragraph_clicked.emit(index)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._hovered != -1:
            self._hovered = -1
            self.paragraph_hovered.emit(-1)

    def scroll_to_paragraph(self, index: int) -> None:
        if 0 <= index < self.paragraph_count():
            block = self.document().findBlockByNumber(index)
            top = self.cursorRect(QTextCursor(block)).top()
            if not 0 <= top <= self.viewport().height() - 40:
                bar = self.verticalScrollBar()
                bar.setValue(bar.value() + top - 20)


def _utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Qt's unit for document positions)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)
