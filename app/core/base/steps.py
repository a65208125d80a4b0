"""The steps of an analysis, why a step may have no result, and the one table of their titles."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Step(StrEnum):
    """A step of an analysis. A ``StrEnum``: ``Step.TRANSLATE == "translate"``."""

    LOAD = "load"
    TRANSLATE = "translate"
    SUMMARIZE = "summarize"
    ENTITIES = "entities"


#: The steps that produce a result, in the order an analysis runs them.
RESULT_STEPS: tuple[Step, ...] = (Step.TRANSLATE, Step.SUMMARIZE, Step.ENTITIES)


class NoticeCause(StrEnum):
    """Why a step has no (model) result. Code decides on this, never on a message's wording."""

    #: No model for the step is installed; a fallback (if any) is shown, with an install hint.
    NO_MODEL = "no_model"
    #: A model for the step is installed but does not cover the article's language.
    LANGUAGE_NOT_COVERED = "language_not_covered"
    #: The step ran and failed (model could not load, out of memory...); not cached.
    STEP_FAILED = "step_failed"
    #: The user's options turned the step off.
    SKIPPED_BY_OPTION = "skipped_by_option"
    #: The step needs another step's result (e.g. the English translation), which is missing.
    NEEDS_TRANSLATION = "needs_translation"
    #: There is nothing to work on (an empty article).
    NO_TEXT = "no_text"
    #: The step ran, but differently from the default (e.g. a summary in the article's language).
    INFO = "info"


#: Causes that offer to install a model.
INSTALL_CAUSES = frozenset({NoticeCause.NO_MODEL, NoticeCause.LANGUAGE_NOT_COVERED})


@dataclass(frozen=True)
class StepTitle:
    #: The step's result as a heading: "Translation".
    noun: str
    #: The step while it runs: "Translating".
    doing: str


STEP_TITLES: dict[Step, StepTitle] = {
    Step.LOAD: StepTitle("Article", "Reading"),
    Step.TRANSLATE: StepTitle("Translation", "Translating"),
    Step.SUMMARIZE: StepTitle("Summary", "Summarising"),
    Step.ENTITIES: StepTitle("Names", "Finding names"),
}


def step_title(step: str) -> StepTitle:
    """The titles of ``step`` (a :class:`Step` or its string value)."""
    try:
        return STEP_TITLES[Step(step)]
    except ValueError:
        return StepTitle(str(step).capitalize(), str(step).capitalize())
