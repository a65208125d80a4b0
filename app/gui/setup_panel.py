"""One-action setup: "Set up for Indonesian → English".

Shows the catalogue's recommended translator, summariser and names model
(:func:`app.core.models.catalog.recommended_set`: permissive licences first, what fits this
machine's memory), their total download size and licences, and installs the missing ones in one
queue with overall progress and Cancel. Each install runs in a child process, as in the Models
dialog. Shown on first run (no model installed) and from Analysis > Models.
"""

from __future__ import annotations

from PySide6.QtCore import Signal, Slot
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.base.errors import RingkasError
from app.core.models.catalog import TASK_TITLES, load_catalog, recommended_set
from app.gui.workers import FunctionThread

LANGUAGE_NAMES = {"id": "Indonesian", "ms": "Malay", "en": "English"}
#: Progress is reported in thousandths of the whole queue.
PROGRESS_SCALE = 1000


def _size(mb: float) -> str:
    return f"{mb / 1024:.1f} GB" if mb >= 1024 else f"{mb:.0f} MB" if mb >= 1 else "< 1 MB"


class SetupPanel(QDialog):
    """Installs the recommended models for one article language in one action.

    Signals:
        models_changed(): at least one model was installed.
    """

    models_changed = Signal()

    def __init__(
        self,
        store,
        parent: QWidget | None = None,
        *,
        catalog=None,
        language: str = "id",
        memory_mb: int | None = -1,
    ):
        super().__init__(parent)
        name = LANGUAGE_NAMES.get(language, language)
        self.title = f"Set up for {name} → English"
        self.setWindowTitle(self.title)
        self.setAccessibleName(self.title)
        self.resize(760, 380)
        self._store = store
        self._language = language
        self._memory_mb = memory_mb
        self._catalog = catalog
        self._choices: list = []
        self._task: FunctionThread | None = None
        self._current = -1
        self._finished: set[str] = set()
        self._failed = ""

        heading = QLabel(self.title)
        heading.setProperty("role", "card-title")
        font = heading.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        heading.setFont(font)
        intro = QLabel(
            f"Ringkas needs three models to read {name} articles in English: a translator, a "
            "summariser and a names model. These are the recommended ones for this computer, "
            "preferring licences that allow commercial use. They download once; after that "
            "nothing goes online."
        )
        intro.setWordWrap(True)
        intro.setProperty("role", "meta")

        self.table = QTableWidget(0, 5)
        self.table.setAccessibleName("Recommended models")
        self.table.setHorizontalHeaderLabels(["For", "Model", "Size", "Licence", "Status"])
        self.table.verticalHeader().hide()
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)

        self.total_label = QLabel()
        self.total_label.setAccessibleName("Total download")
        self.progress = QProgressBar()
        self.progress.setAccessibleName("Setup progress")
        self.progress.setRange(0, PROGRESS_SCALE)
        self.progress.setTextVisible(False)
        self.status_label = QLabel()
        self.status_label.setProperty("role", "meta")
        self.status_label.setWordWrap(True)

        self.setup_button = QPushButton("Set up")
        self.setup_button.setAccessibleName(self.title)
        self.setup_button.setProperty("primary", True)
        self.setup_button.clicked.connect(self.start)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Cancel the setup")
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button = QPushButton("Not now")
        self.close_button.setAccessibleName("Close")
        self.close_button.clicked.connect(self.reject)

        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.close_button)
        buttons.addWidget(self.setup_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 16, 18, 14)
        layout.setSpacing(10)
        layout.addWidget(heading)
        layout.addWidget(intro)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.total_label)
        layout.addWidget(self.progress)
        layout.addLayout(buttons)
        self.refresh()

    # --- content --------------------------------------------------------------------------

    def _installed(self) -> set[str]:
        try:
            return {m.name for m in self._store.list()}
        except RingkasError as exc:
            self.status_label.setText(str(exc))
            return set()

    def refresh(self) -> None:
        """Recompute the recommended set and what of it is installed."""
        try:
            catalog = self._catalog if self._catalog is not None else load_catalog()
            self._choices = recommended_set(self._language, catalog, self._memory_mb)
        except RingkasError as exc:
            self._choices = []
            self.status_label.setText(str(exc))
        installed = self._installed()
        self.table.setRowCount(len(self._choices))
        for row, choice in enumerate(self._choices):
            entry = choice.entry
            cells = [
                TASK_TITLES.get(choice.task, choice.task).capitalize(),
                entry.name,
                _size(entry.size_mb),
                choice.reason,
                "Installed" if entry.name in installed else "To install",
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if col == 1:
                    item.setToolTip(f"{entry.repo}\n{entry.description}")
                self.table.setItem(row, col, item)
        missing = self.missing()
        total = sum(c.entry.size_mb for c in self._choices)
        if not self._choices:
            self.total_label.setText("The catalogue has no model for this language.")
        elif missing:
            size = _size(sum(c.entry.size_mb for c in missing))
            self.total_label.setText(
                f"{len(missing)} of {len(self._choices)} models to install, about {size} to "
                f"download ({_size(total)} in all)."
            )
        else:
            self.total_label.setText(f"All {len(self._choices)} models are installed.")
        self._update_buttons()

    def choices(self) -> list:
        return list(self._choices)

    def missing(self) -> list:
        installed = self._installed()
        return [c for c in self._choices if c.entry.name not in installed]

    def row_status(self, row: int) -> str:
        return self.table.item(row, 4).text()

    def _update_buttons(self) -> None:
        working = self._task is not None
        missing = bool(self.missing()) if not working else True
        self.setup_button.setEnabled(not working and missing)
        self.setup_button.setText("Set up" if missing else "Installed")
        self.cancel_button.setVisible(working)
        self.progress.setVisible(working or self.progress.value() > 0)
        self.close_button.setEnabled(not working)
        self.close_button.setText("Close" if not missing else "Not now")

    # --- the queue ------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._task is not None

    @Slot()
    def start(self) -> None:
        """Install every missing recommended model, one after another."""
        queue = [c.entry for c in self.missing()]
        if not queue or self._task is not None:
            return
        # lazy, as in the Models dialog: the installer pulls in huggingface_hub
        from app.core.analysis.engine_process import run_in_child
        from app.core.engines.convert import install_in_store

        root, convert = self._store.root, getattr(self._store, "converts_to_ct2", False)
        weights = [max(1, e.size_mb) for e in queue]
        total = sum(weights)
        self._finished, self._failed, self._current = set(), "", -1

        def run(progress, cancel):
            before = 0
            for i, entry in enumerate(queue):
                self._current = self._row_of(entry.name)

                def one(done, size, before=before, weight=weights[i]):
                    share = min(done, size) / size if size else 0.0
                    progress(
                        int(PROGRESS_SCALE * (before + share * weight) / total), PROGRESS_SCALE
                    )

                try:
                    run_in_child(
                        install_in_store, entry, root, convert, progress=one, cancel=cancel
                    )
                except RingkasError as exc:
                    if not cancel.is_set():
                        self._failed = f"{entry.name}: {exc}"
                    raise
                self._finished.add(entry.name)
                before += weights[i]
                progress(int(PROGRESS_SCALE * before / total), PROGRESS_SCALE)
            return len(queue)

        task = FunctionThread(run, self)
        self._task = task
        task.progress_changed.connect(self._on_progress)
        task.succeeded.connect(lambda n: self._on_done(f"Set up: {n} models installed."))
        task.failed.connect(lambda message: self._on_done(self._failed or message))
        task.was_cancelled.connect(lambda: self._on_done("Cancelled."))
        self.progress.setValue(0)
        self.status_label.setText(f"Installing {queue[0].name}…")
        self._mark(self._row_of(queue[0].name), "Installing…")
        self._update_buttons()
        task.start()

    def _row_of(self, name: str) -> int:
        return next((i for i, c in enumerate(self._choices) if c.entry.name == name), -1)

    def _mark(self, row: int, text: str) -> None:
        if 0 <= row < self.table.rowCount():
            self.table.item(row, 4).setText(text)

    @Slot(object, object)
    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setValue(min(done, total))
        self.progress.setAccessibleDescription(f"{done * 100 // max(1, total)}%")
        for row, choice in enumerate(self._choices):
            if choice.entry.name in self._finished:
                self._mark(row, "Installed")
        current = self._current
        if 0 <= current < len(self._choices) and self._choices[current].entry.name not in (
            self._finished
        ):
            self._mark(current, "Installing…")
            self.status_label.setText(f"Installing {self._choices[current].entry.name}…")

    def _on_done(self, message: str) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.wait()  # see ModelsDialog._on_done
        self.refresh()
        self.status_label.setText(message)
        if self._finished:
            self.models_changed.emit()

    @Slot()
    def cancel(self) -> None:
        if self._task is not None:
            self._task.cancel()
            self.status_label.setText("Cancelling…")

    def done(self, result: int) -> None:
        # Every way of closing ends here (reject() and accept() call done()): closing cancels the queue and waits for it.
        if self._task is not None:
            self._task.cancel()
            self._task.wait()
            self._task = None
        super().done(result)
