"""Which device and how many threads the models run on.

``auto`` picks CUDA, then Apple MPS, then the CPU. Forcing a device that is not there is a
clear error rather than a silent fallback. torch is imported only when a model is about to run.
"""

from __future__ import annotations

import os

from app.core.base.errors import ModelError

DEVICES = ("auto", "cpu", "cuda", "mps")


def physical_cores() -> int:
    """Physical CPU cores (psutil when installed), else the logical count, at least 1."""
    try:
        import psutil

        count = psutil.cpu_count(logical=False)
    except ImportError:
        count = None
    if not count:
        try:
            count = len(os.sched_getaffinity(0))
        except (AttributeError, OSError):
            count = os.cpu_count()
    return max(1, int(count or 1))


def resolve_threads(threads: int) -> int:
    """``0`` means every physical core; a negative count is an error."""
    if threads < 0:
        raise ModelError(f"thread count must be 0 (automatic) or more, not {threads}")
    return threads or physical_cores()


def resolve_device(setting: str = "auto") -> str:
    """``"cuda"``, ``"mps"`` or ``"cpu"`` for a setting of auto/cpu/cuda/mps."""
    setting = (setting or "auto").lower()
    if setting not in DEVICES:
        raise ModelError(f"unknown device '{setting}': choose one of {', '.join(DEVICES)}")
    if setting == "cpu":
        return "cpu"
    import torch

    cuda = torch.cuda.is_available()
    mps = bool(getattr(torch.backends, "mps", None) and torch.backends.mps.is_available())
    if setting == "cuda" and not cuda:
        raise ModelError("device 'cuda' was requested but no CUDA GPU is available to torch")
    if setting == "mps" and not mps:
        raise ModelError("device 'mps' was requested but Apple MPS is not available to torch")
    if setting == "auto":
        return "cuda" if cuda else "mps" if mps else "cpu"
    return setting


def apply_threads(threads: int) -> int:
    """Set torch's intra-op thread count; returns the count used."""
    import torch

    count = resolve_threads(threads)
    if torch.get_num_threads() != count:
        torch.set_num_threads(count)
    return count


def is_out_of_memory(exc: BaseException) -> bool:
    if isinstance(exc, MemoryError):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


def out_of_memory_error(what: str, device: str) -> ModelError:
    hint = (
        "try --device cpu, a shorter article, or close other programs"
        if device != "cpu"
        else ("close other programs or use a smaller model")
    )
    return ModelError(f"ran out of memory while {what} on {device}: {hint}")
