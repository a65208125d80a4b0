"""Unexpected exceptions: logged to a rotating file and shown in a dialog; the app keeps running."""

from __future__ import annotations

import sys
import threading
import traceback

from PySide6.QtCore import QObject, Qt, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from app.core.base import paths
from app.core.base.logs import LOG_FILE_NAME, log, setup_logging  # noqa: F401 (re-exported)


class ExceptionHandler(QObject):
    """Replaces ``sys.excepthook`` (and ``threading.excepthook``) while installed.

    Signals:
        exception_shown(str): the one-line summary of an exception a dialog now shows.
    """

    exception_shown = Signal(str)
    _from_thread = Signal(str, str)

    def __init__(self, parent_widget: QWidget | None = None):
        super().__init__()
        self._parent_widget = parent_widget
        self._previous_hook = None
        self._previous_thread_hook = None
        self.dialogs: list[QMessageBox] = []
        self._from_thread.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def install(self) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.handle
        threading.excepthook = self._handle_thread

    def uninstall(self) -> None:
        if self._previous_hook is not None:
            sys.excepthook = self._previous_hook
            threading.excepthook = self._previous_thread_hook
            self._previous_hook = None

    def _handle_thread(self, args) -> None:
        self.handle(args.exc_type, args.exc_value, args.exc_traceback)

    def handle(self, exc_type, exc, tb) -> None:
        """Log the exception and show it; safe to call from any thread."""
        if issubclass(exc_type, KeyboardInterrupt):
            QApplication.quit()
            return
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        summary = f"{exc_type.__name__}: {exc}".strip().splitlines()[0][:300]
        log.error("unexpected exception\n%s", details)
        if threading.current_thread() is threading.main_thread():
            self._show(summary, details)
        else:
            self._from_thread.emit(summary, details)

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        log_file = paths.log_dir() / LOG_FILE_NAME
        box = QMessageBox(self._parent_widget)
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle("Unexpected error")
        box.setText("Something went wrong inside Ringkas. You can keep working.")
        box.setInformativeText(f"{summary}\n\nDetails were written to {log_file}.")
        box.setDetailedText(details)
        box.setAccessibleName("Unexpected error")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(
            lambda _=0, b=box: self.dialogs.remove(b) if b in self.dialogs else None
        )
        self.dialogs.append(box)
        box.open()  # window-modal, not a nested event loop: the app keeps running
        self.exception_shown.emit(summary)
