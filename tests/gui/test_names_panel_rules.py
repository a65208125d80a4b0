"""The Names panel with names found without a model: People, Organisations, Places and Other
names with counts, a badge that says no model found them, and old untyped cached results."""

from __future__ import annotations

from PySide6.QtWidgets import QApplication

from app.core.base.results import EntityResult, NoticeCause, StepNotice
from app.core.runners.names import recognise
from app.gui.entities_dock import RULES_BADGE, EntitiesPanel

TEXT = (
    "Presiden Joko Widodo bertemu Menteri Keuangan Sri Mulyani di Istana Bogor. "
    "Komisi Pemberantasan Korupsi (KPK) memeriksa pejabat Kabupaten Bogor. "
    "Widodo kemudian terbang ke Jakarta. Program itu bernama Nawa Cita."
)


def _groups(panel: EntitiesPanel) -> dict[str, list[str]]:
    out = {}
    for row in range(panel.model.rowCount()):
        group = panel.model.item(row)
        out[group.text()] = [group.child(r).text() for r in range(group.rowCount())]
    return out


def test_rules_names_are_grouped_by_type_with_counts_and_badged(qtbot):
    panel = EntitiesPanel()
    qtbot.addWidget(panel)
    panel.show()
    result = recognise(TEXT, [(0, TEXT)], "id")
    assert result.kind == "rules"
    notice = StepNotice("entities", "no model", "ringkas models install x", NoticeCause.NO_MODEL)
    panel.set_result(result, notice)

    groups = _groups(panel)
    assert list(groups) == [
        "People  (2)",
        "Organisations  (1)",
        "Places  (3)",
        "Other names  (1)",
    ]
    assert groups["People  (2)"][0] == "Joko Widodo  ×2"  # "Widodo" alone joined the full name
    assert groups["Organisations  (1)"] == ["Komisi Pemberantasan Korupsi  ×2"]  # and "KPK"
    assert panel.notice.isVisible()
    assert panel.notice.label.text() == f"{RULES_BADGE}: no entity model installed"
    assert "without a model" in panel.notice.label.text()
    assert panel.notice.install_button.isVisible()

    panel.copy_to_clipboard()
    lines = QApplication.clipboard().text().splitlines()
    assert "Kabupaten Bogor\tPlaces\t1" in lines and "Nawa Cita\tOther names\t1" in lines


def test_an_old_cached_untyped_result_still_reads_as_unclassified(qtbot):
    panel = EntitiesPanel()
    qtbot.addWidget(panel)
    panel.show()
    cached = {
        "entities": [
            {
                "text": "Jokowi",
                "label": "UNCLASSIFIED",
                "count": 1,
                "mentions": [
                    {"text": "Jokowi", "start": 0, "end": 6, "label": "UNCLASSIFIED", "score": 1}
                ],
            }
        ],
        "kind": "unclassified",
        "model": None,
    }
    result = EntityResult.from_dict(cached)
    panel.set_result(result, None)
    assert list(_groups(panel)) == ["Unclassified  (1)"]
    assert panel.notice.label.text() == "Unclassified names (no entity model installed)"
