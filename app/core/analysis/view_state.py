"""What the screen shows for one article, as a Qt-free state fed by the engine's events.

The window draws from it and the CLI exports from it, so both decide the same way what a
result means: which panes show text, which show a notice, and whether to offer an install.
:class:`ViewState` keeps the article across a re-analysis of the same text (a new summary
length, new models), so what is already on screen stays there while only the steps that run
again are redrawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.base.results import (
    AnalysisResult,
    ArticleLoaded,
    EntityResult,
    Event,
    ParagraphTranslated,
    StepFinished,
    StepNotice,
    StepProgress,
    StepSkipped,
    StepStarted,
    Summary,
)
from app.core.base.steps import RESULT_STEPS, NoticeCause, Step


class Phase(StrEnum):
    """Where a step stands for the article on screen."""

    IDLE = "idle"  # no analysis asked for it (yet)
    WAITING = "waiting"  # asked for; another step runs first
    RUNNING = "running"
    DONE = "done"  # a (model or fallback) result is there
    SKIPPED = "skipped"  # no model result; its notice says why
    CANCELLED = "cancelled"


@dataclass
class StepView:
    phase: Phase = Phase.IDLE
    notices: list[StepNotice] = field(default_factory=list)
    done: int = 0
    total: int = 0
    from_cache: bool = False

    @property
    def notice(self) -> StepNotice | None:
        """The notice that explains the step's result, if any (the first that is not INFO)."""
        for notice in self.notices:
            if notice.cause != NoticeCause.INFO:
                return notice
        return None


class TranslationMode(StrEnum):
    HIDDEN = "hidden"  # the article is English: no translation pane
    TEXT = "text"  # paragraphs (some may still be pending)
    NOTICE = "notice"  # no translation: a notice instead of text


@dataclass
class ViewState:
    """The article on screen and its analysis, step by step.

    Attributes:
        article: the article shown (None before the first one is read).
        translation: one entry per paragraph, None while pending.
        steps: each result step's phase, notices and progress.
        result: the finished AnalysisResult (None while analysing).
    """

    article: Any | None = None
    translation: list[str | None] = field(default_factory=list)
    translation_model: str | None = None
    summary: Summary | None = None
    entities: EntityResult | None = None
    steps: dict[Step, StepView] = field(
        default_factory=lambda: {step: StepView() for step in RESULT_STEPS}
    )
    result: AnalysisResult | None = None
    #: True while a request runs whose article is not read yet (the old one stays on screen).
    loading: bool = False

    # --- feeding ------------------------------------------------------------------------

    def begin(self) -> None:
        """A new request starts: what is on screen stays until its article arrives."""
        self.loading = True

    def apply(self, event: Event) -> bool:
        """Update from one engine event. Returns True when the article changed (redraw all)."""
        if isinstance(event, ArticleLoaded):
            return self._article_loaded(event.article)
        step = getattr(event, "step", None)
        if isinstance(event, ParagraphTranslated):
            if 0 <= event.index < len(self.translation):
                self.translation[event.index] = event.text
            return False
        if step is None or step == Step.LOAD:
            return False
        view = self.steps[Step(step)]
        if isinstance(event, StepStarted):
            view.phase, view.total, view.done = Phase.RUNNING, event.total, 0
        elif isinstance(event, StepProgress):
            view.done, view.total = event.done, event.total
        elif isinstance(event, StepFinished):
            view.phase, view.from_cache = Phase.DONE, event.from_cache
        elif isinstance(event, StepSkipped):
            view.phase = Phase.SKIPPED
            if event.notice not in view.notices:
                view.notices.append(event.notice)
        return False

    def finish(self, result: AnalysisResult) -> None:
        """The analysis is done: its result is the truth for every step."""
        if result.article is not None and result.article is not self.article:
            self._article_loaded(result.article)
        self.loading = False
        self.result = result
        by_step: dict[Step, list[StepNotice]] = {}
        for notice in result.notices:
            by_step.setdefault(Step(notice.step), []).append(notice)
        for step, value in (
            (Step.TRANSLATE, result.translation),
            (Step.SUMMARIZE, result.summary),
            (Step.ENTITIES, result.entities),
        ):
            view = self.steps[step]
            view.notices = by_step.get(step, [])
            if value is None:
                if not view.notices:  # the options turned the step off
                    view.notices = [
                        StepNotice(
                            step,
                            "not asked for in this analysis",
                            cause=NoticeCause.SKIPPED_BY_OPTION,
                        )
                    ]
                view.phase = Phase.SKIPPED
            else:
                view.phase = Phase.DONE
        translation = result.translation
        if translation is not None and translation.kind in ("model", "identity"):
            self.translation = list(translation.paragraphs)
            self.translation_model = translation.model
        self.summary = result.summary
        self.entities = result.entities

    def cancel(self) -> None:
        """The request was cancelled: steps that had not finished are marked so."""
        self.loading = False
        for view in self.steps.values():
            if view.phase in (Phase.WAITING, Phase.RUNNING):
                view.phase = Phase.CANCELLED

    def fail(self) -> None:
        self.loading = False

    # --- what the screen shows ----------------------------------------------------------

    @property
    def is_english(self) -> bool:
        translation = self.result.translation if self.result is not None else None
        return bool(self.article is not None and self.article.language == "en") or (
            translation is not None and translation.kind == "identity"
        )

    def translation_mode(self) -> TranslationMode:
        if self.article is None or self.is_english:
            return TranslationMode.HIDDEN
        view = self.steps[Step.TRANSLATE]
        if view.phase == Phase.SKIPPED:
            return TranslationMode.NOTICE
        if self.result is not None:
            translation = self.result.translation
            if translation is None or translation.kind != "model":
                return TranslationMode.NOTICE
        return TranslationMode.TEXT

    def pending_paragraphs(self) -> set[int]:
        return {i for i, text in enumerate(self.translation) if text is None}

    def summary_offers_install(self) -> bool:
        """The summary is a fallback (extractive) because no summariser is installed."""
        notice = self.steps[Step.SUMMARIZE].notice
        return bool(
            self.summary is not None
            and self.summary.kind == "extractive"
            and notice is not None
            and notice.offers_install
        )

    def summary_note(self) -> str:
        """Notices to show under a summary that is shown (none when it offers an install)."""
        if self.summary_offers_install():
            return ""
        return "; ".join(n.message for n in self.steps[Step.SUMMARIZE].notices)

    def notice(self, step: Step) -> StepNotice | None:
        return self.steps[step].notice

    def export_result(self) -> AnalysisResult | None:
        """The result to copy or export: the finished one, or None while analysing."""
        return self.result

    # --- internals ----------------------------------------------------------------------

    def _article_loaded(self, article: Any) -> bool:
        """Returns True when ``article`` is a different text than the one on screen."""
        self.loading = False
        same = self.article is not None and self.article.text == article.text
        self.article = article
        self.result = None
        for view in self.steps.values():
            view.phase, view.notices, view.done, view.total = Phase.WAITING, [], 0, 0
            view.from_cache = False
        if not same:
            self.translation = [None] * len(article.paragraphs)
            self.translation_model = None
            self.summary = None
            self.entities = None
        return not same


def state_of(result: AnalysisResult) -> ViewState:
    """The view state of a finished result (the CLI's export, a result opened from a file)."""
    state = ViewState()
    state.finish(result)
    return state


__all__ = ["Phase", "StepView", "TranslationMode", "ViewState", "state_of"]
