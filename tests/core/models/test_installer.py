"""`install` against a fake Hub on 127.0.0.1: the real huggingface_hub download code runs."""

from __future__ import annotations

import socket
import threading

import pytest

from app.core.base.errors import CancelledError, InstallError
from app.core.models.catalog import load_catalog
from app.core.models.installer import install

REPO = "fake-org/tiny-opus-mt-id-en"


def _catalog(tmp_path, files, *, repo=REPO, revision="main", optional=(), extra=""):
    quoted = ", ".join(f'"{f}"' for f in files)
    optional_quoted = ", ".join(f'"{f}"' for f in optional)
    path = tmp_path / "catalog.toml"
    path.write_text(
        f"""
[[model]]
name = "opus-mt-id-en"
task = "translate"
repo = "{repo}"
revision = "{revision}"
license = "CC-BY-4.0"
non_commercial = false
size_mb = 1
family = "marian"
languages = ["id"]
files = [{quoted}]
optional_files = [{optional_quoted}]
description = "tiny test model"
default = true
{extra}
"""
    )
    return load_catalog(path)[0]


@pytest.fixture
def entry(fake_hub, tiny_model_dirs, tmp_path):
    repo = fake_hub.add_folder(REPO, tiny_model_dirs["translate"])
    return _catalog(tmp_path, sorted(repo.files))


@pytest.fixture
def small_chunks(monkeypatch):
    """Stream in 16 KiB chunks (the library's default is 10 MiB, larger than a tiny model)."""
    from huggingface_hub import constants

    monkeypatch.setattr(constants, "DOWNLOAD_CHUNK_SIZE", 16 * 1024)


def test_full_install(entry, model_store, fake_hub, tiny_model_dirs):
    seen = []
    model = install(entry, model_store, progress=lambda done, total: seen.append((done, total)))
    repo = fake_hub.repos[REPO]
    assert (model.name, model.task, model.family, model.languages) == (
        "opus-mt-id-en",
        "translate",
        "marian",
        ["id"],
    )
    assert model.revision == repo.commit
    assert model.source == {"hub": REPO, "revision": repo.commit, "endpoint": fake_hub.url}
    assert model.model_id == f"opus-mt-id-en@{repo.commit}"
    assert model.manifest["license"] == "CC-BY-4.0"
    for name, data in repo.files.items():
        assert (model.path / name).read_bytes() == data
    assert model_store.verify() == {"opus-mt-id-en": []}
    assert [m.name for m in model_store.list()] == ["opus-mt-id-en"]
    assert list(model_store.root.iterdir()) == [model.path]  # staging folder gone
    total = sum(len(d) for d in repo.files.values())
    assert seen[-1] == (total, total)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    # Only the catalogue's files were fetched, each once, pinned to the resolved commit.
    gets = [p for m, p, _ in fake_hub.requests if m == "GET" and "/resolve/" in p]
    assert sorted(p.rsplit("/", 1)[1] for p in gets) == sorted(repo.files)
    assert all(f"/resolve/{repo.commit}/" in p for p in gets)


def test_install_only_fetches_catalogue_files(fake_hub, tiny_model_dirs, tmp_path, model_store):
    repo = fake_hub.add_folder(REPO, tiny_model_dirs["translate"])
    repo.files["pytorch_model.bin"] = b"pickle bytes"
    entry = _catalog(tmp_path, sorted(set(repo.files) - {"pytorch_model.bin"}))
    model = install(entry, model_store)
    assert not (model.path / "pytorch_model.bin").exists()
    assert fake_hub.gets("pytorch_model.bin") == []


def test_optional_files_are_fetched_when_present(fake_hub, tiny_model_dirs, tmp_path, model_store):
    repo = fake_hub.add_folder(REPO, tiny_model_dirs["translate"])
    required = sorted(set(repo.files) - {"generation_config.json"})
    entry = _catalog(tmp_path, required, optional=["generation_config.json", "README.md"])
    model = install(entry, model_store)
    assert (model.path / "generation_config.json").is_file()
    assert not (model.path / "README.md").exists()


def test_dropped_connection_is_resumed(entry, model_store, fake_hub, small_chunks):
    fake_hub.drop_once["model.safetensors"] = 100_000
    model = install(entry, model_store)
    gets = fake_hub.gets("model.safetensors")
    assert len(gets) == 2
    assert "Range" not in gets[0]
    start = int(gets[1]["Range"].removeprefix("bytes=").rstrip("-"))
    assert 0 < start <= 100_000
    assert model_store.verify() == {model.name: []}


def test_cancelled_install_leaves_nothing_and_keeps_finished_files(
    entry, model_store, fake_hub, small_chunks
):
    """A Cancel mid-file leaves nothing in the store; the next run fetches only what was not
    finished. huggingface_hub 2.4's ``hf_hub_download`` deletes the partial file of a download
    that stops (its temporary file is unique to one call), so the cancelled file starts again
    from its first byte; a connection that drops is still resumed within the run (above)."""
    cancel = threading.Event()
    weights = len(fake_hub.repos[REPO].files["model.safetensors"])

    def progress(done, total):
        if done >= 64 * 1024 and fake_hub.gets("model.safetensors"):
            cancel.set()

    with pytest.raises(CancelledError):
        install(entry, model_store, progress=progress, cancel=cancel)
    assert model_store.list() == [] and model_store.get("opus-mt-id-en") is None
    assert not (model_store.root / "opus-mt-id-en").exists()
    finished = [p for p in model_store.root.rglob("*") if p.is_file() and p.parent.name == "model"]
    assert "config.json" in {p.name for p in finished}
    assert not [p for p in model_store.root.rglob("*.incomplete")]

    fake_hub.requests.clear()
    seen = []
    model = install(entry, model_store, progress=lambda d, t: seen.append(d))
    gets = fake_hub.gets("model.safetensors")
    assert len(gets) == 1 and "Range" not in gets[0]
    assert 0 < weights <= seen[-1]
    # Files finished before the cancel were not fetched again.
    assert fake_hub.gets("config.json") == []
    assert model_store.verify() == {model.name: []}


def test_corrupt_file_is_rejected(entry, model_store, fake_hub):
    fake_hub.corrupt.add("model.safetensors")
    with pytest.raises(InstallError, match="corrupt"):
        install(entry, model_store)
    assert model_store.list() == []
    assert list(model_store.root.iterdir()) == []  # staging discarded too


def test_unknown_repo(fake_hub, tmp_path, model_store):
    entry = _catalog(tmp_path, ["config.json"], repo="fake-org/nothing-here")
    with pytest.raises(InstallError, match="no model repository fake-org/nothing-here"):
        install(entry, model_store)


def test_unknown_revision(fake_hub, tiny_model_dirs, tmp_path, model_store):
    fake_hub.add_folder(REPO, tiny_model_dirs["translate"])
    entry = _catalog(tmp_path, ["config.json"], revision="0" * 40)
    with pytest.raises(InstallError, match="has no revision"):
        install(entry, model_store)


def test_catalogue_file_missing_on_the_hub(fake_hub, tiny_model_dirs, tmp_path, model_store):
    fake_hub.add_folder(REPO, tiny_model_dirs["translate"])
    entry = _catalog(tmp_path, ["config.json", "nope.safetensors"])
    with pytest.raises(InstallError, match="lacks nope.safetensors"):
        install(entry, model_store)


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_server_down(tmp_path, model_store, monkeypatch):
    monkeypatch.setenv("HF_ENDPOINT", f"http://127.0.0.1:{_closed_port()}")
    entry = _catalog(tmp_path, ["config.json"])
    with pytest.raises(InstallError, match="ringkas models add PATH") as info:
        install(entry, model_store)
    assert "\n" not in str(info.value)
    assert model_store.list() == []


def test_offline_mode_is_back_after_install(entry, model_store):
    from huggingface_hub import constants

    install(entry, model_store)
    assert constants.HF_HUB_OFFLINE is True


def test_install_from_a_pull_request_revision(fake_hub, tiny_model_dirs, tmp_path, model_store):
    """Many Hub repos carry safetensors only in the conversion bot's ``refs/pr/N`` branch."""
    repo = fake_hub.add_folder(REPO, tiny_model_dirs["translate"], branches=("refs/pr/1",))
    entry = _catalog(tmp_path, sorted(repo.files), revision="refs/pr/1")
    model = install(entry, model_store)
    assert model.revision == repo.commit
    assert model_store.verify() == {"opus-mt-id-en": []}
    with pytest.raises(InstallError, match="has no revision main"):
        install(_catalog(tmp_path, sorted(repo.files)), model_store, replace=True)


def _checkpoint_repo(fake_hub, tiny_model_dirs, tmp_path, payload=None):
    """The tiny translator as an older Hub repo has it: pytorch_model.bin, no safetensors."""
    import shutil

    import torch
    from safetensors.torch import load_file

    folder = tmp_path / "checkpoint-repo"
    shutil.copytree(tiny_model_dirs["translate"], folder)
    weights = folder / "model.safetensors"
    state = load_file(weights) if payload is None else payload
    torch.save(state, folder / "pytorch_model.bin")
    weights.unlink()
    return fake_hub.add_folder(REPO, folder)


def test_a_checkpoint_only_entry_is_converted_to_safetensors_at_install(
    fake_hub, tiny_model_dirs, tmp_path, model_store
):
    from app.core.engines.base import GenerationSettings
    from app.core.engines.hf import TransformersBackend

    repo = _checkpoint_repo(fake_hub, tiny_model_dirs, tmp_path)
    files = sorted(repo.files)
    assert "pytorch_model.bin" in files and "model.safetensors" not in files
    entry = _catalog(tmp_path, files, extra="pickle_checkpoint = true")

    model = install(entry, model_store)

    assert (model.path / "model.safetensors").is_file()
    assert not (model.path / "pytorch_model.bin").exists()
    assert model.manifest["converted_from"] == ["pytorch_model.bin"]
    assert model.manifest["weights_format"] == "safetensors"
    assert model_store.verify() == {"opus-mt-id-en": []}
    backend = TransformersBackend(model, "cpu", 1)
    [text] = backend.generate(["Banjir besar melanda Semarang."], GenerationSettings(6, 6))
    assert text.strip()


class _RunsCode:
    def __reduce__(self):
        import os

        return (os.mkdir, (os.environ["RINGKAS_TEST_PWNED"],))


def test_a_checkpoint_that_holds_code_is_refused_and_never_run(
    fake_hub, tiny_model_dirs, tmp_path, model_store, monkeypatch
):
    pwned = tmp_path / "pwned"
    monkeypatch.setenv("RINGKAS_TEST_PWNED", str(pwned))
    repo = _checkpoint_repo(fake_hub, tiny_model_dirs, tmp_path, payload={"x": _RunsCode()})
    entry = _catalog(tmp_path, sorted(repo.files), extra="pickle_checkpoint = true")
    with pytest.raises(InstallError, match="not a plain weights file"):
        install(entry, model_store)
    assert not pwned.exists()
    assert model_store.list() == []
    assert [p.name for p in model_store.root.iterdir()] == []
