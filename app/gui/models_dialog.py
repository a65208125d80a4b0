"""The Models dialog: catalogue and installed models; install (with progress and Cancel),
remove, and add from a folder or an archive. Every slow operation runs off the GUI thread."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.base.errors import RingkasError
from app.core.base.steps import step_title
from app.gui.setup_panel import SetupPanel
from app.gui.widgets import languages_text, model_table, size_text
from app.gui.workers import FunctionThread


class ModelsDialog(QDialog):
    """Lists the catalogue and the store; installs, removes and adds models.

    Signals:
        models_changed(): something was installed, added or removed.
    """

    models_changed = Signal()

    def __init__(self, store, parent: QWidget | None = None, *, catalog=None, preselect: str = ""):
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.setAccessibleName("Models")
        self.resize(900, 560)
        self._store = store
        self._catalog = catalog
        self._task: FunctionThread | None = None

        intro = QLabel(
            "Ringkas runs these models on your computer. Install once; after that nothing "
            "goes online. Models marked non-commercial may only be used for non-commercial work."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "meta")

        self.catalog_table = model_table(
            ["Model", "For", "Languages", "Size", "Licence", "Status"], "Catalogue of models"
        )
        self.installed_table = model_table(
            ["Model", "For", "Languages", "Size", "Licence", "Source"], "Installed models"
        )
        self.catalog_table.itemSelectionChanged.connect(self._update_buttons)
        self.installed_table.itemSelectionChanged.connect(self._update_buttons)
        self._installed_names: set[str] = set()
        self._setup_panel = None
        self.setup_button = QPushButton("Set up for Indonesian → English…")
        self.setup_button.setAccessibleName("Set up for Indonesian to English")
        self.setup_button.setToolTip(
            "Install the recommended translator, summariser and names model in one go"
        )
        self.setup_button.clicked.connect(self.show_setup_panel)

        self.description = QLabel()
        self.description.setWordWrap(True)
        self.description.setProperty("role", "meta")

        self.install_button = QPushButton("Install")
        self.install_button.setAccessibleName("Install the selected model")
        self.install_button.setProperty("primary", True)
        self.install_button.clicked.connect(self.install_selected)
        catalog_page = QWidget()
        cl = QVBoxLayout(catalog_page)
        cl.addWidget(self.catalog_table, 1)
        cl.addWidget(self.description)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.install_button)
        cl.addLayout(row)

        self.remove_button = QPushButton("Remove")
        self.remove_button.setAccessibleName("Remove the selected model")
        self.remove_button.clicked.connect(self.remove_selected)
        self.add_folder_button = QPushButton("Add from folder…")
        self.add_folder_button.setAccessibleName("Add a model from a folder")
        self.add_folder_button.clicked.connect(self._choose_folder)
        self.add_archive_button = QPushButton("Add from archive…")
        self.add_archive_button.setAccessibleName("Add a model from a zip or tar.gz archive")
        self.add_archive_button.clicked.connect(self._choose_archive)
        installed_page = QWidget()
        il = QVBoxLayout(installed_page)
        self.store_label = QLabel(f"Store: {getattr(store, 'root', '')}")
        self.store_label.setProperty("role", "meta")
        self.store_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        il.addWidget(self.installed_table, 1)
        il.addWidget(self.store_label)
        row = QHBoxLayout()
        row.addWidget(self.add_folder_button)
        row.addWidget(self.add_archive_button)
        row.addStretch(1)
        row.addWidget(self.remove_button)
        il.addLayout(row)

        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Model lists")
        self.tabs.addTab(catalog_page, "Catalogue")
        self.tabs.addTab(installed_page, "Installed")

        self.progress = QProgressBar()
        self.progress.setAccessibleName("Install progress")
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.progress_label.setProperty("role", "meta")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the install")
        self.cancel_button.clicked.connect(self.cancel_task)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.progress_label, 1)
        bottom.addWidget(self.progress, 1)
        bottom.addWidget(self.cancel_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        top = QHBoxLayout()
        top.addWidget(intro, 1)
        top.addWidget(self.setup_button)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self._set_working(False)
        self.refresh()
        if preselect:
            self.preselect(preselect)

    # --- content --------------------------------------------------------------------------

    def catalog(self) -> list:
        if self._catalog is None:
            from app.core.models.catalog import load_catalog

            try:
                self._catalog = load_catalog()
            except RingkasError as exc:
                self.progress_label.setText(str(exc))
                self._catalog = []
        return self._catalog

    def refresh(self) -> None:
        try:
            installed = self._store.list()
        except RingkasError as exc:
            installed = []
            self.progress_label.setText(str(exc))
        installed_names = {m.name for m in installed}
        self._installed_names = installed_names

        entries = self.catalog()
        self.catalog_table.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            licence = entry.license + (" · non-commercial" if entry.non_commercial else "")
            status = (
                "Installed"
                if entry.name in installed_names
                else ("Recommended" if entry.default else "")
            )
            cells = [
                entry.name,
                step_title(entry.task).noun,
                languages_text(entry.languages),
                size_text(entry.size_mb),
                licence,
                status,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, entry.name)
                if col == 0:
                    item.setToolTip(f"{entry.repo}\n{entry.description}")
                self.catalog_table.setItem(row, col, item)

        self.installed_table.setRowCount(len(installed))
        for row, model in enumerate(installed):
            source = model.source.get("hub") or model.source.get("local") or ""
            cells = [
                model.name,
                step_title(model.task).noun,
                languages_text(model.languages),
                size_text(model.size_bytes / 1e6),
                model.license or "",
                str(source),
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, model.name)
                self.installed_table.setItem(row, col, item)
        self._update_buttons()

    def preselect(self, name: str) -> bool:
        """Show the catalogue with entry ``name`` selected (e.g. from an "Install model…" button)."""
        for row in range(self.catalog_table.rowCount()):
            if self.catalog_table.item(row, 0).text() == name:
                self.tabs.setCurrentIndex(0)
                self.catalog_table.selectRow(row)
                self.catalog_table.scrollToItem(self.catalog_table.item(row, 0))
                self.install_button.setFocus()
                return True
        return False

    def selected_catalog_entry(self):
        rows = self.catalog_table.selectionModel().selectedRows()
        if not rows:
            return None
        name = self.catalog_table.item(rows[0].row(), 0).text()
        return next((e for e in self.catalog() if e.name == name), None)

    def selected_installed_name(self) -> str | None:
        rows = self.installed_table.selectionModel().selectedRows()
        return self.installed_table.item(rows[0].row(), 0).text() if rows else None

    @Slot()
    def _update_buttons(self) -> None:
        working = self._task is not None
        entry = self.selected_catalog_entry()
        installed = entry is not None and entry.name in self._installed_names
        self.install_button.setEnabled(not working and entry is not None and not installed)
        self.install_button.setText("Installed" if installed else "Install")
        self.setup_button.setEnabled(not working)
        self.remove_button.setEnabled(not working and self.selected_installed_name() is not None)
        self.add_folder_button.setEnabled(not working)
        self.add_archive_button.setEnabled(not working)
        if entry is not None:
            nc = " Non-commercial licence." if entry.non_commercial else ""
            self.description.setText(f"{entry.description}{nc}  ({entry.repo})")
        else:
            self.description.setText("")

    def _set_working(self, working: bool, label: str = "") -> None:
        self.progress.setVisible(working)
        self.cancel_button.setVisible(working)
        self.progress_label.setText(label)
        self.close_button.setEnabled(not working)
        self._update_buttons()

    # --- operations -----------------------------------------------------------------------

    @Slot()
    def install_selected(self) -> None:
        entry = self.selected_catalog_entry()
        if entry is None or self._task is not None:
            return
        from app.core.engines.convert import install_in_store

        self._run(
            self._in_child(install_in_store, entry),
            f"Installing {entry.name}…",
            f"Installed {entry.name}.",
        )

    def add_from(self, path: str | Path) -> None:
        """Add a model from a folder or archive (in a worker thread)."""
        if self._task is not None:
            return
        from app.core.engines.convert import add_to_store

        path = Path(path)
        self._run(self._in_child(add_to_store, path), f"Adding {path.name}…", f"Added {path.name}.")

    @Slot()
    def remove_selected(self) -> None:
        name = self.selected_installed_name()
        if not name or self._task is not None:
            return
        answer = QMessageBox.question(self, "Remove model", f"Remove {name} from this computer?")
        if answer != QMessageBox.StandardButton.Yes:
            return
        self.remove(name)

    def remove(self, name: str) -> None:
        store = self._store

        def run(_progress, _cancel):
            store.remove(name)

        self._run(run, f"Removing {name}…", f"Removed {name}.")

    def _in_child(self, target, item):
        """A task function running ``target(item, store root, convert, ...)`` in a child process.

        A checkpoint's conversion and the CTranslate2 conversion hold the GIL in native code:
        installing an mT5-base-sized checkpoint from a thread stalled the window up to 0.49 s at
        a time; from a child process, never more than 19 ms.
        """
        root, convert = self._store.root, getattr(self._store, "converts_to_ct2", False)

        def run(progress, cancel):
            from app.core.analysis.engine_process import run_in_child

            return run_in_child(target, item, root, convert, progress=progress, cancel=cancel)

        return run

    def _run(self, function, label: str, done_label: str) -> None:
        task = FunctionThread(function, self)
        self._task = task
        self.progress.setRange(0, 0)  # busy until the first progress report
        task.progress_changed.connect(self._on_progress)
        task.succeeded.connect(lambda _r: self._on_done(done_label, changed=True))
        task.failed.connect(lambda message: self._on_done(message, changed=False))
        task.was_cancelled.connect(lambda: self._on_done("Cancelled.", changed=False))
        self._set_working(True, label)
        task.start()

    @Slot(object, object)
    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, 1000)
            self.progress.setValue(int(1000 * min(done, total) / total))
            self.progress.setAccessibleDescription(f"{done * 100 // total}%")

    def _on_done(self, message: str, changed: bool) -> None:
        task, self._task = self._task, None
        if task is not None:
            # Joined here; the finished QThread object stays a child of the dialog and goes with
            # it. (deleteLater() on it from this slot crashed PySide 6.12 now and then.)
            task.wait()
        self._set_working(False, message)
        self.refresh()
        if changed:
            self.models_changed.emit()

    @property
    def busy(self) -> bool:
        return self._task is not None

    @Slot()
    def show_setup_panel(self):
        """The one-action setup (app.gui.setup_panel), over this dialog's store and catalogue."""
        if self._setup_panel is not None:
            self._setup_panel.raise_()
            return self._setup_panel
        panel = SetupPanel(self._store, self, catalog=self._catalog)
        panel.models_changed.connect(self.refresh)
        panel.models_changed.connect(self.models_changed)
        panel.finished.connect(self._on_setup_panel_closed)
        self._setup_panel = panel
        panel.show()
        return panel

    def _on_setup_panel_closed(self) -> None:
        self._setup_panel = None

    @Slot()
    def cancel_task(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.progress_label.setText("Cancelling…")

    @Slot()
    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a model from a folder")
        if folder:
            self.add_from(folder)

    @Slot()
    def _choose_archive(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Add a model from an archive", "", "Model archives (*.zip *.tar.gz *.tgz)"
        )
        if path:
            self.add_from(path)

    def done(self, result: int) -> None:
        # Every way of closing ends here (reject() and accept() call done()): closing cancels a running install and waits for it.
        if self._task is not None:
            self._task.cancel()
            self._task.wait()
            self._task = None
        super().done(result)
