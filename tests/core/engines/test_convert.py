"""The one-time CTranslate2 conversion of installed models (app.core.engines.convert)."""

from __future__ import annotations

import logging

from app.core.engines.convert import can_accelerate, ensure_converted
from app.core.engines.ct2 import MARKER_NAME, ct2_dir, is_converted, load_ct2_backend


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


def test_failed_conversion_is_a_warning_and_the_model_stays_usable(
    install_tiny, caplog, monkeypatch
):
    model = install_tiny("translate")["translate"]
    config = model.path / "config.json"
    original = config.read_text()
    config.write_text(original.replace('"marian"', '"no-such-architecture"'))
    with caplog.at_level(logging.WARNING, logger="app.core.engines.convert"):
        assert not ensure_converted(model)
    assert "it will run on transformers" in caplog.text
    assert not ct2_dir(model.path).exists()
    config.write_text(original)
    monkeypatch.setattr("app.core.engines.ct2.FIRST_USE_CONVERSION_MAX_BYTES", 0)
    assert load_ct2_backend(model, "cpu", 1) is None  # no copy, and too big to convert now


def test_quantized_ner_model_keeps_shapes_and_mostly_labels(tiny_model_dirs):
    import torch
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    from app.core.engines.quantize import is_quantized, quantize_ner_model

    torch.set_num_threads(1)
    path = tiny_model_dirs["entities"]
    tokenizer = AutoTokenizer.from_pretrained(path)
    fp32 = AutoModelForTokenClassification.from_pretrained(path).eval()
    reference = AutoModelForTokenClassification.from_pretrained(path).eval()
    assert not is_quantized(fp32)

    int8 = quantize_ner_model(fp32)

    assert is_quantized(int8)
    assert quantize_ner_model(int8) is int8  # idempotent
    inputs = tokenizer(
        ["Presiden Joko Widodo mengunjungi Jakarta.", "Banjir melanda Semarang."],
        return_tensors="pt",
        padding=True,
    )
    with torch.inference_mode():
        expected = reference(**inputs).logits
        got = int8(**inputs).logits
    assert got.shape == expected.shape
    assert torch.allclose(got, expected, atol=0.2)
