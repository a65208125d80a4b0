"""The one interface to the analysis engine, in-process or in a child process."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol, runtime_checkable

from app.core.analysis.cache import LibraryEntry
from app.core.base.results import AnalysisOptions, AnalysisResult, CancelToken, Event


@runtime_checkable
class AnalysisEngine(Protocol):
    """What the window and the CLI call. Implemented by
    :class:`app.core.analysis.service.AnalysisService` (in this process) and
    :class:`app.core.analysis.engine_process.EngineProcess` (the same service in a child).

    ``analyze`` is one call per analysis: it emits ``ArticleLoaded`` exactly once, then each
    step's events (``StepStarted``, ``ParagraphTranslated``, ``StepProgress``,
    ``StepFinished`` or ``StepSkipped``), and returns the :class:`AnalysisResult`. Steps found
    in the cache are replayed through the same events, so a caller has no special case for them.
    """

    def analyze(
        self,
        source: Path | str | Any,
        options: AnalysisOptions,
        on_event: Callable[[Event], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> AnalysisResult: ...

    def library(self) -> list[LibraryEntry]: ...

    def open_from_library(self, key: str) -> AnalysisResult | None: ...

    def status(self, article: Any | None = None) -> dict[str, Any | None]: ...

    def unload(self) -> None: ...
