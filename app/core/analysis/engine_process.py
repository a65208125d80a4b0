"""The analysis service in a child process, behind the same methods as AnalysisService.

Why: loading the language detector, importing torch and loading each model run native code
that holds Python's GIL for up to a second; in a worker *thread* of the window that still
freezes the event loop. In a child process it cannot. Events, results, articles and library
entries are plain picklable dataclasses, so they cross the pipe as they are.

The child is started lazily (``spawn``: no inherited Qt state), serves one request at a time,
and is restarted if it dies (for example killed for running out of memory). Cancellation is a
message the parent sends while it waits; the child's analysis checks it between batches.

:func:`run_in_child` runs one long model operation (an install, an add) in a fresh child the
same way, for the window's Models dialog.
"""

from __future__ import annotations

import contextlib
import copy
import multiprocessing
import threading
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.core.base import errors, netguard
from app.core.base.errors import CancelledError, ModelError, RingkasError
from app.core.base.logs import setup_logging
from app.core.base.results import ArticleLoaded, CancelToken

#: How often the parent checks its cancel token and the child's health while it waits.
POLL_S = 0.02


def _describe(exc: BaseException) -> tuple[str, str, str, BaseException | None]:
    """What crosses the pipe for an exception: a RingkasError travels itself (pickled, with its
    class and attributes); anything else as its name, message and traceback text."""
    error = exc if isinstance(exc, RingkasError) else None
    if error is not None:
        try:  # deepcopy rebuilds it as unpickling on the other side will (__reduce__)
            copy.deepcopy(error)
        except Exception:  # an error that cannot travel is rebuilt from its class name
            error = None
    return type(exc).__name__, str(exc), "".join(traceback.format_exception(exc)), error


def _rebuild(
    name: str, message: str, details: str, error: BaseException | None = None
) -> BaseException:
    """The parent-side exception for one the child raised (RingkasErrors keep their class)."""
    if error is not None:
        return error
    cls = getattr(errors, name, None)
    if isinstance(cls, type) and issubclass(cls, RingkasError):
        try:
            return cls(message)
        except TypeError:  # a constructor with other arguments
            return ModelError(message) if issubclass(cls, ModelError) else RingkasError(message)
    return RuntimeError(f"{name}: {message}\n{details}")


def _locked_sender(conn: Any) -> Callable[[tuple], None]:
    """``conn.send`` for a child whose worker thread and main thread both send."""
    lock = threading.Lock()

    def send(message: tuple) -> None:
        with lock:
            conn.send(message)

    return send


#: How long the child waits before loading the language detector and ctranslate2 in the
#: background: an article opened at once (from the command line or the library, usually
#: cached) is served first instead of competing with that load for the interpreter lock.
PRELOAD_DELAY_S = 1.0


def _preload_reader() -> None:  # pragma: no cover - runs in the child
    with contextlib.suppress(Exception):  # only a head start: a real load reports any error
        # What the first article's cleanup loads on first use: ftfy (~60 ms of imports) and
        # the line classifier's trees (~20 ms).
        import ftfy  # noqa: F401

        import app.core.reading.reader  # noqa: F401
        from app.core.reading.language import detect_language
        from app.core.reading.line_classifier import default_classifier

        default_classifier()
        time.sleep(PRELOAD_DELAY_S)

        # lingua loads its language models on the first detection (~2 s; 4.5 s measured on a
        # loaded 2-core machine), the longest part of opening a first article: load them
        # while the window waits for one. Then the translator's engine (heavy, lazily here).
        detect_language("Presiden mengunjungi Jakarta pada hari Senin bersama para menteri.")
        import ctranslate2  # noqa: F401


def _serve(conn: Any, models_dir: str | None) -> None:  # pragma: no cover - runs in the child
    # Only the child needs the service (numpy, the reader, the runners: ~0.2 s of imports);
    # the window imports this module at start-up, before its first paint.
    from app.core.analysis.service import AnalysisService
    from app.core.models.store import ModelStore

    netguard.enforce_offline()
    setup_logging()  # the child's warnings go to the same rotating ringkas.log as the window's
    service = AnalysisService(store=ModelStore(Path(models_dir) if models_dir else None))
    # The window's first request is usually the library; the next one opens a file. Import the
    # reader (ftfy, the cleaner: ~50 ms) meanwhile, so a cached article opens without waiting
    # for it. A request that needs the reader first simply waits on Python's import lock.
    threading.Thread(target=_preload_reader, name="ringkas-preload", daemon=True).start()
    send = _locked_sender(conn)

    pending: list[tuple] = []  # a request that arrived while an analysis was finishing
    while True:
        try:
            method, args = pending.pop(0) if pending else conn.recv()
        except (EOFError, OSError):
            return
        if method == "close":
            return
        if method == "cancel":  # arrived after its request had already finished
            continue
        if method != "analyze":
            try:
                send(("result", getattr(service, method)(*args)))
            except BaseException as exc:
                send(("error", _describe(exc)))
            continue
        token = CancelToken()

        def run(source=args[0], options=args[1], token=token) -> None:
            try:
                result = service.analyze(
                    source, options, on_event=lambda e: send(("event", e)), cancel=token
                )
                result.article = None  # the parent has it from ArticleLoaded
                send(("result", result))
            except BaseException as exc:
                send(("error", _describe(exc)))

        worker = threading.Thread(target=run, name="ringkas-engine", daemon=True)
        worker.start()
        while worker.is_alive():
            if conn.poll(POLL_S):
                try:
                    message, message_args = conn.recv()
                except (EOFError, OSError):
                    token.cancel()
                    return
                if message == "cancel":
                    token.cancel()
                elif message == "close":
                    token.cancel()
                    worker.join()
                    return
                else:  # the parent already has the result and asks for the next thing
                    pending.append((message, message_args))
        worker.join()


def _run_task(conn: Any, target: Callable, args: tuple) -> None:  # pragma: no cover - child
    """Child side of :func:`run_in_child`."""
    cancelled = threading.Event()
    send = _locked_sender(conn)

    def listen() -> None:  # the parent's only message is "cancel"; a closed pipe means the same
        try:
            while conn.recv()[0] != "cancel":
                pass
        except (EOFError, OSError):
            pass
        cancelled.set()

    threading.Thread(target=listen, name="ringkas-task-cancel", daemon=True).start()
    try:
        result = target(
            *args, progress=lambda done, total: send(("event", (done, total))), cancel=cancelled
        )
        send(("result", result))
    except BaseException as exc:
        send(("error", _describe(exc)))


def run_in_child(
    target: Callable, *args, progress: Callable | None = None, cancel: Any = None
) -> Any:
    """``target(*args, progress=..., cancel=...)`` in a fresh child process; returns its result.

    For long model operations started from the window (install, add): in a thread they would
    hold the GIL for seconds (hashing, unpickling a checkpoint, converting to CTranslate2) and
    freeze it. ``target`` must be a module-level function (it is sent by reference); its
    ``progress(done, total)`` calls come back to ``progress``; ``cancel`` (anything with
    ``is_set()``, e.g. a ``threading.Event``) is forwarded and the child sees it as a
    ``threading.Event``. The child's exception is raised here (Ringkas errors keep their class).
    """
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe()
    process = context.Process(
        target=_run_task, args=(child, target, args), name="ringkas-task", daemon=True
    )
    process.start()
    child.close()
    on_event = (lambda payload: progress(*payload)) if progress is not None else None
    try:
        return _exchange(
            parent,
            process,
            on_event,
            (lambda: cancel.is_set()) if cancel is not None else None,
        )
    except (EOFError, OSError, BrokenPipeError) as exc:
        if cancel is not None and cancel.is_set():
            raise CancelledError("cancelled") from exc
        raise RingkasError("the task stopped unexpectedly (out of memory?); try again") from exc
    finally:
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        parent.close()


def _exchange(conn: Any, process: Any, on_event, is_cancelled) -> Any:
    """Wait for the child's reply to a request already sent: relay its events, forward a
    cancel once, return its result or raise its error. EOFError when the child died."""
    cancel_sent = False
    while True:
        if is_cancelled is not None and not cancel_sent and is_cancelled():
            conn.send(("cancel", ()))
            cancel_sent = True
        if not conn.poll(POLL_S):
            if not process.is_alive() and not conn.poll():
                raise EOFError
            continue
        kind, payload = conn.recv()
        if kind == "event":
            if on_event is not None and not cancel_sent:
                on_event(payload)
        elif kind == "result":
            return payload
        else:
            raise _rebuild(*payload)


class EngineProcess:
    """``AnalysisService``'s methods, run in a child process."""

    def __init__(self, models_dir: str | Path | None = None):
        self._models_dir = str(models_dir) if models_dir else None
        self._lock = threading.Lock()
        self._process: Any = None
        self._conn: Any = None

    # --- the service's methods ----------------------------------------------------------

    def analyze(self, source, options, on_event: Callable | None = None, cancel=None):
        """One round trip: ``source`` goes to the child; the article comes back once, in the
        ``ArticleLoaded`` event, and the result comes back without it."""
        loaded: list[Any] = []

        def forward(event: Any) -> None:
            if isinstance(event, ArticleLoaded):
                loaded.append(event.article)
            if on_event is not None:
                on_event(event)

        result = self._call("analyze", source, options, on_event=forward, cancel=cancel)
        if result.article is None and loaded:
            result.article = loaded[0]
        return result

    def library(self):
        return self._call("library")

    def open_from_library(self, key: str):
        return self._call("open_from_library", key)

    def status(self, article=None):
        return self._call("status", article)

    def unload(self) -> None:
        if self._process is not None and self._process.is_alive():
            self._call("unload")

    def start(self) -> None:
        """Start the child now, without waiting for it to be ready (the first call otherwise
        starts it). It gets ready on its own core while the caller goes on."""
        with self._lock:
            self._ensure_started()

    def close(self) -> None:
        """Stop the child (models and all); the next call starts a fresh one."""
        with self._lock:
            self._stop()

    # --- plumbing -----------------------------------------------------------------------

    def _ensure_started(self) -> None:
        """A live child, started afresh when there is none or it died (caller holds the lock)."""
        if self._process is None or not self._process.is_alive():
            self._stop()
            self._start()

    def _start(self) -> None:
        context = multiprocessing.get_context("spawn")
        parent, child = context.Pipe()
        process = context.Process(
            target=_serve, args=(child, self._models_dir), name="ringkas-engine", daemon=True
        )
        process.start()
        child.close()
        self._process, self._conn = process, parent

    def _stop(self) -> None:
        process, conn = self._process, self._conn
        self._process = self._conn = None
        if process is None:
            return
        with contextlib.suppress(OSError, ValueError):
            conn.send(("close", ()))
        process.join(timeout=5)
        if process.is_alive():
            process.kill()
            process.join(timeout=5)
        conn.close()

    def _call(self, method: str, *args, on_event=None, cancel=None):
        with self._lock:
            self._ensure_started()
            conn, process = self._conn, self._process
            try:
                conn.send((method, args))
                return _exchange(
                    conn,
                    process,
                    on_event,
                    (lambda: cancel.cancelled) if cancel is not None else None,
                )
            except (EOFError, OSError, BrokenPipeError) as exc:
                self._stop()
                if cancel is not None and cancel.cancelled:
                    raise CancelledError("analysis cancelled") from exc
                raise ModelError(
                    "the analysis engine stopped unexpectedly (out of memory?); try again"
                ) from exc
