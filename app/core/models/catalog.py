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
