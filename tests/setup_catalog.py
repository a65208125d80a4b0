"""A catalogue for the one-action setup tests: the tiny models published on the fake Hub as a
permissive translator, summariser and names model, beside non-commercial alternatives the
setup must not choose (those are never published: choosing one would fail the install)."""

from __future__ import annotations

from pathlib import Path

#: (catalogue name, task = tiny model folder, family, licence, non_commercial, languages,
#: default_for)
PUBLISHED = [
    ("tiny-opus-id-en", "translate", "marian", "Apache-2.0", False, ["id"], ["id"]),
    ("tiny-instruct", "summarize", "mt5", "Apache-2.0", False, ["*"], []),
    ("tiny-names", "entities", "xlm-roberta", "MIT", False, ["*"], []),
]
UNPUBLISHED = [
    ("tiny-nllb", "translate", "CC-BY-NC-4.0", True, ["*"]),
    ("tiny-xlsum", "summarize", "CC-BY-NC-SA-4.0", True, ["*"]),
    ("tiny-unknown-ner", "entities", "unspecified", False, ["*"]),
]
RECOMMENDED = ["tiny-opus-id-en", "tiny-instruct", "tiny-names"]


def _list(values) -> str:
    return "[" + ", ".join(f'"{v}"' for v in values) + "]"


def publish_setup_catalog(fake_hub, tiny_model_dirs: dict, path: Path) -> Path:
    """Publish the tiny models on ``fake_hub`` and write the catalogue to ``path``."""
    blocks = []
    for name, task, family, licence, nc, languages, default_for in PUBLISHED:
        repo = fake_hub.add_folder(f"fake-org/{name}", tiny_model_dirs[task])
        blocks.append(
            f'[[model]]\nname = "{name}"\ntask = "{task}"\nrepo = "fake-org/{name}"\n'
            f'revision = "main"\nlicense = "{licence}"\nnon_commercial = {str(nc).lower()}\n'
            f'size_mb = 1\nfamily = "{family}"\nlanguages = {_list(languages)}\n'
            f"default_for = {_list(default_for)}\nfiles = {_list(sorted(repo.files))}\n"
            f'description = "tiny {task} model"\ndefault = true\n'
        )
    for name, task, licence, nc, languages in UNPUBLISHED:
        blocks.append(
            f'[[model]]\nname = "{name}"\ntask = "{task}"\nrepo = "fake-org/{name}"\n'
            f'revision = "main"\nlicense = "{licence}"\nnon_commercial = {str(nc).lower()}\n'
            f'size_mb = 2\nfamily = "tiny"\nlanguages = {_list(languages)}\n'
            f'files = ["config.json", "model.safetensors"]\ndescription = "alternative"\n'
            "default = true\n"
        )
    path.write_text("\n".join(blocks), encoding="utf-8")
    return path
