"""The model store: installed models, one folder each, with a manifest of what they are.

Layout (the root is :func:`app.core.base.paths.models_dir`)::

    <root>/<name>/config.json, model.safetensors, tokenizer files ...
    <root>/<name>/ringkas-model.json      the manifest (see below)
    <root>/<name>/ct2/                    optional CTranslate2 copy, derived after install
    <root>/.incoming-*/                   staging folders of installs in progress

A model is installed by copying (or downloading) it into a staging folder inside the root,
checking it, writing its manifest, and renaming the folder into place with ``os.replace``:
a failed or interrupted install never leaves a half-installed model visible to ``list``.

The manifest records name, task, family, languages, source (``{"hub": repo, "revision": ...}``
or ``{"local": path}``), revision, every file with its size and sha256, install time and the
Ringkas version. Derived folders (``ct2/``) are not part of ``files``; what a post-install
step writes there may be recorded under ``derived`` with :meth:`ModelStore.record_derived`,
and ``verify`` checks only what is recorded there.
"""

from __future__ import annotations

import builtins
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from app import __version__
from app.core.base.errors import InstallError, ModelError
from app.core.base.paths import models_dir
from app.core.base.steps import RESULT_STEPS
from app.core.models.archive import archive_stem, is_archive, safe_extract

log = logging.getLogger(__name__)

MANIFEST_NAME = "ringkas-model.json"
MANIFEST_VERSION = 1
#: The tasks a model can serve: the analysis steps that produce a result (one table, in base).
TASKS = tuple(str(step) for step in RESULT_STEPS)
#: Subfolders holding copies derived from the weights after install (never in ``files``).
DERIVED_DIRS = ("ct2",)
STAGING_PREFIX = ".incoming-"

#: Weight files that unpickle Python objects when loaded: refused unless allow_pickle.
PICKLE_SUFFIXES = (".bin", ".pt", ".pth", ".ckpt", ".pkl", ".pickle")
#: Files never copied into the store: other frameworks' weights, VCS and OS clutter.
SKIPPED_SUFFIXES = (".h5", ".msgpack", ".onnx", ".ot", ".tflite", ".gguf")
SKIPPED_NAMES = {".git", ".gitattributes", ".DS_Store", ".cache", "__pycache__", MANIFEST_NAME}
TOKENIZER_FILES = (
    "tokenizer.json",
    "spiece.model",
    "source.spm",
    "sentencepiece.bpe.model",
    "sentencepiece.model",
    "vocab.txt",
    "vocab.json",
)

#: config ``model_type`` -> (family, task it serves, languages it covers when nothing says)
_SEQ2SEQ_FAMILIES: dict[str, tuple[str, str | None, list[str] | None]] = {
    "marian": ("marian", "translate", None),
    "m2m_100": ("m2m100", "translate", ["*"]),
    "nllb-moe": ("nllb", "translate", ["*"]),
    "mt5": ("mt5", "summarize", ["*"]),
    "t5": ("t5", "summarize", ["en"]),
    "bart": ("bart", "summarize", ["en"]),
    "pegasus": ("pegasus", "summarize", ["en"]),
    "pegasus_x": ("pegasus", "summarize", ["en"]),
    "led": ("led", "summarize", ["en"]),
    # mBART serves both tasks: the user must say which with --task.
    "mbart": ("mbart", None, ["*"]),
}
_MULTILINGUAL_ENCODERS = {"xlm-roberta", "mdeberta", "xlm", "distilbert-multilingual"}
_LANGUAGE_WORDS = {
    "indonesian": "id",
    "indo": "id",
    "english": "en",
    "malay": "ms",
    "multilingual": "*",
    "mul": "*",
}
_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._+-]{0,99}$")


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def sha256_file(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def check_name(name: str) -> str:
    """A store folder name: letters, digits, ``._+-``; never a path."""
    if not _NAME_RE.match(name or "") or name in {".", ".."}:
        raise InstallError(
            f"invalid model name {name!r}: use letters, digits, '.', '_', '+' and '-' only"
        )
    return name


def folder_name(folder: Path) -> str:
    """The name a model folder suggests; for a Hugging Face cache snapshot, its repo's name."""
    parts = folder.resolve().parts
    if len(parts) >= 3 and parts[-2] == "snapshots" and parts[-3].startswith("models--"):
        return parts[-3].split("--")[-1]
    return folder.name


def default_name(source: str) -> str:
    """A store name from a repo id or folder name (``Helsinki-NLP/opus-mt-id-en`` -> ``opus-mt-id-en``)."""
    base = source.rstrip("/").split("/")[-1]
    cleaned = re.sub(r"[^A-Za-z0-9._+-]+", "-", base).strip(".-") or "model"
    return cleaned[:100]


@dataclass
class InstalledModel:
    """A model folder in the store, described by its manifest."""

    name: str
    task: str
    family: str
    languages: list[str]
    path: Path
    revision: str | None
    source: dict
    manifest: dict = field(repr=False)

    @property
    def model_id(self) -> str:
        """Stable id for cache keys: the name plus the Hub revision, else a hash of the files."""
        if self.revision:
            return f"{self.name}@{self.revision}"
        return f"{self.name}@sha256:{self.fingerprint[:16]}"

    @property
    def fingerprint(self) -> str:
        """sha256 over every recorded file's path and sha256: changes when any file does."""
        digest = hashlib.sha256()
        for entry in sorted(self.manifest.get("files", []), key=lambda e: e["path"]):
            digest.update(f"{entry['path']}\0{entry['sha256']}\n".encode())
        return digest.hexdigest()

    @property
    def weights_format(self) -> str:
        """``"safetensors"`` (always loadable with use_safetensors=True) or ``"pickle"``."""
        return self.manifest.get("weights_format", "safetensors")

    @property
    def license(self) -> str | None:
        return self.manifest.get("license")

    @property
    def size_bytes(self) -> int:
        return sum(e["size"] for e in self.manifest.get("files", []))

    def covers(self, language: str) -> bool:
        return language in self.languages or "*" in self.languages

    @classmethod
    def from_manifest(cls, path: Path, manifest: dict) -> InstalledModel:
        return cls(
            name=manifest["name"],
            task=manifest["task"],
            family=manifest.get("family", "unknown"),
            languages=list(manifest.get("languages", ["*"])),
            path=path,
            revision=manifest.get("revision"),
            source=dict(manifest.get("source", {})),
            manifest=manifest,
        )


@dataclass(frozen=True)
class ModelDescription:
    """What a model folder is, as found from its config and name (or given by the user)."""

    task: str
    family: str
    languages: list[str]
    weights_format: str
    #: a decoder-only chat model (``*ForCausalLM`` with a chat template): recorded in the
    #: manifest as ``"kind": "chat"``; it summarises any language into English
    chat: bool = False


#: Called with the staged model before it is moved into place (e.g. a CTranslate2 conversion
#: writing ``<path>/ct2/``). Errors are logged; they do not fail the install.
PostInstallHook = Callable[[InstalledModel], object]


def read_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise InstallError(f"cannot read {path.name}: {exc}") from exc
    if not isinstance(data, dict):
        raise InstallError(f"cannot read {path.name}: not a JSON object")
    return data


def _languages_from_name(name: str) -> list[str] | None:
    """ISO codes from a Marian-style repo name (``opus-mt-id-en`` -> ``["id"]``)."""
    lowered = name.lower()
    m = re.search(r"opus-mt-(?:tc-big-)?([a-z]{2,3}(?:_[a-z]{2,3})*)-([a-z]{2,3})", lowered)
    if m:
        sources = m.group(1).split("_")
        return ["*"] if any(s in {"mul", "multi"} for s in sources) else sources
    words = re.split(r"[^a-z]+", lowered)
    found = [_LANGUAGE_WORDS[w] for w in words if w in _LANGUAGE_WORDS]
    if "*" in found:
        return ["*"]
    return sorted(set(found)) or None


def describe_model(
    folder: Path,
    *,
    name: str,
    task: str | None = None,
    languages: list[str] | None = None,
    allow_pickle: bool = False,
) -> ModelDescription:
    """Check that ``folder`` holds a model Ringkas can load safely, and say what it is for.

    Raises InstallError (one line) for: no config, custom code, unknown task, no weights,
    pickle weights without ``allow_pickle``, no tokenizer.
    """
    config_path = folder / "config.json"
    if not config_path.is_file():
        raise InstallError(f"{folder.name} is not a Hugging Face model folder: no config.json")
    config = read_json(config_path)
    tokenizer_config = (
        read_json(folder / "tokenizer_config.json")
        if (folder / "tokenizer_config.json").is_file()
        else {}
    )
    if "auto_map" in config or "auto_map" in tokenizer_config:
        raise InstallError(
            f"{name} needs custom Python code from its repository (auto_map); "
            "Ringkas never runs downloaded code"
        )
    if any(p.suffix == ".py" for p in folder.iterdir()):
        log.info("ignoring Python files in %s: they are never imported", folder)

    model_type = str(config.get("model_type", "")).replace("_", "-")
    architectures = [str(a) for a in config.get("architectures") or []]
    is_token_classifier = any(a.endswith("ForTokenClassification") for a in architectures)
    is_chat = seq2seq_free_causal_lm(config, architectures)
    seq2seq = _SEQ2SEQ_FAMILIES.get(str(config.get("model_type", "")))
    if seq2seq is None and model_type.replace("-", "_") in _SEQ2SEQ_FAMILIES:
        seq2seq = _SEQ2SEQ_FAMILIES[model_type.replace("-", "_")]

    inferred_task: str | None
    default_languages: list[str] | None
    if is_token_classifier:
        inferred_task, family = "entities", model_type or "unknown"
        default_languages = ["*"] if model_type in _MULTILINGUAL_ENCODERS else ["en"]
    elif seq2seq is not None:
        family, inferred_task, default_languages = seq2seq
        if family == "m2m100" and "nllb" in name.lower():
            family = "nllb"
    elif is_chat:
        if not has_chat_template(folder, tokenizer_config):
            raise InstallError(
                f"{name} is a {model_type or 'causal'} language model without a chat template; "
                "Ringkas runs instruction-tuned (chat) decoder models only"
            )
        # An instruction-tuned model reads any language and is asked for English.
        inferred_task, family, default_languages = "summarize", model_type or "causal", ["*"]
    else:
        raise InstallError(
            f"{name} is a {model_type or 'unknown'} model "
            f"({', '.join(architectures) or 'no architectures'}); Ringkas runs translation and "
            "summarisation (sequence-to-sequence) and token-classification models"
        )

    if task is not None:
        if task not in TASKS:
            raise InstallError(f"unknown task {task!r}: choose one of {', '.join(TASKS)}")
        if is_chat and task != "summarize":
            raise InstallError(f"{name} is a chat model: Ringkas uses those to summarise only")
        if (task == "entities") != is_token_classifier:
            raise InstallError(
                f"{name} cannot serve task {task!r}: it is a "
                + ("token-classification" if is_token_classifier else "sequence-to-sequence")
                + " model"
            )
    else:
        task = inferred_task
    if task is None:
        raise InstallError(
            f"cannot tell whether {name} translates or summarises; pass --task translate or --task summarize"
        )

    if not languages:
        tok_lang = tokenizer_config.get("source_lang")
        languages = (
            _languages_from_name(name)
            or ([str(tok_lang)] if family == "marian" and tok_lang else None)
            or default_languages
        )
        if languages is None:
            raise InstallError(
                f"cannot tell which languages {name} translates from; pass --languages (e.g. id)"
            )

    files = [p for p in folder.rglob("*") if p.is_file()]
    safetensors = [p for p in files if p.name.endswith(".safetensors")]
    pickles = [p for p in files if p.name.endswith(PICKLE_SUFFIXES) and not _is_tokenizer_bin(p)]
    if safetensors:
        _check_safetensors(safetensors)
        weights_format = "safetensors"
    elif pickles:
        if not allow_pickle:
            raise InstallError(
                f"{name} has only pickle weights ({pickles[0].name}), which can run code when "
                "loaded; use a safetensors copy, or pass --allow-pickle if you trust its source"
            )
        weights_format = "pickle"
    else:
        raise InstallError(f"{name} has no weights (model.safetensors)")

    if not any((folder / t).is_file() for t in TOKENIZER_FILES):
        raise InstallError(f"{name} has no tokenizer files ({', '.join(TOKENIZER_FILES[:3])}, ...)")
    return ModelDescription(task, family, list(languages), weights_format, chat=is_chat)


def seq2seq_free_causal_lm(config: dict, architectures: list[str]) -> bool:
    """True for a decoder-only model (``*ForCausalLM``) of no seq2seq family."""
    known = str(config.get("model_type", "")) in _SEQ2SEQ_FAMILIES
    return not known and any(a.endswith("ForCausalLM") for a in architectures)


def has_chat_template(folder: Path, tokenizer_config: dict) -> bool:
    """True when the model folder carries a chat template (in tokenizer_config.json, or the
    ``chat_template.jinja``/``chat_template.json`` files newer transformers write)."""
    if isinstance(tokenizer_config.get("chat_template"), (str, list)):
        return bool(tokenizer_config["chat_template"])
    return any((folder / f).is_file() for f in ("chat_template.jinja", "chat_template.json"))


def convert_pickle_weights(folder: Path, name: str) -> list[str]:
    """Replace pickle weight files in a staged model by ``model.safetensors`` (--allow-pickle).

    Ringkas loads safetensors only. The pickle is read once, here, with torch's restricted
    ``weights_only`` unpickler, which rebuilds tensors and plain containers and refuses any other
    object, so a pickle that would run code is refused instead of executed. Returns the names
    of the converted files.
    """
    import pickle

    import torch
    from safetensors.torch import save_file

    pickles = sorted(
        p
        for p in folder.rglob("*")
        if p.name.endswith(PICKLE_SUFFIXES) and not _is_tokenizer_bin(p)
    )
    if len(pickles) != 1:
        raise InstallError(
            f"{name} has {len(pickles)} pickle weight files; only a single-file checkpoint can be "
            "converted to safetensors: convert it on a trusted machine and add that copy"
        )
    source = pickles[0]
    try:
        state = torch.load(source, map_location="cpu", weights_only=True, mmap=False)
    except (pickle.UnpicklingError, RuntimeError, EOFError, ValueError, OSError) as exc:
        raise InstallError(
            f"{source.name} in {name} is not a plain weights file (it holds other Python "
            "objects, or is damaged); refused and nothing was installed"
        ) from exc
    if isinstance(state, dict) and isinstance(state.get("state_dict"), dict):
        state = state["state_dict"]
    if not isinstance(state, dict) or not all(
        isinstance(k, str) and isinstance(v, torch.Tensor) for k, v in state.items()
    ):
        raise InstallError(f"{source.name} in {name} does not hold a dictionary of weights")
    seen: dict[int, str] = {}
    tensors = {}
    for key, tensor in state.items():  # safetensors refuses tensors sharing memory (tied weights)
        ptr = tensor.data_ptr()
        tensors[key] = tensor.clone().contiguous() if ptr in seen else tensor.contiguous()
        seen.setdefault(ptr, key)
    save_file(tensors, str(folder / "model.safetensors"), metadata={"format": "pt"})
    source.unlink()
    return [source.name]


def _is_tokenizer_bin(path: Path) -> bool:
    return path.name in {"training_args.bin"}


def _check_safetensors(paths: list[Path]) -> None:
    """Read each safetensors header (no tensors are loaded): catches truncated/non-weight files."""
    from safetensors import safe_open  # small, no torch needed with the numpy framework

    for path in paths:
        try:
            with safe_open(str(path), framework="numpy") as f:
                if not list(f.keys()):
                    raise InstallError(f"{path.name} holds no tensors")
        except InstallError:
            raise
        except Exception as exc:  # safetensors raises its own error types
            raise InstallError(f"{path.name} is not a valid safetensors file: {exc}") from exc


def _wanted(rel: Path, weights_format: str | None) -> bool:
    """Whether a file of a source folder is copied into the store."""
    if any(part in SKIPPED_NAMES or part.startswith(".") for part in rel.parts):
        return False
    if rel.name.endswith(SKIPPED_SUFFIXES):
        return False
    # Derived copies (ct2/) are rebuilt for this machine, never carried over from another.
    if len(rel.parts) > 1 and rel.parts[0] in DERIVED_DIRS:
        return False
    # Pickle weights beside safetensors ones are never copied: nothing loads them.
    return not (weights_format == "safetensors" and rel.name.endswith(PICKLE_SUFFIXES))


def _check_links(folder: Path) -> None:
    """Refuse a source folder with symlinks that point outside it (a link farm, a trap)."""
    root = folder.resolve()
    for path in folder.rglob("*"):
        if path.is_symlink():
            target = path.resolve()
            if not target.is_relative_to(root) and not _is_hf_cache_blob(path, target):
                raise InstallError(
                    f"refused {folder.name}: {path.relative_to(folder)} links outside the folder"
                )


def _is_hf_cache_blob(link: Path, target: Path) -> bool:
    """Hugging Face cache snapshots link each file to ``../../blobs/<hash>`` of the same repo."""
    parts = link.parent.parts
    if "snapshots" not in parts:
        return False
    repo_root = Path(*parts[: parts.index("snapshots")]).resolve()
    return target.parent == repo_root / "blobs"


def file_entries(folder: Path, *, skip_dirs: Iterable[str] = DERIVED_DIRS) -> list[dict]:
    """``[{path, size, sha256}]`` for every file under ``folder`` (POSIX paths, sorted)."""
    skip = set(skip_dirs)
    entries = []
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if not path.is_file() or rel.parts[0] in skip or rel.as_posix() == MANIFEST_NAME:
            continue
        entries.append(
            {"path": rel.as_posix(), "size": path.stat().st_size, "sha256": sha256_file(path)}
        )
    return entries


def check_files(folder: Path, entries: list[dict]) -> list[str]:
    """Problems with ``folder`` against recorded file entries ([] when all match)."""
    problems = []
    for entry in entries:
        path = folder / entry["path"]
        if path.is_symlink():  # a link may point anywhere, even at an identical copy
            problems.append(f"{entry['path']} is a link, not the installed file")
        elif not path.is_file():
            problems.append(f"missing file {entry['path']}")
        elif path.stat().st_size != entry["size"]:
            problems.append(
                f"{entry['path']} has {path.stat().st_size} bytes, expected {entry['size']}"
            )
        elif sha256_file(path) != entry["sha256"]:
            problems.append(f"{entry['path']} is corrupt (sha256 mismatch)")
    return problems


class ModelStore:
    """The installed models under one root folder.

    Attributes:
        root: the store folder (created on first install).
        post_install: callables run on each staged model before it moves into place.
        converts_to_ct2: True for a store that converts models to CTranslate2 at install
            (set by ``app.core.engines.convert.converting_store``).
    """

    converts_to_ct2: bool = False

    def __init__(
        self, root: Path | None = None, *, post_install: Iterable[PostInstallHook] = ()
    ) -> None:
        self.root = Path(root) if root is not None else models_dir()
        self.post_install: list[PostInstallHook] = list(post_install)
        #: Parsed manifests by folder, with the (mtime, size) they were read at: a plan asks
        #: the store several times per analysis, and a manifest is parsed again only when its
        #: file changes (install, remove and verify rewrite or replace it).
        self._parsed: dict[Path, tuple[tuple[int, int], InstalledModel | None]] = {}

    def __repr__(self) -> str:
        return f"ModelStore({str(self.root)!r})"

    # --- reading ---------------------------------------------------------------------

    def _load(self, folder: Path) -> InstalledModel | None:
        manifest_path = folder / MANIFEST_NAME
        try:
            info = manifest_path.stat()
        except OSError:
            return None
        stamp = (info.st_mtime_ns, info.st_size)
        known = self._parsed.get(folder)
        if known is not None and known[0] == stamp:
            return known[1]
        model = self._parse(folder, manifest_path)
        self._parsed[folder] = (stamp, model)
        return model

    def _parse(self, folder: Path, manifest_path: Path) -> InstalledModel | None:
        if not manifest_path.is_file():
            return None
        try:
            manifest = read_json(manifest_path)
            model = InstalledModel.from_manifest(folder, manifest)
        except (InstallError, KeyError, TypeError) as exc:
            log.warning("ignoring %s: unreadable manifest (%s)", folder, exc)
            return None
        if model.name != folder.name:
            log.warning("ignoring %s: manifest names it %r", folder, model.name)
            return None
        return model

    def list(self) -> list[InstalledModel]:
        """Every installed model, sorted by task then name."""
        if not self.root.is_dir():
            return []
        models = []
        for folder in sorted(self.root.iterdir()):
            if folder.is_dir() and not folder.name.startswith("."):
                model = self._load(folder)
                if model is not None:
                    models.append(model)
        return sorted(models, key=lambda m: (TASKS.index(m.task) if m.task in TASKS else 9, m.name))

    def get(self, name: str) -> InstalledModel | None:
        if not _NAME_RE.match(name or ""):
            return None
        folder = self.root / name
        return self._load(folder) if folder.is_dir() else None

    def find(self, task: str, language: str | None = None) -> InstalledModel | None:
        """The best installed model for ``task`` (and source ``language``), or None.

        A model that lists the language beats a broadly multilingual (``"*"``) one; ties go
        to the most recently installed. With no language, any model of the task will do.
        """
        candidates = [m for m in self.list() if m.task == task]
        if language:
            candidates = [m for m in candidates if m.covers(language)]
        if not candidates:
            return None

        def rank(m: InstalledModel) -> tuple:
            specific = bool(language) and language in m.languages
            return (specific, m.manifest.get("installed_at", ""), m.name)

        return max(candidates, key=rank)

    # --- installing ------------------------------------------------------------------

    @contextlib.contextmanager
    def staging(self):
        """A fresh folder inside the store root, removed afterwards whatever happens."""
        self.root.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.root))
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def add(
        self,
        source: Path,
        *,
        name: str | None = None,
        task: str | None = None,
        languages: builtins.list[str] | None = None,
        allow_pickle: bool = False,
        replace: bool = False,
    ) -> InstalledModel:
        """Install a model from a local folder or a ``.zip``/``.tar.gz`` archive of one."""
        source = Path(source).expanduser()
        if not source.exists():
            raise InstallError(f"no such file or folder: {source}")
        if source.is_file() and not is_archive(source):
            raise InstallError(
                f"{source.name} is neither a model folder nor a .zip/.tar.gz archive of one"
            )
        name = check_name(
            name or default_name(archive_stem(source) if source.is_file() else folder_name(source))
        )
        self._check_free(name, replace)
        with self.staging() as staging:
            if source.is_file():
                unpacked = staging / "unpacked"
                unpacked.mkdir()
                safe_extract(source, unpacked)
                folder = _model_root(unpacked, source.name)
            else:
                folder = source
                _check_links(folder)
            description = describe_model(
                folder, name=name, task=task, languages=languages, allow_pickle=allow_pickle
            )
            target = staging / "model"
            target.mkdir()
            for path in sorted(folder.rglob("*")):
                rel = path.relative_to(folder)
                if path.is_file() and _wanted(rel, description.weights_format):
                    (target / rel).parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, target / rel)  # follows in-folder links
            extra = None
            if description.weights_format == "pickle":
                extra = {"converted_from": convert_pickle_weights(target, name)}
                description = ModelDescription(
                    description.task,
                    description.family,
                    description.languages,
                    "safetensors",
                    chat=description.chat,
                )
            return self.commit_staged(
                target,
                name=name,
                description=description,
                source={"local": str(source.resolve())},
                revision=None,
                replace=replace,
                extra=extra,
            )

    def _check_free(self, name: str, replace: bool) -> None:
        if not replace and (self.root / name).exists():
            raise InstallError(
                f"a model named {name} is already installed; remove it first "
                f"(ringkas models remove {name}) or choose another --name"
            )

    def commit_staged(
        self,
        folder: Path,
        *,
        name: str,
        description: ModelDescription,
        source: dict,
        revision: str | None,
        replace: bool = False,
        expected_files: dict[str, str] | None = None,
        extra: dict | None = None,
    ) -> InstalledModel:
        """Write the manifest of a complete model in a staging folder and move it into place.

        ``expected_files`` (path -> sha256, e.g. from the Hub) are checked first: a mismatch
        raises InstallError and nothing is installed.
        """
        check_name(name)
        entries = file_entries(folder)
        if expected_files:
            actual = {e["path"]: e["sha256"] for e in entries}
            for rel, sha in expected_files.items():
                if rel not in actual:
                    raise InstallError(f"download of {name} is incomplete: {rel} is missing")
                if sha and actual[rel] != sha:
                    raise InstallError(
                        f"download of {name} is corrupt: {rel} does not match its sha256; "
                        "nothing was installed"
                    )
        manifest = {
            "manifest_version": MANIFEST_VERSION,
            "name": name,
            "task": description.task,
            "family": description.family,
            "languages": description.languages,
            "source": source,
            "revision": revision,
            "weights_format": description.weights_format,
            **({"kind": "chat"} if description.chat else {}),
            "files": entries,
            "derived": {},
            "installed_at": _now(),
            "ringkas_version": __version__,
            **(extra or {}),
        }
        _write_json(folder / MANIFEST_NAME, manifest)
        staged = InstalledModel.from_manifest(folder, manifest)
        for hook in self.post_install:
            try:
                hook(staged)
            except Exception:  # a derived copy is optional: the model works without it
                log.warning("post-install step %r failed for %s", hook, name, exc_info=True)
        # Re-read: a hook may have recorded derived files.
        manifest = read_json(folder / MANIFEST_NAME)

        final = self.root / name
        if final.exists():
            if not replace:
                self._check_free(name, replace)
            self._discard(final)
        os.replace(folder, final)
        log.info("installed %s (%s) into %s", name, description.task, final)
        return InstalledModel.from_manifest(final, manifest)

    def record_derived(self, model: InstalledModel, subdir: str) -> None:
        """Record the files of a derived folder (e.g. ``ct2``) in the model's manifest."""
        if subdir not in DERIVED_DIRS:
            raise ValueError(f"not a derived folder: {subdir}")
        folder = model.path / subdir
        manifest_path = model.path / MANIFEST_NAME
        manifest = read_json(manifest_path)
        manifest.setdefault("derived", {})[subdir] = {
            "files": file_entries(folder, skip_dirs=()),
            "created_at": _now(),
        }
        _write_json(manifest_path, manifest)
        model.manifest = manifest

    def remove(self, name: str) -> None:
        model = self.get(name)
        if model is None:
            folder = self.root / name if _NAME_RE.match(name or "") else None
            if folder is None or not folder.is_dir():
                raise ModelError(f"no installed model named {name}; see: ringkas models list")
        self._discard(self.root / name)

    def _discard(self, folder: Path) -> None:
        # Rename first so a model is either fully there or gone, even if rmtree is interrupted.
        trash = self.root / f"{STAGING_PREFIX}removed-{uuid.uuid4().hex[:8]}"
        os.replace(folder, trash)
        shutil.rmtree(trash, ignore_errors=True)

    def verify(self, name: str | None = None) -> dict[str, builtins.list[str]]:
        """Check installed files against their manifests: name -> problems ([] = intact)."""
        if name is not None:
            folders = [self.root / name] if _NAME_RE.match(name) else []
            if not folders or not folders[0].is_dir():
                raise ModelError(f"no installed model named {name}; see: ringkas models list")
        elif self.root.is_dir():
            folders = [
                f for f in sorted(self.root.iterdir()) if f.is_dir() and not f.name.startswith(".")
            ]
        else:
            folders = []
        report = {}
        for folder in folders:
            report[folder.name] = self._verify_folder(folder)
        return report

    def _verify_folder(self, folder: Path) -> builtins.list[str]:
        manifest_path = folder / MANIFEST_NAME
        if not manifest_path.is_file():
            return [f"no {MANIFEST_NAME}: not installed by Ringkas (remove and add it again)"]
        try:
            manifest = read_json(manifest_path)
            entries = manifest["files"]
        except (InstallError, KeyError) as exc:
            return [f"unreadable manifest: {exc}"]
        problems = check_files(folder, entries)
        recorded = {e["path"] for e in entries}
        for entry in file_entries(folder):
            if entry["path"] not in recorded:
                problems.append(f"unexpected file {entry['path']}")
        for subdir, info in (manifest.get("derived") or {}).items():
            problems += [
                f"{subdir}/: {p}" for p in check_files(folder / subdir, info.get("files", []))
            ]
        return problems


def _model_root(unpacked: Path, archive_name: str) -> Path:
    """The folder with config.json in an unpacked archive: its root or its only subfolder."""
    if (unpacked / "config.json").is_file():
        return unpacked
    children = [p for p in unpacked.iterdir() if not p.name.startswith((".", "__MACOSX"))]
    if len(children) == 1 and children[0].is_dir() and (children[0] / "config.json").is_file():
        return children[0]
    raise InstallError(f"{archive_name} holds no model folder (no config.json at its top level)")


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
