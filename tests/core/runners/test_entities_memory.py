"""The NER model's lean CPU load: int8 layers built one at a time from the weights file and the
embedding table left in the file give exactly the labels and scores of a plain load, read only
the rows an article uses, never change the model file, and fail on a damaged file as before."""

from __future__ import annotations

import hashlib
import mmap
import shutil
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.core.base.errors import ModelError
from app.core.engines.hf import load_pretrained
from app.core.engines.quantize import is_quantized, quantize_ner_model
from app.core.runners import entities
from app.core.runners.entities import EntityRecognizer

TEXTS = [
    "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.",
    "Menteri Keuangan Sri Mulyani menyampaikan laporan anggaran di Bandung, kata Joko Widodo.",
    "Banjir.",
    # longer than one window: overlapping windows
    " ".join(["Bank Indonesia menaikkan suku bunga di Semarang dan Surabaya."] * 40),
]
needs_proc = pytest.mark.skipif(
    not Path("/proc/self/smaps").is_file(), reason="reads the process's mappings in /proc"
)


def _model(folder: Path) -> SimpleNamespace:
    return SimpleNamespace(path=folder, name="tiny-xlmr-ner", family="xlm-roberta", manifest={})


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def ner_folder(tmp_path, tiny_model_dirs) -> Path:
    """A private copy of the tiny NER model (its mappings are this test's own)."""
    return Path(shutil.copytree(tiny_model_dirs["entities"], tmp_path / "ner"))


def _mappings(path: Path) -> list[dict]:
    """The process's mappings of ``path``: [{"size": bytes, "rss": bytes}]."""
    found, current = [], None
    for line in Path("/proc/self/smaps").read_text().splitlines():
        fields = line.split()
        if "-" in fields[0] and not fields[0].endswith(":"):
            current = None
            if len(fields) >= 6 and fields[5] == str(path):
                start, end = (int(n, 16) for n in fields[0].split("-"))
                current = {"size": end - start, "rss": 0}
                found.append(current)
        elif current is not None and fields[0] == "Rss:":
            current["rss"] = int(fields[1]) * 1024
    return found


def test_the_lean_load_gives_the_labels_and_scores_of_the_plain_load(ner_folder, monkeypatch):
    import torch

    torch.set_num_threads(1)
    lean = EntityRecognizer(_model(ner_folder), "cpu", 1)
    lean_words = lean.classify_words(TEXTS)
    lean_mentions = lean.recognise(list(enumerate(TEXTS)))
    _, network = lean._load()
    assert is_quantized(network)

    # the plain load: the network as transformers loads it, quantised whole
    monkeypatch.setattr(entities, "quantize_from_file", lambda *args: None)
    plain = EntityRecognizer(_model(ner_folder), "cpu", 1)
    assert plain.classify_words(TEXTS) == lean_words
    assert plain.recognise(list(enumerate(TEXTS))) == lean_mentions
    _, plain_network = plain._load()
    inputs = plain._load()[0](TEXTS[:3], return_tensors="pt", padding=True)
    with torch.inference_mode():
        assert torch.equal(network(**inputs).logits, plain_network(**inputs).logits)
    assert network.get_input_embeddings().weight.data_ptr() != (
        plain_network.get_input_embeddings().weight.data_ptr()
    )


def test_the_model_file_is_never_modified(ner_folder):
    import torch

    weights = ner_folder / "model.safetensors"
    before = (_sha256(weights), weights.stat().st_mtime_ns)
    recognizer = EntityRecognizer(_model(ner_folder), "cpu", 1)
    recognizer.recognise(list(enumerate(TEXTS)))
    table = recognizer._load()[1].get_input_embeddings().weight
    with torch.no_grad():
        table[5:9] = 42.0  # a write lands in this process's copy of the page only

    assert (_sha256(weights), weights.stat().st_mtime_ns) == before
    assert bool(table[5:9].eq(42.0).all())


@needs_proc
def test_only_the_embedding_rows_an_article_uses_become_resident(tmp_path):
    from tinymodels import (
        ENGLISH_SENTENCES,
        INDONESIAN_SENTENCES,
        TINY_XLMR_DIMS,
        build_xlmr_ner,
        train_sentencepiece,
    )

    spm = train_sentencepiece(
        INDONESIAN_SENTENCES + ENGLISH_SENTENCES, 300, unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1
    )
    # 100k rows of 32 floats: a 12.8 MB table, of which a sentence reads a few rows
    folder = build_xlmr_ner(tmp_path / "ner", spm, vocab_size=100_000, **TINY_XLMR_DIMS)
    weights = folder / "model.safetensors"
    recognizer = EntityRecognizer(_model(folder), "cpu", 1)
    recognizer.recognise([(0, TEXTS[0])])

    # transformers' mapping of the whole file is gone; the table's own mapping is left
    (mapping,) = _mappings(weights)
    table_bytes = 100_000 * TINY_XLMR_DIMS["hidden_size"] * 4
    assert table_bytes <= mapping["size"] < table_bytes + 2 * mmap.ALLOCATIONGRANULARITY
    assert weights.stat().st_size > table_bytes + 2 * mmap.ALLOCATIONGRANULARITY
    # the kernel maps up to 64 KB around each touched page: far from the whole table still
    assert mapping["rss"] < table_bytes // 4


@needs_proc
def test_the_plain_load_keeps_the_whole_file_mapped(ner_folder, monkeypatch):
    """The mapping the lean load releases is there to release: transformers maps the file."""
    monkeypatch.setattr(entities, "quantize_from_file", lambda *args: None)
    recognizer = EntityRecognizer(_model(ner_folder), "cpu", 1)
    recognizer.recognise([(0, TEXTS[0])])
    weights = ner_folder / "model.safetensors"
    assert [m["size"] >= weights.stat().st_size for m in _mappings(weights)] == [True]


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda data: data[: len(data) // 2], id="truncated"),
        pytest.param(lambda data: data[:8] + b"{not json" + data[17:], id="corrupt header"),
    ],
)
def test_a_damaged_model_file_gives_the_same_clear_error_as_before(ner_folder, damage):
    weights = ner_folder / "model.safetensors"
    weights.write_bytes(damage(weights.read_bytes()))
    with pytest.raises(ModelError) as plain:
        quantize_ner_model(
            load_pretrained(_model(ner_folder), "AutoModelForTokenClassification", "cpu")[1]
        )

    with pytest.raises(ModelError) as lean:
        EntityRecognizer(_model(ner_folder), "cpu", 1).recognise([(0, TEXTS[0])])

    assert str(lean.value) == str(plain.value)
    assert str(lean.value).startswith("cannot load model tiny-xlmr-ner: ")
    assert "\n" not in str(lean.value)


def test_memory_is_handed_back_without_error_on_any_platform(monkeypatch):
    from app.core.engines import mmap_weights

    monkeypatch.setattr(sys, "platform", "darwin")
    mmap_weights.release_free_memory()  # not glibc: nothing to do
    monkeypatch.setattr(sys, "platform", "linux")
    monkeypatch.setattr(mmap_weights.ctypes.util, "find_library", lambda name: "libnothere.so")
    mmap_weights.release_free_memory()  # no such library: nothing to do


def test_a_weights_file_unreadable_halfway_is_a_one_line_model_error(ner_folder, monkeypatch):
    from app.core.engines import mmap_weights

    def unreadable(stored):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(mmap_weights, "read_tensor", unreadable)
    with pytest.raises(ModelError, match=r"^cannot load model tiny-xlmr-ner: \[Errno 5\] Input"):
        EntityRecognizer(_model(ner_folder), "cpu", 1).recognise([(0, TEXTS[0])])


def test_an_unloaded_model_loads_again_and_finds_the_same_names(ner_folder):
    recognizer = EntityRecognizer(_model(ner_folder), "cpu", 1)
    assert not recognizer.loaded
    first = recognizer.recognise(list(enumerate(TEXTS)))
    assert recognizer.loaded and recognizer.loads == 1
    recognizer.unload()
    assert not recognizer.loaded
    recognizer.unload()  # nothing loaded: nothing to do
    assert recognizer.recognise(list(enumerate(TEXTS))) == first
    assert recognizer.loaded and recognizer.loads == 2
    assert first  # some names were found: the comparison above means something
