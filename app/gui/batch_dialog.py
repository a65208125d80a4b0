"""The queue dialog: many articles analysed one after another, in a child process.

Per-article progress, overall progress with an ETA, the status of every file (failures listed
with their reason, never stopping the queue), Cancel, and Resume, which runs the queue again:
what is already analysed with the same models is skipped (replayed from the cache).
"""

from __future__ import annotations

import threading

from PySide6.QtCore import QThread, Signal, Slot
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.analysis.batch import DONE, FAILED, SKIPPED, collect_inputs, run_batch_in_child
from app.core.analysis.engine_process import run_in_child
from app.core.base.errors import CancelledError, RingkasError

STATUS_TEXT = {
    "pending": "Waiting",
    "running": "Analysing…",
    "done": "Analysed",
    "skipped": "Already analysed",
    "failed": "Failed",
    "cancelled": "Cancelled",
}


class BatchThread(QThread):
    """Runs :func:`run_batch_in_child` in a child process and relays its reports.

    Signals:
        progressed(object): a BatchProgress.
        item_finished(object): a BatchItem that is done, skipped, failed or cancelled.
        report_ready(object): the BatchReport at the end (also after Cancel).
        failed(str): the queue itself could not run.
    """

    progressed = Signal(object)
    item_finished = Signal(object)
    report_ready = Signal(object)
    failed = Signal(str)

    def __init__(self, inputs: list[str], options, models_dir, parent=None):
        super().__init__(parent)
        self.inputs, self.options, self.models_dir = inputs, options, models_dir
        self.cancel_event = threading.Event()

    def run(self) -> None:
        def relay(kind, payload) -> None:
            (self.progressed if kind == "progress" else self.item_finished).emit(payload)

        try:
            report = run_in_child(
                run_batch_in_child,
                self.inputs,
                self.options,
                str(self.models_dir) if self.models_dir else None,
                progress=relay,
                cancel=self.cancel_event,
            )
        except CancelledError:
            self.failed.emit("Cancelled.")
        except RingkasError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # the queue must never take the window down
            self.failed.emit(f"{type(exc).__name__}: {exc}")
        else:
            self.report_ready.emit(report)


def _eta(seconds: float | None) -> str:
    if seconds is None:
        return "estimating time left…"
    seconds = int(round(seconds))
    if seconds < 60:
        return f"about {seconds} s left"
    return f"about {seconds // 60} min {seconds % 60:02d} s left"


class BatchDialog(QDialog):
    """Signals:
    article_analysed(str): an article was analysed or found already analysed (library key).
    queue_finished(object): the BatchReport of a run (also after Cancel).
    """

    article_analysed = Signal(str)
    queue_finished = Signal(object)

    def __init__(self, inputs, options, models_dir=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Analyse many articles")
        self.setAccessibleName("Analyse many articles")
        self.inputs = [str(p) for p in inputs]
        self.options = options
        self.models_dir = models_dir
        self.thread: BatchThread | None = None
        self.report = None
        self.paths = collect_inputs(self.inputs)

        self.overall_bar = QProgressBar()
        self.overall_bar.setAccessibleName("Overall progress")
        self.overall_bar.setRange(0, 1000)
        self.eta_label = QLabel()
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.article_bar = QProgressBar()
        self.article_bar.setAccessibleName("Progress of this article")
        self.article_bar.setRange(0, 100)

        self.table = QTableWidget(len(self.paths), 3)
        self.table.setAccessibleName("Articles in the queue")
        self.table.setHorizontalHeaderLabels(["File", "Status", "Details"])
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self._rows = {}
        for row, path in enumerate(self.paths):
            self._rows[str(path)] = row
            self.table.setItem(row, 0, QTableWidgetItem(path.name))
            self.table.item(row, 0).setToolTip(str(path))
            self.table.setItem(row, 1, QTableWidgetItem(STATUS_TEXT["pending"]))
            self.table.setItem(row, 2, QTableWidgetItem(""))

        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.resume_button = QPushButton("Resume")
        self.resume_button.setToolTip("Run the queue again; what is already analysed is skipped")
        self.resume_button.clicked.connect(self.start)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        buttons = QDialogButtonBox()
        buttons.addButton(self.resume_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.close_button.clicked.connect(self.close)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"{len(self.paths)} article file(s)"))
        layout.addWidget(self.overall_bar)
        layout.addWidget(self.eta_label)
        layout.addWidget(self.current_label)
        layout.addWidget(self.article_bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary_label)
        layout.addWidget(buttons)
        self.resize(640, 480)
        self._set_running(False)

    def running(self) -> bool:
        return self.thread is not None

    @Slot()
    def start(self) -> None:
        """Run (or resume) the queue over every file; finished ones are skipped quickly."""
        if self.thread is not None or not self.paths:
            if not self.paths:
                self.summary_label.setText("No article files found there.")
            return
        for row in range(self.table.rowCount()):
            self.table.item(row, 1).setText(STATUS_TEXT["pending"])
            self.table.item(row, 2).setText("")
        self.summary_label.setText("")
        self.eta_label.setText(_eta(None))
        thread = BatchThread(self.inputs, self.options, self.models_dir, self)
        thread.progressed.connect(self._on_progress)
        thread.item_finished.connect(self._on_item)
        thread.report_ready.connect(self._on_report)
        thread.failed.connect(self._on_failed)
        thread.finished.connect(self._on_thread_finished)
        self.thread = thread
        self._set_running(True)
        thread.start()

    @Slot()
    def cancel(self) -> None:
        if self.thread is not None:
            self.thread.cancel_event.set()
            self.cancel_button.setEnabled(False)
            self.current_label.setText("Cancelling after the current step…")

    def _set_running(self, running: bool) -> None:
        self.cancel_button.setEnabled(running)
        self.resume_button.setEnabled(not running)
        self.close_button.setEnabled(not running)

    def _row(self, path) -> int | None:
        return self._rows.get(str(path))

    @Slot(object)
    def _on_progress(self, progress) -> None:
        self.overall_bar.setValue(int(progress.overall * 1000))
        self.article_bar.setValue(int(progress.fraction * 100))
        self.eta_label.setText(_eta(progress.eta_s))
        self.current_label.setText(
            f"{progress.index + 1} of {progress.total}: {progress.item.path.name}"
        )
        row = self._row(progress.item.path)
        if row is not None and progress.item.status == "running":
            self.table.item(row, 1).setText(STATUS_TEXT["running"])

    @Slot(object)
    def _on_item(self, item) -> None:
        row = self._row(item.path)
        if row is not None:
            self.table.item(row, 1).setText(STATUS_TEXT.get(item.status, item.status))
            detail = item.error or item.title or ""
            self.table.item(row, 2).setText(detail)
            self.table.item(row, 2).setToolTip(detail)
        if item.status in (DONE, SKIPPED) and item.key:
            self.article_analysed.emit(item.key)

    @Slot(object)
    def _on_report(self, report) -> None:
        self.report = report
        s = report.summary()
        text = f"{s['done']} analysed, {s['skipped']} already analysed, {s['failed']} failed"
        if report.cancelled:
            text += f", {s['cancelled']} not done (Cancel): Resume picks them up"
        self.summary_label.setText(text + f" · {report.seconds:.1f} s")
        if not report.cancelled:
            self.overall_bar.setValue(1000)
            self.eta_label.setText("Done.")
        for item in report.items:
            if item.status == FAILED:
                row = self._row(item.path)
                if row is not None:
                    self.table.item(row, 1).setText(STATUS_TEXT[FAILED])
        self.queue_finished.emit(report)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self.summary_label.setText(message)

    @Slot()
    def _on_thread_finished(self) -> None:
        thread, self.thread = self.thread, None
        if thread is not None:
            thread.deleteLater()
        self._set_running(False)

    def closeEvent(self, event) -> None:
        if self.thread is not None:
            self.cancel()
            self.thread.wait(15000)
        super().closeEvent(event)
