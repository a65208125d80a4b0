"""A pruned copy of a converted decoder-only model: only the kept tokens' rows.

CTranslate2's ``Generator`` has no vocabulary map (``use_vmap`` is the ``Translator``'s), so a
chat model multiplies by every output row at every step. A pruned copy gets the same effect
from the model files: its vocabulary is the kept tokens (ids ``kept``, e.g.
:func:`app.core.engines.vocab.latin_token_ids`), and its embeddings and output projection
hold only their rows. The copy is only used for a prompt whose every token is kept (any other
prompt is decoded by the full copy), so the other embedding rows are never read. A tied
embedding/output layer stays tied; the copy is smaller than the full one.

The copy is made from the converted ``model.bin`` (CTranslate2's binary layout, version
:data:`BINARY_VERSION`), one variable in memory at a time: no second conversion from the
Hugging Face weights. :func:`read_pruned` gives the kept ids, to map the generator's output
ids back to the tokenizer's (the copy's id ``j`` is the tokenizer's ``kept[j]``).

No ctranslate2, torch or transformers: only the standard library and numpy.
"""

from __future__ import annotations

import json
import logging
import shutil
import struct
import uuid
from collections.abc import Iterable
from pathlib import Path
from typing import BinaryIO

import numpy as np

log = logging.getLogger(__name__)

#: Folder of the pruned copy inside the converted copy (``<model>/ct2/latin``): it is derived
#: from ``ct2/`` and replaced with it.
PRUNED_DIRNAME = "latin"
#: Written last into a finished pruned copy: the kept ids and the full vocabulary's size.
PRUNED_MARKER = "ringkas-pruned.json"
#: The only ``model.bin`` layout this module reads and writes (CTranslate2 4.x).
BINARY_VERSION = 6
_EMBEDDINGS = "decoder/embeddings/weight"
_PROJECTION = "decoder/projection/weight"
#: Variables with one row per vocabulary entry: cut to the kept rows.
_PER_TOKEN = (
    _EMBEDDINGS,
    f"{_EMBEDDINGS}_scale",
    _PROJECTION,
    f"{_PROJECTION}_scale",
    "decoder/projection/bias",
)
#: CTranslate2's DataType enum order (include/ctranslate2/types.h) -> numpy type.
_DTYPES = (np.float32, np.int8, np.int16, np.int32, np.float16, np.uint16)  # bf16 as raw bits


class _Variable:
    """One variable of a ``model.bin``: name, shape, dtype id, and where its bytes are."""

    def __init__(self, name: str, shape: list[int], dtype: int, offset: int, size: int):
        self.name, self.shape, self.dtype = name, shape, dtype
        self.offset, self.size = offset, size

    def rows(self, stream: BinaryIO) -> np.ndarray:
        """The data as an array with one row per first-dimension entry."""
        stream.seek(self.offset)
        array = np.frombuffer(stream.read(self.size), dtype=_DTYPES[self.dtype])
        return array.reshape(self.shape[0], -1)


def _read(stream: BinaryIO, fmt: str) -> int:
    size = struct.calcsize(fmt)
    raw = stream.read(size)
    if len(raw) != size:
        raise ValueError("model.bin ends early")
    return struct.unpack(fmt, raw)[0]


def _read_string(stream: BinaryIO) -> str:
    length = _read(stream, "H")
    return stream.read(length)[:-1].decode("utf-8")


def _write_string(stream: BinaryIO, text: str) -> None:
    raw = text.encode("utf-8")
    stream.write(struct.pack("H", len(raw) + 1) + raw + b"\0")


def _write_header(stream: BinaryIO, name: str, shape: list[int], dtype: int, size: int) -> None:
    _write_string(stream, name)
    stream.write(struct.pack("B", len(shape)))
    for dim in shape:
        stream.write(struct.pack("I", dim))
    stream.write(struct.pack("B", dtype))
    stream.write(struct.pack("I", size))


def _index(stream: BinaryIO) -> tuple[str, int, list[_Variable], list[tuple[str, str]]]:
    """The spec name, revision, variables (without their data) and aliases of a model.bin."""
    version = _read(stream, "I")
    if version != BINARY_VERSION:
        raise ValueError(f"model.bin version {version} (expected {BINARY_VERSION})")
    name = _read_string(stream)
    revision = _read(stream, "I")
    variables = []
    for _ in range(_read(stream, "I")):
        var_name = _read_string(stream)
        shape = [_read(stream, "I") for _ in range(_read(stream, "B"))]
        dtype = _read(stream, "B")
        size = _read(stream, "I")
        variables.append(_Variable(var_name, shape, dtype, stream.tell(), size))
        stream.seek(size, 1)
    aliases = [(_read_string(stream), _read_string(stream)) for _ in range(_read(stream, "I"))]
    return name, revision, variables, aliases


def read_vocabulary(ct2_folder: Path) -> list[str]:
    """The tokens of a converted decoder-only model, in id order."""
    folder = Path(ct2_folder)
    if (folder / "vocabulary.json").is_file():
        return list(json.loads((folder / "vocabulary.json").read_text(encoding="utf-8")))
    text = (folder / "vocabulary.txt").read_text(encoding="utf-8")
    return text.split("\n")[:-1] if text.endswith("\n") else text.split("\n")


def write_pruned_copy(ct2_folder: Path, out_dir: Path, kept: Iterable[int]) -> Path:
    """Write the pruned copy of the converted decoder-only model in ``ct2_folder``.

    ``kept``: the ids the copy keeps, in the copy's order (ids of the model's vocabulary).
    Atomic like the conversion: written beside ``out_dir`` and renamed into place when
    complete; an existing ``out_dir`` is replaced. Raises ValueError for a model this cannot
    prune (another binary layout, no output projection) and OSError for a file problem.
    """
    ct2_folder, out_dir = Path(ct2_folder), Path(out_dir)
    vocabulary = read_vocabulary(ct2_folder)
    kept = list(dict.fromkeys(int(i) for i in kept))
    if not kept or any(not 0 <= i < len(vocabulary) for i in kept):
        raise ValueError("the kept ids are empty or outside the vocabulary")
    for stale in out_dir.parent.glob(f".{out_dir.name}.tmp-*"):  # left by a killed process
        shutil.rmtree(stale, ignore_errors=True)
    tmp = out_dir.parent / f".{out_dir.name}.tmp-{uuid.uuid4().hex[:8]}"
    tmp.mkdir(parents=True)
    try:
        _prune_model_bin(ct2_folder / "model.bin", tmp / "model.bin", kept, len(vocabulary))
        shutil.copy2(ct2_folder / "config.json", tmp / "config.json")
        (tmp / "vocabulary.json").write_text(
            json.dumps([vocabulary[i] for i in kept], ensure_ascii=False), encoding="utf-8"
        )
        marker = {"kept_ids": kept, "size": len(vocabulary)}
        (tmp / PRUNED_MARKER).write_text(json.dumps(marker), encoding="utf-8")
        if out_dir.exists():
            shutil.rmtree(out_dir)
        tmp.rename(out_dir)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return out_dir


def _prune_model_bin(source: Path, dest: Path, kept: list[int], size: int) -> None:
    """Copy ``source`` to ``dest`` with every per-token variable (embeddings, output
    projection) cut to the rows ``kept``; aliases (a tied output layer) stay as they are."""
    rows = np.asarray(kept, dtype=np.int64)
    with open(source, "rb") as src, open(dest, "wb") as out:
        name, revision, variables, aliases = _index(src)
        names = {v.name for v in variables} | {alias for alias, _ in aliases}
        if _EMBEDDINGS not in names or _PROJECTION not in names:
            raise ValueError("the model has no embeddings or no output projection")
        out.write(struct.pack("I", BINARY_VERSION))
        _write_string(out, name)
        out.write(struct.pack("I", revision))
        out.write(struct.pack("I", len(variables)))
        for variable in variables:
            if variable.name in _PER_TOKEN:
                if variable.shape[0] != size:
                    raise ValueError(f"{variable.name} does not match the vocabulary")
                data = np.ascontiguousarray(variable.rows(src)[rows]).tobytes()
                shape = [len(kept), *variable.shape[1:]]
            else:
                src.seek(variable.offset)
                data, shape = src.read(variable.size), variable.shape
            _write_header(out, variable.name, shape, variable.dtype, len(data))
            out.write(data)
        out.write(struct.pack("I", len(aliases)))
        for alias, target in aliases:
            _write_string(out, alias)
            _write_string(out, target)


def write_latin_copy(ct2_folder: Path, plan: dict | None, decoder_only: bool) -> dict | None:
    """Give the converted decoder-only model in ``ct2_folder`` its pruned copy for a "latin"
    vocabulary ``plan`` (:func:`app.core.engines.vocab.plan_vocabulary_map`).

    Returns the converted copy's marker entry ``{"dir", "kept", "size"}``, or None: not a
    decoder-only model (a seq2seq model has its vocabulary map), no "latin" plan, or a copy
    that could not be written (logged; the full copy works without it).
    """
    if not decoder_only or plan is None or plan.get("kind") != "latin":
        return None
    try:
        folder = write_pruned_copy(ct2_folder, pruned_dir(ct2_folder), plan["kept_ids"])
        marker = json.loads((folder / PRUNED_MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError, KeyError) as exc:
        log.warning("no pruned output layer for %s: %s", Path(ct2_folder).parent.name, exc)
        return None
    return {"dir": PRUNED_DIRNAME, "kept": len(marker["kept_ids"]), "size": marker["size"]}


def pruned_dir(ct2_folder: Path) -> Path:
    """Where the pruned copy of the converted copy in ``ct2_folder`` lives."""
    return Path(ct2_folder) / PRUNED_DIRNAME


def read_pruned(folder: Path) -> list[int]:
    """The kept ids of the finished pruned copy in ``folder`` (generated id ``j`` is the
    tokenizer's ``kept[j]``). Raises OSError or ValueError for a missing or damaged copy."""
    folder = Path(folder)
    marker = json.loads((folder / PRUNED_MARKER).read_text(encoding="utf-8"))
    kept = marker["kept_ids"]
    if (
        not (folder / "model.bin").is_file()
        or not kept
        or not all(isinstance(i, int) for i in kept)
    ):
        raise ValueError(f"{folder} is not a finished pruned copy")
    return kept
