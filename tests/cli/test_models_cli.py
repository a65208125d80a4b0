"""`ringkas models ...` end to end: add, list, remove, verify, install; errors as one line."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from app.cli import main
from app.core.models.store import ModelStore

ROOT = Path(__file__).resolve().parents[2]


def run(capsys, *argv):
    code = main(["models", *argv])
    out, err = capsys.readouterr()
    return code, out, err


def _one_error_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("ringkas: error: ")
    return lines[0]


def test_add_list_remove(capsys, tiny_model_dirs, tmp_path):
    src = tmp_path / "built-elsewhere" / "opus-mt-id-en"
    import shutil

    shutil.copytree(tiny_model_dirs["translate"], src)
    code, out, _ = run(capsys, "add", str(src))
    assert code == 0 and "Added opus-mt-id-en (translate, marian, languages id)" in out

    code, out, _ = run(capsys, "list")
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("opus-mt-id-en"))
    assert row.split()[1:4] == ["translate", "id", "marian"]

    code, out, _ = run(capsys, "list", "--json")
    data = json.loads(out)
    assert [(m["name"], m["task"]) for m in data["installed"]] == [("opus-mt-id-en", "translate")]

    code, out, _ = run(capsys, "remove", "opus-mt-id-en")
    assert code == 0 and "Removed opus-mt-id-en" in out
    code, out, _ = run(capsys, "list")
    assert "opus-mt-id-en" not in out and "No models installed" in out


def test_add_converts_a_translator_to_ctranslate2_before_it_is_installed(
    capsys, tiny_model_dirs, isolated_user_dirs
):
    code, _, _ = run(capsys, "add", str(tiny_model_dirs["translate"]), "--name", "mt")
    assert code == 0
    model = ModelStore().get("mt")
    assert (model.path / "ct2" / "model.bin").is_file()
    assert "ct2" in model.manifest["derived"]  # recorded, so verify checks it too
    code, out, _ = run(capsys, "verify", "mt")
    assert code == 0, out
    # the NER model has no CTranslate2 form: added as is
    code, _, _ = run(capsys, "add", str(tiny_model_dirs["entities"]), "--name", "ner")
    assert code == 0 and not (ModelStore().get("ner").path / "ct2").exists()


def test_add_with_task_and_languages(capsys, tiny_model_dirs):
    code, out, _ = run(
        capsys, "add", str(tiny_model_dirs["entities"]), "--name", "ner", "--languages", "id,en"
    )
    assert code == 0
    model = ModelStore().get("ner")
    assert (model.task, model.languages) == ("entities", ["id", "en"])


def test_errors_are_one_line_with_exit_2(capsys, tmp_path, tiny_model_dirs):
    code, _, err = run(capsys, "add", str(tmp_path / "missing"))
    assert code == 2 and "no such file or folder" in _one_error_line(err)
    code, _, err = run(capsys, "add", str(tiny_model_dirs["translate"]), "--task", "entities")
    assert code == 2 and "cannot serve task" in _one_error_line(err)
    code, _, err = run(capsys, "remove", "nothing")
    assert code == 2 and "no installed model named nothing" in _one_error_line(err)
    code, _, err = run(capsys, "install", "no-such-model")
    assert code == 2 and "not in the catalogue" in _one_error_line(err)


def test_path_traversal_archive_is_refused(capsys, tmp_path, isolated_user_dirs):
    archive = tmp_path / "evil.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("model/config.json", "{}")
        zf.writestr("../../escaped.txt", "owned")
    before = sorted(tmp_path.rglob("*"))
    code, _, err = run(capsys, "add", str(archive))
    assert code == 2 and "outside the folder" in _one_error_line(err)
    assert sorted(tmp_path.rglob("*")) == before
    assert not (tmp_path.parent / "escaped.txt").exists()


def test_verify(capsys, installed_models):
    code, out, _ = run(capsys, "verify")
    assert code == 0 and out.count(": ok") == 3
    model = installed_models["translate"]
    (model.path / "config.json").write_text("{}")
    code, out, err = run(capsys, "verify", model.name)
    assert code == 1
    assert "config.json" in out and "damaged" in err


def test_install_from_fake_hub(capsys, fake_hub, tiny_model_dirs, tmp_path, monkeypatch):
    repo = fake_hub.add_folder("fake-org/tiny-ner", tiny_model_dirs["entities"])
    files = ", ".join(f'"{f}"' for f in sorted(repo.files))
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(
        '[[model]]\nname = "tiny-ner"\ntask = "entities"\nrepo = "fake-org/tiny-ner"\n'
        'revision = "main"\nlicense = "CC-BY-NC-4.0"\nnon_commercial = true\nsize_mb = 1\n'
        f'family = "xlm-roberta"\nlanguages = ["*"]\nfiles = [{files}]\n'
    )
    monkeypatch.setenv("RINGKAS_CATALOG", str(catalog))
    code, out, err = run(capsys, "install", "tiny-ner")
    assert code == 0, err
    assert "Installed tiny-ner (entities)" in out
    assert "non-commercial" in err
    assert ModelStore().get("tiny-ner").revision == repo.commit
    code, out, _ = run(capsys, "install", "tiny-ner")
    assert code == 0 and "already installed" in out


def test_install_without_a_reachable_hub_exits_2(tmp_path, isolated_user_dirs):
    """A real `ringkas` process: one clear line on stderr, exit code 2, nothing installed."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "HF_ENDPOINT": f"http://127.0.0.1:{port}"}
    result = subprocess.run(
        [sys.executable, "-m", "app", "models", "install", "opus-mt-id-en"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2, result.stderr
    error = [line for line in result.stderr.splitlines() if line.startswith("ringkas: error:")]
    assert len(error) == 1 and "ringkas models add PATH" in error[0]
    assert "Traceback" not in result.stderr
    assert ModelStore(isolated_user_dirs["models"]).list() == []


@pytest.mark.parametrize("argv", [["list", "--catalog"], ["list", "--catalog", "--json"]])
def test_catalog_listing(capsys, argv):
    code, out, _ = run(capsys, *argv)
    assert code == 0 and "opus-mt-id-en" in out
