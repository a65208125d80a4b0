"""Small widgets and helpers of the main window: elided labels, captioned panes, names."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QStatusBar,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

_FORMAT_TITLES = {
    "txt": "Text",
    "md": "Markdown",
    "html": "Web pages",
    "epub": "EPUB books",
    "pdf": "PDF documents",
    "docx": "Word documents",
}
_LANGUAGE_NAMES = {
    "id": "Indonesian",
    "en": "English",
    "ms": "Malay",
    "jv": "Javanese",
    "su": "Sundanese",
    "nl": "Dutch",
    "de": "German",
    "fr": "French",
    "es": "Spanish",
    "und": "Unknown language",
}


def language_name(code: str | None) -> str:
    return _LANGUAGE_NAMES.get(code or "und", (code or "und").upper())


def open_file_filters() -> str:
    # lazy: the reader pulls in the format libraries, which the first paint does not need
    from app.core.reading.reader import SUPPORTED_FORMATS

    formats = dict(SUPPORTED_FORMATS)
    all_patterns = " ".join(f"*{ext}" for exts in formats.values() for ext in exts)
    parts = [f"Articles ({all_patterns})"]
    for name, exts in formats.items():
        title = _FORMAT_TITLES.get(name, name.upper())
        parts.append(f"{title} ({' '.join('*' + e for e in exts)})")
    parts.append("All files (*)")
    return ";;".join(parts)


class ElidedLabel(QLabel):
    """A one-line label that ends in "…" when narrower than its text (and never widens a pane)."""

    def __init__(self, text: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self._full = ""
        self.setMinimumWidth(40)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.set_full_text(text)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def full_text(self) -> str:
        return self._full

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        margins = self.contentsMargins().left() + self.contentsMargins().right() + 12
        width = max(10, self.width() - margins)
        self.setText(self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width))


class Pane(QWidget):
    """A caption ("ORIGINAL · INDONESIAN") above a widget."""

    def __init__(self, caption: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.caption = ElidedLabel(caption.upper())
        self.caption.setProperty("role", "pane-title")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(6)
        self.layout_.addWidget(self.caption)

    def set_caption(self, text: str, detail: str = "") -> None:
        self.caption.set_full_text(text.upper() + (f"  ·  {detail}" if detail else ""))


class StatusArea:
    """The status bar's step label, progress bar and Cancel button."""

    def __init__(self, bar: QStatusBar):
        bar.setSizeGripEnabled(False)
        self.step_label = QLabel("Ready")
        # long messages are cut, not allowed to widen the window
        self.step_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.step_label.setMinimumWidth(80)
        self.step_label.setAccessibleName("Analysis status")
        self.progress_bar = QProgressBar()
        self.progress_bar.setAccessibleName("Analysis progress")
        self.progress_bar.setTextVisible(False)
        self.progress_bar.setFixedWidth(180)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the analysis")
        self.cancel_button.setToolTip("Cancel the analysis (Esc)")
        bar.addWidget(self.step_label, 1)
        bar.addPermanentWidget(self.progress_bar)
        bar.addPermanentWidget(self.cancel_button)
        self.progress_bar.hide()
        self.cancel_button.hide()


def size_text(mb: float) -> str:
    """A model's size for a reader: "1.2 GB", "300 MB", "< 1 MB"."""
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB" if mb >= 1 else "< 1 MB"


def languages_text(languages: list[str]) -> str:
    return "many" if "*" in languages else ", ".join(languages)


def model_table(headers: list[str], name: str) -> QTableWidget:
    """A read-only, row-selecting table of models (the Models dialog's two lists)."""
    table = QTableWidget(0, len(headers))
    table.setAccessibleName(name)
    table.setHorizontalHeaderLabels(headers)
    table.verticalHeader().hide()
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(False)
    table.setShowGrid(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    return table
