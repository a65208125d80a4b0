"""The summary card above the translation, and the notice shown in a pane whose step has no model."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, QPointF, QSize, QSizeF, Qt, Signal, Slot
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QGuiApplication,
    QHelpEvent,
    QMouseEvent,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextOption,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTextBrowser,
    QTextEdit,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from app.core.base.results import Summary
from app.core.runners.attribution import text_with_sources

#: What a pane says when its step has no model, keyed by step (= model store task) name.
NO_MODEL_MESSAGES = {
    "translate": "No translation model installed",
    "summarize": "No summarisation model installed",
    "entities": "No entity model installed",
}


class NoticeBar(QFrame):
    """A plain statement (e.g. "No translation model installed") with an optional button.

    Signals:
        install_requested(str): the "Install model…" button was pressed; carries the task.
    """

    install_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setProperty("role", "notice")
        self._task = ""
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.install_button = QPushButton("Install model…")
        self.install_button.setAccessibleName("Install model")
        self.install_button.clicked.connect(lambda: self.install_requested.emit(self._task))
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        buttons = QHBoxLayout()
        buttons.addWidget(self.install_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(14, 10, 12, 12)
        layout.setSpacing(8)
        layout.addWidget(self.label)
        layout.addLayout(buttons)
        self.hide()

    def show_message(self, text: str, install_task: str | None = None) -> None:
        self._task = install_task or ""
        self.label.setText(text)
        self.label.setAccessibleName(text)
        self.install_button.setVisible(bool(install_task))
        self.show()

    @property
    def task(self) -> str:
        return self._task


#: Line height of the summary text, in percent of the font's line spacing.
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


class SummaryCard(QFrame):
    """The summary: title, a badge naming its kind and model, a length selector and Copy.

    Signals:
        copy_requested(): the Copy button was pressed.
        length_changed(str): the user picked short/medium/long.
        install_requested(str): the user wants a summarisation model.
    """

    copy_requested = Signal()
    length_changed = Signal(str)
    install_requested = Signal(str)
    #: the summary text with source paragraph numbers went to the clipboard
    copied_with_sources = Signal(str)
    #: a summary sentence is hovered (-1: none) or clicked: show its sources
    sentence_hovered = Signal(int)
    sentence_clicked = Signal(int)
    #: a new summary (or none) is shown: sources shown for the old one are stale
    summary_changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("summaryCard")
        self.setAccessibleName("Summary")
        self._summary: Summary | None = None

        title = QLabel("Summary")
        title.setProperty("role", "card-title")
        font = title.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.15)
        title.setFont(font)

        self.badge = QLabel()
        self.badge.setProperty("role", "badge")
        self.badge.setAccessibleName("Summary kind")
        self.badge.setMinimumWidth(40)  # may be cut in a very narrow window, never widens it
        self.badge.hide()

        self.length_box = QComboBox()
        self.length_box.setAccessibleName("Summary length")
        self.length_box.setToolTip("Summary length")
        for value in ("short", "medium", "long"):
            self.length_box.addItem(value.capitalize(), value)
        self.length_box.setCurrentIndex(1)
        self.length_box.activated.connect(self._on_length_activated)

        self.note = QLabel()
        self.note.setProperty("role", "meta")
        self.note.setWordWrap(True)
        self.note.setAccessibleName("Note about the summary")
        self.note.hide()

        self.install_button = QPushButton("Install model…")
        self.install_button.setAccessibleName("Install a summarisation model")
        self.install_button.clicked.connect(lambda: self.install_requested.emit("summarize"))
        self.install_button.hide()

        self.copy_button = QPushButton("Copy")
        self.copy_button.setAccessibleName("Copy summary")
        self.copy_button.setToolTip("Copy the summary (Ctrl+Shift+C)")
        self.copy_button.clicked.connect(self.copy_requested)
        self.copy_button.setEnabled(False)

        self.copy_sources_button = QPushButton("Copy with sources")
        self.copy_sources_button.setAccessibleName("Copy summary with sources")
        self.copy_sources_button.setToolTip(
            "Copy the summary with the article paragraphs each sentence comes from"
        )
        self.copy_sources_button.clicked.connect(self.copy_with_sources)
        self.copy_sources_button.setEnabled(False)

        self.check_label = QLabel()
        self.check_label.setProperty("role", "meta")
        self.check_label.setWordWrap(True)
        self.check_label.setAccessibleName("Summary check")
        self.check_label.hide()

        header = QHBoxLayout()
        header.setSpacing(8)
        header.addWidget(title)
        header.addStretch(1)
        header.addWidget(self.length_box)
        header.addWidget(self.copy_button)
        header.addWidget(self.copy_sources_button)

        badges = QHBoxLayout()
        badges.setSpacing(8)
        badges.addWidget(self.badge)
        badges.addStretch(1)
        install_row = QHBoxLayout()
        install_row.addWidget(self.install_button)
        install_row.addStretch(1)

        self.body = SummaryText()
        self.body.setAccessibleName("Summary text")
        self.body.sentence_hovered.connect(self.sentence_hovered)
        self.body.sentence_clicked.connect(self.sentence_clicked)
        self._muted_color: str | None = None
        self._accent: str | None = None

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 16)
        layout.setSpacing(10)
        layout.addLayout(header)
        layout.addLayout(badges)
        layout.addLayout(install_row)
        layout.addWidget(self.note)
        layout.addWidget(self.body)
        layout.addWidget(self.check_label)
        self.show_empty()

    # --- state ----------------------------------------------------------------------------

    def set_reading_font(self, font, muted_color: str | None = None) -> None:
        self.body.set_reading_font(font)
        self._muted_color = muted_color

    def set_note(self, text: str) -> None:
        """A remark from the engine about this summary (e.g. written in the article's language)."""
        self.note.setText(text[:1].upper() + text[1:] if text else "")
        self.note.setVisible(bool(text))

    def show_empty(self) -> None:
        self._summary = None
        self.set_note("")
        self._set_body("Open an article to see its summary here.", muted=True)
        self.badge.hide()
        self.install_button.hide()
        self.copy_button.setEnabled(False)

    def show_pending(self, message: str = "Summarising…") -> None:
        self._summary = None
        self.set_note("")
        self._set_body(message, muted=True)
        self.badge.hide()
        self.install_button.hide()
        self.copy_button.setEnabled(False)

    def show_summary(self, summary: Summary, no_model: bool = False) -> None:
        """Show ``summary``; ``no_model`` marks an extractive fallback for lack of a summariser."""
        self._summary = summary
        self._set_body(summary.text, muted=False)
        self.body.set_marks(summary, self._accent)
        self._show_check(summary)
        self.summary_changed.emit()
        if summary.kind == "abstractive":
            self.badge.setText(f"Abstractive · {summary.model}" if summary.model else "Abstractive")
            self.badge.setProperty("role", "badge")
        elif no_model:
            self.badge.setText("Extractive summary (no summariser installed)")
            self.badge.setProperty("role", "badge-warning")
        else:
            self.badge.setText("Extractive summary (key sentences of the article)")
            self.badge.setProperty("role", "badge-warning")
        self.badge.style().unpolish(self.badge)
        self.badge.style().polish(self.badge)
        self.badge.show()
        self.install_button.setVisible(no_model)
        self.copy_button.setEnabled(bool(summary.text))
        self.copy_sources_button.setEnabled(bool(summary.text and summary.sentences))
        index = self.length_box.findData(summary.length)
        if index >= 0:
            self.length_box.setCurrentIndex(index)

    def show_message(self, text: str) -> None:
        """A step-level message instead of a summary (e.g. the summary step failed)."""
        self._summary = None
        self._set_body(text, muted=True)
        self.badge.hide()
        self.copy_button.setEnabled(False)

    def _set_body(self, text: str, muted: bool) -> None:
        self.body.set_text(text, self._muted_color if muted else None)
        if muted:  # no summary on show (empty, pending, a message)
            self.copy_sources_button.setEnabled(False)
            self.check_label.hide()
            self.summary_changed.emit()

    def _show_check(self, summary: Summary) -> None:
        """One line under the summary: how to see sources, and what the article lacks."""
        if not summary.sentences:
            self.check_label.hide()
            return
        missing = len(summary.unsupported)
        unsourced = sum(1 for s in summary.sentences if not s.sources)
        parts = ["Point at a sentence to see where it comes from."]
        if missing:
            parts.append(
                f"{missing} underlined item{'s' if missing > 1 else ''} not found in the article."
            )
        if unsourced:
            parts.append(
                f"{unsourced} sentence{'s' if unsourced > 1 else ''} without a source in the article."
            )
        self.check_label.setText(" ".join(parts))
        self.check_label.show()

    def set_accent(self, color: str) -> None:
        """The theme's accent colour, used to tint the sentence whose sources are shown."""
        self._accent = color

    @Slot()
    def copy_with_sources(self) -> None:
        """Copy the summary with each sentence's source paragraph numbers ("[¶2, ¶3]")."""
        if self._summary is None or not self._summary.text:
            return
        text = text_with_sources(self._summary)
        QGuiApplication.clipboard().setText(text)
        self.copied_with_sources.emit(text)

    @property
    def summary(self) -> Summary | None:
        return self._summary

    def set_length(self, length: str) -> None:
        index = self.length_box.findData(length)
        if index >= 0:
            self.length_box.setCurrentIndex(index)

    @Slot(int)
    def _on_length_activated(self, index: int) -> None:
        self.length_changed.emit(self.length_box.itemData(index))
