"""The Library sidebar: analysed articles from the cache, newest first, filterable by text."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit, QListView, QVBoxLayout, QWidget

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2


def _format_date(value) -> str:
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = (
                datetime.fromtimestamp(float(value))
                if isinstance(value, int | float)
                else datetime.fromisoformat(str(value))
            )
        except (TypeError, ValueError):
            return str(value or "")
    return f"{moment.day} {moment:%b %Y}"


class LibraryModel(QAbstractListModel):
    """Rows of ``LibraryEntry`` (key, title, language, source_path, analysed_at, word_count)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list = []

    def set_entries(self, entries: list) -> None:
        self.beginResetModel()
        self._entries = list(entries)
        self.endResetModel()

    def entries(self) -> list:
        return list(self._entries)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        title = entry.title or "Untitled"
        meta = " · ".join(
            part
            for part in (
                (entry.language or "").upper(),
                _format_date(entry.analysed_at),
                f"{entry.word_count} words" if entry.word_count else "",
            )
            if part
        )
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{title}\n{meta}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{title}\n{entry.source_path or ''}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}, {meta}"
        if role == KEY_ROLE:
            return entry.key
        if role == SEARCH_ROLE:
            return f"{title} {entry.language} {entry.source_path or ''}"
        return None


class LibrarySidebar(QWidget):
    """Filter box + list of analysed articles.

    Signals:
        entry_selected(str): the cache key of the article the user picked.
    """

    entry_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Library")
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter the library")
        self.filter_edit.setAccessibleName("Filter the library")
        self.filter_edit.setClearButtonEnabled(True)

        self.model = LibraryModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)

        self.list = QListView()
        self.list.setAccessibleName("Analysed articles")
        self.list.setModel(self.proxy)
        self.list.setWordWrap(True)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.activated.connect(self._on_activated)
        self.list.clicked.connect(self._on_activated)

        self.empty_label = QLabel("Articles you analyse are kept here.")
        self.empty_label.setProperty("role", "empty")
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.empty_label)

    def set_entries(self, entries: list) -> None:
        self.model.set_entries(entries)
        self.empty_label.setVisible(not entries)

    def row_for_key(self, key: str) -> QModelIndex:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(KEY_ROLE) == key:
                return index
        return QModelIndex()

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key:
            self.entry_selected.emit(key)
