"""The Models dialog: install from a (fake, local) Hub with progress and Cancel, add, remove."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from app.core.models.catalog import load_catalog
from app.gui.models_dialog import ModelsDialog

pytestmark = pytest.mark.gui

REPO = "fake-org/tiny-opus-mt-id-en"
TIMEOUT = 60_000


@pytest.fixture
def catalog(fake_hub, tiny_model_dirs, tmp_path):
    repo = fake_hub.add_folder(REPO, tiny_model_dirs["translate"])
    files = ", ".join(f'"{f}"' for f in sorted(repo.files))
    path = tmp_path / "catalog.toml"
    path.write_text(
        f"""
[[model]]
name = "opus-mt-id-en"
task = "translate"
repo = "{REPO}"
revision = "main"
license = "CC-BY-4.0"
non_commercial = false
size_mb = 1
family = "marian"
languages = ["id"]
files = [{files}]
description = "tiny test model"
default = true

[[model]]
name = "xlsum"
task = "summarize"
repo = "fake-org/none"
revision = "main"
license = "CC-BY-NC-SA-4.0"
non_commercial = true
size_mb = 2300
family = "mt5"
languages = ["*"]
files = ["config.json"]
description = "not on the fake hub"
"""
    )
    return load_catalog(path)


def make_dialog(qtbot, model_store, catalog, **kwargs):
    dialog = ModelsDialog(model_store, catalog=catalog, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_lists_the_catalogue_with_size_licence_and_non_commercial_flag(qtbot, model_store, catalog):
    dialog = make_dialog(qtbot, model_store, catalog, preselect="xlsum")
    table = dialog.catalog_table
    assert table.rowCount() == 2
    row = [table.item(1, c).text() for c in range(table.columnCount())]
    assert row[0] == "xlsum" and row[3] == "2.2 GB"
    assert "non-commercial" in row[4]
    assert dialog.selected_catalog_entry().name == "xlsum"
    assert dialog.install_button.isEnabled()


def test_install_runs_off_the_gui_thread_with_progress(qtbot, model_store, catalog):
    dialog = make_dialog(qtbot, model_store, catalog, preselect="opus-mt-id-en")
    progress = []
    changed = []
    dialog.models_changed.connect(lambda: changed.append(True))
    qtbot.mouseClick(dialog.install_button, Qt.MouseButton.LeftButton)
    assert dialog.busy and dialog.cancel_button.isVisible() and not dialog.close_button.isEnabled()
    dialog._task.progress_changed.connect(lambda d, t: progress.append((d, t)))
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)

    assert dialog.progress_label.text() == "Installed opus-mt-id-en."
    assert changed == [True]
    assert [m.name for m in model_store.list()] == ["opus-mt-id-en"]
    assert progress and progress[-1][0] == progress[-1][1] > 0
    assert dialog.installed_table.rowCount() == 1
    assert dialog.catalog_table.item(0, 5).text() == "Installed"


def test_install_can_be_cancelled(qtbot, model_store, catalog, fake_hub):
    """The install runs in a child process: Cancel reaches it there, mid-download."""
    import threading

    release = fake_hub.stall["model.safetensors"] = threading.Event()
    dialog = make_dialog(qtbot, model_store, catalog, preselect="opus-mt-id-en")
    try:
        qtbot.mouseClick(dialog.install_button, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(fake_hub.gets("model.safetensors")), timeout=TIMEOUT)
        dialog.cancel_task()
        # The cancel is forwarded to the child (polled every 20 ms), which blocks reading the
        # held-back file and reports nothing until it is released: no signal to wait on, so
        # give the forwarding 25 polling periods before letting the bytes flow.
        qtbot.wait(500)
    finally:
        release.set()
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert dialog.progress_label.text() == "Cancelled."
    assert model_store.list() == []


def test_a_failed_install_is_one_line(qtbot, model_store, catalog):
    dialog = make_dialog(qtbot, model_store, catalog, preselect="xlsum")
    qtbot.mouseClick(dialog.install_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    message = dialog.progress_label.text()
    assert message and "\n" not in message and "Traceback" not in message
    assert model_store.list() == []


def test_add_from_folder_and_remove(qtbot, model_store, catalog, tiny_model_dirs, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    dialog = make_dialog(qtbot, model_store, catalog)
    dialog.add_from(tiny_model_dirs["entities"])
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert len(model_store.list()) == 1 and dialog.installed_table.rowCount() == 1
    name = model_store.list()[0].name

    dialog.tabs.setCurrentIndex(1)
    dialog.installed_table.selectRow(0)
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    qtbot.mouseClick(dialog.remove_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert model_store.list() == [] and dialog.installed_table.rowCount() == 0
    assert dialog.progress_label.text() == f"Removed {name}."


def test_adding_something_that_is_not_a_model_says_why(qtbot, model_store, catalog, tmp_path):
    dialog = make_dialog(qtbot, model_store, catalog)
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    dialog.add_from(junk)
    qtbot.waitUntil(lambda: not dialog.busy, timeout=TIMEOUT)
    assert "notes.txt" in dialog.progress_label.text()
    assert model_store.list() == []


def test_a_task_that_finishes_after_cancel_reports_its_result(qtbot):
    """Cancel too late to stop the work (say, during a conversion): the model is installed, so
    the dialog must say so, not "Cancelled."."""
    from app.gui.workers import FunctionThread

    def work(progress, cancel):
        cancel.set()  # the user pressed Cancel while the last step ran
        return "installed"

    task = FunctionThread(work)
    cancelled = []
    task.was_cancelled.connect(lambda: cancelled.append(True))
    with qtbot.waitSignal(task.succeeded, timeout=TIMEOUT) as blocker:
        task.start()
    task.wait()
    assert blocker.args == ["installed"] and cancelled == []
