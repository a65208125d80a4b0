"""The Library sidebar over a library index: lazy rows, full-text search with the match's
paragraph, syntax errors shown, sorting, and remove with undo (pytest-qt)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.analysis.library import LibraryIndex, index_in_transaction
from app.gui.library_sidebar import HIT_ROLE, KEY_ROLE, PAGE_SIZE, LibrarySidebar

pytestmark = pytest.mark.gui


@pytest.fixture
def index(tmp_path):
    with LibraryIndex(tmp_path / "results.sqlite3", sync=False) as ix:
        ix.index_article(
            "kpk",
            "KPK periksa menteri",
            None,
            "id",
            300.0,
            "Komisi Pemberantasan Korupsi (KPK) memeriksa menteri.\n\n"
            "Dana bantuan sosial diduga dikorupsi pejabat.",
            ["The KPK questioned a minister.", "Aid funds were allegedly embezzled."],
            "A minister was questioned.",
        )
        ix.index_article(
            "banjir", "Banjir di Aceh", None, "id", 200.0, "Banjir melanda Aceh.", None, None
        )
        ix.index_article(
            "minsk", "Ceasefire talks", None, "en", 100.0, "Talks in Minsk resumed.", None, None
        )
        yield ix


@pytest.fixture
def sidebar(qtbot, index):
    widget = LibrarySidebar()
    qtbot.addWidget(widget)
    widget.attach_index(index)
    widget.show()
    return widget


def shown_keys(sidebar) -> list[str]:
    return [sidebar.proxy.index(r, 0).data(KEY_ROLE) for r in range(sidebar.proxy.rowCount())]


def test_search_shows_the_match_and_opens_it_at_its_paragraph(qtbot, sidebar):
    sidebar.focus_filter()
    qtbot.keyClicks(sidebar.filter_edit, "korupsi")
    assert sidebar.searching()
    assert shown_keys(sidebar) == ["kpk"]
    row = sidebar.proxy.index(0, 0)
    assert "Korupsi" in row.data() and row.data(HIT_ROLE).paragraph == 0
    assert "<b>Korupsi</b>" in row.data(Qt.ItemDataRole.ToolTipRole)

    sidebar.filter_edit.setText("embezzled")
    row = sidebar.proxy.index(0, 0)
    with qtbot.waitSignals(
        [sidebar.hit_selected, sidebar.entry_selected],
        order="strict",
        check_params_cbs=[lambda k, f, p: (k, f, p) == ("kpk", "translation", 1), None],
    ):
        qtbot.mouseClick(
            sidebar.list.viewport(),
            Qt.MouseButton.LeftButton,
            pos=sidebar.list.visualRect(row).center(),
        )

    sidebar.filter_edit.clear()
    assert not sidebar.searching() and shown_keys(sidebar) == ["kpk", "banjir", "minsk"]


def test_bad_syntax_is_a_message_not_an_exception(sidebar):
    sidebar.filter_edit.setText('"unbalanced')
    assert sidebar.message_label.isVisible()
    assert "quote" in sidebar.message_label.text()
    assert shown_keys(sidebar) == []
    sidebar.filter_edit.setText("NEAR(")
    assert "NEAR(" in sidebar.message_label.text()
    sidebar.filter_edit.setText("tidakadasamasekali")
    assert "No article" in sidebar.message_label.text()


def test_sorting(sidebar):
    sidebar.set_sort("title")
    assert shown_keys(sidebar) == ["banjir", "minsk", "kpk"]
    sidebar.set_sort("language")
    assert shown_keys(sidebar) == ["minsk", "kpk", "banjir"]


def test_remove_with_undo(qtbot, sidebar, index):
    sidebar.list.setCurrentIndex(sidebar.row_for_key("banjir"))
    with qtbot.waitSignal(sidebar.removed, check_params_cb=lambda key: key == "banjir"):
        sidebar.list.setFocus()
        qtbot.keyClick(sidebar.list, Qt.Key.Key_Delete)
    assert shown_keys(sidebar) == ["kpk", "minsk"]
    assert sidebar.undo_bar.isVisible() and "Banjir di Aceh" in sidebar.undo_label.text()
    assert index.search("Aceh") == []
    with qtbot.waitSignal(sidebar.restored):
        qtbot.mouseClick(sidebar.undo_button, Qt.MouseButton.LeftButton)
    assert shown_keys(sidebar) == ["kpk", "banjir", "minsk"]
    assert [h.key for h in index.search("Aceh")] == ["banjir"]
    # Removed again and the window closes: gone for good.
    sidebar.list.setCurrentIndex(sidebar.row_for_key("banjir"))
    assert sidebar.remove_selected() == ["banjir"]
    removed = []
    index.cache.remove = removed.append
    assert sidebar.purge_removed() == ["banjir"] and removed == ["banjir"]
    assert not sidebar.undo_bar.isVisible() and sidebar.undo_remove() is None


def test_the_list_loads_rows_a_page_at_a_time(qtbot, tmp_path):
    with LibraryIndex(tmp_path / "big.sqlite3", sync=False) as ix:
        with ix._db:
            for n in range(PAGE_SIZE * 3):
                index_in_transaction(
                    ix._db, f"k{n}", f"Artikel {n}", None, "id", float(n), f"Teks {n}.", None, None
                )
        sidebar = LibrarySidebar()
        qtbot.addWidget(sidebar)
        sidebar.resize(300, 400)
        sidebar.attach_index(ix)
        sidebar.show()
        qtbot.waitExposed(sidebar)
        assert sidebar.model.total() == PAGE_SIZE * 3
        assert sidebar.model.rowCount() < PAGE_SIZE * 3  # not every row is loaded
        sidebar.list.scrollToBottom()
        qtbot.waitUntil(lambda: sidebar.model.rowCount() > PAGE_SIZE)
        while sidebar.model.canFetchMore():
            sidebar.model.fetchMore()
        assert shown_keys(sidebar)[-1] == "k0" and len(set(shown_keys(sidebar))) == PAGE_SIZE * 3


def test_export_selected_asks_for_the_selected_keys(qtbot, sidebar):
    selection = sidebar.list.selectionModel()
    for key in ("kpk", "minsk"):
        selection.select(sidebar.row_for_key(key), selection.SelectionFlag.Select)
    with qtbot.waitSignal(
        sidebar.export_requested, check_params_cb=lambda keys: keys == ["kpk", "minsk"]
    ):
        sidebar.export_action.trigger()
