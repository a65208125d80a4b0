"""AnalysisService end to end with the tiny models: event order, cancellation, missing or broken
models, runner reuse across articles and threads, device and thread settings."""

from __future__ import annotations

import threading

import pytest

from app.core.analysis.cache import ResultCache
from app.core.analysis.service import AnalysisService
from app.core.base.errors import CancelledError, ModelError
from app.core.base.results import (
    AnalysisOptions,
    CancelToken,
    ParagraphTranslated,
    StepFinished,
    StepProgress,
    StepSkipped,
    StepStarted,
)
from app.core.base.steps import NoticeCause, Step
from app.core.engines.device import (
    is_out_of_memory,
    out_of_memory_error,
    resolve_device,
    resolve_threads,
)
from app.core.reading.document import Article

ONE_THREAD = AnalysisOptions(threads=1)


def _article(n: int = 3, word: str = "Semarang") -> Article:
    texts = [f"Banjir besar melanda {word} nomor {i} setelah hujan deras." for i in range(n)]
    return Article.from_texts(texts, title="Banjir", source_path=None, format="txt", language="id")


def _steps(events, cls):
    return [e.step for e in events if isinstance(e, cls)]


def test_full_analysis_emits_events_in_step_order(installed_models, model_store):
    events = []
    service = AnalysisService(model_store, ResultCache())
    result = service.analyze(_article(), ONE_THREAD, on_event=events.append)
    assert _steps(events, StepStarted) == ["translate", "summarize", "entities"]
    assert _steps(events, StepFinished) == ["translate", "summarize", "entities"]
    assert not [e for e in events if isinstance(e, StepSkipped)]
    for step in ("translate", "summarize", "entities"):
        kinds = [type(e) for e in events if getattr(e, "step", None) == step]
        assert kinds[0] is StepStarted and kinds[-1] is StepFinished
    paragraph_events = [e for e in events if isinstance(e, ParagraphTranslated)]
    assert [e.index for e in paragraph_events] == [0, 1, 2]
    assert [e.text for e in paragraph_events] == result.translation.paragraphs
    progress = [e for e in events if isinstance(e, StepProgress) and e.step == "translate"]
    assert [(p.done, p.total) for p in progress] == [(1, 3), (2, 3), (3, 3)]
    assert result.summary.kind == "abstractive" and result.entities.kind == "model"
    assert result.notices == []
    assert {"translate", "summarize", "entities", "total"} <= result.timings.keys()
    assert service.model_loads == 3


def test_runners_are_reused_for_the_next_article(installed_models, model_store):
    service = AnalysisService(model_store, ResultCache())
    service.analyze(_article(2, "Semarang"), ONE_THREAD)
    service.analyze(_article(2, "Surabaya"), ONE_THREAD)
    assert service.model_loads == 3
    service.unload()
    assert service.model_loads == 0


def test_missing_models_are_noticed_with_install_commands_and_steps_still_run(model_store):
    events = []
    result = AnalysisService(model_store, ResultCache()).analyze(
        _article(), ONE_THREAD, on_event=events.append
    )
    assert _steps(events, StepSkipped) == ["translate", "summarize", "entities"]
    assert [n.step for n in result.notices] == ["translate", "summarize", "entities"]
    assert all(n.install_hint.startswith("ringkas models ") for n in result.notices)
    assert result.translation.kind == "none"
    assert result.summary.kind == "extractive"
    assert result.entities.kind == "rules"
    # "Banjir" only ever starts a sentence: an ordinary word, not a name.
    assert {e.text for e in result.entities.entities} == {"Semarang"}


def test_cancel_during_translation_raises_and_caches_nothing(install_tiny, model_store):
    install_tiny("translate")
    service = AnalysisService(model_store, ResultCache())
    token = CancelToken()
    seen = []

    def on_event(event):
        seen.append(event)
        if isinstance(event, ParagraphTranslated):
            token.cancel()

    with pytest.raises(CancelledError):
        service.analyze(_article(40), ONE_THREAD, on_event=on_event, cancel=token)
    # The batch in flight finished; nothing after it was translated.
    done = [e.index for e in seen if isinstance(e, ParagraphTranslated)]
    assert 1 <= len(done) <= 16
    assert not _steps(seen, StepFinished).count("translate")
    keys = service.step_keys(_article(40), ONE_THREAD)
    assert all(service.cache.get_step(key) is None for key in keys.values())


def test_a_model_that_fails_to_load_is_a_one_line_notice(install_tiny, model_store):
    model = install_tiny("translate")["translate"]
    (model.path / "model.safetensors").write_bytes(b"not safetensors at all")
    events = []
    service = AnalysisService(model_store, ResultCache())
    result = service.analyze(_article(), ONE_THREAD, on_event=events.append)
    (notice,) = [n for n in result.notices if n.step == "translate"]
    assert "cannot load model tiny-opus-mt-id-en" in notice.message
    assert "\n" not in notice.message and notice.install_hint is None
    assert notice.cause == NoticeCause.STEP_FAILED and not notice.offers_install
    assert result.translation.kind == "none"
    assert result.summary.kind == "extractive"  # the other steps ran
    assert _steps(events, StepSkipped)[0] == "translate"
    # A failed step is not cached: fixing the model makes the next run try again. The steps
    # that did not fail are cached.
    keys = service.step_keys(_article(), ONE_THREAD)
    assert service.cache.get_step(keys[Step.TRANSLATE]) is None
    assert service.cache.get_step(keys[Step.SUMMARIZE]) is not None


def test_an_old_analysis_finishing_in_another_thread_shares_the_models_safely(
    installed_models, model_store
):
    service = AnalysisService(model_store, ResultCache())
    old_token = CancelToken()
    errors: list[BaseException] = []
    started = threading.Event()

    def old():
        def on_event(event):
            if isinstance(event, ParagraphTranslated):
                started.set()

        try:
            service.analyze(_article(20, "Medan"), ONE_THREAD, on_event=on_event, cancel=old_token)
        except CancelledError:
            pass
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    thread = threading.Thread(target=old)
    thread.start()
    assert started.wait(60)
    old_token.cancel()
    # The window starts the next analysis without waiting for the old thread to end.
    result = service.analyze(_article(2, "Bandung"), ONE_THREAD)
    thread.join(60)
    assert not thread.is_alive() and errors == []
    assert len(result.translation.paragraphs) == 2
    assert service.model_loads == 3


def test_status_reports_the_model_per_step(install_tiny, model_store):
    service = AnalysisService(model_store, ResultCache())
    assert service.status() == {"translate": None, "summarize": None, "entities": None}
    install_tiny("translate")
    status = service.status(_article())
    assert status["translate"].name == "tiny-opus-mt-id-en"
    assert status["summarize"] is None


def test_device_and_thread_settings():
    assert resolve_device("cpu") == "cpu"
    assert resolve_device("auto") in ("cpu", "cuda", "mps")
    with pytest.raises(ModelError, match="unknown device"):
        resolve_device("tpu")
    import torch

    if not torch.cuda.is_available():
        with pytest.raises(ModelError, match="no CUDA GPU"):
            resolve_device("cuda")
    assert resolve_threads(3) == 3
    assert resolve_threads(0) >= 1
    with pytest.raises(ModelError):
        resolve_threads(-1)


def test_out_of_memory_becomes_a_clear_message():
    assert is_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 2.00 GiB"))
    assert is_out_of_memory(MemoryError())
    assert not is_out_of_memory(RuntimeError("shape mismatch"))
    message = str(out_of_memory_error("running opus-mt-id-en", "cuda"))
    assert "ran out of memory" in message and "--device cpu" in message and "\n" not in message


def test_unknown_device_fails_the_analysis_with_one_line(install_tiny, model_store):
    install_tiny("translate")
    service = AnalysisService(model_store, ResultCache())
    result = service.analyze(_article(), AnalysisOptions(device="tpu", threads=1))
    assert any("unknown device" in n.message for n in result.notices)
