"""The summary card above the translation: badge, length, copy buttons and the summary text."""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtGui import (
    QGuiApplication,
)
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.base.results import Summary
from app.gui.notice_bar import NO_MODEL_MESSAGES, NoticeBar  # noqa: F401 (moved there; still importable from here)
from app.gui.summary_text import (  # noqa: F401 (moved there; still importable from here)
    LINE_HEIGHT,
    NOT_FOUND_COLOR,
    NOT_FOUND_TIP,
    SummaryText,
    sentence_tip,
)


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
        from app.core.runners.attribution import text_with_sources  # lazy: not needed to paint

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
