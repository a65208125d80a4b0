"""Many articles at once: a queue over files and folders, with progress, ETA, cancel and resume.

Qt-free; the CLI (``ringkas analyze DIR_OR_FILES...``) and the window's queue dialog drive it.
Each article runs through the ordinary :class:`AnalysisService`, so every step is cached under
its own key as it finishes: running the same queue again skips (replays from the cache, no
model work) what was already analysed with the same models, which is the resume. A file that
fails is listed with its error and the queue goes on; Cancel stops after the current step.
Each finished article is indexed in the library at once (:class:`LibraryIndex`), so a queue
killed midway leaves no article half in the library.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.core.analysis.cache import text_hash
from app.core.analysis.library import LibraryIndex
from app.core.analysis.service import AnalysisService
from app.core.base.errors import CancelledError, RingkasError
from app.core.base.results import (
    AnalysisOptions,
    CancelToken,
    Event,
    StepFinished,
    StepProgress,
    StepSkipped,
    StepStarted,
)
from app.core.base.steps import RESULT_STEPS, Step
from app.core.models.store import ModelStore

#: File name endings the queue picks up inside a folder (a file named explicitly always goes).
ARTICLE_SUFFIXES = frozenset(
    {".txt", ".md", ".markdown", ".html", ".htm", ".xhtml", ".epub", ".docx", ".pdf"}
)

PENDING, RUNNING, DONE, SKIPPED, FAILED, CANCELLED = (
    "pending",
    "running",
    "done",
    "skipped",
    "failed",
    "cancelled",
)


def collect_inputs(inputs: Iterable[str | Path]) -> list[Path]:
    """Files from ``inputs``: files as given, folders searched recursively for articles
    (hidden files and folders left out), each file once, in a stable order."""
    found: list[Path] = []
    seen: set[Path] = set()
    for item in inputs:
        path = Path(item).expanduser()
        if path.is_dir():
            candidates = sorted(
                p
                for p in path.rglob("*")
                if p.is_file()
                and p.suffix.lower() in ARTICLE_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            candidates = [path]
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved not in seen:
                seen.add(resolved)
                found.append(candidate)
    return found


@dataclass
class BatchItem:
    """One file of the queue and what became of it."""

    path: Path
    status: str = PENDING
    title: str = ""
    key: str | None = None  # the library key (the cleaned text's hash) once analysed
    error: str | None = None
    seconds: float = 0.0
    #: Progress of this article, 0..1, while it runs.
    fraction: float = 0.0

    def to_dict(self) -> dict:
        return {
            "path": str(self.path),
            "status": self.status,
            "title": self.title,
            "key": self.key,
            "error": self.error,
            "seconds": round(self.seconds, 3),
        }


@dataclass(frozen=True)
class BatchProgress:
    """A snapshot for a progress display: the current item, overall progress and ETA."""

    index: int  # of the current item
    total: int
    item: BatchItem
    overall: float  # 0..1
    eta_s: float | None  # None until one article has been analysed
    fraction: float = 0.0  # of the current item, 0..1


@dataclass
class BatchReport:
    items: list[BatchItem] = field(default_factory=list)
    seconds: float = 0.0
    cancelled: bool = False

    def count(self, status: str) -> int:
        return sum(1 for item in self.items if item.status == status)

    @property
    def failed(self) -> list[BatchItem]:
        return [item for item in self.items if item.status == FAILED]

    def summary(self) -> dict:
        return {
            "total": len(self.items),
            **{s: self.count(s) for s in (DONE, SKIPPED, FAILED, CANCELLED, PENDING)},
            "seconds": round(self.seconds, 3),
            "stopped": self.cancelled,
        }


class BatchQueue:
    """Analyse files one after another with ``service`` (an :class:`AnalysisService` or
    anything with its ``load``/``analyze``), indexing each result in ``library``.

    ``on_progress(BatchProgress)`` is called often (per step event); ``on_item(BatchItem)``
    once per finished item. Both run on the thread that calls :meth:`run`.
    """

    def __init__(
        self,
        service: Any,
        options: AnalysisOptions | None = None,
        *,
        library: LibraryIndex | None = None,
        on_progress: Callable[[BatchProgress], None] | None = None,
        on_item: Callable[[BatchItem], None] | None = None,
        cancel: CancelToken | None = None,
    ):
        self.service = service
        self.options = options or AnalysisOptions()
        self.library = library
        self.on_progress = on_progress or (lambda progress: None)
        self.on_item = on_item or (lambda item: None)
        self.cancel_token = cancel or CancelToken()

    def cancel(self) -> None:
        self.cancel_token.cancel()

    def run(self, inputs: Iterable[str | Path]) -> BatchReport:
        paths = collect_inputs(inputs)
        report = BatchReport([BatchItem(p) for p in paths])
        started = time.perf_counter()
        analysed_seconds: list[float] = []
        total = len(report.items)

        def overall(index: int, fraction: float) -> float:
            return (index + fraction) / total if total else 1.0

        def eta(index: int, fraction: float) -> float | None:
            if not analysed_seconds:
                return None
            mean = sum(analysed_seconds) / len(analysed_seconds)
            return max(0.0, (total - index - fraction) * mean)

        for index, item in enumerate(report.items):
            if self.cancel_token.cancelled:
                report.cancelled = True
                item.status = CANCELLED
                continue
            item.status = RUNNING
            self.on_progress(
                BatchProgress(index, total, item, overall(index, 0.0), eta(index, 0.0), 0.0)
            )
            item_started = time.perf_counter()
            steps_done: set[Step] = set()

            def on_event(event: Event, item=item, index=index, steps_done=steps_done) -> None:
                step = getattr(event, "step", None)
                if step not in RESULT_STEPS:
                    return
                part = 0.0
                if isinstance(event, StepFinished | StepSkipped):
                    steps_done.add(step)
                elif isinstance(event, StepProgress) and event.total:
                    part = event.done / event.total
                elif not isinstance(event, StepStarted):
                    return
                fraction = min(1.0, (len(steps_done) + part) / len(RESULT_STEPS))
                item.fraction = fraction
                self.on_progress(
                    BatchProgress(
                        index, total, item, overall(index, fraction), eta(index, fraction), fraction
                    )
                )

            try:
                article = self.service.load(item.path)
                item.title = article.title
                result = self.service.analyze(
                    article, self.options, on_event=on_event, cancel=self.cancel_token
                )
            except CancelledError:
                item.status = CANCELLED
                report.cancelled = True
            except RingkasError as exc:
                item.status, item.error = FAILED, str(exc)
            except Exception as exc:  # a bug or a library failure: the queue goes on
                item.status, item.error = FAILED, f"{type(exc).__name__}: {exc}"
            else:
                item.key = text_hash(result.article.text)
                item.status = SKIPPED if result.from_cache else DONE
                if self.library is not None and self.options.use_cache:
                    self.library.index_result(item.key, result)
            item.seconds = time.perf_counter() - item_started
            item.fraction = 1.0 if item.status in (DONE, SKIPPED) else item.fraction
            if item.status == DONE:
                analysed_seconds.append(item.seconds)
            self.on_item(item)
            self.on_progress(
                BatchProgress(
                    index, total, item, overall(index + 1, 0.0), eta(index + 1, 0.0), item.fraction
                )
            )
        report.seconds = time.perf_counter() - started
        return report


class _EventToken(CancelToken):
    """A CancelToken over an existing ``threading.Event`` (the child's cancel flag)."""

    def __init__(self, event) -> None:
        self._event = event


def run_batch_in_child(
    inputs: list[str], options: AnalysisOptions, models_dir: str | None = None, *, progress, cancel
) -> BatchReport:
    """The window's queue, run by ``engine_process.run_in_child`` in its own process (model
    loading holds the GIL; the window must stay responsive). ``progress(kind, payload)`` sends
    ("progress", BatchProgress) and ("item", BatchItem) back; ``cancel`` is a threading.Event."""
    service = AnalysisService(store=ModelStore(Path(models_dir) if models_dir else None))
    with LibraryIndex(cache=service.cache, sync=False) as library:
        queue = BatchQueue(
            service,
            options,
            library=library,
            on_progress=lambda p: progress("progress", p),
            on_item=lambda item: progress("item", item),
            cancel=_EventToken(cancel),
        )
        return queue.run(inputs)
