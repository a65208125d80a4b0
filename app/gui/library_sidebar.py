"""The Library sidebar: analysed articles, newest first (or by title or language), a search
over their full text, and removal with undo.

With a :class:`~app.core.analysis.library.LibraryIndex` attached (:meth:`LibrarySidebar.
attach_index`) the list is a lazy model over the index (pages of rows fetched as the view
scrolls, never one widget per article) and the field searches the original, translation and
summary of every article; choosing a result emits :attr:`LibrarySidebar.hit_selected` with the
paragraph of the match before :attr:`LibrarySidebar.entry_selected`. Without an index the
sidebar shows the entries it is given and the field filters them by title, language or path.
"""

from __future__ import annotations

from PySide6.QtCore import (
    QModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.analysis.library import SearchSyntaxError
from app.gui.library_models import (  # noqa: F401 (moved there; still importable from here)
    HIT_ROLE,
    KEY_ROLE,
    PAGE_SIZE,
    SEARCH_ROLE,
    SORT_LABELS,
    LibraryModel,
    SearchResultsModel,
)


class LibrarySidebar(QWidget):
    """Search field, sort, and the list of analysed articles (or of search results).

    Signals:
        entry_selected(str): the library key of the article the user picked.
        hit_selected(str, str, int): a search result was picked: key, field ("original",
            "translation", "summary" or "title") and paragraph index (-1: none); emitted
            just before ``entry_selected`` for the same key.
        removed(str): an article was removed from the library (undo is offered).
        restored(str): a removal was undone.
        export_requested(list): the user wants the selected articles (keys) exported.
    """

    entry_selected = Signal(str)
    hit_selected = Signal(str, str, int)
    removed = Signal(str)
    restored = Signal(str)
    export_requested = Signal(list)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Library")
        self.index = None
        self._undo: list[tuple[str, str]] = []  # (key, title), most recent last
        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter the library")
        self.filter_edit.setAccessibleName("Filter the library")
        self.filter_edit.setClearButtonEnabled(True)

        self.sort_combo = QComboBox()
        self.sort_combo.setAccessibleName("Sort the library")
        for key, label in SORT_LABELS.items():
            self.sort_combo.addItem(label, key)
        self.sort_combo.currentIndexChanged.connect(lambda _: self.reload())
        self.sort_combo.setVisible(False)

        self.model = LibraryModel(self)
        self.results = SearchResultsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setFilterRole(SEARCH_ROLE)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit.textChanged.connect(self._on_text_changed)

        self.list = QListView()
        self.list.setAccessibleName("Analysed articles")
        self.list.setModel(self.proxy)
        self.list.setWordWrap(True)
        self.list.setUniformItemSizes(True)  # rows are laid out without measuring each one
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.list.setSpacing(2)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setResizeMode(QListView.ResizeMode.Adjust)
        self.list.activated.connect(self._on_activated)
        self.list.clicked.connect(self._on_activated)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.remove_action = QAction("Remove from library", self.list)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.remove_action.triggered.connect(self.remove_selected)
        self.list.addAction(self.remove_action)
        self.export_action = QAction("Export selected…", self.list)
        self.export_action.triggered.connect(
            lambda: self.export_requested.emit(self.selected_keys())
        )
        self.list.addAction(self.export_action)

        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self.message_label.setAccessibleName("Library search message")
        self.message_label.setVisible(False)

        self.undo_label = QLabel()
        self.undo_label.setWordWrap(True)
        self.undo_button = QPushButton("Undo")
        self.undo_button.setAccessibleName("Undo remove")
        self.undo_button.clicked.connect(self.undo_remove)
        self.undo_bar = QWidget()
        undo_layout = QHBoxLayout(self.undo_bar)
        undo_layout.setContentsMargins(0, 0, 0, 0)
        undo_layout.addWidget(self.undo_label, 1)
        undo_layout.addWidget(self.undo_button)
        self.undo_bar.setVisible(False)

        self.empty_label = QLabel("Articles you analyse are kept here.")
        self.empty_label.setProperty("role", "empty")
        self.empty_label.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.sort_combo)
        layout.addWidget(self.message_label)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.undo_bar)
        layout.addWidget(self.empty_label)

    # --- content -------------------------------------------------------------------------

    def set_entries(self, entries: list) -> None:
        """Show ``entries`` (without an index); with an index the index is reread instead."""
        if self.index is not None:
            self.reload()
            return
        self.model.set_entries(entries)
        self.empty_label.setVisible(not entries)

    def attach_index(self, index) -> None:
        """Use ``index`` (a LibraryIndex) for the list, sorting, search and removal."""
        self.index = index
        self.filter_edit.setPlaceholderText('Search the library (words, "phrases", korup*)')
        self.filter_edit.setAccessibleName("Search the library")
        self.sort_combo.setVisible(True)
        self.reload()

    def sort_key(self) -> str:
        return self.sort_combo.currentData() or "date"

    def set_sort(self, sort: str) -> None:
        self.sort_combo.setCurrentIndex(list(SORT_LABELS).index(sort))

    def reload(self) -> None:
        """Reread the list from the index (lazily) and rerun a search that is showing."""
        if self.index is None:
            return
        index, sort = self.index, self.sort_key()
        total = index.count()
        self.model.set_source(lambda offset, limit: index.articles(sort, offset, limit), total)
        self.empty_label.setVisible(total == 0)
        if self.filter_edit.text().strip():
            self._search(self.filter_edit.text())

    def searching(self) -> bool:
        return self.proxy.sourceModel() is self.results

    # --- search --------------------------------------------------------------------------

    @Slot(str)
    def _on_text_changed(self, text: str) -> None:
        if self.index is None:
            self.proxy.setFilterFixedString(text)
            return
        if not text.strip():
            self._show_message("")
            self.proxy.setSourceModel(self.model)
            self.list.setAccessibleName("Analysed articles")
            return
        self._search(text)

    def _search(self, text: str) -> None:
        """Run the search at once: it takes milliseconds even over 10,000 articles."""
        try:
            hits = self.index.search(text, limit=50)
        except SearchSyntaxError as exc:
            self.results.set_hits([])
            self._show_message(str(exc))
        else:
            self.results.set_hits(hits)
            self._show_message("" if hits else f"No article mentions {text.strip()!r}.")
        if self.proxy.sourceModel() is not self.results:
            self.proxy.setSourceModel(self.results)
        self.list.setAccessibleName("Search results")

    def _show_message(self, text: str) -> None:
        self.message_label.setText(text)
        self.message_label.setVisible(bool(text))

    # --- removal with undo ---------------------------------------------------------------

    def selected_keys(self) -> list[str]:
        rows = sorted(self.list.selectionModel().selectedIndexes(), key=lambda i: i.row())
        keys = [i.data(KEY_ROLE) for i in rows]
        if not keys and self.list.currentIndex().isValid():
            keys = [self.list.currentIndex().data(KEY_ROLE)]
        return [k for k in dict.fromkeys(keys) if k]

    @Slot()
    def remove_selected(self) -> list[str]:
        """Remove the selected articles (undo with :meth:`undo_remove` until purged)."""
        if self.index is None:
            return []
        done = []
        for key in self.selected_keys():
            article = self.index.article(key)
            if article is not None and self.index.remove(key):
                self._undo.append((key, article.title or "Untitled"))
                done.append(key)
        if done:
            self.reload()
            title = self._undo[-1][1]
            what = f"“{title}”" if len(done) == 1 else f"{len(done)} articles"
            self.undo_label.setText(f"Removed {what} from the library.")
            self.undo_bar.setVisible(True)
            for key in done:
                self.removed.emit(key)
        return done

    @Slot()
    def undo_remove(self) -> str | None:
        """Bring back the most recently removed article."""
        if self.index is None or not self._undo:
            return None
        key, title = self._undo.pop()
        self.index.restore(key)
        self.reload()
        self.undo_label.setText(f"“{title}” is back in the library.")
        self.undo_bar.setVisible(bool(self._undo))
        self.restored.emit(key)
        return key

    def purge_removed(self) -> list[str]:
        """Forget removed articles for good (the window calls this when it closes)."""
        self._undo.clear()
        self.undo_bar.setVisible(False)
        return self.index.purge_removed() if self.index is not None else []

    # --- navigation ----------------------------------------------------------------------

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
        if not key:
            return
        hit = index.data(HIT_ROLE)
        if hit is not None:
            self.hit_selected.emit(key, hit.field, hit.paragraph)
        self.entry_selected.emit(key)
