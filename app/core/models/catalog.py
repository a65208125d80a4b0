"""The catalogue of recommended models (``models/catalog.toml``) and install hints.

The catalogue has one source of truth: ``models/catalog.toml`` at the repository root. It is
found, in order: the path passed to :func:`load_catalog`; the ``RINGKAS_CATALOG`` environment
variable; ``models/catalog.toml`` beside the ``app`` package (a checkout, an editable install,
or a PyInstaller bundle, whose spec copies it to ``<bundle>/models/``); ``catalog.toml`` inside
this package (where a wheel build would have to copy it).
"""

from __future__ import annotations

import os
import sys
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from app.core.base.errors import ModelError

ENV_CATALOG = "RINGKAS_CATALOG"
TASK_TITLES = {"translate": "translation", "summarize": "summary", "entities": "names"}


@dataclass(frozen=True)
class CatalogEntry:
    """A recommended model: where to download it from and what it is."""

    name: str
    task: str
    repo: str
    revision: str
    license: str
    non_commercial: bool
    size_mb: int
    family: str
    languages: list[str]
    files: list[str]
    description: str
    default: bool = False
    #: ISO 639-1 languages this entry is the default for (defaults to ``languages``).
    default_for: list[str] = field(default_factory=list)
    #: fetched when the repository has them (e.g. generation_config.json), skipped otherwise
    optional_files: list[str] = field(default_factory=list)
    #: the repository publishes no safetensors weights: ``files`` names its single PyTorch
    #: checkpoint, which the installer converts to ``model.safetensors`` with torch's restricted
    #: ``weights_only`` loader (tensors only, never code) before the model is moved into place
    pickle_checkpoint: bool = False
    #: memory (MB) the machine should have for this model to be recommended; 0: estimated from
    #: the download size (see :func:`memory_needed_mb`)
    min_memory_mb: int = 0

    def covers(self, language: str | None) -> bool:
        return language is None or language in self.languages or "*" in self.languages

    @property
    def install_command(self) -> str:
        return f"ringkas models install {self.name}"


def catalog_path() -> Path:
    """Where the catalogue is read from (see the module docstring for the order)."""
    env = os.environ.get(ENV_CATALOG, "").strip()
    if env:
        return Path(env).expanduser()
    checkout = Path(__file__).resolve().parents[3] / "models" / "catalog.toml"
    if checkout.is_file():
        return checkout
    bundle = getattr(sys, "_MEIPASS", None)  # a PyInstaller app keeps it at <bundle>/models/
    if bundle and (Path(bundle) / "models" / "catalog.toml").is_file():
        return Path(bundle) / "models" / "catalog.toml"
    return Path(str(resources.files("app.core.models").joinpath("catalog.toml")))


def load_catalog(path: Path | None = None) -> list[CatalogEntry]:
    """Every catalogue entry, in file order."""
    path = Path(path) if path is not None else catalog_path()
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError as exc:
        raise ModelError(f"the model catalogue is missing: {path}") from exc
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ModelError(f"cannot read the model catalogue {path}: {exc}") from exc
    entries = []
    for raw in data.get("model", []):
        try:
            entries.append(
                CatalogEntry(
                    name=raw["name"],
                    task=raw["task"],
                    repo=raw["repo"],
                    revision=str(raw.get("revision", "main")),
                    license=raw.get("license", "unknown"),
                    non_commercial=bool(raw.get("non_commercial", False)),
                    size_mb=int(raw.get("size_mb", 0)),
                    family=raw["family"],
                    languages=list(raw["languages"]),
                    files=list(raw["files"]),
                    description=raw.get("description", ""),
                    default=bool(raw.get("default", False)),
                    default_for=list(raw.get("default_for", [])),
                    optional_files=list(raw.get("optional_files", [])),
                    pickle_checkpoint=bool(raw.get("pickle_checkpoint", False)),
                    min_memory_mb=int(raw.get("min_memory_mb", 0)),
                )
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise ModelError(f"bad entry in the model catalogue {path}: {exc!r}") from exc
        _check_weights(entries[-1], path)
    return entries


def _check_weights(entry: CatalogEntry, path: Path) -> None:
    """No pickle file is ever fetched, except the single checkpoint of an entry marked
    ``pickle_checkpoint`` (which then lists no safetensors weights)."""
    from app.core.models.store import PICKLE_SUFFIXES

    pickles = [f for f in entry.files + entry.optional_files if f.endswith(PICKLE_SUFFIXES)]
    safetensors = [f for f in entry.files if f.endswith(".safetensors")]
    if entry.pickle_checkpoint:
        ok = len(pickles) == 1 and pickles[0] in entry.files and not safetensors
    else:
        ok = not pickles
    if not ok:
        raise ModelError(
            f"bad entry in the model catalogue {path}: {entry.name} must list safetensors weights, "
            "or exactly one PyTorch checkpoint with pickle_checkpoint = true"
        )


def get_entry(name: str, catalog: list[CatalogEntry] | None = None) -> CatalogEntry | None:
    for entry in load_catalog() if catalog is None else catalog:
        if entry.name == name:
            return entry
    return None


def recommended(
    task: str, language: str | None = None, catalog: list[CatalogEntry] | None = None
) -> CatalogEntry | None:
    """The catalogue's choice for ``task`` and source ``language``.

    Preference: a default entry for that exact language, a default entry that covers it,
    any entry listing the language, any entry covering it (``"*"``).
    """
    entries = [e for e in (load_catalog() if catalog is None else catalog) if e.task == task]

    def rank(e: CatalogEntry) -> int:
        exact = language is not None and (language in e.default_for or language in e.languages)
        if e.default and language is not None and language in (e.default_for or e.languages):
            return 4
        if e.default and e.covers(language) and (language is None or not e.default_for):
            return 3
        if exact:
            return 2
        return 1 if e.covers(language) else 0

    ranked = sorted(entries, key=rank, reverse=True)
    return ranked[0] if ranked and rank(ranked[0]) > 0 else None


def install_hint(
    task: str, language: str | None = None, catalog: list[CatalogEntry] | None = None
) -> str:
    """The exact command that installs a model for ``task`` (and ``language``)."""
    try:
        entry = recommended(task, language, catalog)
    except ModelError:
        entry = None
    if entry is not None:
        return entry.install_command
    return "ringkas models add PATH-TO-MODEL-FOLDER --task " + task


# --- the recommended set ("Set up for Indonesian -> English") ------------------------------

#: The tasks a setup installs a model for, in the order they are installed.
SETUP_TASKS = ("translate", "summarize", "entities")
#: Licences that say nothing usable: not counted as permissive.
_UNKNOWN_LICENCES = frozenset({"", "unknown", "unspecified", "other"})
#: A model needs about this many times its download in memory when it runs (weights, the
#: runtime's buffers, activations), unless its entry says ``min_memory_mb``.
MEMORY_PER_DOWNLOAD = 2.0


def is_permissive(entry: CatalogEntry) -> bool:
    """A known licence that allows commercial use (Apache-2.0, MIT, ...)."""
    return not entry.non_commercial and entry.license.strip().casefold() not in _UNKNOWN_LICENCES


def memory_needed_mb(entry: CatalogEntry) -> int:
    return entry.min_memory_mb or int(entry.size_mb * MEMORY_PER_DOWNLOAD)


def machine_memory_mb() -> int | None:
    """Physical memory of this machine in MB (None when the platform does not say)."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2**20
    except (AttributeError, ValueError, OSError):
        pass
    try:  # Windows: no sysconf; ctypes is imported only there
        import ctypes

        class _Status(ctypes.Structure):
            _fields_ = [("length", ctypes.c_ulong), ("load", ctypes.c_ulong)] + [
                (name, ctypes.c_ulonglong)
                for name in ("total", "avail", "page_total", "page_avail", "virt_total",
                             "virt_avail", "ext_avail")
            ]  # fmt: skip

        status = _Status()
        status.length = ctypes.sizeof(_Status)
        if ctypes.windll.kernel32.GlobalMemoryStatusEx(ctypes.byref(status)):  # type: ignore[attr-defined]
            return int(status.total // 2**20)
    except (AttributeError, OSError):
        pass
    return None


@dataclass(frozen=True)
class SetupChoice:
    """The catalogue's choice for one task of a setup, and why it was chosen."""

    task: str
    entry: CatalogEntry
    #: one line for the user: licence, and how the model reaches the language
    reason: str


def _directness(entry: CatalogEntry, task: str, language: str) -> int:
    """3: made for the language; 2: lists it; 1: broadly multilingual; 0: works on the English
    translation; -1: cannot serve the language."""
    if language in entry.default_for:
        return 3
    if language in entry.languages:
        return 2
    if "*" in entry.languages:
        return 1
    if task != "translate" and "en" in entry.languages:
        return 0
    return -1


def recommended_set(
    language: str = "id",
    catalog: list[CatalogEntry] | None = None,
    memory_mb: int | None = -1,
) -> list[SetupChoice]:
    """The translator, summariser and names model to install for articles in ``language``,
    read into English, chosen from the catalogue's data.

    Per task, candidates that serve the language (directly, or through the English translation
    for the summariser and names) are ranked by: fits in the memory left by the models chosen
    before it (``memory_mb``: the machine's, by default; None: do not check), a permissive
    licence (non-commercial and unknown licences come last), how directly it serves the
    language, the catalogue's ``default``, then the smaller download. The translator and names
    model are chosen first, so the summariser (the largest) gets the memory that is left. No
    translator is chosen for English articles. A task with no candidate is left out.
    """
    entries = load_catalog() if catalog is None else catalog
    if memory_mb == -1:
        memory_mb = machine_memory_mb()
    chosen: dict[str, SetupChoice] = {}
    used = 0
    for task in ("translate", "entities", "summarize"):
        if task == "translate" and language == "en":
            continue
        has_english = language == "en" or "translate" in chosen
        candidates = [
            e
            for e in entries
            if e.task == task and _directness(e, task, language) >= (0 if has_english else 1)
        ]
        if not candidates:
            continue
        left = None if memory_mb is None else memory_mb - used
        best = max(candidates, key=lambda e: _rank(e, task, language, left))
        used += memory_needed_mb(best)
        chosen[task] = SetupChoice(task, best, _reason(best, task, language))
    return [chosen[task] for task in SETUP_TASKS if task in chosen]


def _rank(entry: CatalogEntry, task: str, language: str, memory_left: int | None) -> tuple:
    fits = memory_left is None or memory_needed_mb(entry) <= memory_left
    directness = _directness(entry, task, language)
    return (fits, is_permissive(entry), directness, entry.default, -entry.size_mb)


def _reason(entry: CatalogEntry, task: str, language: str) -> str:
    if entry.non_commercial:
        licence = f"{entry.license}: non-commercial use only"
    elif is_permissive(entry):
        licence = f"{entry.license}: commercial use allowed"
    else:
        licence = f"licence {entry.license}"
    if _directness(entry, task, language) == 0 and language != "en":
        return f"{licence}; works on the English translation"
    return licence
