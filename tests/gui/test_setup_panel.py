"""The one-action setup panel against the fake Hub: the recommended set with sizes and licences,
installed in one queue with overall progress and Cancel; reachable from the Models dialog, whose
Install button reads "Installed" for an installed model."""

from __future__ import annotations

import threading

import pytest
from PySide6.QtCore import Qt
from setup_catalog import RECOMMENDED, publish_setup_catalog

from app.core.models.catalog import load_catalog
from app.gui.models_dialog import ModelsDialog
from app.gui.setup_panel import PROGRESS_SCALE, SetupPanel

pytestmark = pytest.mark.gui

TIMEOUT = 120_000


@pytest.fixture
def catalog(fake_hub, tiny_model_dirs, tmp_path):
    return load_catalog(publish_setup_catalog(fake_hub, tiny_model_dirs, tmp_path / "c.toml"))


def make_panel(qtbot, model_store, catalog):
    panel = SetupPanel(model_store, catalog=catalog, memory_mb=None)
    qtbot.addWidget(panel)
    panel.show()
    return panel


def test_shows_the_recommended_set_with_size_and_licences(qtbot, model_store, catalog):
    panel = make_panel(qtbot, model_store, catalog)
    assert panel.windowTitle() == "Set up for Indonesian → English"
    rows = [
        [panel.table.item(r, c).text() for c in range(panel.table.columnCount())]
        for r in range(panel.table.rowCount())
    ]
    assert [row[1] for row in rows] == RECOMMENDED  # never the non-commercial alternatives
    assert [row[0] for row in rows] == ["Translation", "Summary", "Names"]
    assert rows[0][3] == "Apache-2.0: commercial use allowed"
    assert rows[2][3] == "MIT: commercial use allowed"
    assert {row[4] for row in rows} == {"To install"}
    assert panel.total_label.text() == (
        "3 of 3 models to install, about 3 MB to download (3 MB in all)."
    )
    assert panel.setup_button.isEnabled() and panel.setup_button.text() == "Set up"


def test_one_action_installs_the_whole_set(qtbot, model_store, catalog):
    panel = make_panel(qtbot, model_store, catalog)
    progress, changed = [], []
    panel.models_changed.connect(lambda: changed.append(True))
    qtbot.mouseClick(panel.setup_button, Qt.MouseButton.LeftButton)
    assert panel.busy and panel.cancel_button.isVisible() and not panel.close_button.isEnabled()
    panel._task.progress_changed.connect(lambda done, total: progress.append(done))
    qtbot.waitUntil(lambda: not panel.busy, timeout=TIMEOUT)

    assert sorted(m.name for m in model_store.list()) == sorted(RECOMMENDED)
    assert panel.status_label.text() == "Set up: 3 models installed."
    assert [panel.row_status(r) for r in range(3)] == ["Installed"] * 3
    assert progress == sorted(progress) and progress[-1] == PROGRESS_SCALE
    assert panel.progress.value() == PROGRESS_SCALE
    assert not panel.setup_button.isEnabled() and panel.setup_button.text() == "Installed"
    assert panel.total_label.text() == "All 3 models are installed."
    assert changed == [True]


def test_cancel_stops_the_queue_and_keeps_what_is_installed(qtbot, model_store, catalog, fake_hub):
    # the summariser (second in the queue) is held back mid-download until the test releases it
    release = fake_hub.stall["spiece.model"] = threading.Event()  # only the mT5 tokenizer
    panel = make_panel(qtbot, model_store, catalog)
    try:
        qtbot.mouseClick(panel.setup_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(fake_hub.gets("spiece.model")), timeout=TIMEOUT)
        panel.cancel()
        # The cancel is forwarded to the child (polled every 20 ms), which blocks reading the
        # held-back file and reports nothing until it is released: no signal to wait on, so
        # give the forwarding 25 polling periods before letting the bytes flow (as the Models
        # dialog's cancel test does).
        qtbot.wait(500)
    finally:
        release.set()
    qtbot.waitUntil(lambda: not panel.busy, timeout=TIMEOUT)
    assert panel.status_label.text() == "Cancelled."
    assert [m.name for m in model_store.list()] == ["tiny-opus-id-en"]
    assert [panel.row_status(r) for r in range(3)] == ["Installed", "To install", "To install"]
    assert panel.setup_button.isEnabled() and panel.setup_button.text() == "Set up"
    assert panel.total_label.text().startswith("2 of 3 models to install")


def test_models_dialog_opens_the_panel_and_says_installed(qtbot, model_store, catalog):
    dialog = ModelsDialog(model_store, catalog=catalog, preselect="tiny-opus-id-en")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.install_button.text() == "Install" and dialog.install_button.isEnabled()
    panel = dialog.show_setup_panel()
    assert isinstance(panel, SetupPanel) and panel.isVisible()
    qtbot.mouseClick(panel.setup_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not panel.busy, timeout=TIMEOUT)
    # the dialog refreshed when the panel installed
    dialog.preselect("tiny-opus-id-en")
    assert dialog.install_button.text() == "Installed"
    assert not dialog.install_button.isEnabled()
    assert dialog.installed_table.rowCount() == 3
