"""The model store: add from folders and archives, list, find, verify, remove; refusals."""

from __future__ import annotations

import json
import os
import shutil
import tarfile
import zipfile

import pytest
from tinymodels import TINY_MODEL_NAMES

from app.core.base.errors import InstallError, ModelError
from app.core.models.store import MANIFEST_NAME, ModelStore


def _copy(src, dst):
    shutil.copytree(src, dst)
    return dst


def test_default_root_is_the_models_dir(isolated_user_dirs):
    assert ModelStore().root == isolated_user_dirs["models"]


def test_add_infers_task_family_and_languages(model_store, tiny_model_dirs, tmp_path):
    src = _copy(tiny_model_dirs["translate"], tmp_path / "opus-mt-id-en")
    model = model_store.add(src)
    assert (model.name, model.task, model.family, model.languages) == (
        "opus-mt-id-en",
        "translate",
        "marian",
        ["id"],
    )
    assert model.path == model_store.root / "opus-mt-id-en"
    assert model.source == {"local": str(src.resolve())}
    assert model.revision is None and model.model_id.startswith("opus-mt-id-en@sha256:")
    manifest = json.loads((model.path / MANIFEST_NAME).read_text())
    weights = next(f for f in manifest["files"] if f["path"] == "model.safetensors")
    assert weights["size"] == (src / "model.safetensors").stat().st_size
    assert len(weights["sha256"]) == 64
    assert manifest["installed_at"] and manifest["ringkas_version"]
    # nothing staged is left behind
    assert [p.name for p in model_store.root.iterdir()] == ["opus-mt-id-en"]


@pytest.mark.parametrize(
    ("task", "family", "languages"),
    [("summarize", "mt5", ["*"]), ("entities", "xlm-roberta", ["*"])],
)
def test_add_infers_other_tasks(model_store, tiny_model_dirs, task, family, languages):
    model = model_store.add(tiny_model_dirs[task], name=f"m-{task}")
    assert (model.task, model.family, model.languages) == (task, family, languages)


def test_installed_models_fixture_lists_all_three(installed_models, model_store):
    assert {m.name for m in model_store.list()} == set(TINY_MODEL_NAMES.values())
    assert [m.task for m in model_store.list()] == ["translate", "summarize", "entities"]
    assert model_store.get(TINY_MODEL_NAMES["entities"]).task == "entities"
    assert model_store.verify() == {name: [] for name in TINY_MODEL_NAMES.values()}


def test_install_only_some_tasks(install_tiny, model_store):
    install_tiny("translate")
    assert [m.task for m in model_store.list()] == ["translate"]
    assert model_store.find("summarize") is None


def test_find_prefers_a_model_that_lists_the_language(model_store, tiny_model_dirs):
    model_store.add(tiny_model_dirs["translate"], name="multi", languages=["*"])
    model_store.add(tiny_model_dirs["translate"], name="id-only", languages=["id"])
    model_store.add(tiny_model_dirs["translate"], name="de-only", languages=["de"])
    assert model_store.find("translate", "id").name == "id-only"
    assert model_store.find("translate", "fr").name == "multi"
    assert model_store.find("translate", "de").name == "de-only"
    assert model_store.find("entities", "id") is None


def test_remove_takes_it_away(installed_models, model_store):
    name = TINY_MODEL_NAMES["translate"]
    model_store.remove(name)
    assert model_store.get(name) is None
    assert not (model_store.root / name).exists()
    with pytest.raises(ModelError, match="no installed model named"):
        model_store.remove(name)


def test_verify_reports_corruption_and_extra_files_but_not_ct2(install_tiny, model_store):
    model = install_tiny("translate")["translate"]
    (model.path / "ct2").mkdir()
    (model.path / "ct2" / "model.bin").write_bytes(b"converted")
    assert model_store.verify(model.name) == {model.name: []}
    model_store.record_derived(model, "ct2")
    (model.path / "ct2" / "model.bin").write_bytes(b"changed!!")
    (model.path / "vocab.json").write_text("{}")
    (model.path / "stray.txt").write_text("x")
    problems = model_store.verify(model.name)[model.name]
    assert any("vocab.json" in p for p in problems)
    assert "unexpected file stray.txt" in problems
    assert any(p.startswith("ct2/") for p in problems)


def test_duplicate_name_is_refused_unless_replace(install_tiny, model_store, tiny_model_dirs):
    install_tiny("translate")
    name = TINY_MODEL_NAMES["translate"]
    with pytest.raises(InstallError, match="already installed"):
        model_store.add(tiny_model_dirs["translate"], name=name)
    again = model_store.add(tiny_model_dirs["translate"], name=name, replace=True)
    assert again.name == name and model_store.verify(name) == {name: []}


def test_custom_code_is_refused(model_store, tiny_model_dirs, tmp_path):
    src = _copy(tiny_model_dirs["translate"], tmp_path / "custom")
    config = json.loads((src / "config.json").read_text())
    config["auto_map"] = {"AutoModel": "modeling_custom.CustomModel"}
    (src / "config.json").write_text(json.dumps(config))
    with pytest.raises(InstallError, match="custom Python code"):
        model_store.add(src)
    assert model_store.list() == []


def test_pickle_only_weights_need_allow_pickle(model_store, tiny_model_dirs, tmp_path):
    src = _copy(tiny_model_dirs["translate"], tmp_path / "pickled")
    (src / "model.safetensors").rename(src / "pytorch_model.bin")  # not a pickle at all
    with pytest.raises(InstallError, match="--allow-pickle"):
        model_store.add(src)
    with pytest.raises(InstallError, match="not a plain weights file"):
        model_store.add(src, allow_pickle=True)
    assert model_store.list() == []


def test_pickle_beside_safetensors_is_not_copied(model_store, tiny_model_dirs, tmp_path):
    src = _copy(tiny_model_dirs["translate"], tmp_path / "both")
    (src / "pytorch_model.bin").write_bytes(b"pickle")
    model = model_store.add(src)
    assert not (model.path / "pytorch_model.bin").exists()
    assert model.weights_format == "safetensors"


def test_not_a_model_is_refused(model_store, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InstallError, match="no config.json"):
        model_store.add(tmp_path / "empty")
    with pytest.raises(InstallError, match="no such file"):
        model_store.add(tmp_path / "missing")
    (tmp_path / "notes.txt").write_text("hi")
    with pytest.raises(InstallError, match="neither a model folder"):
        model_store.add(tmp_path / "notes.txt")


def test_wrong_task_is_refused(model_store, tiny_model_dirs):
    with pytest.raises(InstallError, match="cannot serve task 'entities'"):
        model_store.add(tiny_model_dirs["translate"], task="entities")


def test_truncated_weights_are_refused(model_store, tiny_model_dirs, tmp_path):
    src = _copy(tiny_model_dirs["entities"], tmp_path / "truncated")
    data = (src / "model.safetensors").read_bytes()
    (src / "model.safetensors").write_bytes(data[: len(data) // 2])
    with pytest.raises(InstallError, match="not a valid safetensors"):
        model_store.add(src)
    assert model_store.list() == []


def test_symlink_outside_the_folder_is_refused(model_store, tiny_model_dirs, tmp_path):
    src = _copy(tiny_model_dirs["translate"], tmp_path / "linked")
    secret = tmp_path / "secret.txt"
    secret.write_text("do not copy me")
    os.symlink(secret, src / "notes.txt")
    with pytest.raises(InstallError, match="links outside"):
        model_store.add(src)


@pytest.mark.parametrize("kind", ["zip", "tar.gz"])
def test_add_from_archive(model_store, tiny_model_dirs, tmp_path, kind):
    src = tiny_model_dirs["translate"]
    archive = tmp_path / f"opus-mt-id-en.{kind}"
    if kind == "zip":
        with zipfile.ZipFile(archive, "w") as zf:
            for p in src.iterdir():
                zf.write(p, f"opus-mt-id-en/{p.name}")
    else:
        with tarfile.open(archive, "w:gz") as tf:
            tf.add(src, arcname="opus-mt-id-en")
    model = model_store.add(archive)
    assert (model.name, model.task, model.languages) == ("opus-mt-id-en", "translate", ["id"])
    assert model_store.verify() == {"opus-mt-id-en": []}


def _evil_zip(path, entry):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("config.json", "{}")
        zf.writestr(entry, "owned")
    return path


@pytest.mark.parametrize("entry", ["../evil.txt", "/tmp/evil-abs.txt", "a/../../evil.txt"])
def test_zip_path_traversal_is_refused(model_store, tmp_path, entry):
    (tmp_path / "work").mkdir()
    archive = _evil_zip(tmp_path / "work" / "evil.zip", entry)
    before = set(tmp_path.rglob("*"))
    with pytest.raises(InstallError, match="outside the folder"):
        model_store.add(archive)
    assert set(tmp_path.rglob("*")) == before
    assert not os.path.exists("/tmp/evil-abs.txt")
    assert list(model_store.root.iterdir()) == []


def test_tar_links_are_refused(model_store, tmp_path):
    archive = tmp_path / "links.tar.gz"
    with tarfile.open(archive, "w:gz") as tf:
        info = tarfile.TarInfo("model/config.json")
        info.type = tarfile.SYMTYPE
        info.linkname = "/etc/passwd"
        tf.addfile(info)
    with pytest.raises(InstallError, match="link or special file"):
        model_store.add(archive)
    assert list(model_store.root.iterdir()) == []


def test_failed_install_leaves_nothing(model_store, tiny_model_dirs, tmp_path, monkeypatch):
    """An error after copying (here: in os.replace) leaves no model and no staging folder."""
    import app.core.models.store as store_module

    def boom(*args):
        raise OSError("disk full")

    monkeypatch.setattr(store_module.os, "replace", boom)
    with pytest.raises(OSError):
        model_store.add(tiny_model_dirs["translate"], name="x")
    monkeypatch.undo()
    assert list(model_store.root.iterdir()) == []


def test_zip_symlink_is_refused(model_store, tmp_path):
    archive = tmp_path / "link.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        info = zipfile.ZipInfo("model/config.json")
        info.external_attr = (0o120777) << 16  # a symbolic link
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(InstallError, match="link or special file"):
        model_store.add(archive)
    assert list(model_store.root.iterdir()) == []


def test_ct2_copy_and_manifest_of_another_store_are_not_carried_over(
    install_tiny, model_store, tmp_path
):
    """Adding a folder copied from another Ringkas store: its ct2/ and manifest are rebuilt."""
    model = install_tiny("translate")["translate"]
    other = tmp_path / "usb" / "opus-mt-id-en"
    shutil.copytree(model.path, other)
    (other / "ct2").mkdir()
    (other / "ct2" / "model.bin").write_bytes(b"converted elsewhere")
    added = ModelStore(tmp_path / "laptop").add(other)
    assert not (added.path / "ct2").exists()
    assert added.source == {"local": str(other.resolve())}
    assert {f["path"] for f in added.manifest["files"]} == {
        f["path"] for f in model.manifest["files"]
    }


def test_hugging_face_cache_snapshot_is_named_after_its_repo(
    model_store, tiny_model_dirs, tmp_path
):
    """A `huggingface-cli download` cache: files are links into ../../blobs, which is allowed."""
    repo = tmp_path / "hub" / "models--Helsinki-NLP--opus-mt-id-en"
    snapshot = repo / "snapshots" / ("a" * 40)
    (repo / "blobs").mkdir(parents=True)
    snapshot.mkdir(parents=True)
    for i, src in enumerate(sorted(tiny_model_dirs["translate"].iterdir())):
        blob = repo / "blobs" / f"blob{i}"
        shutil.copyfile(src, blob)
        os.symlink(os.path.relpath(blob, snapshot), snapshot / src.name)
    model = model_store.add(snapshot)
    assert (model.name, model.task, model.languages) == ("opus-mt-id-en", "translate", ["id"])
    assert not any(p.is_symlink() for p in model.path.iterdir())
    assert model_store.verify() == {"opus-mt-id-en": []}
