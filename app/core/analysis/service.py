"""The analysis engine: article -> translation, summary and names, with events, cancel and cache.

:class:`AnalysisService` is synchronous and Qt-free; the window calls it from one worker thread,
the CLI directly. Progress is reported through plain event objects (``app.core.base.results``):

* each step that runs emits ``StepStarted``, then (translation) one ``ParagraphTranslated`` per
  paragraph in paragraph order as soon as it is ready, ``StepProgress``, and ``StepFinished``;
* a step whose model is not installed (or failed to load) emits only ``StepSkipped`` with a
  :class:`~app.core.base.results.StepNotice` carrying the exact install command; the result then
  holds the fallback: ``Translation(kind="none")`` with one ``""`` per paragraph, an
  ``extractive`` summary, names found by rules (``EntityResult(kind="rules")``);
* a result served from the cache emits ``StepStarted``/``StepFinished(from_cache=True)`` (and
  the ``ParagraphTranslated`` events) for every step that ran, ``StepSkipped`` for the others.

Summary language (``AnalysisOptions.summary_language``): with ``"en"`` an English summariser
runs on the English translation, and a multilingual one (mT5 XLSum writes in the language of
its input) also runs on the translation when there is one, on the original otherwise (the
summary is then in the article's language, and a notice says so). With ``"source"`` a
multilingual summariser runs on the original. When no suitable summariser is installed the
summary is extractive, picked from the original text.
"""

from __future__ import annotations

import gc
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app import __version__
from app.core.analysis.cache import LibraryEntry, ResultCache, StepRecord, source_key, step_key
from app.core.base.errors import CancelledError, ModelError
from app.core.base.results import (
    AnalysisOptions,
    AnalysisResult,
    ArticleLoaded,
    CancelToken,
    EntityResult,
    Event,
    ParagraphTranslated,
    StepFinished,
    StepNotice,
    StepProgress,
    StepSkipped,
    StepStarted,
    Summary,
    Translation,
)
from app.core.base.steps import RESULT_STEPS, NoticeCause, Step
from app.core.engines import backend_for, chat_backend_for, is_chat_model
from app.core.engines.base import Seq2SeqBackend
from app.core.engines.device import resolve_device, resolve_threads
from app.core.engines.mmap_weights import release_free_memory
from app.core.models.store import ModelStore
from app.core.reading.document import Article
from app.core.runners.attribution import attribute_result
from app.core.runners.instruct_summarizer import (
    InstructSummarizer,
    pick_chat_summarizer,
    pick_seq2seq_summarizer,
    summarize_as,
)

log = logging.getLogger(__name__)

#: AnalysisOptions is frozen, so one shared default instance is safe.
DEFAULT_OPTIONS = AnalysisOptions()
BackendFactory = Callable[[Any, str, int], Seq2SeqBackend]
#: On CPU a chat summariser whose weights take at least this many bytes (a 1.5B-class model in
#: int8, and larger) runs alone: the other loaded models (translator, names) are unloaded
#: first. It reads the whole prompt in one pass, and those activations beside the chat model
#: and the others would take the engine past 3 GB. The next article's steps load their models
#: again (the translator in well under a second, the names model in a few seconds).
LARGE_CHAT_BYTES = 1 << 30


def _hint(task: str, language: str | None) -> str:
    from app.core.models.catalog import install_hint  # lazily, as the runners below

    try:
        return install_hint(task, language)
    except Exception:  # a broken catalogue must not stop an analysis
        return f"ringkas models add PATH-TO-MODEL-FOLDER --task {task}"


@dataclass
class Plan:
    """Which model (if any) each step uses for one article and set of options."""

    translate: Any | None = None
    #: "model", "identity", "none" (not installed) or "off" (not asked for)
    translate_mode: str = "off"
    summarize: Any | None = None
    #: "original" or "translation": what the summariser reads
    summary_input: str = "original"
    summary_language: str = "en"
    entities: Any | None = None
    entities_via_translation: bool = False
    notices: list[StepNotice] = field(default_factory=list)

    def model_ids(self) -> dict[str, str | None]:
        def ident(model: Any | None) -> str | None:
            return model.model_id if model is not None else None

        return {
            "translate": f"{self.translate_mode}:{ident(self.translate)}",
            "summarize": f"{self.summary_input}:{self.summary_language}:{ident(self.summarize)}",
            "entities": f"{self.entities_via_translation}:{ident(self.entities)}",
        }


class AnalysisService:
    """Analyses articles with the models in a store, caching every result.

    Attributes:
        store: the model store (``app.core.models.store.ModelStore``).
        cache: the result cache (also the library).
    """

    def __init__(
        self,
        store: Any | None = None,
        cache: ResultCache | None = None,
        *,
        backend_factory: BackendFactory | None = None,
        large_chat_bytes: int | None = LARGE_CHAT_BYTES,
    ):
        if store is None:
            store = ModelStore()
        self.store = store
        self.cache = cache if cache is not None else ResultCache()
        self._backend_factory = backend_factory
        self._runners: dict[tuple, Any] = {}
        self._names_warm = False
        #: see :data:`LARGE_CHAT_BYTES`; None keeps the names models loaded beside any summariser
        self.large_chat_bytes = large_chat_bytes
        self._lock = threading.Lock()

    # --- cheap queries (no torch) --------------------------------------------------------

    def load(self, path: str | Path) -> Article:
        """Read, clean and detect the language of an article file (no model, no torch).

        A file the library has read before (the same bytes, name suffix and reader) is not
        read again: its cleaned article comes from the cache. Otherwise languages recorded for
        the same cleaned text are reused, so reopening an analysed article never waits for
        the language detector to load.
        """
        return self._load(path)[0]

    def _load(self, path: str | Path) -> tuple[Article, str | None]:
        """:meth:`load`, and the file's ``source_key`` to record once it is analysed (None
        when it came from the cache or has none)."""
        source = Path(os.path.abspath(Path(path).expanduser()))
        key = source_key(source)
        if key is not None:
            article = self.cache.article_for_source(key)
            if article is not None:
                article.source_path = source
                return article, None
        # the reader (cleanup, line classifier, format parsers) is imported on first use: a
        # file read before never needs it
        from app.core.reading.reader import load_article

        return load_article(path, known_languages=self.cache.known_languages), key

    def status(self, article: Article | None = None) -> dict[str, Any | None]:
        """Per step, the installed model that would run (for ``article``'s language if given)."""
        language = article.language if article is not None else None
        return {step: self.store.find(step, language) for step in RESULT_STEPS}

    def plan(self, article: Article, options: AnalysisOptions) -> Plan:
        """Choose the models for ``article`` (store lookups only)."""
        plan = Plan()
        language = article.language
        english = language == "en"
        if not options.translate:
            plan.translate_mode = "off"
        elif english:
            plan.translate_mode = "identity"
        else:
            plan.translate = self.store.find("translate", language)
            plan.translate_mode = "model" if plan.translate else "none"
        has_english = english or plan.translate_mode == "model"

        if options.summarize:
            self._plan_summary(plan, article, options, has_english)
        if options.entities:
            plan.entities = self.store.find("entities", language)
            if plan.entities is None and not english and plan.translate_mode == "model":
                plan.entities = self.store.find("entities", "en")
                plan.entities_via_translation = plan.entities is not None
        return plan

    def _plan_summary(
        self, plan: Plan, article: Article, options: AnalysisOptions, has_english: bool
    ) -> None:
        language = article.language
        if options.summary_language == "source" and language != "en":
            # a chat model writes English only
            plan.summarize = pick_seq2seq_summarizer(self.store.list(), language)
            plan.summary_input, plan.summary_language = "original", language
            return
        chat = pick_chat_summarizer(self.store.list(), language)
        if chat is not None:  # an instruction-tuned model writes English from the original
            plan.summarize, plan.summary_input, plan.summary_language = chat, "original", "en"
            return
        english_model = self.store.find("summarize", "en")
        if english_model is not None and has_english:
            plan.summarize = english_model
            plan.summary_input = "original" if language == "en" else "translation"
            plan.summary_language = "en"
            return
        native = self.store.find("summarize", language)
        plan.summarize = native
        plan.summary_input, plan.summary_language = "original", language
        if native is not None and language != "en":
            plan.notices.append(
                StepNotice(
                    Step.SUMMARIZE,
                    f"the summary is in the article's language ({language}): "
                    "install a translator for an English summary",
                    _hint("translate", language),
                    NoticeCause.INFO,
                )
            )

    def step_keys(
        self, article: Article, options: AnalysisOptions, plan: Plan | None = None
    ) -> dict[Step, str]:
        """The cache key of each step that runs: the text, that step's model and its options."""
        plan = plan or self.plan(article, options)
        models = plan.model_ids()
        text = article.text
        keys: dict[Step, str] = {}
        common = {"ringkas": __version__}
        if options.translate:
            keys[Step.TRANSLATE] = step_key(text, Step.TRANSLATE, models["translate"], common)
        if options.summarize:
            params = dict(common, **options.cache_params())
            if plan.summary_input == "translation":
                params["translation"] = models["translate"]  # it reads the translation
            keys[Step.SUMMARIZE] = step_key(text, Step.SUMMARIZE, models["summarize"], params)
        if options.entities:
            params = dict(common)
            if plan.entities_via_translation:
                params["translation"] = models["translate"]
            keys[Step.ENTITIES] = step_key(text, Step.ENTITIES, models["entities"], params)
        return keys

    def library(self) -> list[LibraryEntry]:
        return self.cache.library()

    def open_from_library(self, key: str) -> AnalysisResult | None:
        result = self.cache.open_article(key)
        return attribute_result(result) if result is not None else None

    # --- models --------------------------------------------------------------------------

    @property
    def model_loads(self) -> int:
        """How many models the runners have loaded so far (0 while everything came from cache)."""
        with self._lock:
            return sum(r.loads for r in self._runners.values())

    def _runner(self, step: str, model: Any, options: AnalysisOptions) -> Any:

        device = resolve_device(options.device)
        threads = resolve_threads(options.threads)
        key = (step, model.model_id, device, threads)
        with self._lock:
            runner = self._runners.get(key)
            if runner is None:
                runner = self._make_runner(step, model, device, threads)
                self._runners[key] = runner
            return runner

    def _make_runner(self, step: str, model: Any, device: str, threads: int) -> Any:
        # The runners (and their regular expressions and tables) are imported when a model
        # first runs: the engine process's first request is usually a cached article.
        from app.core.runners.entities import EntityRecognizer
        from app.core.runners.summarizer import Summarizer
        from app.core.runners.translator import Translator

        if step == "summarize" and is_chat_model(model):
            return InstructSummarizer(model, lambda m: chat_backend_for(m, device, threads))
        if step == "entities":
            return EntityRecognizer(model, device, threads)

        factory = self._backend_factory or backend_for

        def make_backend(m: Any) -> Seq2SeqBackend:
            return factory(m, device, threads)

        if step == "translate":
            return Translator(model, make_backend)

        return Summarizer(model, make_backend)

    def unload(self) -> None:
        """Free every loaded model (the next analysis loads them again)."""
        with self._lock:
            runners = list(self._runners.values())
            self._runners.clear()
        for runner in runners:
            runner.unload()
        gc.collect()
        torch = sys.modules.get("torch")
        if torch is not None and torch.cuda.is_available():
            torch.cuda.empty_cache()

    # --- the analysis --------------------------------------------------------------------

    def analyze(
        self,
        source: Path | str | Article,
        options: AnalysisOptions = DEFAULT_OPTIONS,
        on_event: Callable[[Event], None] | None = None,
        cancel: CancelToken | None = None,
    ) -> AnalysisResult:
        """Analyse ``source`` synchronously. Raises CancelledError when ``cancel`` fires.

        Emits ``ArticleLoaded`` exactly once (after reading a file, or at once for an Article),
        then each step's events. Each step is looked up in the cache under its own key and
        replayed from there, or run and stored; a failed step is never stored.
        """
        emit = on_event or (lambda event: None)
        cancel = cancel or CancelToken()
        started = time.perf_counter()
        timings: dict[str, float] = {}

        new_source = None
        if isinstance(source, Article):
            article = source
        else:
            emit(StepStarted(Step.LOAD))
            article, new_source = self._load(source)
            timings["load"] = time.perf_counter() - started
            emit(StepFinished(Step.LOAD, timings["load"]))
        emit(ArticleLoaded(article))
        cancel.raise_if_cancelled()

        plan = self.plan(article, options)
        keys = self.step_keys(article, options, plan)
        if Step.ENTITIES in keys and not self._names_warm and not self._cached(keys, options):
            # The names step always uses the rules (alone, or to fill what a model left). Load
            # their lists in the background while the other steps run: the model steps release
            # the GIL while they compute. Not for a cached article: nothing would wait for them.
            self._names_warm = True
            from app.core.runners.names import warm_up

            threading.Thread(target=warm_up, name="ringkas-names-warm-up", daemon=True).start()
        notices = list(plan.notices)
        values: dict[Step, Any] = {}
        all_cached = True
        for step in RESULT_STEPS:
            if step not in keys:
                continue
            record = self.cache.get_step(keys[step]) if options.use_cache else None
            if record is not None:
                self._replay(step, record, emit)
            else:
                all_cached = False
                record = self._run_step(
                    step, article, values.get(Step.TRANSLATE), plan, options, emit, cancel
                )
                if record.seconds:
                    timings[str(step)] = record.seconds
                failed = any(n.cause == NoticeCause.STEP_FAILED for n in record.notices)
                if options.use_cache and not failed:
                    self.cache.put_step(keys[step], article.text, step, record)
            values[step] = record.value
            notices.extend(record.notices)
            cancel.raise_if_cancelled()

        timings["total"] = time.perf_counter() - started
        result = AnalysisResult(
            article,
            values.get(Step.TRANSLATE),
            values.get(Step.SUMMARIZE),
            values.get(Step.ENTITIES),
            notices,
            timings,
            from_cache=all_cached and bool(keys),
        )
        attribute_result(result)  # each summary sentence's sources and unsupported facts
        stored = options.use_cache and bool(keys) and self.cache.put_article(article, keys)
        if stored and new_source is not None:  # the next open of this file skips the reader
            self.cache.put_source(new_source, article)
        for message in self.cache.warnings:
            log.info("cache: %s", message)
        return result

    def _cached(self, keys: dict[Step, str], options: AnalysisOptions) -> bool:
        """Whether the names step of this analysis will come from the cache."""
        return options.use_cache and self.cache.get_step(keys[Step.ENTITIES]) is not None

    def _run_step(self, step, article, translation, plan, options, emit, cancel) -> StepRecord:
        timings: dict[str, float] = {}
        if step == Step.TRANSLATE:
            value, notice = self._translate(article, plan, options, emit, cancel, timings)
        elif step == Step.SUMMARIZE:
            value, notice = self._summarize(
                article, translation, plan, options, emit, cancel, timings
            )
        else:
            value, notice = self._entities(
                article, translation, plan, options, emit, cancel, timings
            )
        return StepRecord(value, [notice] if notice else [], timings.get(str(step), 0.0))

    def _replay(self, step: Step, record: StepRecord, emit: Callable[[Event], None]) -> None:
        """The events of a step served from the cache, as if it had just run."""
        value = record.value
        for notice in record.notices:
            if notice.cause not in (NoticeCause.INFO,):
                emit(StepSkipped(step, notice))
        kind = getattr(value, "kind", None)
        if value is None or (
            record.notices and kind in ("none", "extractive", "unclassified", "rules")
        ):
            return  # a fallback: its StepSkipped said so, as when it ran
        translation = value if isinstance(value, Translation) else None
        emit(StepStarted(step, len(translation.paragraphs) if translation else 0))
        if translation is not None:
            for index, text in enumerate(translation.paragraphs):
                emit(ParagraphTranslated(index, text))
        emit(StepFinished(step, 0.0, from_cache=True))

    def _step_failed(
        self, step: Step, exc: ModelError, emit: Callable[[Event], None]
    ) -> StepNotice:
        notice = StepNotice(step, str(exc), None, NoticeCause.STEP_FAILED)
        emit(StepSkipped(step, notice))
        return notice

    def _translate(self, article, plan, options, emit, cancel, timings):
        n = len(article.paragraphs)
        texts = [p.text for p in article.paragraphs]
        if plan.translate_mode == "identity":
            emit(StepStarted(Step.TRANSLATE, n))
            for index, text in enumerate(texts):
                emit(ParagraphTranslated(index, text))
            emit(StepFinished(Step.TRANSLATE, 0.0))
            return Translation(texts, article.language, "identity"), None
        if plan.translate_mode == "none":
            notice = StepNotice(
                Step.TRANSLATE,
                f"no translator from '{article.language}' to English is installed",
                _hint("translate", article.language),
                NoticeCause.NO_MODEL,
            )
            emit(StepSkipped(Step.TRANSLATE, notice))
            return Translation([""] * n, article.language, "none"), notice

        started = time.perf_counter()
        emit(StepStarted(Step.TRANSLATE, n))

        def on_paragraph(index: int, text: str) -> None:
            emit(ParagraphTranslated(index, text))
            emit(StepProgress(Step.TRANSLATE, index + 1, n))

        try:
            translator = self._runner("translate", plan.translate, options)
            paragraphs = translator.translate_paragraphs(
                texts, article.language, on_paragraph=on_paragraph, cancel=cancel
            )
        except CancelledError:
            raise
        except ModelError as exc:
            return Translation([""] * n, article.language, "none"), self._step_failed(
                Step.TRANSLATE, exc, emit
            )
        timings["translate"] = time.perf_counter() - started
        emit(StepFinished(Step.TRANSLATE, timings["translate"]))
        return Translation(paragraphs, article.language, "model", plan.translate.name), None

    def _extractive(self, article: Article, options: AnalysisOptions) -> Summary:
        from app.core.runners.extractive import extractive_summary  # lazily: numpy

        text = extractive_summary(
            [p.text for p in article.paragraphs],
            article.language,
            options.summary_length,
            title=article.title,
        )
        return Summary(text, "extractive", None, options.summary_length, article.language)

    def _summarize(self, article, translation, plan, options, emit, cancel, timings):
        if plan.summarize is None:
            wanted = article.language if options.summary_language == "source" else "en"
            notice = StepNotice(
                Step.SUMMARIZE,
                "no abstractive summariser is installed; showing key sentences picked from the article",
                _hint("summarize", wanted),
                NoticeCause.NO_MODEL,
            )
            emit(StepSkipped(Step.SUMMARIZE, notice))
            return self._extractive(article, options), notice

        if plan.summary_input == "translation" and (
            translation is None or translation.kind != "model"
        ):
            notice = StepNotice(
                Step.SUMMARIZE,
                "the English summary needs the translation, which is missing",
                cause=NoticeCause.NEEDS_TRANSLATION,
            )
            emit(StepSkipped(Step.SUMMARIZE, notice))
            return self._extractive(article, options), notice

        started = time.perf_counter()
        emit(StepStarted(Step.SUMMARIZE))
        if plan.summary_input == "translation":
            source = "\n".join(t for t in translation.paragraphs if t.strip())
            language = "en"
        else:
            source = "\n".join(p.text for p in article.paragraphs if p.text.strip())
            language = article.language
        if not source.strip():
            notice = StepNotice(
                Step.SUMMARIZE, "there is no text to summarise", cause=NoticeCause.NO_TEXT
            )
            emit(StepSkipped(Step.SUMMARIZE, notice))
            return self._extractive(article, options), notice
        try:
            summarizer = self._runner("summarize", plan.summarize, options)
            self._make_room_for(summarizer, plan.summarize, options)
            text = summarize_as(summarizer, source, language, options, cancel)
        except CancelledError:
            raise
        except ModelError as exc:
            notice = self._step_failed(Step.SUMMARIZE, exc, emit)
            return self._extractive(article, options), notice
        timings["summarize"] = time.perf_counter() - started
        emit(StepFinished(Step.SUMMARIZE, timings["summarize"]))
        summary = Summary(
            text, "abstractive", plan.summarize.name, options.summary_length, plan.summary_language
        )
        return summary, None

    def _make_room_for(self, runner: Any, model: Any, options: AnalysisOptions) -> None:
        """Unload every other model before a large chat summariser (``runner``, running
        ``model``) runs on CPU (see :data:`LARGE_CHAT_BYTES`)."""
        if (
            self.large_chat_bytes is None
            or not is_chat_model(model)
            or resolve_device(options.device) != "cpu"
            or _weights_bytes(model) < self.large_chat_bytes
        ):
            return
        with self._lock:
            others = [r for r in self._runners.values() if r is not runner]
        if not others:
            return
        log.info("unloading the other models while %s summarises", model.name)
        for other in others:
            other.unload()  # a runner that is not loaded has nothing to free
        gc.collect()
        release_free_memory()

    def _names(self, article: Article) -> EntityResult:
        from app.core.runners.names import recognise  # lazily: its tables load on first use

        paragraphs = [(p.start, p.text) for p in article.paragraphs]
        return recognise(article.text, paragraphs, article.language)

    def _entities(self, article, translation, plan, options, emit, cancel, timings):
        from app.core.runners.entities import group_mentions, map_to_original
        from app.core.runners.names import fill_unlabelled

        if plan.entities is None:
            other = self.store.find("entities")
            reason = (
                f"the installed name model {other.name} does not cover '{article.language}'"
                if other is not None
                else "no name-recognition model is installed"
            )
            notice = StepNotice(
                Step.ENTITIES,
                f"{reason}; showing names found without a model (rules and place lists)",
                _hint("entities", article.language),
                NoticeCause.LANGUAGE_NOT_COVERED if other is not None else NoticeCause.NO_MODEL,
                other.name if other is not None else None,
            )
            emit(StepSkipped(Step.ENTITIES, notice))
            return self._names(article), notice

        started = time.perf_counter()
        via = plan.entities_via_translation
        if via and (translation is None or translation.kind != "model"):
            notice = StepNotice(
                Step.ENTITIES,
                "names need the English translation, which is missing",
                cause=NoticeCause.NEEDS_TRANSLATION,
            )
            emit(StepSkipped(Step.ENTITIES, notice))
            return self._names(article), notice
        if via:
            paragraphs, offset = [], 0
            for text in translation.paragraphs:
                paragraphs.append((offset, text))
                offset += len(text) + 2
        else:
            paragraphs = [(p.start, p.text) for p in article.paragraphs]
        total = sum(1 for _, t in paragraphs if t.strip())
        emit(StepStarted(Step.ENTITIES, total))
        try:
            recognizer = self._runner("entities", plan.entities, options)
            mentions = recognizer.recognise(
                paragraphs,
                cancel=cancel,
                on_progress=lambda done, n: emit(StepProgress(Step.ENTITIES, done, n)),
            )
        except CancelledError:
            raise
        except ModelError as exc:
            notice = self._step_failed(Step.ENTITIES, exc, emit)
            return self._names(article), notice
        if via:
            mentions = map_to_original(group_mentions(mentions), article.text)
        timings["entities"] = time.perf_counter() - started
        emit(StepFinished(Step.ENTITIES, timings["entities"]))
        found = EntityResult(group_mentions(mentions), "model", plan.entities.name, via)
        return fill_unlabelled(found, self._names(article)), None


def _weights_bytes(model: Any) -> int:
    """Bytes of the weights ``model`` runs from: its converted copy, else its safetensors."""
    # lazily, as the engines: only a model run needs it
    from app.core.engines.ct2 import ct2_dir, weights_bytes

    converted = ct2_dir(Path(model.path)) / "model.bin"
    return converted.stat().st_size if converted.is_file() else weights_bytes(model.path)
