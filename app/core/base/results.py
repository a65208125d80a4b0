"""Plain-Python result, option and progress-event types of an analysis (no Qt).

The engine (``app.core.analysis.service``) produces them; the CLI prints them; the window draws them.
Every type round-trips through ``to_dict``/``from_dict`` so results can be cached and exported.
"""

from __future__ import annotations

import threading
from dataclasses import asdict, dataclass, field
from typing import Literal

from app.core.base.errors import CancelledError
from app.core.base.steps import INSTALL_CAUSES, NoticeCause, Step

__all__ = ["NoticeCause", "Step"]  # re-exported: events and notices are typed by them
SummaryLength = Literal["short", "medium", "long"]


@dataclass(frozen=True)
class AnalysisOptions:
    summary_length: SummaryLength = "medium"
    #: "en" (default) or "source": write the summary in the article's own language.
    summary_language: str = "en"
    #: "prose" (default) or "key-points": a bullet list, one "- point" per line.
    summary_format: str = "prose"
    translate: bool = True
    summarize: bool = True
    entities: bool = True
    #: "auto", "cpu", "cuda" or "mps".
    device: str = "auto"
    #: torch / ctranslate2 intra-op threads; 0 means "number of physical cores".
    threads: int = 0
    use_cache: bool = True

    def cache_params(self) -> dict:
        """The options that change a result (device/threads/use_cache do not)."""
        params = {"summary_length": self.summary_length, "summary_language": self.summary_language}
        if self.summary_format != "prose":  # keys of prose results stay as they were
            params["summary_format"] = self.summary_format
        return params


@dataclass
class Translation:
    #: One entry per article paragraph, same order; "" for a blank/non-text paragraph.
    paragraphs: list[str]
    source_language: str
    #: "model" (translated), "identity" (article already English), "none" (no model installed).
    kind: Literal["model", "identity", "none"]
    model: str | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> Translation:
        return cls(**d)


@dataclass
class SentenceSource:
    """An article sentence that supports a summary sentence (``app.core.runners.attribution``).

    ``paragraph`` is the article paragraph index. On the ``"original"`` side ``start``/``end`` are
    offsets into ``Article.text``; on the ``"translation"`` side they are offsets into
    ``Translation.paragraphs[paragraph]`` (the translation is aligned by paragraph).
    """

    paragraph: int
    start: int
    end: int
    side: Literal["original", "translation"] = "original"
    #: how much of the summary sentence's weighted words this sentence holds (0..1)
    score: float = 0.0


@dataclass
class UnsupportedItem:
    """A name, number, date or amount of a summary sentence found nowhere in the article."""

    text: str
    #: offsets into ``Summary.text``
    start: int
    end: int
    kind: Literal["name", "number", "date", "amount"]


@dataclass
class SummarySentence:
    text: str
    #: offsets into ``Summary.text``
    start: int
    end: int
    sources: list[SentenceSource] = field(default_factory=list)
    #: share of the sentence's weighted words found in its sources (0..1)
    support: float = 0.0
    unsupported: list[UnsupportedItem] = field(default_factory=list)

    @classmethod
    def from_dict(cls, d: dict) -> SummarySentence:
        return cls(
            d["text"],
            d["start"],
            d["end"],
            [SentenceSource(**s) for s in d.get("sources", [])],
            float(d.get("support", 0.0)),
            [UnsupportedItem(**u) for u in d.get("unsupported", [])],
        )


@dataclass
class Summary:
    text: str
    kind: Literal["abstractive", "extractive"]
    model: str | None
    length: str = "medium"
    language: str = "en"
    #: each sentence with its supporting article sentences and unsupported facts (empty until
    #: ``app.core.runners.attribution.attribute`` ran; results cached before it load empty)
    sentences: list[SummarySentence] = field(default_factory=list)

    @property
    def unsupported(self) -> list[UnsupportedItem]:
        return [item for s in self.sentences for item in s.unsupported]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["unsupported"] = [asdict(item) for item in self.unsupported]
        return d

    @classmethod
    def from_dict(cls, d: dict) -> Summary:
        known = {k: v for k, v in d.items() if k in _SUMMARY_FIELDS}
        known["sentences"] = [SummarySentence.from_dict(s) for s in d.get("sentences", [])]
        return cls(**known)


_SUMMARY_FIELDS = ("text", "kind", "model", "length", "language")


@dataclass
class Mention:
    text: str
    start: int  # offsets into Article.text (the cleaned original)
    end: int
    label: str
    score: float = 1.0


@dataclass
class Entity:
    text: str
    label: str
    count: int
    mentions: list[Mention] = field(default_factory=list)


@dataclass
class EntityResult:
    entities: list[Entity]
    #: "model" (labels from a NER model; rules may fill what it left unlabelled), "rules" (the
    #: model-free recogniser: people, organisations and places from rules and place lists) or
    #: "unclassified" (the old untyped fallback; still read from older caches).
    kind: Literal["model", "rules", "unclassified"]
    model: str | None = None
    #: True when the NER model ran on the English translation and names were mapped back.
    via_translation: bool = False

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict) -> EntityResult:
        entities = [
            Entity(e["text"], e["label"], e["count"], [Mention(**m) for m in e["mentions"]])
            for e in d["entities"]
        ]
        return cls(entities, d["kind"], d.get("model"), d.get("via_translation", False))


@dataclass
class StepNotice:
    """Something a user must know about a step: not installed, failed, fell back..."""

    step: Step
    message: str
    #: Exact command that fixes it (e.g. ``ringkas models install opus-mt-id-en``), if any.
    install_hint: str | None = None
    #: Why: what the window and the CLI decide on (never the message's wording). When not
    #: given (results cached by older versions), an install hint means NO_MODEL, else
    #: STEP_FAILED.
    cause: NoticeCause | None = None
    #: The model concerned, if any (e.g. the installed model that does not cover a language).
    model: str | None = None

    def __post_init__(self) -> None:
        self.step = Step(self.step)
        if self.cause is None:
            self.cause = NoticeCause.NO_MODEL if self.install_hint else NoticeCause.STEP_FAILED
        self.cause = NoticeCause(self.cause)

    @property
    def offers_install(self) -> bool:
        """True when installing a model would give this step a (better) result."""
        return self.cause in INSTALL_CAUSES and bool(self.install_hint)

    def to_dict(self) -> dict:
        return {
            "step": str(self.step),
            "message": self.message,
            "install_hint": self.install_hint,
            "cause": str(self.cause),
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, d: dict) -> StepNotice:
        return cls(d["step"], d["message"], d.get("install_hint"), d.get("cause"), d.get("model"))


# --- progress events -------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleLoaded:
    """The article is read and cleaned: emitted exactly once per analysis, before any step."""

    article: object  # app.core.reading.document.Article (base sits below reading)


@dataclass(frozen=True)
class StepStarted:
    step: Step
    total: int = 0


@dataclass(frozen=True)
class StepProgress:
    step: Step
    done: int
    total: int


@dataclass(frozen=True)
class ParagraphTranslated:
    index: int
    text: str


@dataclass(frozen=True)
class StepFinished:
    step: Step
    seconds: float
    from_cache: bool = False


@dataclass(frozen=True)
class StepSkipped:
    step: Step
    notice: StepNotice


Event = (
    ArticleLoaded | StepStarted | StepProgress | ParagraphTranslated | StepFinished | StepSkipped
)


class CancelToken:
    """Thread-safe cancellation flag checked by the engine between batches."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise CancelledError("analysis cancelled")


@dataclass
class AnalysisResult:
    """Everything the window and ``ringkas analyze --json`` show for one article."""

    article: object  # app.core.reading.document.Article (kept loose to avoid a cycle)
    translation: Translation | None
    summary: Summary | None
    entities: EntityResult | None
    notices: list[StepNotice] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    from_cache: bool = False
