"""The recommended set of a one-action setup, chosen from the catalogue's data: permissive
licences first, what fits the machine's memory, the most direct model for the language."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.core.models.catalog import (
    is_permissive,
    load_catalog,
    machine_memory_mb,
    memory_needed_mb,
    recommended_set,
)

REAL_CATALOG = Path(__file__).resolve().parents[3] / "models" / "catalog.toml"


def _entry(name, task, *, licence="Apache-2.0", nc=False, languages=("*",), default_for=(),
           size_mb=100, min_memory_mb=0, default=False) -> str:  # fmt: skip
    quoted = ", ".join(f'"{lang}"' for lang in languages)
    default_quoted = ", ".join(f'"{lang}"' for lang in default_for)
    return (
        f'[[model]]\nname = "{name}"\ntask = "{task}"\nrepo = "org/{name}"\n'
        f'license = "{licence}"\nnon_commercial = {str(nc).lower()}\nsize_mb = {size_mb}\n'
        f'family = "x"\nlanguages = [{quoted}]\ndefault_for = [{default_quoted}]\n'
        f'files = ["config.json", "model.safetensors"]\nmin_memory_mb = {min_memory_mb}\n'
        f"default = {str(default).lower()}\n"
    )


@pytest.fixture
def catalog(tmp_path):
    def build(*entries: str):
        path = tmp_path / "catalog.toml"
        path.write_text("\n".join(entries), encoding="utf-8")
        return load_catalog(path)

    return build


def _names(choices) -> dict[str, str]:
    return {c.task: c.entry.name for c in choices}


BASE = [
    _entry("pair-id-en", "translate", languages=["id"], default_for=["id"], size_mb=300),
    _entry("nllb", "translate", licence="CC-BY-NC-4.0", nc=True, size_mb=2400, default=True),
    _entry("xlsum", "summarize", licence="CC-BY-NC-SA-4.0", nc=True, size_mb=2300, default=True),
    _entry("english-bart", "summarize", languages=["en"], default_for=["en"], size_mb=1200),
    _entry("xlmr-ner", "entities", licence="unspecified", size_mb=1100, default=True),
    _entry("english-ner", "entities", licence="MIT", languages=["en"], size_mb=430),
]
INSTRUCT = _entry("instruct-1.5b", "summarize", size_mb=3100, min_memory_mb=6000)


def test_permissive_models_are_preferred(catalog):
    choices = recommended_set("id", catalog(*BASE), memory_mb=None)
    assert _names(choices) == {
        "translate": "pair-id-en",
        "summarize": "english-bart",  # not the non-commercial XL-Sum
        "entities": "english-ner",  # MIT, not the unspecified licence
    }
    assert [c.task for c in choices] == ["translate", "summarize", "entities"]
    assert "works on the English translation" in choices[1].reason
    assert "Apache-2.0: commercial use allowed" in choices[0].reason


def test_a_permissive_multilingual_summariser_wins_when_it_fits(catalog):
    entries = catalog(*BASE, INSTRUCT)
    assert _names(recommended_set("id", entries, memory_mb=16000))["summarize"] == "instruct-1.5b"
    # 600 + 860 MB for the translator and names model leave too little for its 6000 MB
    assert _names(recommended_set("id", entries, memory_mb=6500))["summarize"] == "english-bart"


def test_non_commercial_only_when_nothing_else_serves_the_language(catalog):
    entries = catalog(*[e for e in BASE if "pair-id-en" not in e])
    choices = recommended_set("fr", entries, memory_mb=None)
    assert _names(choices)["translate"] == "nllb"
    assert "non-commercial use only" in choices[0].reason


def test_english_articles_need_no_translator(catalog):
    assert _names(recommended_set("en", catalog(*BASE), memory_mb=None)) == {
        "summarize": "english-bart",
        "entities": "english-ner",
    }


def test_without_a_translator_only_models_reading_the_language_qualify(catalog):
    entries = catalog(*[e for e in BASE if "translate" not in e])
    assert _names(recommended_set("id", entries, memory_mb=None)) == {
        "summarize": "xlsum",
        "entities": "xlmr-ner",
    }


def test_licence_and_memory_helpers(catalog):
    bart, instruct = catalog(BASE[3], INSTRUCT)
    assert is_permissive(bart) and memory_needed_mb(bart) == 2400
    assert memory_needed_mb(instruct) == 6000
    unknown, nc = catalog(BASE[4], BASE[1])
    assert not is_permissive(unknown) and not is_permissive(nc)
    memory = machine_memory_mb()
    assert memory is None or memory > 256


def test_the_real_catalogue_gives_a_permissive_set_for_indonesian():
    choices = recommended_set("id", load_catalog(REAL_CATALOG), memory_mb=None)
    assert [c.task for c in choices] == ["translate", "summarize", "entities"]
    assert all(is_permissive(c.entry) for c in choices)
    assert choices[0].entry.name == "opus-mt-id-en"
