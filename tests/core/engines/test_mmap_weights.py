"""Weights read and mapped straight from safetensors files: the same values as the safetensors
library reads, copy-on-write mappings that never change the file, and bad headers refused."""

from __future__ import annotations

import hashlib
import json
import shutil
import struct

import pytest

from app.core.engines.mmap_weights import (
    map_tensor,
    model_weights_index,
    quantize_from_file,
    read_tensor,
    safetensors_index,
)


def _sha256(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _save(path, tensors):
    from safetensors.torch import save_file

    save_file(tensors, str(path))
    return path


def test_read_and_mapped_tensors_equal_what_safetensors_reads(tiny_model_dirs):
    import torch
    from safetensors import safe_open

    path = tiny_model_dirs["entities"] / "model.safetensors"
    index = safetensors_index(path)
    with safe_open(str(path), framework="pt") as reference:
        assert set(index) == set(reference.keys())
        for name, stored in index.items():
            expected = reference.get_tensor(name)
            assert torch.equal(read_tensor(stored), expected), name
            assert torch.equal(map_tensor(stored), expected), name


def test_every_dtype_and_an_unaligned_start_read_back(tmp_path):
    import torch

    tensors = {
        "a": torch.arange(3, dtype=torch.float16),  # 6 bytes: the next tensor starts unaligned
        "b": torch.linspace(-1, 1, 24, dtype=torch.bfloat16).view(4, 6),
        "c": torch.randn(5, 7, dtype=torch.float32),
        "d": torch.randn(3, dtype=torch.float64),
        "empty": torch.zeros(0, 4),
    }
    index = safetensors_index(_save(tmp_path / "w.safetensors", tensors))
    for name, tensor in tensors.items():
        assert torch.equal(read_tensor(index[name]), tensor), name
        assert torch.equal(map_tensor(index[name]), tensor), name


def test_a_mapped_tensor_outlives_its_file_handle_and_writes_never_reach_the_file(tmp_path):
    import gc

    import torch

    path = _save(tmp_path / "w.safetensors", {"table": torch.arange(4096.0).view(64, 64)})
    before = _sha256(path)
    mapped = map_tensor(safetensors_index(path)["table"])
    gc.collect()
    mapped[3] = -1.0  # copy-on-write: this process's copy only

    assert mapped[3].eq(-1.0).all() and mapped[4, 0] == 256.0
    assert _sha256(path) == before
    assert torch.equal(map_tensor(safetensors_index(path)["table"])[3], torch.arange(192.0, 256.0))


def test_a_sharded_model_folder_is_indexed_across_its_shards(tmp_path):
    import torch

    _save(tmp_path / "model-00001-of-00002.safetensors", {"a": torch.ones(2)})
    _save(tmp_path / "model-00002-of-00002.safetensors", {"b": torch.zeros(3)})
    weight_map = {"a": "model-00001-of-00002.safetensors", "b": "model-00002-of-00002.safetensors"}
    (tmp_path / "model.safetensors.index.json").write_text(json.dumps({"weight_map": weight_map}))

    index = model_weights_index(tmp_path)

    assert torch.equal(read_tensor(index["a"]), torch.ones(2))
    assert torch.equal(read_tensor(index["b"]), torch.zeros(3))
    assert model_weights_index(tmp_path / "missing") == {}


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[:5], id="shorter than the length prefix"),
        pytest.param(lambda data: struct.pack("<Q", 10**9) + data[8:], id="header past the end"),
        pytest.param(lambda data: data[:8] + b"\xff" * (len(data) - 8), id="header not json"),
        pytest.param(lambda data: data[:-8], id="last tensor cut short"),
    ],
)
def test_a_damaged_file_is_refused_with_a_value_error(tmp_path, damage):
    import torch

    path = _save(tmp_path / "w.safetensors", {"a": torch.ones(4), "b": torch.ones(8)})
    path.write_bytes(damage(path.read_bytes()))
    with pytest.raises(ValueError, match="w.safetensors"):
        safetensors_index(path)


def test_a_network_whose_tensors_the_file_does_not_hold_is_left_alone(tmp_path, tiny_model_dirs):
    import torch
    from transformers import AutoModelForTokenClassification

    folder = tmp_path / "renamed"
    shutil.copytree(tiny_model_dirs["entities"], folder)
    network = AutoModelForTokenClassification.from_pretrained(folder).eval()
    before = {name: tensor.clone() for name, tensor in network.state_dict().items()}
    from safetensors.torch import load_file

    tensors = load_file(str(folder / "model.safetensors"))
    tensors["other.name"] = tensors.pop("classifier.weight")
    _save(folder / "model.safetensors", tensors)

    assert quantize_from_file(network, folder, lambda holder: holder) is None
    after = network.state_dict()
    assert all(torch.equal(after[name], tensor) for name, tensor in before.items())
    assert quantize_from_file(network, tmp_path / "no-weights", lambda holder: holder) is None


@pytest.mark.parametrize("family", ["bert", "distilbert", "xlm-roberta"])
def test_token_classifiers_quantised_from_the_file_compute_what_the_plain_load_does(
    tmp_path, family
):
    """Other token-classification architectures (the catalogue's English NER is a BERT) get
    the lean load too, with logits equal to those of quantising the loaded network whole."""
    import torch
    from transformers import AutoConfig, AutoModelForTokenClassification

    from app.core.engines.quantize import is_quantized, quantize_ner_model

    torch.manual_seed(0)
    dims = dict(hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64)
    if family == "distilbert":
        dims = dict(dim=32, n_layers=2, n_heads=2, hidden_dim=64)
    config = AutoConfig.for_model(family, vocab_size=500, num_labels=5, **dims)
    AutoModelForTokenClassification.from_config(config).save_pretrained(tmp_path)

    def load():
        return AutoModelForTokenClassification.from_pretrained(tmp_path).eval()

    lean = quantize_from_file(load(), tmp_path, quantize_ner_model)
    plain = quantize_ner_model(load())

    assert lean is not None and is_quantized(lean)
    ids = torch.randint(5, 500, (3, 17))
    with torch.inference_mode():
        assert torch.equal(lean(input_ids=ids).logits, plain(input_ids=ids).logits)
