"""The summary's text: sentences that know their sources, unsupported items underlined."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, QSizeF, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QHelpEvent,
    QMouseEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QFrame,
    QTextBrowser,
    QTextEdit,
    QToolTip,
    QWidget,
)

from app.core.base.results import Summary
from app.gui.notice_bar import NO_MODEL_MESSAGES, NoticeBar  # noqa: F401 (moved there; still importable from here)

LINE_HEIGHT = 140
#: The tooltip of a name, number, date or amount of the summary the article does not contain.
NOT_FOUND_TIP = "not found in the article"
#: Underline colour of such an item.
NOT_FOUND_COLOR = "#c0392b"


def sentence_tip(sentence) -> str:
    """A summary sentence's tooltip: its source paragraphs and support, or that it has none."""
    paragraphs = sorted({s.paragraph + 1 for s in sentence.sources})
    if not paragraphs:
        return "No source found in the article"
    where = ", ".join(f"¶{p}" for p in paragraphs)
    return f"From paragraph{'s' if len(paragraphs) > 1 else ''} {where} · support {sentence.support:.0%}"


def _utf16_length(text: str) -> int:
    """Length of ``text`` in UTF-16 code units (Qt's unit for document positions)."""
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


class SummaryText(QTextBrowser):
    """Read-only text that grows with its content up to ``max_lines`` lines, then scrolls.

    Unlike a word-wrapped QLabel it also breaks words longer than a line, so any model
    output fits the card's width. With :meth:`set_marks` it knows its sentences (hovering one
    emits ``sentence_hovered``, clicking one ``sentence_clicked``) and underlines the items the
    article does not contain, with the tooltip :data:`NOT_FOUND_TIP`.
    """

    sentence_hovered = Signal(int)
    sentence_clicked = Signal(int)

    def __init__(self, max_lines: int = 9, parent: QWidget | None = None):
        super().__init__(parent)
        self._sentence_spans: list[tuple[int, int]] = []  # document positions
        self._flag_spans: list[tuple[int, int]] = []
        self._sentence_tips: list[str] = []
        self._hovered = -1
        self._accent = "#1b7183"
        self.setMouseTracking(True)
        self.viewport().setMouseTracking(True)
        # the keyboard reaches the sources too: moving the text cursor into a sentence pins it
        self.setTextInteractionFlags(
            self.textInteractionFlags() | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.cursorPositionChanged.connect(self._on_cursor_moved)
        self.setObjectName("summaryText")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.document().setDocumentMargin(0)
        self._max_lines = max_lines
        self.document().documentLayout().documentSizeChanged.connect(self._fit)

    def set_reading_font(self, font) -> None:
        self._font = font
        self.setFont(font)

    def set_text(self, text: str, color: str | None = None) -> None:
        self._sentence_spans, self._flag_spans, self._sentence_tips = [], [], []
        if self._hovered != -1:
            self._hovered = -1
            self.sentence_hovered.emit(-1)
        self.setExtraSelections([])
        self.setPlainText(text)
        fmt = QTextCharFormat()
        # explicit, because the application stylesheet re-polishes the widget font
        font = getattr(self, "_font", None)
        if font is not None:
            fmt.setFontFamilies([font.family()])
            fmt.setFontPointSize(font.pointSizeF())
        if color:
            fmt.setForeground(QColor(color))
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.mergeCharFormat(fmt)
        block = QTextBlockFormat()
        block.setLineHeight(LINE_HEIGHT, QTextBlockFormat.LineHeightTypes.ProportionalHeight.value)
        cursor.mergeBlockFormat(block)

    # --- sentences and unsupported items ---------------------------------------------------

    def set_marks(self, summary: Summary, accent: str | None = None) -> None:
        """Learn ``summary``'s sentences and underline its unsupported items (call after
        :meth:`set_text` with ``summary.text``)."""
        text = summary.text

        def position(offset: int) -> int:
            return _utf16_length(text[:offset])

        self._accent = accent or self._accent
        self._sentence_spans = [(position(s.start), position(s.end)) for s in summary.sentences]
        self._flag_spans = [(position(u.start), position(u.end)) for u in summary.unsupported]
        self._sentence_tips = [sentence_tip(s) for s in summary.sentences]
        fmt = QTextCharFormat()
        fmt.setUnderlineStyle(QTextCharFormat.UnderlineStyle.WaveUnderline)
        fmt.setUnderlineColor(QColor(NOT_FOUND_COLOR))
        fmt.setToolTip(NOT_FOUND_TIP)
        for start, end in self._flag_spans:
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(fmt)

    def underlined_ranges(self) -> list[tuple[int, int]]:
        """Document ranges drawn with the "not found in the article" underline."""
        ranges = []
        block = self.document().begin()
        while block.isValid():
            it = block.begin()
            while not it.atEnd():
                fragment = it.fragment()
                if fragment.charFormat().toolTip() == NOT_FOUND_TIP:
                    start = fragment.position()
                    if ranges and ranges[-1][1] == start:
                        ranges[-1] = (ranges[-1][0], start + fragment.length())
                    else:
                        ranges.append((start, start + fragment.length()))
                it += 1
            block = block.next()
        return ranges

    def _document_position(self, pos: QPoint) -> int:
        """The document position under viewport point ``pos``; -1 off the text."""
        point = QPointF(
            pos.x() + self.horizontalScrollBar().value(), pos.y() + self.verticalScrollBar().value()
        )
        layout = self.document().documentLayout()
        return layout.hitTest(point, Qt.HitTestAccuracy.ExactHit)

    def sentence_at(self, pos: QPoint) -> int:
        """Index of the summary sentence under viewport point ``pos``; -1 for none."""
        position = self._document_position(pos)
        if position < 0:
            return -1
        for i, (start, end) in enumerate(self._sentence_spans):
            if start <= position < end:
                return i
        return -1

    def sentence_at_position(self, position: int) -> int:
        """Index of the summary sentence holding document ``position`` (its end included)."""
        for i, (start, end) in enumerate(self._sentence_spans):
            if start <= position <= end:
                return i
        return -1

    @Slot()
    def _on_cursor_moved(self) -> None:
        if self.hasFocus():
            index = self.sentence_at_position(self.textCursor().position())
            if index >= 0:
                self.sentence_clicked.emit(index)

    def tooltip_at(self, pos: QPoint) -> str:
        """:data:`NOT_FOUND_TIP` over an unsupported item, else where the sentence comes from."""
        position = self._document_position(pos)
        if any(start <= position < end for start, end in self._flag_spans):
            return NOT_FOUND_TIP
        index = self.sentence_at(pos)
        return self._sentence_tips[index] if 0 <= index < len(self._sentence_tips) else ""

    def point_of(self, position: int) -> QPoint:
        """A viewport point over document position ``position`` (for tests and tools)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(position)
        rect = self.cursorRect(cursor)
        return QPoint(rect.left() + 2, rect.center().y())

    def highlight_sentence(self, index: int) -> None:
        """Tint sentence ``index`` (the one whose sources are shown); -1 clears."""
        selections = []
        if 0 <= index < len(self._sentence_spans):
            start, end = self._sentence_spans[index]
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(self.document())
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            color = QColor(self._accent)
            color.setAlpha(40)
            sel.format.setBackground(color)
            selections.append(sel)
        self.setExtraSelections(selections)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        super().mouseMoveEvent(event)
        index = self.sentence_at(event.position().toPoint())
        if index != self._hovered:
            self._hovered = index
            self.sentence_hovered.emit(index)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            index = self.sentence_at(event.position().toPoint())
            if index >= 0:
                self.sentence_clicked.emit(index)

    def leaveEvent(self, event: QEvent) -> None:
        super().leaveEvent(event)
        if self._hovered != -1:
            self._hovered = -1
            self.sentence_hovered.emit(-1)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            tip = self.tooltip_at(event.pos())
            if tip:
                QToolTip.showText(event.globalPos(), tip, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def set_max_lines(self, lines: int) -> None:
        self._max_lines = lines
        self._fit()

    def _fit(self, size: QSizeF | None = None) -> None:
        """Prefer the text's height up to ``max_lines``; shrink to 3 lines when space is short."""
        height = (size or self.document().size()).height()
        font = getattr(self, "_font", None) or self.font()
        line = QFontMetrics(font).lineSpacing() * LINE_HEIGHT / 100
        self._preferred = int(min(height, line * self._max_lines)) + 2
        self.setMinimumHeight(int(min(height, line * 3)) + 2)
        self.setMaximumHeight(self._preferred)
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        return QSize(super().sizeHint().width(), getattr(self, "_preferred", 60))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit()
