"""The one-time CTranslate2 conversion of installed models (app.core.accel)."""

from __future__ import annotations

import logging

from app.core.accel import can_accelerate, ensure_converted
from app.core.ct2backend import MARKER_NAME, ct2_dir, is_converted, load_ct2_backend


def test_installed_translator_is_converted_once_and_recorded(model_store, install_tiny):
    model = install_tiny("translate")["translate"]
    assert can_accelerate(model) and not is_converted(model.path)

    assert ensure_converted(model, model_store)

    assert is_converted(model.path)
    recorded = {e["path"] for e in model_store.get(model.name).manifest["derived"]["ct2"]["files"]}
    assert {"model.bin", MARKER_NAME} <= recorded
    assert model_store.verify(model.name) == {model.name: []}
    stamp = (ct2_dir(model.path) / "model.bin").stat().st_mtime_ns
    assert ensure_converted(model, model_store)  # already there: nothing redone
    assert (ct2_dir(model.path) / "model.bin").stat().st_mtime_ns == stamp
    assert load_ct2_backend(model, "cpu", 1).name == "ctranslate2"


def test_summariser_is_converted_and_ner_is_left_alone(install_tiny):
    models = install_tiny("summarize", "entities")
    assert ensure_converted(models["summarize"])
    assert is_converted(models["summarize"].path)
    assert not can_accelerate(models["entities"])
    assert not ensure_converted(models["entities"])
    assert not ct2_dir(models["entities"].path).exists()


def test_failed_conversion_is_a_warning_and_the_model_stays_usable(install_tiny, caplog):
    model = install_tiny("translate")["translate"]
    config = model.path / "config.json"
    original = config.read_text()
    config.write_text(original.replace('"marian"', '"no-such-architecture"'))
    with caplog.at_level(logging.WARNING, logger="app.core.accel"):
        assert not ensure_converted(model)
    assert "it will run on transformers" in caplog.text
    assert not ct2_dir(model.path).exists()
    config.write_text(original)
    assert load_ct2_backend(model, "cpu", 1) is None
