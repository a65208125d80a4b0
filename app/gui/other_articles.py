"""Names as links through the library: "in N other articles" next to each name in the Names
panel, and the list of those articles for the name the user picks.

The panel owns one :class:`OtherArticles`; the window gives it the library index and the key of
the article on screen (:meth:`OtherArticles.set_context`). A name and its acronym count as one
where a text links them ("Komisi Pemberantasan Korupsi (KPK)").
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QLabel, QListView, QVBoxLayout, QWidget

from app.gui.library_models import KEY_ROLE, LibraryModel

#: The name as the panel showed it before "in N other articles" was added.
BASE_TEXT_ROLE = Qt.ItemDataRole.UserRole + 7


class OtherArticles(QWidget):
    """The other articles naming the selected name.

    Signals:
        article_selected(str): the library key of the article the user picked.
    """

    article_selected = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Other articles naming this")
        self.index = None
        self.current_key: str | None = None
        self.counts: dict[str, int] = {}
        self.title_label = QLabel()
        self.title_label.setWordWrap(True)
        self.model = LibraryModel(self)
        self.list = QListView()
        self.list.setAccessibleName("Other articles naming the selected name")
        self.list.setModel(self.model)
        self.list.setWordWrap(True)
        self.list.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.list.activated.connect(self._on_activated)
        self.list.clicked.connect(self._on_activated)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title_label)
        layout.addWidget(self.list)
        self.setVisible(False)

    def set_context(self, index, current_key: str | None, names_model=None, role=None) -> None:
        """Use ``index`` (a LibraryIndex) with the article ``current_key`` on screen, and
        annotate ``names_model`` (the panel's model, entities under ``role``) at once."""
        self.index = index
        self.current_key = current_key
        self.show_for(None)
        if names_model is not None and role is not None:
            self.annotate(names_model, role)

    def annotate(self, model: QStandardItemModel, role: int) -> None:
        """Add "in N other articles" to every name of ``model`` that other articles name."""
        self.counts = {}
        items = []
        for row in range(model.rowCount()):
            group = model.item(row)
            for child_row in range(group.rowCount() if group else 0):
                items.append(group.child(child_row))
        named = [(item, item.data(role)) for item in items if item.data(role) is not None]
        counts = (
            self.index.other_article_counts([e.text for _, e in named], self.current_key)
            if self.index is not None
            else {}
        )
        for item, entity in named:
            base = item.data(BASE_TEXT_ROLE) or item.text()
            item.setData(base, BASE_TEXT_ROLE)
            count = counts.get(entity.text, 0)
            self.counts[entity.text] = count
            if count:
                plural = "s" if count != 1 else ""
                item.setText(f"{base}  · in {count} other article{plural}")
            else:
                item.setText(base)

    def show_for(self, name: str | None) -> None:
        """List the other articles naming ``name`` (hidden when there are none)."""
        if not name or self.index is None:
            self.model.set_entries([])
            self.setVisible(False)
            return
        named = self.index.articles_naming(name, exclude_key=self.current_key)
        self.model.set_entries(named.articles)
        if not named.articles:
            self.setVisible(False)
            return
        also = [f for f in named.forms if f != name.casefold()]
        aka = f" (also as {', '.join(also)})" if also else ""
        plural = "s" if named.total != 1 else ""
        self.title_label.setText(f"{name}{aka}: in {named.total} other article{plural}")
        self.setVisible(True)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        key = index.data(KEY_ROLE)
        if key:
            self.article_selected.emit(key)
