"""The tiny test models load and run with the same transformers calls the real ones need."""

from __future__ import annotations

import hashlib

import pytest
from tinymodels import NER_LABELS, TINY_MAX_TOKENS, build_tiny_mt5

SAMPLE = "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin."


@pytest.fixture(scope="module")
def torch():
    import torch

    torch.set_num_threads(1)
    return torch


def _load_seq2seq(path):
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModelForSeq2SeqLM.from_pretrained(path, local_files_only=True, use_safetensors=True)
    return tokenizer, model.eval()


@pytest.mark.parametrize("task", ["translate", "summarize"])
def test_seq2seq_models_generate_in_batches(tiny_model_dirs, torch, task):
    tokenizer, model = _load_seq2seq(tiny_model_dirs[task])
    assert tokenizer.model_max_length == TINY_MAX_TOKENS
    batch = tokenizer([SAMPLE, "Harga beras naik."], return_tensors="pt", padding=True)
    with torch.inference_mode():
        out = model.generate(**batch, max_new_tokens=8, min_new_tokens=4, num_beams=1)
    assert out.shape[0] == 2
    # min_new_tokens holds back EOS; the outputs are gibberish but not empty.
    texts = tokenizer.batch_decode(out, skip_special_tokens=True)
    assert all(text.strip() for text in texts)
    with torch.inference_mode():
        beams = model.generate(**batch, max_new_tokens=5, num_beams=2)
    assert beams.shape[0] == 2 and beams.shape[1] <= 6


def test_marian_has_the_opus_mt_layout(tiny_model_dirs):
    from transformers import AutoConfig

    names = {p.name for p in tiny_model_dirs["translate"].iterdir()}
    assert {"source.spm", "target.spm", "vocab.json", "model.safetensors"} <= names
    config = AutoConfig.from_pretrained(tiny_model_dirs["translate"], local_files_only=True)
    assert config.model_type == "marian"
    assert config.max_position_embeddings == TINY_MAX_TOKENS


def test_long_input_exceeds_the_model_limit(tiny_model_dirs):
    """Long articles really overflow the tiny models, so splitting can be tested on them."""
    from transformers import AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(tiny_model_dirs["translate"], local_files_only=True)
    ids = tokenizer(" ".join([SAMPLE] * 10))["input_ids"]
    assert len(ids) > TINY_MAX_TOKENS


def test_ner_model_labels_and_offsets(tiny_model_dirs, torch):
    from transformers import AutoModelForTokenClassification, AutoTokenizer

    path = tiny_model_dirs["entities"]
    tokenizer = AutoTokenizer.from_pretrained(path, local_files_only=True)
    model = AutoModelForTokenClassification.from_pretrained(
        path, local_files_only=True, use_safetensors=True
    )
    assert [model.config.id2label[i] for i in range(len(NER_LABELS))] == NER_LABELS
    enc = tokenizer(SAMPLE, return_offsets_mapping=True, return_tensors="pt")
    offsets = enc.pop("offset_mapping")[0].tolist()
    with torch.inference_mode():
        logits = model(**enc).logits
    assert logits.shape == (1, enc["input_ids"].shape[1], len(NER_LABELS))
    pieces = [SAMPLE[s:e] for s, e in offsets if e > s]
    assert "".join(pieces).replace(" ", "") == SAMPLE.replace(" ", "")


def test_models_are_small(tiny_model_dirs):
    for path in tiny_model_dirs.values():
        size = sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
        assert size < 2_000_000, (path, size)


def test_builds_are_deterministic(tiny_model_dirs, tmp_path, torch):
    """Same source, same bytes: the on-disk cache key (builder source + versions) is sound."""
    fresh = build_tiny_mt5(tmp_path / "mt5")

    def digest(p):
        return hashlib.sha256((p / "model.safetensors").read_bytes()).hexdigest()

    assert digest(fresh) == digest(tiny_model_dirs["summarize"])
