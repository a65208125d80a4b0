"""What a user pastes into a bug report: versions, folders, installed models, device, cache size.

:func:`collect_report` gathers everything as plain data (``ringkas doctor --json`` prints it
as is); :func:`format_report` turns it into the lines ``ringkas doctor`` prints. Library versions
come from the installed package metadata, so a missing or broken library reads "not installed"
instead of failing; torch is imported only to tell which device and how many threads would
be used, and its absence is reported, not raised.
"""

from __future__ import annotations

import os
import platform
import stat
import sys
from importlib import metadata
from pathlib import Path

from app import __version__
from app.core.base import netguard, paths
from app.core.engines.ct2 import split_threads
from app.core.engines.device import resolve_device, resolve_threads
from app.core.models.store import ModelStore

NOT_INSTALLED = "not installed"

#: distribution name -> label shown in the report
LIBRARIES = {
    "torch": "torch",
    "transformers": "transformers",
    "ctranslate2": "ctranslate2",
    "tokenizers": "tokenizers",
    "huggingface_hub": "huggingface_hub",
    "safetensors": "safetensors",
    "PySide6-Essentials": "PySide6",
}


def library_version(distribution: str) -> str:
    """The installed version of ``distribution``, or :data:`NOT_INSTALLED`."""
    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return NOT_INSTALLED


def folder_size(path: Path) -> int:
    """Total size in bytes of the regular files under ``path`` (0 if it does not exist).

    Links are not followed, so a link to a large folder elsewhere is not counted.
    """
    total = 0
    for dirpath, _dirs, files in os.walk(path, followlinks=False):
        for name in files:
            try:
                st = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                total += st.st_size
    return total


def _device_report() -> dict:
    """The device and thread count an analysis with default options (auto, 0) would use.

    Asks the engine's own resolvers, so the report matches what an analysis does.
    """

    threads = resolve_threads(0)
    report: dict = {
        "threads": threads,
        # how the translator's CTranslate2 backend splits them on the CPU: (workers, each's threads)
        "translator_workers": list(split_threads(threads, parallel=True)),
        "ctranslate2_cuda_devices": None,
    }
    try:
        device = resolve_device("auto")
    except ImportError:
        return {**report, "device": "cpu", "device_detail": f"torch {NOT_INSTALLED}"}
    except Exception as exc:  # noqa: BLE001 - a broken torch must not break the report
        detail = f"torch failed to load: {str(exc).splitlines()[0] if str(exc) else exc!r}"
        return {**report, "device": "cpu", "device_detail": detail}
    if device == "cuda":
        import torch

        detail = torch.cuda.get_device_name(0)
    elif device == "mps":
        detail = "Apple GPU (Metal)"
    else:
        detail = platform.processor() or platform.machine() or "CPU"
    try:
        import ctranslate2

        report["ctranslate2_cuda_devices"] = ctranslate2.get_cuda_device_count()
    except Exception:  # noqa: BLE001 - optional accelerator: absent or broken is reported as None
        pass
    return {**report, "device": device, "device_detail": detail}


def _models_report(models_dir: Path) -> list[dict]:
    """Every model folder in the store with the result of verifying it against its manifest.

    Folders that ``verify`` checks but ``list`` skips (no or unreadable manifest) are reported
    too, as failed: they are what a user needs to see.
    """

    store = ModelStore(models_dir)
    tasks = {model.name: model.task for model in store.list()}
    report = []
    for name, problems in store.verify().items():
        entry = {"name": name, "task": tasks.get(name), "verified": not problems}
        if problems:
            entry["problem"] = "; ".join(str(p) for p in problems)
        report.append(entry)
    return report


def collect_report() -> dict:
    """Everything ``ringkas doctor`` shows, as JSON-ready data."""

    models_dir = paths.models_dir()
    cache_dir = paths.cache_dir()
    report: dict = {
        "ringkas": __version__,
        "python": f"{platform.python_implementation()} {platform.python_version()}",
        "executable": sys.executable,
        "platform": platform.platform(),
        "libraries": {label: library_version(dist) for dist, label in LIBRARIES.items()},
        "models_dir": str(models_dir),
        "models": [],
        "models_error": None,
        "cache_dir": str(cache_dir),
        "cache_bytes": folder_size(cache_dir),
        "log_dir": str(paths.log_dir()),
        "offline": netguard.is_offline(),
    }
    try:
        report["models"] = _models_report(models_dir)
    except Exception as exc:  # noqa: BLE001 - report the store's problem, keep the rest
        report["models_error"] = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    report.update(_device_report())
    return report


def _human_size(size: int) -> str:
    value = float(size)
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"  # pragma: no cover


def format_report(report: dict) -> str:
    """The report as aligned ``label: value`` lines for a terminal or a bug report."""
    lines = [
        f"ringkas:         {report['ringkas']}",
        f"python:          {report['python']} ({report['executable']})",
        f"platform:        {report['platform']}",
    ]
    for label, version in report["libraries"].items():
        lines.append(f"{label + ':':<17}{version}")
    lines.append(f"device:          {report['device']} ({report['device_detail']})")
    workers, each = report["translator_workers"]
    lines.append(
        f"threads:         {report['threads']} (translation on the CPU: {workers} worker(s) x "
        f"{each} thread(s))"
    )
    if report.get("ctranslate2_cuda_devices") is not None:
        lines.append(f"{'ct2 GPUs:':<17}{report['ctranslate2_cuda_devices']}")
    lines.append(f"model store:     {report['models_dir']}")
    if report["models_error"]:
        lines.append(f"models:          cannot be listed: {report['models_error']}")
    elif not report["models"]:
        lines.append("models:          none installed (see: ringkas models --help)")
    else:
        lines.append("models:")
        for model in report["models"]:
            status = (
                "verified" if model["verified"] else f"FAILED:          {model.get('problem', '?')}"
            )
            task = f" [{model['task']}]" if model.get("task") else ""
            lines.append(f"  {model['name']}{task}: {status}")
    lines.append(f"cache:           {report['cache_dir']} ({_human_size(report['cache_bytes'])})")
    lines.append(f"logs:            {report['log_dir']}")
    lines.append(f"offline:         {'yes' if report['offline'] else 'no'}")
    return "\n".join(lines)
