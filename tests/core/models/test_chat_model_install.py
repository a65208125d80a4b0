"""Chat models (``*ForCausalLM`` with a chat template) in the model store: ``models add`` of a
folder, the refusals (remote code, no template, a task other than summarising), and an install
from the catalogue against the fake Hub that then summarises through CTranslate2."""

from __future__ import annotations

import json
import shutil

import pytest

from app.cli import main
from app.core.base.errors import InstallError
from app.core.engines import chat_backend_for, is_chat_model
from app.core.engines.convert import converting_store
from app.core.models.catalog import load_catalog
from app.core.models.installer import install
from app.core.models.store import ModelStore
from app.core.runners.instruct_summarizer import InstructSummarizer


@pytest.fixture
def chat_copy(tiny_chat_dirs, tmp_path):
    """A writable copy of the tiny chat model, named like a Hub download."""
    dest = tmp_path / "Qwen2.5-tiny-Instruct"
    shutil.copytree(tiny_chat_dirs["chat"], dest)
    return dest


def _edit_json(path, **changes):
    data = json.loads(path.read_text(encoding="utf-8"))
    data.update(changes)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_models_add_accepts_a_chat_model_folder(capsys, chat_copy, isolated_user_dirs):
    code = main(["models", "add", str(chat_copy), "--name", "qwen-tiny"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert "Added qwen-tiny (summarize, qwen2" in out
    model = ModelStore().get("qwen-tiny")
    assert is_chat_model(model) and model.languages == ["*"]
    # converted at install, as the seq2seq models are, and recorded for `models verify`
    assert (model.path / "ct2" / "model.bin").is_file() and "ct2" in model.manifest["derived"]
    assert main(["models", "verify", "qwen-tiny"]) == 0


def test_a_template_in_its_own_file_counts_too(chat_copy, model_store):
    config = json.loads((chat_copy / "tokenizer_config.json").read_text(encoding="utf-8"))
    template = config.pop("chat_template")
    (chat_copy / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    (chat_copy / "chat_template.jinja").write_text(template, encoding="utf-8")
    assert is_chat_model(model_store.add(chat_copy, name="qwen-jinja"))


@pytest.mark.parametrize("where", ["config.json", "tokenizer_config.json"])
def test_remote_code_is_refused(chat_copy, model_store, where):
    _edit_json(chat_copy / where, auto_map={"AutoModelForCausalLM": "modeling_x.XForCausalLM"})
    with pytest.raises(InstallError, match="auto_map"):
        model_store.add(chat_copy, name="qwen-remote")
    assert model_store.list() == []


def test_a_base_model_without_a_chat_template_is_refused(chat_copy, model_store):
    config = json.loads((chat_copy / "tokenizer_config.json").read_text(encoding="utf-8"))
    del config["chat_template"]
    (chat_copy / "tokenizer_config.json").write_text(json.dumps(config), encoding="utf-8")
    with pytest.raises(InstallError, match="without a chat template"):
        model_store.add(chat_copy, name="qwen-base")


def test_a_chat_model_only_summarises(chat_copy, model_store):
    with pytest.raises(InstallError, match="summarise only"):
        model_store.add(chat_copy, name="qwen-mt", task="translate")
    with pytest.raises(InstallError, match="summarise only"):
        model_store.add(chat_copy, name="qwen-ner", task="entities")


def test_an_unknown_causal_architecture_without_template_is_not_a_chat_model(
    chat_copy, model_store
):
    # A seq2seq family keeps its own rules even if a config lists a *ForCausalLM head.
    _edit_json(chat_copy / "config.json", model_type="bart", architectures=["BartForCausalLM"])
    model = model_store.add(chat_copy, name="bart-like", task="summarize")
    assert not is_chat_model(model) and model.family == "bart"


def test_catalogue_install_from_the_fake_hub_then_summarise_through_ctranslate2(
    fake_hub, tiny_chat_dirs, tmp_path, isolated_user_dirs
):
    repo = fake_hub.add_folder("fake-qwen/Qwen2.5-tiny-Instruct", tiny_chat_dirs["chat"])
    files = ", ".join(f'"{f}"' for f in sorted(repo.files))
    catalog = tmp_path / "catalog.toml"
    catalog.write_text(
        f"""
[[model]]
name = "qwen-tiny-instruct"
task = "summarize"
repo = "fake-qwen/Qwen2.5-tiny-Instruct"
revision = "main"
license = "Apache-2.0"
non_commercial = false
size_mb = 1
family = "qwen2"
languages = ["*"]
files = [{files}]
description = "tiny chat model"
""",
        encoding="utf-8",
    )
    entry = load_catalog(catalog)[0]
    store = converting_store(isolated_user_dirs["models"])
    model = install(entry, store)
    assert is_chat_model(model) and model.license == "Apache-2.0"
    assert (model.path / "ct2" / "model.bin").is_file()

    summarizer = InstructSummarizer(model, lambda m: chat_backend_for(m, "cpu", 1))
    summary = summarizer.summarize(
        "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.", "id", "short"
    )
    assert summarizer.backend.name == "ctranslate2"
    assert summary and summarizer.last_outputs[0].new_tokens > 0
