"""A plain statement with an optional Install button (no model installed, a step that failed)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

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
