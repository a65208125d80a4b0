"""The entities panel: names grouped by type with counts, a filter box and Copy."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal, Slot
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.core.base.results import Entity, EntityResult, NoticeCause, StepNotice
from app.gui.notice_bar import NoticeBar
from app.gui.other_articles import OtherArticles

ENTITY_ROLE = Qt.ItemDataRole.UserRole + 1

#: Group headings for the usual NER label sets (CoNLL and OntoNotes); others show as-is.
LABEL_NAMES = {
    "PER": "People",
    "PERSON": "People",
    "ORG": "Organisations",
    "LOC": "Places",
    "GPE": "Places",
    "MISC": "Other names",
    "NAME": "Names",
    "NORP": "Groups",
    "EVENT": "Events",
    "DATE": "Dates",
}
_GROUP_ORDER = ["People", "Organisations", "Places", "Groups", "Events", "Other names", "Names"]


def group_name(label: str) -> str:
    return LABEL_NAMES.get(label.upper(), label.title() or "Names")


#: What the badge says of names the model-free recogniser typed (kind "rules").
RULES_BADGE = "Names found without a model (rules and place lists)"


def fallback_badge(kind: str, text: str) -> str:
    """The notice for names no model labelled: rules-found names say so first, so nobody takes
    them for a model's output; the reason in ``text``'s brackets follows."""
    if kind != "rules":
        return text
    reason = text[text.find("(") + 1 : text.rfind(")")] if "(" in text else ""
    return f"{RULES_BADGE}: {reason}" if reason else RULES_BADGE


class EntitiesPanel(QWidget):
    """Entities grouped by type, filterable; activating one asks the window to highlight it.

    Signals:
        entity_selected(object): the :class:`Entity` the user picked (None: selection cleared).
        install_requested(str): the user wants an entity model.
    """

    entity_selected = Signal(object)
    install_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName("Entities")
        self._result: EntityResult | None = None

        self.status_label = QLabel()
        self.status_label.setProperty("role", "meta")
        self.status_label.setWordWrap(True)
        self.notice = NoticeBar()
        self.notice.install_requested.connect(self.install_requested)

        self.filter_edit = QLineEdit()
        self.filter_edit.setPlaceholderText("Filter names")
        self.filter_edit.setAccessibleName("Filter names")
        self.filter_edit.setClearButtonEnabled(True)

        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.filter_edit.textChanged.connect(self._on_filter_changed)

        self.tree = QTreeView()
        self.tree.setAccessibleName("Names found in the article")
        self.tree.setModel(self.proxy)
        self.tree.setHeaderHidden(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.setIndentation(14)
        self.tree.selectionModel().currentChanged.connect(self._on_current_changed)
        self.tree.activated.connect(self._on_activated)
        # Names as links through the library: "in N other articles" and their list.
        self.other_articles = OtherArticles()
        self.tree.selectionModel().currentChanged.connect(
            lambda current, _: self.other_articles.show_for(
                e.text if (e := current.data(ENTITY_ROLE)) is not None else None
            )
        )

        self.copy_button = QPushButton("Copy list")
        self.copy_button.setAccessibleName("Copy the list of names")
        self.copy_button.clicked.connect(self.copy_to_clipboard)
        self.copy_button.setEnabled(False)

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 10)
        layout.setSpacing(8)
        layout.addWidget(self.notice)
        layout.addWidget(self.filter_edit)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.other_articles)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.show_empty()

    # --- content --------------------------------------------------------------------------

    def show_empty(self, text: str = "Names appear here once an article is analysed.") -> None:
        self._result = None
        self.model.clear()
        self.notice.hide()
        self.status_label.setText(text)
        self.copy_button.setEnabled(False)

    def show_pending(self) -> None:
        self.show_empty("Finding names…")

    def set_result(self, result: EntityResult | None, notice: StepNotice | None = None) -> None:
        """Show ``result``. ``notice`` (from the engine) says why no model ran, if none did:
        its cause decides the wording and whether an install button is offered."""
        self.model.clear()
        self._result = result
        if result is None:
            self.show_empty("No names were looked for.")
            return
        if result.kind != "model":
            offer = notice is not None and notice.offers_install
            if notice is None or notice.cause == NoticeCause.NO_MODEL:
                text = "Unclassified names (no entity model installed)"
            elif notice.cause == NoticeCause.LANGUAGE_NOT_COVERED:
                text = "Unclassified names (no entity model for this language installed)"
            elif notice.cause == NoticeCause.NEEDS_TRANSLATION:
                text = "Unclassified names (the name model needs the English translation)"
            else:
                text = "Unclassified names (the name model failed; see the log)"
            text = fallback_badge(result.kind, text)
            self.notice.show_message(text, install_task="entities" if offer else None)
        else:
            self.notice.hide()
        groups: dict[str, list[Entity]] = {}
        for entity in result.entities:
            groups.setdefault(group_name(entity.label), []).append(entity)
        order = sorted(
            groups, key=lambda g: (_GROUP_ORDER.index(g) if g in _GROUP_ORDER else 99, g)
        )
        for name in order:
            entities = sorted(groups[name], key=lambda e: (-e.count, e.text.lower()))
            group = QStandardItem(f"{name}  ({len(entities)})")
            group.setSelectable(False)
            font = group.font()
            font.setBold(True)
            group.setFont(font)
            group.setAccessibleText(f"{name}, {len(entities)} names")
            for entity in entities:
                item = QStandardItem(f"{entity.text}  ×{entity.count}")
                item.setData(entity, ENTITY_ROLE)
                item.setToolTip(f"{entity.text}: {entity.label}, {entity.count} mention(s)")
                item.setAccessibleText(f"{entity.text}, {entity.count} mentions")
                group.appendRow(item)
            self.model.appendRow(group)
        self.other_articles.annotate(self.model, ENTITY_ROLE)
        self.tree.expandAll()
        total = len(result.entities)
        where = " (found in the translation)" if result.via_translation else ""
        model = f" · {result.model}" if result.model else ""
        self.status_label.setText(f"{total} name{'s' if total != 1 else ''}{where}{model}")
        self.copy_button.setEnabled(total > 0)

    @property
    def result(self) -> EntityResult | None:
        return self._result

    def entity_index(self, text: str) -> QModelIndex:
        """The view index of the entity named ``text`` (invalid if filtered out or absent)."""
        for row in range(self.proxy.rowCount()):
            group = self.proxy.index(row, 0)
            for child_row in range(self.proxy.rowCount(group)):
                child = self.proxy.index(child_row, 0, group)
                entity = child.data(ENTITY_ROLE)
                if entity is not None and entity.text == text:
                    return child
        return QModelIndex()

    def select_entity(self, text: str) -> bool:
        index = self.entity_index(text)
        if index.isValid():
            self.tree.setCurrentIndex(index)
        return index.isValid()

    def as_text(self) -> str:
        """The list as plain text, one tab-separated ``name, type, count`` line per entity."""
        if not self._result:
            return ""
        lines = []
        for entity in sorted(
            self._result.entities, key=lambda e: (group_name(e.label), -e.count, e.text)
        ):
            lines.append(f"{entity.text}\t{group_name(entity.label)}\t{entity.count}")
        return "\n".join(lines)

    @Slot()
    def copy_to_clipboard(self) -> None:
        text = self.as_text()
        if text:
            QApplication.clipboard().setText(text)

    def focus_filter(self) -> None:
        self.filter_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.filter_edit.selectAll()

    # --- slots ----------------------------------------------------------------------------

    @Slot(str)
    def _on_filter_changed(self, text: str) -> None:
        self.proxy.setFilterFixedString(text)
        self.tree.expandAll()

    @Slot(QModelIndex, QModelIndex)
    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.entity_selected.emit(current.data(ENTITY_ROLE) if current.isValid() else None)

    @Slot(QModelIndex)
    def _on_activated(self, index: QModelIndex) -> None:
        entity = index.data(ENTITY_ROLE)
        if entity is not None:
            self.entity_selected.emit(entity)
