"""The shipped catalogue is complete and consistent; install hints name real entries."""

from __future__ import annotations

import pytest

from app.core.base.errors import ModelError
from app.core.models.catalog import get_entry, install_hint, load_catalog, recommended
from app.core.models.store import TASKS


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def test_every_entry_is_well_formed(catalog):
    names = [e.name for e in catalog]
    assert len(names) == len(set(names))
    for e in catalog:
        assert e.task in TASKS
        assert "/" in e.repo and e.revision and e.license and e.size_mb > 0
        assert e.languages and e.description
        # safetensors weights (or one checkpoint converted at install), a config, a tokenizer
        assert "config.json" in e.files
        pickles = [f for f in e.files + e.optional_files if f.endswith((".bin", ".pt", ".pth"))]
        if e.pickle_checkpoint:
            assert pickles == ["pytorch_model.bin"]
            assert not any(f.endswith(".safetensors") for f in e.files)
        else:
            assert any(f.endswith(".safetensors") for f in e.files) and not pickles
        assert any(
            f in e.files
            for f in (
                "spiece.model",
                "source.spm",
                "sentencepiece.bpe.model",
                "vocab.txt",
                "vocab.json",
            )
        )


def test_each_task_and_language_has_a_default(catalog):
    assert recommended("translate", "id", catalog).name == "opus-mt-id-en"
    assert recommended("translate", "fr", catalog).name == "opus-mt-mul-en"
    # Indonesian: the permissively licensed instruction-tuned summariser; mT5 XL-Sum elsewhere.
    assert recommended("summarize", "id", catalog).name == "qwen2.5-0.5b-instruct"
    assert recommended("summarize", "fr", catalog).name == "mt5-multilingual-xlsum"
    assert recommended("summarize", "en", catalog).name == "distilbart-cnn-12-6"
    assert recommended("entities", "id", catalog).name == "xlm-roberta-base-wikiann-ner"
    assert recommended("entities", "en", catalog).name == "bert-base-ner"
    assert recommended("entities", None, catalog).name == "xlm-roberta-base-wikiann-ner"


def test_non_commercial_licences_are_flagged(catalog):
    for e in catalog:
        assert e.non_commercial == ("-NC" in e.license.upper()), e.name


def test_install_hint_is_an_exact_command(catalog):
    assert install_hint("translate", "id") == "ringkas models install opus-mt-id-en"
    hint = install_hint("summarize")
    assert hint.startswith("ringkas models install ")
    assert get_entry(hint.split()[-1]) is not None


def test_install_hint_without_an_entry_points_to_add(tmp_path):
    empty = tmp_path / "catalog.toml"
    empty.write_text("")
    assert install_hint("entities", catalog=load_catalog(empty)) == (
        "ringkas models add PATH-TO-MODEL-FOLDER --task entities"
    )


def test_catalog_location_can_be_overridden(tmp_path, monkeypatch):
    path = tmp_path / "mine.toml"
    path.write_text(
        '[[model]]\nname = "x"\ntask = "entities"\nrepo = "o/x"\nfamily = "bert"\n'
        'languages = ["en"]\nfiles = ["config.json"]\n'
    )
    monkeypatch.setenv("RINGKAS_CATALOG", str(path))
    assert [e.name for e in load_catalog()] == ["x"]
    monkeypatch.setenv("RINGKAS_CATALOG", str(tmp_path / "missing.toml"))
    with pytest.raises(ModelError, match="catalogue is missing"):
        load_catalog()


def test_broken_catalog_is_a_clear_error(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[[model]]\nname = 'x'\n")
    with pytest.raises(ModelError, match="bad entry"):
        load_catalog(path)


@pytest.mark.parametrize(
    ("files", "flag"),
    [
        ('["config.json", "pytorch_model.bin", "vocab.json"]', ""),
        ('["config.json", "model.safetensors", "vocab.json"]', "pickle_checkpoint = true"),
        ('["config.json", "a.bin", "b.bin", "vocab.json"]', "pickle_checkpoint = true"),
    ],
)
def test_weights_must_be_safetensors_or_one_marked_checkpoint(tmp_path, files, flag):
    path = tmp_path / "catalog.toml"
    path.write_text(
        '[[model]]\nname = "m"\ntask = "translate"\nrepo = "o/m"\nfamily = "marian"\n'
        f'languages = ["id"]\nfiles = {files}\n{flag}\n'
    )
    with pytest.raises(ModelError, match="must list safetensors weights"):
        load_catalog(path)
