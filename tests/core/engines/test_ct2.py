"""The CTranslate2 backend: conversion beside the weights, same output as transformers, fallback."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.core.base.errors import ModelError
from app.core.engines.base import GenerationSettings
from app.core.engines.batch_plan import plan_batches
from app.core.engines.ct2 import (
    CT2_DIRNAME,
    MARKER_NAME,
    CT2Backend,
    convert_model,
    ct2_dir,
    is_converted,
    load_ct2_backend,
    split_threads,
)

SENTENCES = [
    "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.",
    "Banjir besar melanda Semarang.",
    "Harga beras naik di pasar tradisional Surabaya minggu ini, kata para pedagang di sana.",
]


pytestmark = pytest.mark.usefixtures("one_torch_thread")


@pytest.fixture(scope="module")
def tiny_dirs(tmp_path_factory, tiny_model_dirs) -> dict[str, Path]:
    """Copies of the tiny Marian and mT5 models, each converted into ``<model>/ct2``."""
    root = tmp_path_factory.mktemp("ct2models")
    dirs = {
        "marian": _copy_model(tiny_model_dirs["translate"], root / "marian"),
        "mt5": _copy_model(tiny_model_dirs["summarize"], root / "mt5"),
    }
    for path in dirs.values():
        convert_model(path, ct2_dir(path))
    return dirs


def _installed(path: Path, family: str, name: str | None = None) -> SimpleNamespace:
    """The fields of an installed model (app.core.models.store.InstalledModel) the backends read."""
    return SimpleNamespace(
        name=name or path.name, task="translate", family=family, path=path, languages=["id"]
    )


def _copy_model(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest)
    return dest


def test_conversion_lands_beside_the_weights_and_leaves_no_temporary_folder(tiny_dirs):
    for path in tiny_dirs.values():
        assert ct2_dir(path) == path / CT2_DIRNAME
        assert is_converted(path)
        assert (path / CT2_DIRNAME / "model.bin").stat().st_size > 0
        assert '"quantization": "int8"' in (path / CT2_DIRNAME / MARKER_NAME).read_text()
        assert [p.name for p in path.iterdir() if p.name.startswith(".")] == []
        # the original weights are untouched and still there for the transformers fallback
        assert (path / "model.safetensors").is_file()


def test_failed_conversion_leaves_the_previous_copy_intact(tiny_dirs, tmp_path):
    model = _copy_model(tiny_dirs["marian"], tmp_path / "marian")
    before = (ct2_dir(model) / "model.bin").read_bytes()
    (model / "model.safetensors").write_bytes(b"not a safetensors file")

    with pytest.raises(ModelError, match="could not convert marian for CTranslate2"):
        convert_model(model, ct2_dir(model))

    assert (ct2_dir(model) / "model.bin").read_bytes() == before
    assert [p.name for p in model.iterdir() if p.name.startswith(".")] == []
    assert load_ct2_backend(_installed(model, "marian"), "cpu", 1) is not None


def test_failed_first_conversion_leaves_nothing(tiny_dirs, tmp_path):
    model = _copy_model(tiny_dirs["mt5"], tmp_path / "mt5")
    shutil.rmtree(ct2_dir(model))
    (model / "config.json").write_text("{ broken")

    with pytest.raises(ModelError):
        convert_model(model, ct2_dir(model))

    assert not ct2_dir(model).exists()
    assert not is_converted(model)
    assert sorted(p.name for p in model.iterdir() if p.name.startswith(".")) == []


@pytest.mark.parametrize("family", ["marian", "mt5"])
def test_float32_greedy_output_equals_transformers(tiny_dirs, family):
    """Same tokenizer, same decoding: CTranslate2 in float32 reproduces transformers' text."""
    from app.core.engines.hf import TransformersBackend

    model = _installed(tiny_dirs[family], family)
    reference = TransformersBackend(model, "cpu", 1)
    accelerated = CT2Backend(model, compute_type="float32", threads=1)
    for settings in (
        GenerationSettings(max_new_tokens=9, min_new_tokens=9),
        GenerationSettings(max_new_tokens=14),
        GenerationSettings(max_new_tokens=6, min_new_tokens=6, num_beams=2),
    ):
        assert accelerated.generate(SENTENCES, settings) == reference.generate(SENTENCES, settings)


BUDGETS = (12, 3, 7)


@pytest.mark.parametrize("family", ["marian", "mt5"])
def test_each_text_stops_at_its_own_budget_on_both_backends(tiny_dirs, family):
    """A batch with per-text budgets gives each text what it gets alone with that budget."""
    from app.core.engines.hf import TransformersBackend

    model = _installed(tiny_dirs[family], family)
    budgeted = GenerationSettings(max_new_tokens=12, min_new_tokens=12, max_new_tokens_each=BUDGETS)
    outputs = {}
    for label, backend in (
        ("transformers", TransformersBackend(model, "cpu", 1)),
        ("ctranslate2-float32", CT2Backend(model, compute_type="float32", threads=1)),
    ):
        batch = backend.generate(SENTENCES, budgeted)
        alone = [
            backend.generate([s], GenerationSettings(n, n))[0]
            for s, n in zip(SENTENCES, BUDGETS, strict=True)
        ]
        assert batch == alone, label
        # without budgets every text runs to 12 tokens: the budgets really cut the others short
        unbudgeted = backend.generate(SENTENCES, GenerationSettings(12, 12))
        assert unbudgeted[0] == batch[0]
        assert len(batch[1]) < len(unbudgeted[1]) and len(batch[2]) < len(unbudgeted[2])
        outputs[label] = batch
    assert outputs["ctranslate2-float32"] == outputs["transformers"]


def test_budgets_must_match_the_texts_and_beam_search_ignores_them(tiny_dirs):
    backend = CT2Backend(_installed(tiny_dirs["marian"], "marian"), compute_type="float32")
    with pytest.raises(ValueError, match="3 output budgets for 2 texts"):
        backend.generate(
            SENTENCES[:2], GenerationSettings(max_new_tokens=12, max_new_tokens_each=BUDGETS)
        )
    beams = GenerationSettings(12, 12, num_beams=2, max_new_tokens_each=BUDGETS)
    assert beams.budgets(3) is None
    assert backend.generate(SENTENCES, beams) == backend.generate(
        SENTENCES, GenerationSettings(12, 12, num_beams=2)
    )


@pytest.mark.parametrize(
    ("threads", "parallel", "expected"),
    [
        (1, True, (1, 1)),
        (2, True, (2, 1)),
        (4, True, (4, 1)),
        (8, True, (4, 2)),
        (16, True, (4, 4)),
        (8, False, (1, 8)),
        (0, False, (1, 1)),
    ],
)
def test_split_threads(threads, parallel, expected):
    assert split_threads(threads, parallel) == expected


def test_translator_threads_decode_sub_batches_side_by_side_with_the_same_text(tiny_dirs):
    model = _installed(tiny_dirs["marian"], "marian")
    parallel = CT2Backend(model, compute_type="float32", threads=2, parallel=True)
    single = CT2Backend(model, compute_type="float32", threads=2, parallel=False)
    assert (parallel.inter_threads, parallel.intra_threads) == (2, 1)
    assert (single.inter_threads, single.intra_threads) == (1, 2)
    texts = [f"{s} ({i})" for i, s in enumerate(SENTENCES * 3)]
    # one long text among short ones: the plan cuts them into several batches
    texts.insert(2, " ".join(SENTENCES[:3]))
    budgets = tuple(4 + 2 * i for i in range(len(texts)))
    plan = plan_batches([len(t.split()) for t in texts], list(budgets), 2)
    assert len(plan) > 1
    settings = GenerationSettings(max(budgets), max_new_tokens_each=budgets)
    assert parallel.generate(texts, settings) == single.generate(texts, settings)
    # the app's factory gives translators parallel workers and summarisers one worker
    summariser = _installed(tiny_dirs["mt5"], "mt5")
    summariser.task = "summarize"
    assert load_ct2_backend(model, "cpu", 2).inter_threads == 2
    assert load_ct2_backend(summariser, "cpu", 2).inter_threads == 1


@pytest.mark.parametrize("family", ["marian", "mt5"])
def test_int8_batch_keeps_order_and_count(tiny_dirs, family):
    model = _installed(tiny_dirs[family], family)
    backend = load_ct2_backend(model, "cpu", 1)
    assert backend is not None and backend.name == "ctranslate2"
    assert backend.compute_type == "int8" and backend.threads == 1
    settings = GenerationSettings(max_new_tokens=10, min_new_tokens=10, prefix="summarize: ")

    # a tiny token budget makes CTranslate2 sort by length and cut several batches
    backend.max_batch_tokens = 24
    batched = backend.generate(SENTENCES, settings)
    one_by_one = [backend.generate([s], settings)[0] for s in SENTENCES]

    assert len(batched) == len(SENTENCES)
    assert batched == one_by_one
    assert all(text.strip() for text in batched)
    assert backend.generate([], settings) == []


def test_count_tokens_and_input_limit_match_transformers(tiny_dirs):
    from app.core.engines.hf import TransformersBackend

    model = _installed(tiny_dirs["marian"], "marian")
    accelerated = load_ct2_backend(model, "cpu", 1)
    reference = TransformersBackend(model, "cpu", 1)
    assert accelerated.max_input_tokens == reference.max_input_tokens
    for sentence in SENTENCES:
        assert accelerated.count_tokens(sentence) == reference.count_tokens(sentence)


def test_too_long_input_is_an_error_not_a_silent_cut(tiny_dirs):
    backend = load_ct2_backend(_installed(tiny_dirs["marian"], "marian"), "cpu", 1)
    text = " ".join(SENTENCES * 20)
    assert backend.count_tokens(text) > backend.max_input_tokens
    with pytest.raises(ModelError, match="exceeds"):
        backend.generate([text], GenerationSettings(max_new_tokens=4))


def test_small_model_is_converted_on_first_use_big_one_is_left_on_transformers(
    tiny_dirs, tiny_model_dirs, tmp_path, monkeypatch
):
    import app.core.engines.ct2 as ct2backend

    small = _copy_model(tiny_dirs["marian"], tmp_path / "small")
    shutil.rmtree(ct2_dir(small))
    backend = load_ct2_backend(_installed(small, "marian"), "cpu", 1)
    assert backend is not None and backend.name == "ctranslate2"
    assert is_converted(small)

    big = _copy_model(tiny_dirs["marian"], tmp_path / "big")
    shutil.rmtree(ct2_dir(big))
    monkeypatch.setattr(ct2backend, "FIRST_USE_CONVERSION_MAX_BYTES", 1024)
    assert load_ct2_backend(_installed(big, "marian"), "cpu", 1) is None
    assert not ct2_dir(big).exists()

    ner = _copy_model(tiny_model_dirs["entities"], tmp_path / "ner")
    assert load_ct2_backend(_installed(ner, "xlm-roberta"), "cpu", 1) is None


def test_corrupt_copy_falls_back_to_transformers_with_a_warning(tiny_dirs, tmp_path, caplog):
    from app.core.engines import backend_for

    model_dir = _copy_model(tiny_dirs["marian"], tmp_path / "marian")
    model = _installed(model_dir, "marian", name="opus-mt-id-en")
    assert backend_for(model, "cpu", 1).name == "ctranslate2"

    (ct2_dir(model_dir) / "model.bin").write_bytes(b"\x00garbage")
    with caplog.at_level(logging.WARNING, logger="app.core.engines.ct2"):
        assert load_ct2_backend(model, "cpu", 1) is None
    assert "opus-mt-id-en" in caplog.text and "using transformers instead" in caplog.text

    backend = backend_for(model, "cpu", 1)
    assert backend.name == "transformers"
    outputs = backend.generate(SENTENCES, GenerationSettings(max_new_tokens=5))
    assert len(outputs) == len(SENTENCES)


def test_untied_mt5_head_converts_like_the_real_summariser(tiny_dirs, tmp_path):
    """csebuetnlp/mT5_multilingual_XLSum ships its own lm_head (tie_word_embeddings false)."""
    import json

    import torch
    from safetensors.torch import load_file, save_file

    from app.core.engines.hf import TransformersBackend

    model_dir = _copy_model(tiny_dirs["mt5"], tmp_path / "mt5-untied")
    shutil.rmtree(ct2_dir(model_dir))
    weights = load_file(model_dir / "model.safetensors")
    torch.manual_seed(1)
    weights["lm_head.weight"] = torch.randn_like(weights["shared.weight"])
    save_file(weights, model_dir / "model.safetensors", metadata={"format": "pt"})
    config = json.loads((model_dir / "config.json").read_text())
    config["tie_word_embeddings"] = False
    (model_dir / "config.json").write_text(json.dumps(config))
    convert_model(model_dir, ct2_dir(model_dir))

    model = _installed(model_dir, "mt5")
    reference = TransformersBackend(model, "cpu", 1)
    accelerated = CT2Backend(model, compute_type="float32", threads=1)
    settings = GenerationSettings(max_new_tokens=8, num_beams=3)
    assert accelerated.generate(SENTENCES, settings) == reference.generate(SENTENCES, settings)


PARAGRAPHS = [
    "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin. Banjir besar melanda Semarang.",
    "2024",
    "",
    " ".join(SENTENCES * 6),  # longer than the tiny model's 128-token limit: split, not cut
    "Harga beras naik di pasar tradisional Surabaya minggu ini.",
]


def _runner_backends(tiny_dirs, family: str) -> dict:
    from app.core.engines.hf import TransformersBackend

    model = _installed(tiny_dirs[family], family)
    return {
        "transformers": TransformersBackend(model, "cpu", 1),
        "ctranslate2-float32": CT2Backend(model, compute_type="float32", threads=1),
        "ctranslate2-int8": load_ct2_backend(model, "cpu", 1),
    }


def test_translator_runner_keeps_paragraph_alignment_on_both_backends(tiny_dirs, monkeypatch):
    from app.core.runners.translator import Translator

    # The random tiny Marian emits source-only pieces that a trained one never does, and which
    # CTranslate2's output vocabulary map (target.spm's pieces) leaves out: compare the engines
    # over the whole vocabulary here (tests/core/engines/test_output_vocabulary.py checks the
    # map is lossless on a model that cannot prefer a source-only piece).
    monkeypatch.setenv("RINGKAS_RESTRICT_VOCABULARY", "0")
    outputs = {}
    for label, backend in _runner_backends(tiny_dirs, "marian").items():
        translator = Translator(backend, lambda model, b=backend: b, max_batch=4)
        seen: list[int] = []
        outputs[label] = translator.translate_paragraphs(
            PARAGRAPHS, "id", on_paragraph=lambda i, _t, seen=seen: seen.append(i)
        )
        assert seen == list(range(len(PARAGRAPHS)))
        result = outputs[label]
        assert len(result) == len(PARAGRAPHS)
        assert result[1] == "2024" and result[2] == ""
        assert all(result[i].strip() for i in (0, 3, 4))
    assert outputs["ctranslate2-float32"] == outputs["transformers"]


def test_summarizer_runner_map_reduce_is_the_same_on_both_backends(tiny_dirs):
    from app.core.runners.summarizer import Summarizer

    text = "\n".join(SENTENCES * 8)
    summaries, rounds = {}, {}
    for label, backend in _runner_backends(tiny_dirs, "mt5").items():
        summarizer = Summarizer(backend, lambda model, b=backend: b)
        summaries[label] = summarizer.summarize(text, "id", "short")
        rounds[label] = summarizer.last_rounds
        assert summaries[label].strip()
    assert rounds["transformers"] and len(set(map(tuple, rounds.values()))) == 1
    assert summaries["ctranslate2-float32"] == summaries["transformers"]


def test_output_longer_than_the_position_table_is_capped_not_an_error(tiny_dirs):
    """The tiny Marian has 128 positions; the runner may ask for more new tokens than that."""
    backend = load_ct2_backend(_installed(tiny_dirs["marian"], "marian"), "cpu", 1)
    settings = GenerationSettings(max_new_tokens=300, min_new_tokens=300)
    [output] = backend.generate([SENTENCES[0]], settings)  # CTranslate2 would raise at 128
    assert output.strip()


def test_calls_submitted_together_give_what_each_gives_alone(tiny_dirs):
    model = _installed(tiny_dirs["marian"], "marian")
    backend = CT2Backend(model, compute_type="float32", threads=2, parallel=True)
    calls = [SENTENCES[:1], SENTENCES[1:], SENTENCES[::-1]]
    settings = GenerationSettings(12)
    pending = [backend.submit(texts, settings) for texts in calls]  # all queued first
    assert [collect() for collect in pending] == [backend.generate(t, settings) for t in calls]
    assert backend.submit([], settings)() == []


def test_a_cancelled_submission_stops_decoding_early(tiny_dirs):
    from app.core.base.results import CancelToken

    model = _installed(tiny_dirs["marian"], "marian")
    backend = CT2Backend(model, compute_type="float32", threads=2, parallel=True)
    settings = GenerationSettings(60, min_new_tokens=60)  # every text decodes 60 tokens
    whole = backend.generate_tokens(SENTENCES, settings)
    assert all(len(tokens) >= 59 for tokens in whole)
    token = CancelToken()
    token.cancel()
    collect = backend.submit(SENTENCES, settings, token)
    cut = collect()
    assert all(len(text.split()) < 10 for text in cut)  # stopped after the first step
    # the backend is still usable afterwards, with the same output as before
    assert backend.generate_tokens(SENTENCES, settings) == whole


def test_the_translator_queues_its_batches_and_stops_on_cancel(tiny_dirs):
    from app.core.base.errors import CancelledError
    from app.core.base.results import CancelToken
    from app.core.runners.translator import Translator

    model = _installed(tiny_dirs["marian"], "marian")
    backend = CT2Backend(model, compute_type="float32", threads=2, parallel=True)
    paragraphs = [SENTENCES[0], " ".join(SENTENCES[1:3]), " ".join(SENTENCES[3:])]
    sequential = Translator(
        model,
        lambda m: SimpleNamespace(
            name="plain",
            max_input_tokens=backend.max_input_tokens,
            count_tokens=backend.count_tokens,
            generate=backend.generate,
        ),
    )
    queued = Translator(model, lambda m: backend)
    seen: list[int] = []
    assert queued.translate_paragraphs(
        paragraphs, "id", on_paragraph=lambda i, _: seen.append(i)
    ) == sequential.translate_paragraphs(paragraphs, "id")
    assert seen == [0, 1, 2]  # still shown in reading order

    token = CancelToken()
    with pytest.raises(CancelledError):
        queued.translate_paragraphs(
            paragraphs, "id", on_paragraph=lambda i, _: token.cancel(), cancel=token
        )
