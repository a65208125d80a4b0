"""``ringkas analyze DIR_OR_FILES...`` (queue, table, JSON lines, failures per file, resume) and
``ringkas search QUERY [--json] [--name NAME]`` over what it analysed."""

from __future__ import annotations

import json

import pytest

from app.cli import main


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "saved"
    (root / "lama").mkdir(parents=True)
    (root / "kpk.txt").write_text(
        "KPK periksa menteri\n\n"
        "Komisi Pemberantasan Korupsi (KPK) memeriksa menteri sosial di Jakarta.\n\n"
        "Dana bantuan sosial diduga dikorupsi oleh pejabat kementerian.\n",
        encoding="utf-8",
    )
    (root / "lama" / "minsk.md").write_text(
        "# Lukashenko bertemu Putin\n\n"
        "Presiden Lukashenko bertemu Putin di Minsk pada hari Senin.\n\n"
        "Kedua pemimpin sepakat memberantas penyelundupan di perbatasan.\n",
        encoding="utf-8",
    )
    (root / "rusak.pdf").write_bytes(b"\x00\x01\x02\x03" * 64)
    return root


def run(capsys, *argv) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_analyze_a_folder_then_search_it(folder, capsys):
    code, out, err = run(capsys, "analyze", str(folder), "--threads", "1")
    assert code == 1  # one file failed; the others were analysed all the same
    lines = out.splitlines()
    assert lines[0].split() == ["status", "time", "article"]
    assert any(line.startswith("done") and "KPK periksa menteri" in line for line in lines)
    assert any(line.startswith("done") and "Lukashenko bertemu Putin" in line for line in lines)
    assert any(line.startswith("failed") and "rusak.pdf" in line for line in lines)
    assert lines[-1].startswith("3 articles: 2 analysed, 0 already analysed, 1 failed")
    assert "[3/3]" in err

    # Resume: the same folder again skips what is already analysed, as JSON lines.
    code, out, _ = run(capsys, "analyze", str(folder), "--threads", "1", "--json")
    records = [json.loads(line) for line in out.splitlines()]
    assert [r["status"] for r in records[:-1]] == ["skipped", "skipped", "failed"]
    assert records[-1]["summary"]["skipped"] == 2 and records[-1]["summary"]["failed"] == 1

    code, out, _ = run(capsys, "search", "pemberantasan")  # finds "memberantas" too
    assert code == 0
    assert "KPK periksa menteri" in out and "Lukashenko bertemu Putin" in out
    assert "[memberantas]" in out and "paragraph 3" in out

    code, out, _ = run(capsys, "search", "korupsi", "--json")
    data = json.loads(out)
    assert [r["title"] for r in data["results"]] == ["KPK periksa menteri"]
    hit = data["results"][0]
    assert hit["field"] == "original" and hit["source"].endswith("kpk.txt")
    start, end = hit["marks"][0]
    assert hit["snippet"][start:end].lower().endswith("korupsi")

    code, out, _ = run(capsys, "search", "--name", "Komisi Pemberantasan Korupsi", "--json")
    data = json.loads(out)
    assert "kpk" in data["forms"] and [r["title"] for r in data["results"]] == [
        "KPK periksa menteri"
    ]


def test_search_errors_are_one_line(capsys):
    code, out, err = run(capsys, "search", '"unbalanced')
    assert code != 0 and out == ""
    assert err.startswith("ringkas: error: The search has an opening quote")
    assert "Traceback" not in err
    code, _, err = run(capsys, "search", "NEAR(")
    assert code != 0 and "NEAR( is not closed" in err
    code, _, err = run(capsys, "search", "tidakada")
    assert code == 1 and "No article matches" in err
    code, _, err = run(capsys, "search")
    assert code != 0 and "--name" in err
