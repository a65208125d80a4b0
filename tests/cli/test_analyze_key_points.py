"""``ringkas analyze --summary-format key-points``: a bullet list from the chat summariser (asked
for key points) and from a seq2seq summariser (its sentences listed), cached apart from prose."""

from __future__ import annotations

import json

import pytest

from app.cli import main

ARTICLE = (
    "Banjir di Semarang\n\n"
    "Banjir besar melanda Semarang setelah hujan deras selama tiga hari.\n\n"
    "Wali kota Semarang meminta warga mengungsi ke tempat yang lebih tinggi.\n"
)


@pytest.fixture
def article(tmp_path):
    path = tmp_path / "banjir.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    return path


def _summary(capsys, path, *extra) -> dict:
    code = main(["analyze", str(path), "--json", "--threads", "1", *extra])
    out, err = capsys.readouterr()
    assert code == 0, err
    return json.loads(out)["summary"]


def _is_bullet_list(text: str) -> bool:
    lines = text.splitlines()
    return bool(lines) and all(line.startswith("- ") and line[2:].strip() for line in lines)


def test_key_points_from_the_seq2seq_summariser(install_tiny, article, capsys):
    install_tiny()
    prose = _summary(capsys, article)
    points = _summary(capsys, article, "--summary-format", "key-points")
    assert prose["model"] == points["model"] == "tiny-mt5-xlsum"
    assert not prose["text"].startswith("- ")
    assert _is_bullet_list(points["text"])
    # the same summary, one sentence a point
    assert " ".join(line[2:] for line in points["text"].splitlines()) == " ".join(
        prose["text"].split()
    )


def test_key_points_from_the_chat_summariser(
    install_tiny, model_store, tiny_chat_dirs, article, capsys
):
    install_tiny("translate", "entities")
    model_store.add(tiny_chat_dirs["chat"], name="tiny-qwen-instruct")
    points = _summary(capsys, article, "--summary-format", "key-points")
    assert points["model"] == "tiny-qwen-instruct" and points["language"] == "en"
    assert _is_bullet_list(points["text"])
