"""Names as links: the Names panel shows "in N other articles" and, for the chosen name, lists
them (a name and its acronym linked in a text count as one); picking one asks to open it."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.analysis.library import LibraryIndex
from app.core.base.results import Entity, EntityResult
from app.gui.entities_dock import ENTITY_ROLE, EntitiesPanel

pytestmark = pytest.mark.gui


@pytest.fixture
def index(tmp_path):
    with LibraryIndex(tmp_path / "results.sqlite3", sync=False) as ix:
        ix.index_article(
            "reading",
            "KPK periksa menteri",
            None,
            "id",
            3.0,
            "Komisi Pemberantasan Korupsi (KPK) memeriksa menteri di Jakarta.",
            None,
            None,
            [Entity("KPK", "ORG", 1), Entity("Jakarta", "LOC", 1), Entity("Bogor", "LOC", 1)],
        )
        ix.index_article(
            "older",
            "Komisi dipanggil DPR",
            None,
            "id",
            2.0,
            "Komisi Pemberantasan Korupsi dipanggil DPR.",
            None,
            None,
            [Entity("Komisi Pemberantasan Korupsi", "ORG", 1)],
        )
        ix.index_article(
            "jakarta",
            "Banjir Jakarta",
            None,
            "id",
            1.0,
            "Banjir di Jakarta.",
            None,
            None,
            [Entity("Jakarta", "LOC", 1)],
        )
        yield ix


def name_item_text(panel: EntitiesPanel, name: str) -> str:
    return panel.entity_index(name).data()


def test_names_show_other_articles_and_list_them(qtbot, index):
    panel = EntitiesPanel()
    qtbot.addWidget(panel)
    panel.show()
    entities = [Entity("KPK", "ORG", 1), Entity("Jakarta", "LOC", 1), Entity("Bogor", "LOC", 1)]
    panel.set_result(EntityResult(entities, "model", "ner"))
    panel.other_articles.set_context(index, "reading", panel.model, ENTITY_ROLE)

    # KPK: the other article says only "Komisi Pemberantasan Korupsi", linked by the text.
    assert name_item_text(panel, "KPK").endswith("in 1 other article")
    assert name_item_text(panel, "Jakarta").endswith("in 1 other article")
    assert "other article" not in name_item_text(panel, "Bogor")
    assert panel.entity_index("KPK").data(ENTITY_ROLE).text == "KPK"

    panel.tree.setCurrentIndex(panel.entity_index("KPK"))
    other = panel.other_articles
    assert other.isVisible()
    assert "komisi pemberantasan korupsi" in other.title_label.text()
    assert other.model.rowCount() == 1
    row = other.model.index(0, 0)
    assert "Komisi dipanggil DPR" in row.data()
    with qtbot.waitSignal(other.article_selected, check_params_cb=lambda key: key == "older"):
        qtbot.mouseClick(
            other.list.viewport(),
            Qt.MouseButton.LeftButton,
            pos=other.list.visualRect(row).center(),
        )

    panel.tree.setCurrentIndex(panel.entity_index("Bogor"))
    assert not other.isVisible()


def test_a_new_result_is_annotated_with_the_context_it_has(qtbot, index):
    panel = EntitiesPanel()
    qtbot.addWidget(panel)
    panel.other_articles.set_context(index, "jakarta")
    panel.set_result(EntityResult([Entity("Jakarta", "LOC", 2)], "model", "ner"))
    assert name_item_text(panel, "Jakarta").endswith("in 1 other article")
    panel.set_result(EntityResult([Entity("Jakarta", "LOC", 2)], "model", "ner"))
    assert name_item_text(panel, "Jakarta").count("other article") == 1
