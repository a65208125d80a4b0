"""The SentencePiece-only opus-mt tokenizer of the CTranslate2 engine gives exactly what
transformers' MarianTokenizer gives (pieces, ids, special tokens, decoded text), without
importing transformers or torch."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from app.core.engines.marian_spm import MarianSentencePieceTokenizer, plain_opus_mt
from tests.tinymodels import ENGLISH_SENTENCES, INDONESIAN_SENTENCES

ODD_TEXTS = [
    "",
    " ",
    "a</s>b",
    "x <unk> y <pad>",
    "Harga naik 5% — “kata” dia… 😀 café  ŁÓDŹ 東京",
    ">>fra<< Halo",
    "  spasi  ganda  ",
    "tab\tdi sini\nbaris",
    "Rp 1.500.000,00 (US$ 97)",
]


@pytest.fixture(scope="module")
def tokenizers(tiny_model_dirs):
    from transformers import AutoTokenizer

    path = tiny_model_dirs["translate"]
    return AutoTokenizer.from_pretrained(path), MarianSentencePieceTokenizer(path)


def test_the_tiny_opus_mt_layout_is_recognised(tiny_model_dirs, tmp_path):
    assert plain_opus_mt(tiny_model_dirs["translate"])
    assert not plain_opus_mt(tiny_model_dirs["summarize"])
    assert not plain_opus_mt(tmp_path)


def test_encoding_is_marians(tokenizers):
    reference, ours = tokenizers
    texts = INDONESIAN_SENTENCES + ENGLISH_SENTENCES + ODD_TEXTS
    for text in texts:
        assert ours(text)["input_ids"] == reference(text)["input_ids"], text
        assert ours.tokenize(text) == reference.tokenize(text), text
    assert ours(texts)["input_ids"] == reference(texts)["input_ids"]


def test_decoding_is_marians(tokenizers):
    reference, ours = tokenizers
    size = len(reference.get_vocab())
    rng = random.Random(0)
    sequences = [reference(t)["input_ids"] for t in ENGLISH_SENTENCES + ODD_TEXTS]
    sequences += [[rng.randrange(size) for _ in range(rng.randrange(40))] for _ in range(200)]
    for ids in sequences:
        assert ours.convert_ids_to_tokens(ids) == reference.convert_ids_to_tokens(ids)
        for skip in (True, False):
            expected = reference.batch_decode([ids], skip_special_tokens=skip)
            assert ours.batch_decode([ids], skip_special_tokens=skip) == expected, ids


def test_vocabulary_and_limits_are_marians(tokenizers):
    reference, ours = tokenizers
    assert ours.get_vocab() == reference.get_vocab()
    assert ours.model_max_length == reference.model_max_length
    assert ours.all_special_ids == sorted(reference.all_special_ids)
    assert ours.eos_token_id == reference.eos_token_id


def test_ct2_backend_loads_marian_without_transformers(tiny_model_dirs, tmp_path):
    """A fresh interpreter loads the converted opus-mt model and translates with neither
    transformers nor torch imported."""
    import shutil

    from app.core.engines.ct2 import convert_model, ct2_dir

    path = Path(shutil.copytree(tiny_model_dirs["translate"], tmp_path / "marian"))
    convert_model(path, ct2_dir(path))
    code = f"""
import json, sys
from pathlib import Path
from types import SimpleNamespace
from app.core.engines.base import GenerationSettings
from app.core.engines.ct2 import load_ct2_backend
model = SimpleNamespace(name="m", task="translate", family="marian", path=Path({str(path)!r}))
backend = load_ct2_backend(model, "cpu", 1)
out = backend.generate(["Presiden Joko Widodo mengunjungi Jakarta."], GenerationSettings(8))
print(json.dumps([type(backend.tokenizer).__name__, len(out),
                  "transformers" in sys.modules, "torch" in sys.modules]))
"""
    root = Path(__file__).resolve().parents[3]
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    name, outputs, transformers_loaded, torch_loaded = json.loads(result.stdout.splitlines()[-1])
    assert (name, outputs) == ("MarianSentencePieceTokenizer", 1)
    assert not transformers_loaded and not torch_loaded
