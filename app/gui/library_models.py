"""List models of the library: every analysed article (paged, lazy) and search results."""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)

KEY_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
#: The SearchHit behind a search result row.
HIT_ROLE = Qt.ItemDataRole.UserRole + 3
#: Rows fetched from the index at a time as the list scrolls.
PAGE_SIZE = 200
SORT_LABELS = {"date": "Newest first", "title": "By title", "language": "By language"}


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


def _meta(entry) -> str:
    return " · ".join(
        part
        for part in (
            (entry.language or "").upper(),
            _format_date(entry.analysed_at),
            f"{entry.word_count} words" if entry.word_count else "",
        )
        if part
    )


class LibraryModel(QAbstractListModel):
    """Rows of library entries (key, title, language, source_path, analysed_at, word_count).

    Either a plain list (:meth:`set_entries`) or a lazy source (:meth:`set_source`): a
    ``fetch(offset, limit)`` function and a total, read a page at a time through Qt's
    ``canFetchMore``/``fetchMore`` as the view needs rows.
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self._entries: list = []
        self._fetch: Callable[[int, int], list] | None = None
        self._total = 0

    def set_entries(self, entries: list) -> None:
        self.beginResetModel()
        self._fetch = None
        self._entries = list(entries)
        self._total = len(self._entries)
        self.endResetModel()

    def set_source(self, fetch: Callable[[int, int], list], total: int) -> None:
        self.beginResetModel()
        self._fetch = fetch
        self._total = total
        self._entries = fetch(0, min(PAGE_SIZE, total)) if total else []
        self.endResetModel()

    def entries(self) -> list:
        return list(self._entries)

    def total(self) -> int:
        """All rows, loaded or not."""
        return self._total

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entries)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetch is not None and len(self._entries) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        more = self._fetch(len(self._entries), PAGE_SIZE)
        if not more:
            self._total = len(self._entries)
            return
        first = len(self._entries)
        self.beginInsertRows(QModelIndex(), first, first + len(more) - 1)
        self._entries.extend(more)
        self.endInsertRows()

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._entries):
            return None
        entry = self._entries[index.row()]
        title = entry.title or "Untitled"
        meta = _meta(entry)
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{title}\n{meta}"
        if role == Qt.ItemDataRole.ToolTipRole:
            missing = getattr(entry, "source_missing", False)
            where = entry.source_path or "pasted or unsaved text"
            note = "\n(the original file is gone; the library keeps the article)" if missing else ""
            return f"{title}\n{where}{note}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}, {meta}"
        if role == KEY_ROLE:
            return entry.key
        if role == SEARCH_ROLE:
            return f"{title} {entry.language} {entry.source_path or ''}"
        return None


class SearchResultsModel(QAbstractListModel):
    """Rows of :class:`~app.core.analysis.library.SearchHit`: title, then the snippet."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._hits: list = []

    def set_hits(self, hits: list) -> None:
        self.beginResetModel()
        self._hits = list(hits)
        self.endResetModel()

    def hits(self) -> list:
        return list(self._hits)

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._hits)

    def data(self, index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._hits):
            return None
        hit = self._hits[index.row()]
        title = hit.article.title or "Untitled"
        where = hit.field if hit.paragraph < 0 else f"{hit.field}, ¶{hit.paragraph + 1}"
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{title}\n{hit.snippet}\n{where}"
        if role == Qt.ItemDataRole.ToolTipRole:
            marked = hit.highlighted("<b>", "</b>", html.escape)
            return f"<p><b>{html.escape(title)}</b></p><p>{marked}</p>"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{title}: {hit.snippet}"
        if role in (KEY_ROLE,):
            return hit.key
        if role == HIT_ROLE:
            return hit
        if role == SEARCH_ROLE:
            return ""
        return None
