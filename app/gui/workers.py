"""Run the Qt-free core off the GUI thread and forward its events as Qt signals.

:class:`AnalysisController` (GUI thread) owns one worker QThread in which an
:class:`AnalysisWorker` creates the :class:`app.core.analysis.service.AnalysisService` lazily (so torch
and transformers are imported there, never on the GUI thread) and runs requests one at a time.
Every request gets an id; starting a new one cancels the previous one, and anything the worker
still reports for an old id is dropped, so an old article's results never reach a new one.

:class:`FunctionThread` runs one long call (a model install, adding a model) in its own thread.
"""

from __future__ import annotations

import itertools
import logging
import sys
import threading
import traceback
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from app.core.base.errors import CancelledError, RingkasError
from app.core.base.results import AnalysisOptions, ArticleLoaded, CancelToken

log = logging.getLogger("ringkas.gui")

ServiceFactory = Callable[[], object]


def default_service_factory(
    models_dir: Path | None = None, *, start_now: bool = False
) -> ServiceFactory:
    """A factory for the real analysis service over the model store in ``models_dir``.

    The service runs in a child process (:class:`app.core.analysis.engine_process.EngineProcess`): model
    loading and the language detector hold the GIL for up to a second, which would freeze the
    window even from a worker thread. ``start_now`` starts that process at once (it takes
    ~0.15 s to get ready, on another core, while the window is built); the factory's first
    product is that service.
    """
    from app.core.analysis.engine_process import EngineProcess

    started = [EngineProcess(models_dir)] if start_now else []
    if started:
        started[0].start()

    def make():
        return started.pop() if started else EngineProcess(models_dir)

    return make


def _unexpected(exc: BaseException) -> str:
    """Report an unexpected exception to the exception dialog; return a one-line message."""
    hook = sys.excepthook
    try:
        hook(type(exc), exc, exc.__traceback__)
    except Exception:  # the hook itself must never take the worker down
        traceback.print_exc()
    return f"Unexpected error: {type(exc).__name__}: {exc}".splitlines()[0]


class AnalysisWorker(QObject):
    """Lives in the worker thread; every slot runs there, one at a time.

    Signals (all tagged with the request id):
        article_loaded(int, object): the Article, as soon as the file is read.
        event(int, object): a core progress event (StepStarted, ParagraphTranslated, ...).
        finished(int, object): the AnalysisResult.
        failed(int, str): a one-line message for the user.
        cancelled(int): the request was cancelled.
        library_ready(object): list of LibraryEntry.
        status_ready(object): {step: InstalledModel | None}.
        request_ended(int, str): the worker is done with a request: "finished", "cancelled"
            or "failed" (emitted for every request, current or stale).
    """

    article_loaded = Signal(int, object)
    event = Signal(int, object)
    finished = Signal(int, object)
    failed = Signal(int, str)
    cancelled = Signal(int)
    library_ready = Signal(object)
    status_ready = Signal(object)
    request_ended = Signal(int, str)

    def __init__(self, service_factory: ServiceFactory):
        super().__init__()
        self._factory = service_factory
        self._service = None

    def _get_service(self):
        if self._service is None:
            self._service = self._factory()
        return self._service

    @Slot(int, object, object, object)
    def analyze(
        self, request_id: int, source, options: AnalysisOptions, token: CancelToken
    ) -> None:
        def on_event(event) -> None:
            if isinstance(event, ArticleLoaded):
                self.article_loaded.emit(request_id, event.article)
            else:
                self.event.emit(request_id, event)

        def produce():
            token.raise_if_cancelled()
            return self._get_service().analyze(source, options, on_event=on_event, cancel=token)

        outcome = self._deliver(request_id, produce, token)
        self._emit_library()
        self.request_ended.emit(request_id, outcome)

    @Slot(int, str, object)
    def open_from_library(self, request_id: int, key: str, token: CancelToken) -> None:
        def produce():
            token.raise_if_cancelled()
            result = self._get_service().open_from_library(key)
            if result is None:
                self._emit_library()
                raise RingkasError("this article is no longer in the library")
            token.raise_if_cancelled()
            self.article_loaded.emit(request_id, result.article)
            return result

        outcome = self._deliver(request_id, produce, token)
        self.request_ended.emit(request_id, outcome)

    def _deliver(self, request_id: int, produce: Callable[[], object], token: CancelToken) -> str:
        """Run ``produce`` and report its result, cancellation or failure; returns which."""
        try:
            result = produce()
            token.raise_if_cancelled()
            self.finished.emit(request_id, result)
            return "finished"
        except CancelledError:
            self.cancelled.emit(request_id)
            return "cancelled"
        except RingkasError as exc:
            self.failed.emit(request_id, str(exc))
        except Exception as exc:
            self.failed.emit(request_id, _unexpected(exc))
        return "failed"

    @Slot()
    def refresh_library(self) -> None:
        self._emit_library()

    def _emit_library(self) -> None:
        try:
            self.library_ready.emit(list(self._get_service().library()))
        except Exception as exc:  # the library is a convenience; never break on it
            log.warning("library unavailable: %s", exc)
            self.library_ready.emit([])

    @Slot()
    def refresh_status(self) -> None:
        try:
            self.status_ready.emit(dict(self._get_service().status()))
        except Exception as exc:
            log.warning("model status unavailable: %s", exc)
            self.status_ready.emit({})

    @Slot(object)
    def replace_service(self, service_factory: ServiceFactory) -> None:
        """Use a new factory (e.g. the models folder changed); frees loaded models."""
        self.close_service()
        self._factory = service_factory

    def close_service(self) -> None:
        """Free the service's models (and stop its process, if it has one)."""
        service, self._service = self._service, None
        if service is None:
            return
        try:
            close = getattr(service, "close", None)
            close() if close is not None else service.unload()
        except Exception as exc:
            log.warning("closing the analysis service failed: %s", exc)

    @Slot()
    def unload(self) -> None:
        if self._service is not None:
            self._service.unload()


class AnalysisController(QObject):
    """The GUI side of the worker thread: start, cancel, and receive only current results.

    Signals:
        article_loaded(object): the current request's Article.
        progress(object): the current request's core event.
        finished(object): the current request's AnalysisResult.
        failed(str): the current request failed, one line.
        cancelled(): the current request was cancelled.
        busy_changed(bool): a request started / ended.
        library_changed(object): the library list (LibraryEntry objects).
        status_changed(object): {step: InstalledModel | None}.
        request_ended(int, str): the worker finished with a request id (current or stale) and
            how: "finished", "cancelled" or "failed".
    """

    article_loaded = Signal(object)
    progress = Signal(object)
    finished = Signal(object)
    failed = Signal(str)
    cancelled = Signal()
    busy_changed = Signal(bool)
    library_changed = Signal(object)
    status_changed = Signal(object)
    request_ended = Signal(int, str)

    _start_analysis = Signal(int, object, object, object)
    _start_library_open = Signal(int, str, object)
    _library_requested = Signal()
    _status_requested = Signal()
    _replace_service = Signal(object)

    def __init__(self, service_factory: ServiceFactory, parent: QObject | None = None):
        super().__init__(parent)
        self._ids = itertools.count(1)
        self._current_id = 0
        self._token: CancelToken | None = None
        self._busy = False
        self._thread = QThread()
        self._thread.setObjectName("ringkas-analysis")
        self._worker = AnalysisWorker(service_factory)
        self._worker.moveToThread(self._thread)
        self._thread.finished.connect(self._worker.deleteLater)

        self._start_analysis.connect(self._worker.analyze)
        self._start_library_open.connect(self._worker.open_from_library)
        self._library_requested.connect(self._worker.refresh_library)
        self._status_requested.connect(self._worker.refresh_status)
        self._replace_service.connect(self._worker.replace_service)

        self._worker.article_loaded.connect(self._on_article_loaded)
        self._worker.event.connect(self._on_event)
        self._worker.finished.connect(self._on_finished)
        self._worker.failed.connect(self._on_failed)
        self._worker.cancelled.connect(self._on_cancelled)
        self._worker.library_ready.connect(self.library_changed)
        self._worker.status_ready.connect(self.status_changed)
        self._worker.request_ended.connect(self.request_ended)
        self._thread.start()

    # --- requests -------------------------------------------------------------------------

    def analyze(self, source, options: AnalysisOptions) -> int:
        """Analyse a path or an Article; cancels whatever ran before. Returns the request id."""
        request_id = self._begin()
        self._start_analysis.emit(request_id, source, options, self._token)
        return request_id

    def open_from_library(self, key: str) -> int:
        request_id = self._begin()
        self._start_library_open.emit(request_id, key, self._token)
        return request_id

    def refresh_library(self) -> None:
        self._library_requested.emit()

    def refresh_status(self) -> None:
        self._status_requested.emit()

    def replace_service(self, service_factory: ServiceFactory) -> None:
        self._replace_service.emit(service_factory)

    def cancel(self) -> None:
        """Cancel the current request (its results will not be delivered)."""
        if self._token is not None:
            self._token.cancel()
        if self._busy:
            self._current_id = next(self._ids)  # drop anything still in flight
            self._set_busy(False)
            self.cancelled.emit()

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def current_request(self) -> int:
        return self._current_id

    def shutdown(self) -> None:
        """Cancel, stop the worker thread and wait for it (called on window close)."""
        if self._token is not None:
            self._token.cancel()
        self._current_id = next(self._ids)
        if self._thread.isRunning():
            self._thread.quit()
            self._thread.wait()
        self._worker.close_service()  # the thread has stopped: safe from here

    @property
    def thread(self) -> QThread:
        return self._thread

    def _begin(self) -> int:
        if self._token is not None:
            self._token.cancel()
        self._token = CancelToken()
        self._current_id = next(self._ids)
        self._set_busy(True)
        return self._current_id

    def _set_busy(self, busy: bool) -> None:
        if busy != self._busy:
            self._busy = busy
            self.busy_changed.emit(busy)

    # --- worker reports (queued onto the GUI thread) --------------------------------------

    @Slot(int, object)
    def _on_article_loaded(self, request_id: int, article) -> None:
        if request_id == self._current_id:
            self.article_loaded.emit(article)

    @Slot(int, object)
    def _on_event(self, request_id: int, event) -> None:
        if request_id == self._current_id:
            self.progress.emit(event)

    @Slot(int, object)
    def _on_finished(self, request_id: int, result) -> None:
        if request_id == self._current_id:
            self._set_busy(False)
            self.finished.emit(result)

    @Slot(int, str)
    def _on_failed(self, request_id: int, message: str) -> None:
        if request_id == self._current_id:
            self._set_busy(False)
            self.failed.emit(message)

    @Slot(int)
    def _on_cancelled(self, request_id: int) -> None:
        if request_id == self._current_id:
            self._set_busy(False)
            self.cancelled.emit()


class FunctionThread(QThread):
    """Runs ``function(progress, cancel)`` in its own thread.

    ``progress(done, total)`` may be called from the function; ``cancel`` is a
    :class:`threading.Event` the function should check.

    Signals:
        progress_changed(object, object): done and total (Python ints: byte counts overflow int32).
        succeeded(object): the function's return value.
        failed(str): a one-line message (RingkasError) or an unexpected error.
        was_cancelled(): the function raised CancelledError.
    """

    progress_changed = Signal(object, object)
    succeeded = Signal(object)
    failed = Signal(str)
    was_cancelled = Signal()

    def __init__(self, function: Callable, parent: QObject | None = None):
        super().__init__(parent)
        self._function = function
        self.cancel_event = threading.Event()

    def cancel(self) -> None:
        self.cancel_event.set()

    def run(self) -> None:
        try:
            result = self._function(self._report, self.cancel_event)
        except CancelledError:
            self.was_cancelled.emit()
        except RingkasError as exc:
            if self.cancel_event.is_set():
                self.was_cancelled.emit()
            else:
                self.failed.emit(str(exc))
        except Exception as exc:
            self.failed.emit(_unexpected(exc))
        else:
            # Done even if Cancel came too late to stop it (e.g. during a model's conversion):
            # report what happened, not what was asked.
            self.succeeded.emit(result)

    def _report(self, done, total) -> None:
        self.progress_changed.emit(int(done or 0), int(total or 0))
