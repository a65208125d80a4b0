"""A token classifier made lean on CPU: int8 Linear layers built one at a time from the weights
file, the word-embedding table memory-mapped from it (only the rows an article uses are read).

transformers maps a model's safetensors file into memory; quantising the model whole reads every
fp32 Linear weight through that mapping, and those pages stay resident for as long as any
tensor still points into the file (the embedding table does, for the model's life). Here each
Linear weight is read from the file into its own buffer, quantised and dropped, the embedding
table gets a mapping of its own, and the small tensors left (norms, biases, positions) are
copied, so transformers' mapping of the whole file is released. The values are the file's
bytes, as transformers reads them: the network computes exactly what the plain load computes.

The mapping is copy-on-write (``MAP_PRIVATE``) over a file opened read-only: nothing can ever
write to the model file.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import logging
import mmap
import struct
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

#: safetensors dtype names -> torch dtype attribute names
_DTYPES = {"F64": "float64", "F32": "float32", "F16": "float16", "BF16": "bfloat16"}
#: a header larger than this is not a safetensors header (the format's own limit is 100 MB)
_MAX_HEADER = 100_000_000


@dataclass(frozen=True)
class StoredTensor:
    """Where one tensor's bytes lie in a safetensors file.

    Attributes:
        path: the file.
        dtype: the safetensors dtype name (``"F32"``, ``"BF16"`` ...).
        shape: the tensor's shape.
        start: the first byte, from the start of the file.
        nbytes: the length in bytes.
    """

    path: Path
    dtype: str
    shape: tuple[int, ...]
    start: int
    nbytes: int


def safetensors_index(path: Path) -> dict[str, StoredTensor]:
    """Name -> :class:`StoredTensor` for every tensor in the safetensors file ``path``.

    Raises ValueError when the header is not a valid safetensors header or points past the end
    of the file.
    """
    size = path.stat().st_size
    with open(path, "rb") as file:
        prefix = file.read(8)
        if len(prefix) < 8:
            raise ValueError(f"{path.name}: shorter than a safetensors header")
        (length,) = struct.unpack("<Q", prefix)
        if not 0 < length <= min(_MAX_HEADER, size - 8):
            raise ValueError(f"{path.name}: bad safetensors header length {length}")
        try:
            header = json.loads(file.read(length))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"{path.name}: unreadable safetensors header ({exc})") from exc
    if not isinstance(header, dict):
        raise ValueError(f"{path.name}: unreadable safetensors header")
    data_start = 8 + length
    index = {}
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        try:
            begin, end = (int(n) for n in entry["data_offsets"])
            shape = tuple(int(n) for n in entry["shape"])
            dtype = str(entry["dtype"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ValueError(f"{path.name}: bad header entry for {name}") from exc
        if not 0 <= begin <= end <= size - data_start:
            raise ValueError(f"{path.name}: {name} lies outside the file")
        index[name] = StoredTensor(path, dtype, shape, data_start + begin, end - begin)
    return index


def model_weights_index(folder: Path) -> dict[str, StoredTensor]:
    """The tensors of a model folder's ``model.safetensors`` or of the shards its
    ``model.safetensors.index.json`` names ({} when it has neither)."""
    single = folder / "model.safetensors"
    if single.is_file():
        return safetensors_index(single)
    shards_index = folder / "model.safetensors.index.json"
    if not shards_index.is_file():
        return {}
    weight_map = json.loads(shards_index.read_text(encoding="utf-8")).get("weight_map", {})
    index: dict[str, StoredTensor] = {}
    for shard in sorted(set(weight_map.values())):
        index.update(safetensors_index(folder / Path(shard).name))
    return index


def _torch_dtype(stored: StoredTensor) -> Any:
    import torch  # lazily: only model loading needs torch

    name = _DTYPES.get(stored.dtype)
    return getattr(torch, name) if name else None


def _count(stored: StoredTensor) -> int:
    count = 1
    for n in stored.shape:
        count *= n
    return count


def read_tensor(stored: StoredTensor) -> Any:
    """A tensor holding its own copy of ``stored``'s bytes (read from the file, not mapped)."""
    import torch  # lazily: only model loading needs torch

    buffer = bytearray(stored.nbytes)
    with open(stored.path, "rb") as file:
        file.seek(stored.start)
        if file.readinto(buffer) != stored.nbytes:
            raise ValueError(f"{stored.path.name}: ends inside a tensor")
    if not stored.nbytes:
        return torch.empty(stored.shape, dtype=_torch_dtype(stored))
    return torch.frombuffer(buffer, dtype=_torch_dtype(stored)).view(stored.shape)


def map_tensor(stored: StoredTensor) -> Any:
    """A tensor over a private, copy-on-write mapping of ``stored``'s bytes in its file.

    Pages are read from the file when first touched and can be dropped again by the kernel
    under memory pressure; a write to the tensor would change only this process's copy.
    """
    import torch  # lazily: only model loading needs torch

    if not stored.nbytes:
        return torch.empty(stored.shape, dtype=_torch_dtype(stored))
    offset = stored.start - stored.start % mmap.ALLOCATIONGRANULARITY
    with open(stored.path, "rb") as file:
        mapped = mmap.mmap(
            file.fileno(),
            stored.start + stored.nbytes - offset,
            access=mmap.ACCESS_COPY,
            offset=offset,
        )
    # frombuffer keeps ``mapped`` alive for as long as the tensor lives
    flat = torch.frombuffer(
        mapped, dtype=_torch_dtype(stored), count=_count(stored), offset=stored.start - offset
    )
    return flat.view(stored.shape)


def release_free_memory() -> None:
    """Give memory the C heap holds but no longer uses back to the system (glibc only).

    Large buffers freed after a model ran (a long prompt's activations) stay in the heap and
    count in the process's resident memory until trimmed.
    """
    if not sys.platform.startswith("linux"):
        return
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        libc.malloc_trim(0)
    except (OSError, AttributeError):  # musl and others have no malloc_trim
        pass


def _matches(tensor: Any, stored: StoredTensor | None) -> bool:
    return (
        stored is not None
        and _torch_dtype(stored) == tensor.dtype
        and stored.shape == tuple(tensor.shape)
    )


def quantize_from_file(network: Any, folder: Path, quantize: Any) -> Any | None:
    """``network`` (loaded from ``folder`` on CPU) with its Linear layers quantised by
    ``quantize`` one at a time from the file's fp32 weights, its input embedding table mapped
    from the file and every other tensor copied; None (``network`` untouched) when the file's
    tensors are not exactly the network's (other names, dtypes or shapes, shared tensors).

    ``quantize`` is applied to a container holding one Linear layer, as it would be to the
    whole network: the same function, the same per-layer result. OSError or ValueError when the
    file cannot be read halfway (changed since ``network`` was loaded from it).
    """
    import torch  # lazily: only model loading needs torch

    try:
        index = model_weights_index(folder)
    except (OSError, ValueError) as exc:
        log.info("weights of %s not mapped: %s", folder.name, exc)
        return None
    params = dict(network.named_parameters(remove_duplicate=False))
    if len(params) != len(dict(network.named_parameters())):
        return None  # tied weights: copying one would untie it
    embeddings = network.get_input_embeddings()
    # names only: a list of the modules would keep every fp32 weight alive until the end
    linears = [n for n, m in network.named_modules() if isinstance(m, torch.nn.Linear)]
    table = next((n for n, p in params.items() if p is embeddings.weight), None)
    if table is None:
        return None
    wanted = [table] + [f"{name}.weight" for name in linears]
    if not all(_matches(params[name], index.get(name)) for name in wanted):
        return None
    del params
    for name in linears:
        parent_name, _, child = name.rpartition(".")
        parent = network.get_submodule(parent_name)
        linear = parent._modules[child]
        linear.weight = torch.nn.Parameter(
            read_tensor(index[f"{name}.weight"]), requires_grad=linear.weight.requires_grad
        )
        if linear.bias is not None:  # int8 kernels keep a reference to the bias, not a copy
            linear.bias = torch.nn.Parameter(
                linear.bias.detach().clone(), requires_grad=linear.bias.requires_grad
            )
        holder = torch.nn.Sequential()
        holder.add_module(child, linear)
        setattr(parent, child, quantize(holder)._modules[child])
        # quantize_dynamic leaves a qconfig on the replaced layer whose closure refers back to
        # the layer: a cycle that would hold its fp32 weight until a garbage collection
        linear.__dict__.pop("qconfig", None)
        del linear, holder
    embeddings.weight = torch.nn.Parameter(
        map_tensor(index[table]), requires_grad=embeddings.weight.requires_grad
    )
    for module in network.modules():
        for name, param in module._parameters.items():
            if param is not None and param is not embeddings.weight:
                module._parameters[name] = torch.nn.Parameter(
                    param.detach().clone(), requires_grad=param.requires_grad
                )
        for name, buffer in module._buffers.items():
            if buffer is not None:
                module._buffers[name] = buffer.clone()
    return network
