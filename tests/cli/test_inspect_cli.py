"""``ringkas inspect FILE [--json]``: the documented JSON shape and the human summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main
from app.cli.inspect_cmd import JSON_KEYS

ROOT = Path(__file__).resolve().parents[2]
SHARED_SAMPLE = ROOT.parent / "shared" / "samples" / "iran-belarus-id.txt"
SAMPLES = ROOT / "resources" / "samples"


def _inspect_json(path, capsys) -> dict:
    assert main(["inspect", str(path), "--json"]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    return json.loads(captured.out)


@pytest.mark.skipif(not SHARED_SAMPLE.exists(), reason="shared sample not present")
def test_json_for_the_shared_sample(capsys):
    data = _inspect_json(SHARED_SAMPLE, capsys)
    assert list(data) == list(JSON_KEYS)
    assert data["title"] == "Pejabat Tinggi Keamanan Iran dan Belarus Bahas Hubungan Strategis"
    assert data["language"] == "id"
    assert data["format"] == "txt"
    assert Path(data["source"]).resolve() == SHARED_SAMPLE.resolve()
    paragraphs = data["paragraphs"]
    assert paragraphs[0]["text"] == data["title"]
    texts = [p["text"] for p in paragraphs]
    assert not any("Baca juga" in t or "Leave a Reply" in t or "email address" in t for t in texts)
    # Every body paragraph of the file is kept.
    raw_blocks = [b.strip() for b in SHARED_SAMPLE.read_text(encoding="utf-8").split("\n\n")]
    expected = [
        b
        for b in raw_blocks
        if b and not b.startswith(("Baca juga:", "Leave a Reply", "Your email address"))
    ]
    assert texts == expected
    assert data["word_count"] == sum(len(t.split()) for t in texts)
    assert {r["reason"] for r in data["removed"]} == {"read-also link", "comment form"}
    assert [r["text"][:10] for r in data["removed"]] == [
        "Baca juga:",
        "Baca juga:",
        "Leave a Re",
        "Your email",
    ]


def test_json_paragraph_objects_and_spans(capsys):
    data = _inspect_json(SAMPLES / "pilkada-campur-id-en.txt", capsys)
    text = "\n\n".join(p["text"] for p in data["paragraphs"])
    for paragraph in data["paragraphs"]:
        assert set(paragraph) == {"text", "start", "end", "language"}
        assert text[paragraph["start"] : paragraph["end"]] == paragraph["text"]
    assert [p["language"] for p in data["paragraphs"]] == ["id", "id", "en", "id", "id", "en"]
    assert data["removed"] == []


def test_json_keeps_non_ascii_readable(capsys):
    path = SAMPLES / "banjir-jakarta-id.html"
    assert main(["inspect", str(path), "--json"]) == 0
    out = capsys.readouterr().out
    assert "—" in out and "\\u2014" not in out
    assert json.loads(out)["format"] == "html"


def test_human_output_lists_counts_and_removed_lines(capsys):
    assert main(["inspect", str(SAMPLES / "council-budget-en.txt")]) == 0
    out = capsys.readouterr().out
    assert "Title:      City Council Approves Budget for New Flood Barriers" in out
    assert "Language:   en" in out
    assert "Format:     txt" in out
    assert "Paragraphs: 6" in out
    assert "[navigation menu] Home" in out
    assert "[comment form] Leave a Reply" in out
    assert "[copyright notice] © 2026 Riverside Gazette. All Rights Reserved." in out


def test_missing_file_is_one_line_exit_2(tmp_path, capsys):
    assert main(["inspect", str(tmp_path / "tidak-ada.txt")]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and "does not exist" in captured.err


def test_inspect_runs_as_a_command_without_loading_models_or_qt(tmp_path):
    """The real entry point, in a fresh process: JSON on stdout, no torch/Qt imported."""
    path = SAMPLES / "banjir-kelantan-ms.txt"
    code = (
        "import sys, json, io, contextlib; from app.cli import main\n"
        "buffer = io.StringIO()\n"
        "with contextlib.redirect_stdout(buffer):\n"
        f"    rc = main(['inspect', {str(path)!r}, '--json'])\n"
        "heavy = [m for m in ('torch', 'transformers', 'PySide6') if m in sys.modules]\n"
        "print(json.dumps({'rc': rc, 'heavy': heavy, 'out': json.loads(buffer.getvalue())}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["rc"] == 0 and report["heavy"] == []
    assert report["out"]["language"] == "ms"
    assert report["out"]["title"] == "Mangsa Banjir di Kelantan Meningkat kepada 12,000 Orang"
