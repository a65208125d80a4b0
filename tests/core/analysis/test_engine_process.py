"""The analysis service in a child process: same results, errors, cancellation, restarts."""

from __future__ import annotations

import pickle

import pytest

from app.core.analysis.engine_process import EngineProcess
from app.core.base.errors import CancelledError, DocumentError, ModelNotInstalledError
from app.core.base.results import (
    AnalysisOptions,
    ArticleLoaded,
    CancelToken,
    ParagraphTranslated,
    StepStarted,
)

ONE_THREAD = AnalysisOptions(threads=1)
#: Only read the article (every step off): a quick round trip through the child.
READ_ONLY = AnalysisOptions(threads=1, translate=False, summarize=False, entities=False)


@pytest.fixture
def engine(model_store):
    engine = EngineProcess(model_store.root)
    yield engine
    engine.close()


def _article(tmp_path, paragraphs=3):
    path = tmp_path / "berita.txt"
    body = "".join(
        f"Warga kampung nomor {i} di Semarang membersihkan lumpur setelah banjir besar.\n\n"
        for i in range(paragraphs)
    )
    path.write_text("Banjir di Semarang\n\n" + body, encoding="utf-8")
    return path


def test_analysis_in_the_child_streams_events_and_returns_the_result(
    engine, install_tiny, tmp_path
):
    install_tiny("translate")
    events = []
    result = engine.analyze(_article(tmp_path), ONE_THREAD, on_event=events.append)
    assert result.translation.kind == "model"
    assert len(result.translation.paragraphs) == len(result.article.paragraphs) == 4
    translated = [e.index for e in events if isinstance(e, ParagraphTranslated)]
    assert translated == sorted(translated) and translated
    assert any(isinstance(e, StepStarted) and e.step == "translate" for e in events)
    (entry,) = engine.library()
    assert engine.open_from_library(entry.key).from_cache
    # the article came back once, in ArticleLoaded; the result carries that same object
    (loaded,) = [e.article for e in events if isinstance(e, ArticleLoaded)]
    assert result.article is loaded


def test_the_child_logs_to_the_same_rotating_log(engine, model_store, isolated_user_dirs):
    broken = model_store.root / "broken-model"
    broken.mkdir(parents=True)
    (broken / "ringkas-model.json").write_text("{ not json", encoding="utf-8")
    engine.status()  # the child reads the store and warns about the unreadable manifest
    log_file = isolated_user_dirs["logs"] / "ringkas.log"
    assert log_file.is_file()
    assert "broken-model" in log_file.read_text(encoding="utf-8")


def test_error_classes_and_their_attributes_survive_the_pipe():
    from app.core.analysis.engine_process import _describe, _rebuild

    error = ModelNotInstalledError("translate", "ringkas models install opus-mt-id-en")
    rebuilt = _rebuild(*pickle.loads(pickle.dumps(_describe(error))))
    assert type(rebuilt) is ModelNotInstalledError
    assert rebuilt.install_hint == "ringkas models install opus-mt-id-en"
    assert str(rebuilt) == str(error)
    other = _rebuild(*pickle.loads(pickle.dumps(_describe(ValueError("odd")))))
    assert isinstance(other, RuntimeError) and "ValueError: odd" in str(other)


def test_a_user_error_in_the_child_is_the_same_error_here(engine, tmp_path):
    with pytest.raises(DocumentError, match="does not exist|no such|not found"):
        engine.analyze(tmp_path / "missing.txt", READ_ONLY)
    # still serving
    assert engine.analyze(_article(tmp_path), READ_ONLY).article.title == "Banjir di Semarang"


def test_cancelling_stops_the_analysis_in_the_child(engine, install_tiny, tmp_path):
    install_tiny("translate")
    token = CancelToken()

    def cancel_on_first_paragraph(event):
        if isinstance(event, ParagraphTranslated):
            token.cancel()

    # 80 paragraphs: several windows of sentences, so the first paragraph arrives (and the
    # cancel goes out) while most of the translation is still to do
    with pytest.raises(CancelledError):
        engine.analyze(
            _article(tmp_path, 80), ONE_THREAD, on_event=cancel_on_first_paragraph, cancel=token
        )
    assert engine.library() == []  # nothing half-done was cached


def test_a_dead_child_is_reported_in_one_line_and_replaced(engine, tmp_path):
    from app.core.base.errors import ModelError

    article = _article(tmp_path)
    engine.analyze(article, READ_ONLY)
    engine._process.kill()
    engine._process.join()
    try:
        engine.analyze(article, READ_ONLY)  # restarted at once, or one clear error first
    except ModelError as exc:
        assert "stopped unexpectedly" in str(exc)
    assert engine.analyze(article, READ_ONLY).article.title == "Banjir di Semarang"


def test_start_starts_the_child_that_the_first_call_then_uses(engine, tmp_path):
    engine.start()  # returns at once; the child gets ready on its own
    child = engine._process
    assert child is not None and child.is_alive()
    assert engine.analyze(_article(tmp_path), READ_ONLY).article.title == "Banjir di Semarang"
    assert engine._process is child
    engine.start()  # already running: nothing changes
    assert engine._process is child
    engine.close()
    assert engine._process is None and not child.is_alive()


# --- run_in_child: one long model operation in its own process ---------------------------------


def _die(*, progress, cancel):  # runs in the child, imported there by reference
    import os

    os._exit(3)


def test_run_in_child_returns_the_result_and_relays_progress(
    fake_hub, tiny_model_dirs, tmp_path, model_store
):
    from app.core.analysis.engine_process import run_in_child
    from app.core.engines.convert import install_in_store
    from app.core.models.catalog import load_catalog

    repo = fake_hub.add_folder("fake-org/tiny", tiny_model_dirs["translate"])
    files = ", ".join(f'"{f}"' for f in sorted(repo.files))
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(
        '[[model]]\nname = "opus-mt-id-en"\ntask = "translate"\nrepo = "fake-org/tiny"\n'
        f'family = "marian"\nlanguages = ["id"]\nfiles = [{files}]\n'
    )
    (entry,) = load_catalog(catalog)
    progress = []
    model = run_in_child(
        install_in_store,
        entry,
        model_store.root,
        False,
        progress=lambda d, t: progress.append((d, t)),
    )
    assert model.name == "opus-mt-id-en" and model_store.get("opus-mt-id-en") is not None
    assert progress and progress[-1][0] == progress[-1][1] == sum(map(len, repo.files.values()))


def test_run_in_child_raises_the_childs_error_with_its_class(tmp_path, model_store):
    from app.core.analysis.engine_process import run_in_child
    from app.core.base.errors import RingkasError
    from app.core.engines.convert import add_to_store

    with pytest.raises(RingkasError) as caught:
        run_in_child(add_to_store, tmp_path / "no-such-model", model_store.root, False)
    assert type(caught.value).__module__ == "app.core.base.errors"
    assert "\n" not in str(caught.value)


def test_run_in_child_reports_a_child_that_died(tmp_path):
    from app.core.analysis.engine_process import run_in_child
    from app.core.base.errors import RingkasError

    with pytest.raises(RingkasError, match="stopped unexpectedly"):
        run_in_child(_die)
