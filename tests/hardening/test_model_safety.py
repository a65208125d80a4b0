"""A model file is data, never code: hostile model folders and archives are refused whole.

These tests attack the store the way a booby-trapped download would: a pickle that runs code
when loaded, custom code behind ``auto_map``, archive entries that climb out of the target
folder or are links, links out of a model folder, and a file swapped after install.
"""

from __future__ import annotations

import io
import os
import pickle
import re
import shutil
import tarfile
import zipfile
from pathlib import Path

import pytest

from app.core.base.errors import InstallError, RingkasError

from .conftest import ROOT, snapshot


class _Trap:
    """Unpickling this touches a marker file: proof that a pickle was loaded (code ran)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):
        return (Path.touch, (self.marker,))


def _copy_model(tiny_model_dirs, task: str, dest: Path) -> Path:
    return Path(shutil.copytree(tiny_model_dirs[task], dest))


def _store_is_empty(store) -> bool:
    """No installed model and no leftover staging folder."""
    if not store.root.exists():
        return True
    return store.list() == [] and not any(store.root.iterdir())


# --- code hidden in model files ---------------------------------------------------------


def test_no_code_in_app_ever_trusts_remote_code():
    """``trust_remote_code`` is never switched on anywhere in the application."""
    offenders = []
    pattern = re.compile(r"trust_remote_code\s*=\s*(?!False\b)", re.IGNORECASE)
    for path in sorted((ROOT / "app").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_no_code_in_app_loads_pickles_or_non_safetensors_weights():
    """Weights load with use_safetensors=True; no pickle.load, and torch.load only restricted.

    The one torch.load in app/ converts an --allow-pickle checkpoint at install time with the
    weights_only unpickler, which refuses any object but tensors and plain containers."""
    offenders = []
    forbidden = re.compile(
        r"\btorch\.load\((?![^)]*weights_only=True)|\bpickle\.loads?\(|use_safetensors\s*=\s*(?!True\b)|weights_only\s*=\s*False"
    )
    for path in sorted((ROOT / "app").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if forbidden.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_pickle_weights_are_refused_and_never_unpickled(model_store, tiny_model_dirs, tmp_path):
    folder = _copy_model(tiny_model_dirs, "translate", tmp_path / "pickled")
    (folder / "model.safetensors").unlink()
    marker = tmp_path / "code-ran"
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps({"weights": _Trap(marker)}))

    with pytest.raises(InstallError, match="pickle"):
        model_store.add(folder, name="pickled", task="translate", languages=["id"])

    assert not marker.exists()
    assert _store_is_empty(model_store)


def test_allowing_pickle_refuses_a_pickle_that_holds_code(model_store, tiny_model_dirs, tmp_path):
    """--allow-pickle converts plain weights only; the restricted unpickler never runs the trap."""
    folder = _copy_model(tiny_model_dirs, "translate", tmp_path / "pickled")
    (folder / "model.safetensors").unlink()
    marker = tmp_path / "code-ran"
    (folder / "pytorch_model.bin").write_bytes(pickle.dumps(_Trap(marker)))

    with pytest.raises(InstallError, match="not a plain weights file"):
        model_store.add(
            folder, name="pickled", task="translate", languages=["id"], allow_pickle=True
        )

    assert not marker.exists()
    assert _store_is_empty(model_store)


@pytest.mark.parametrize("config_file", ["config.json", "tokenizer_config.json"])
def test_custom_code_behind_auto_map_is_refused(
    model_store, tiny_model_dirs, tmp_path, config_file
):
    import json

    folder = _copy_model(tiny_model_dirs, "translate", tmp_path / "custom")
    marker = tmp_path / "code-ran"
    (folder / "modeling_evil.py").write_text(f"open({str(marker)!r}, 'w').close()\n")
    path = folder / config_file
    data = json.loads(path.read_text()) if path.exists() else {}
    data["auto_map"] = {"AutoModelForSeq2SeqLM": "modeling_evil.EvilModel"}
    path.write_text(json.dumps(data))

    with pytest.raises(InstallError, match="custom"):
        model_store.add(folder, name="custom", task="translate", languages=["id"])
    assert not marker.exists()
    assert _store_is_empty(model_store)


# --- archives ---------------------------------------------------------------------------


def _zip_with(path: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return path


def _model_entries(tiny_dir: Path, prefix: str = "") -> list[tuple[str, bytes]]:
    return [
        (prefix + p.relative_to(tiny_dir).as_posix(), p.read_bytes())
        for p in sorted(tiny_dir.rglob("*"))
        if p.is_file()
    ]


def _symlink_info(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system = 3  # Unix: the mode in external_attr is honoured
    info.external_attr = (0o120777 << 16) | 0
    return info


@pytest.fixture
def outside(tmp_path) -> Path:
    """A folder beside the store, with a file an attack would overwrite; must stay unchanged."""
    folder = tmp_path / "outside"
    folder.mkdir()
    (folder / "precious.txt").write_text("the user's data")
    return folder


ZIP_ATTACKS = {
    "dot-dot": "../outside/evil.txt",
    "deep-dot-dot": "model/../../../outside/evil.txt",
    "backslash-dot-dot": "..\\outside\\evil.txt",
    "absolute": "/{outside}/evil.txt",
    "drive-letter": "C:/outside/evil.txt",
}


@pytest.mark.parametrize("attack", sorted(ZIP_ATTACKS))
def test_zip_entry_escaping_the_store_is_refused(
    attack, model_store, tiny_model_dirs, tmp_path, outside
):
    before = snapshot(outside)
    entry = ZIP_ATTACKS[attack].format(outside=str(outside).lstrip("/"))
    archive = _zip_with(
        tmp_path / "model.zip",
        [*_model_entries(tiny_model_dirs["translate"]), (entry, b"pwned")],
    )
    with pytest.raises(InstallError, match="outside"):
        model_store.add(archive, name="attack", task="translate", languages=["id"])
    assert snapshot(outside) == before
    assert not list(tmp_path.rglob("evil.txt"))
    assert _store_is_empty(model_store)


def test_zip_symlink_entry_is_refused(model_store, tiny_model_dirs, tmp_path, outside):
    archive = _zip_with(
        tmp_path / "model.zip",
        [
            *_model_entries(tiny_model_dirs["translate"]),
            (_symlink_info("evil-link"), str(outside / "precious.txt").encode()),
        ],
    )
    before = snapshot(outside)
    with pytest.raises(InstallError, match="link"):
        model_store.add(archive, name="attack", task="translate", languages=["id"])
    assert snapshot(outside) == before
    assert _store_is_empty(model_store)


def _tar_with(path: Path, tiny_dir: Path, extra: list[tarfile.TarInfo]) -> Path:
    with tarfile.open(path, "w:gz") as tf:
        for name, data in _model_entries(tiny_dir):
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tf.addfile(info, io.BytesIO(data))
        for info in extra:
            data = b"pwned" if info.isfile() else None
            if data is not None:
                info.size = len(data)
            tf.addfile(info, io.BytesIO(data) if data is not None else None)
    return path


def _tar_info(name: str, kind: bytes = tarfile.REGTYPE, linkname: str = "") -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type = kind
    info.linkname = linkname
    return info


@pytest.mark.parametrize(
    "attack",
    ["dot-dot", "absolute", "symlink-out", "symlink-then-write-through", "hardlink", "device"],
)
def test_tar_entry_escaping_the_store_is_refused(
    attack, model_store, tiny_model_dirs, tmp_path, outside
):
    precious = outside / "precious.txt"
    extra = {
        "dot-dot": [_tar_info("../outside/evil.txt")],
        "absolute": [_tar_info(str(outside / "evil.txt"))],
        "symlink-out": [_tar_info("vocab-link", tarfile.SYMTYPE, str(precious))],
        # the classic: a link to a folder outside, then a file "inside" the link
        "symlink-then-write-through": [
            _tar_info("escape", tarfile.SYMTYPE, str(outside)),
            _tar_info("escape/precious.txt"),
        ],
        "hardlink": [_tar_info("hard", tarfile.LNKTYPE, str(precious))],
        "device": [_tar_info("null", tarfile.CHRTYPE)],
    }[attack]
    archive = _tar_with(tmp_path / "model.tar.gz", tiny_model_dirs["translate"], extra)
    before = snapshot(outside)

    with pytest.raises(InstallError):
        model_store.add(archive, name="attack", task="translate", languages=["id"])

    assert snapshot(outside) == before
    assert not list(tmp_path.rglob("evil.txt"))
    assert _store_is_empty(model_store)


@pytest.mark.parametrize("name", ["../evil", "/tmp/evil", "a/b", "..", ".hidden", "x\\..\\y"])
def test_model_names_cannot_be_paths(model_store, tiny_model_dirs, name):
    with pytest.raises(InstallError, match="invalid model name"):
        model_store.add(tiny_model_dirs["translate"], name=name, task="translate")
    assert _store_is_empty(model_store)


# --- links and tampering ----------------------------------------------------------------


def test_model_folder_with_a_link_pointing_outside_is_refused(
    model_store, tiny_model_dirs, tmp_path, outside
):
    folder = _copy_model(tiny_model_dirs, "translate", tmp_path / "linked")
    (folder / "extra.txt").symlink_to(outside / "precious.txt")
    with pytest.raises(InstallError, match="links outside"):
        model_store.add(folder, name="linked", task="translate", languages=["id"])
    assert _store_is_empty(model_store)


def test_model_folder_with_a_linked_subfolder_pointing_outside_is_refused(
    model_store, tiny_model_dirs, tmp_path, outside
):
    folder = _copy_model(tiny_model_dirs, "translate", tmp_path / "linked")
    (folder / "more").symlink_to(outside, target_is_directory=True)
    with pytest.raises(InstallError, match="links outside"):
        model_store.add(folder, name="linked", task="translate", languages=["id"])
    assert _store_is_empty(model_store)


def test_a_byte_flipped_weight_file_fails_verify(installed_models, model_store):
    model = installed_models["entities"]
    weights = model.path / "model.safetensors"
    data = bytearray(weights.read_bytes())
    data[len(data) // 2] ^= 0x01
    weights.write_bytes(bytes(data))

    report = model_store.verify()
    assert report[model.name] and "model.safetensors" in report[model.name][0]
    others = {name: problems for name, problems in report.items() if name != model.name}
    assert others and all(problems == [] for problems in others.values())


def test_a_weight_file_swapped_for_a_link_fails_verify(installed_models, model_store, tmp_path):
    """Even a link to an identical copy outside the store is not an intact model file."""
    model = installed_models["translate"]
    weights = model.path / "model.safetensors"
    copy = tmp_path / "elsewhere.safetensors"
    shutil.copyfile(weights, copy)
    weights.unlink()
    os.symlink(copy, weights)

    problems = model_store.verify(model.name)[model.name]
    assert problems, "a weight file replaced by a link outside the store passed verify"


def test_models_verify_command_exits_non_zero_for_a_tampered_model(installed_models):
    from .conftest import run_ringkas

    model = installed_models["summarize"]
    (model.path / "config.json").write_text("{}")
    completed = run_ringkas("models", "verify")
    assert completed.returncode != 0
    assert "Traceback" not in completed.stderr
    assert model.name in completed.stdout + completed.stderr


def test_unknown_model_error_is_a_ringkas_error(model_store):
    with pytest.raises(RingkasError):
        model_store.verify("no-such-model")


def test_models_add_command_refuses_a_traversal_archive_in_one_line(
    tiny_model_dirs, tmp_path, outside, isolated_user_dirs
):
    from .conftest import assert_one_line_error, run_ringkas

    archive = _zip_with(
        tmp_path / "evil-model.zip",
        [*_model_entries(tiny_model_dirs["translate"]), ("../outside/evil.txt", b"pwned")],
    )
    before = snapshot(outside)
    completed = run_ringkas("models", "add", str(archive), "--task", "translate")
    assert completed.returncode == 2
    assert_one_line_error(completed)
    assert "outside" in completed.stderr
    assert snapshot(outside) == before
    assert not list(tmp_path.rglob("evil.txt"))
    store = isolated_user_dirs["models"]
    assert not store.exists() or not any(store.iterdir())


# --- at analysis time: a model folder changed after install -----------------------------

_ARTICLE = (
    "Banjir Melanda Semarang\n\n"
    "Banjir besar melanda Kota Semarang setelah hujan deras turun selama tiga hari.\n\n"
    "Wali Kota Semarang meminta warga di bantaran sungai untuk segera mengungsi."
)


def _analyse(store, tmp_path):
    import torch

    from app.core.analysis.service import AnalysisService
    from app.core.base.results import AnalysisOptions

    torch.set_num_threads(1)
    article = tmp_path / "banjir.txt"
    article.write_text(_ARTICLE, encoding="utf-8")
    return AnalysisService(store).analyze(
        article, AnalysisOptions(threads=1, device="cpu", use_cache=False)
    )


def test_code_planted_in_an_installed_model_never_runs(install_tiny, model_store, tmp_path):
    """Someone adds auto_map and a modeling file to an installed model: analysis never imports it."""
    import json

    model = install_tiny("translate")["translate"]
    marker = tmp_path / "code-ran"
    planted = f"open({str(marker)!r}, 'w').close()\n"
    for name in ("modeling_evil.py", "tokenization_evil.py", "configuration_evil.py"):
        (model.path / name).write_text(planted)
    config = json.loads((model.path / "config.json").read_text())
    config["auto_map"] = {
        "AutoConfig": "configuration_evil.EvilConfig",
        "AutoModelForSeq2SeqLM": "modeling_evil.EvilModel",
    }
    (model.path / "config.json").write_text(json.dumps(config))
    tokenizer_config_path = model.path / "tokenizer_config.json"
    tokenizer_config = json.loads(tokenizer_config_path.read_text())
    tokenizer_config["auto_map"] = {"AutoTokenizer": ["tokenization_evil.EvilTokenizer", None]}
    tokenizer_config_path.write_text(json.dumps(tokenizer_config))

    result = _analyse(model_store, tmp_path)

    assert not marker.exists(), "code from a model folder was executed"
    assert result.article.title == "Banjir Melanda Semarang"
    assert model_store.verify(model.name)[model.name]  # and verify reports the tampering


def test_allowing_pickle_converts_plain_weights_to_safetensors(
    model_store, tiny_model_dirs, tmp_path
):
    """A genuine PyTorch checkpoint added with --allow-pickle is stored and loaded as safetensors."""
    import torch
    from safetensors.torch import load_file

    folder = _copy_model(tiny_model_dirs, "translate", tmp_path / "pickled")
    weights = load_file(folder / "model.safetensors")
    (folder / "model.safetensors").unlink()
    torch.save(weights, folder / "pytorch_model.bin")

    model = model_store.add(
        folder, name="pickled", task="translate", languages=["id"], allow_pickle=True
    )

    assert model.weights_format == "safetensors"
    assert model.manifest["converted_from"] == ["pytorch_model.bin"]
    assert (model.path / "model.safetensors").is_file()
    assert not list(model.path.glob("*.bin"))
    assert model_store.verify("pickled") == {"pickled": []}
    result = _analyse(model_store, tmp_path)
    assert result.translation is not None and result.translation.kind == "model"
    assert not any(n.step == "translate" for n in result.notices)
