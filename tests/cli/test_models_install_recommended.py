"""`ringkas models install --recommended` against the fake Hub: the whole set in one command."""

from __future__ import annotations

from setup_catalog import RECOMMENDED, publish_setup_catalog

from app.cli import main
from app.core.models.store import ModelStore


def test_install_recommended_from_the_fake_hub(
    capsys, fake_hub, tiny_model_dirs, tmp_path, monkeypatch
):
    catalog = publish_setup_catalog(fake_hub, tiny_model_dirs, tmp_path / "catalog.toml")
    monkeypatch.setenv("RINGKAS_CATALOG", str(catalog))
    code = main(["models", "install", "--recommended", "--languages", "id"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Recommended for id -> English (about 3 MB in all)" in err
    for name in RECOMMENDED:
        assert f"Installed {name}" in out
    assert "[3/3] tiny-names" in err
    store = ModelStore()
    assert sorted(m.name for m in store.list()) == sorted(RECOMMENDED)
    assert store.find("translate", "id").name == "tiny-opus-id-en"

    # again: nothing is downloaded twice
    fake_hub.requests.clear()
    code = main(["models", "install", "--recommended"])
    out, _ = capsys.readouterr()
    assert code == 0 and out.count("already installed") == 3
    assert not [r for r in fake_hub.requests if "/resolve/" in r[1]]


def test_install_needs_a_name_or_recommended(capsys):
    code = main(["models", "install"])
    _, err = capsys.readouterr()
    assert code == 2 and "--recommended" in err
