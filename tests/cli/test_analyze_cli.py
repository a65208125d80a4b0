"""``ringkas analyze|translate|summarize|entities``: the documented JSON, readable output,
stdout/stderr separation, the cache on a second run, and one-line errors."""

from __future__ import annotations

import json
import time

import pytest
from sample_articles import IRAN_BELARUS, ROB_SEMARANG, article_params

from app.cli import main
from app.core.reading.reader import load_article

SHORT = (
    "Banjir di Semarang\n\n"
    "Banjir besar melanda Semarang setelah hujan deras selama tiga hari.\n\n"
    "Wali kota Semarang meminta warga mengungsi ke tempat yang lebih tinggi.\n\n"
    "2024\n"
)


@pytest.fixture
def short_file(tmp_path):
    path = tmp_path / "banjir.txt"
    path.write_text(SHORT, encoding="utf-8")
    return path


def _run(capsys, *argv) -> tuple[int, str, str]:
    code = main([*argv, "--threads", "1"])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("sample", article_params(ROB_SEMARANG, IRAN_BELARUS))
def test_analyze_json_with_only_a_translator_on_a_news_article(sample, install_tiny, capsys):
    """The issue's acceptance run: paragraphs as inspect reports them, an extractive summary,
    unclassified names with exact offsets; the second run comes from the cache, faster."""
    install_tiny("translate")
    started = time.perf_counter()
    code, out, err = _run(capsys, "analyze", str(sample.path), "--json")
    first = time.perf_counter() - started
    assert code == 0, err
    d = json.loads(out)  # stdout is the JSON and nothing else
    article = load_article(sample.path)
    assert len(d["paragraphs"]) == len(article.paragraphs) > 5
    assert len(d["translation"]["paragraphs"]) == len(d["paragraphs"])
    assert d["translation"]["kind"] == "model"
    assert d["summary"]["kind"] == "extractive" and d["summary"]["model"] is None
    assert d["entities_kind"] == "rules"
    # linked spellings ("BPBD" of its full form, a surname alone) are mentions of one entity
    names = {m["text"] for e in d["entities"] for m in e["mentions"]}
    for expected in sample.names:
        assert expected in names
    for part in sample.name_parts:
        assert any(part in n for n in names), part
    for entity in d["entities"]:
        assert entity["count"] == len(entity["mentions"])
        for m in entity["mentions"]:
            assert d["text"][m["start"] : m["end"]] == m["text"]
    assert "summarize" in err and "ringkas models" in err  # the not-installed notes
    assert d["from_cache"] is False

    started = time.perf_counter()
    code, out2, err2 = _run(capsys, "analyze", str(sample.path), "--json")
    second = time.perf_counter() - started
    assert code == 0
    again = json.loads(out2)
    assert again["from_cache"] is True and "from the cache" in err2
    assert again["translation"] == d["translation"] and again["entities"] == d["entities"]
    assert second < first / 2


def test_all_models_give_an_abstractive_summary_and_model_labels(
    installed_models, short_file, capsys
):
    code, out, err = _run(capsys, "analyze", str(short_file), "--json", "--summary-length", "short")
    assert code == 0, err
    d = json.loads(out)
    assert d["summary"]["kind"] == "abstractive", (d["notices"], err)
    assert d["summary"]["model"] == "tiny-mt5-xlsum"
    assert d["summary"]["length"] == "short"
    assert d["entities_kind"] == "model" and d["entities_model"] == "tiny-xlmr-ner"
    assert all(e["label"] in {"PER", "ORG", "LOC", "MISC"} for e in d["entities"])
    assert d["translation"]["paragraphs"][-1] == "2024"
    assert d["notices"] == [], (d["notices"], err)


def test_readable_output_by_default(install_tiny, short_file, capsys):
    install_tiny("translate")
    code, out, err = _run(capsys, "analyze", str(short_file))
    assert code == 0, err
    assert out.startswith("Banjir di Semarang\n")
    assert "Summary — extractive: key sentences picked from the article" in out
    assert "Translation — machine translation by tiny-opus-mt-id-en" in out
    assert "Names — found without a model (rules and place lists)" in out
    assert "Semarang" in out and "LOC" in out
    assert "\r" not in err  # no progress bar: stderr is not a terminal


def test_no_translate(install_tiny, short_file, capsys):
    install_tiny("translate")
    code, out, _ = _run(capsys, "analyze", str(short_file), "--json", "--no-translate")
    assert code == 0
    assert json.loads(out)["translation"] is None


def test_single_step_commands(install_tiny, short_file, capsys):
    install_tiny("translate")
    code, out, _ = _run(capsys, "translate", str(short_file), "--json")
    d = json.loads(out)
    assert code == 0 and d["translation"]["kind"] == "model"
    assert d["summary"] is None and d["entities"] is None

    code, out, _ = _run(capsys, "summarize", str(short_file))
    assert code == 0 and "Summary — extractive" in out and "Names" not in out

    code, out, _ = _run(capsys, "entities", str(short_file), "--json")
    d = json.loads(out)
    assert code == 0 and d["entities_kind"] == "rules"
    assert d["translation"] is None  # a name list needs no translation here


def test_export_option_writes_a_file(short_file, tmp_path, capsys):
    target = tmp_path / "out.md"
    code, out, err = _run(capsys, "analyze", str(short_file), "-o", str(target))
    assert code == 0
    assert target.read_text(encoding="utf-8").startswith("# Banjir di Semarang")
    assert "wrote" in err and "wrote" not in out


def test_a_missing_file_is_one_line_on_stderr(tmp_path, capsys):
    code, out, err = _run(capsys, "analyze", str(tmp_path / "nope.txt"))
    assert code == 2 and out == ""
    assert err.startswith("ringkas: error: ") and err.count("\n") == 1


def test_bad_options_are_refused(short_file, capsys):
    with pytest.raises(SystemExit) as exc:
        main(["analyze", str(short_file), "--threads", "-2"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit):
        main(["analyze", str(short_file), "--summary-length", "huge"])
    capsys.readouterr()


def test_an_english_article_is_shown_as_is(install_tiny, tmp_path, capsys):
    install_tiny("translate")
    path = tmp_path / "flood.txt"
    body = (
        "Heavy floods hit Semarang after three days of rain, officials in the city said on Monday."
    )
    path.write_text(f"Floods in Semarang\n\n{body}\n", encoding="utf-8")
    code, out, _ = _run(capsys, "analyze", str(path))
    assert code == 0
    assert "Translation — the article is already in English" in out
    assert body[:40] not in out.split("Translation —")[1].split("Names —")[0]
    code, out, _ = _run(capsys, "translate", str(path), "--json", "--no-cache")
    d = json.loads(out)
    assert d["language"] == "en" and d["translation"]["kind"] == "identity"
    assert d["translation"]["paragraphs"] == [p["text"] for p in d["paragraphs"]]


def test_a_missing_device_is_one_line(short_file, capsys):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has a CUDA GPU")
    code, out, err = _run(capsys, "analyze", str(short_file), "--device", "cuda")
    assert code == 2 and out == ""
    assert (
        err == "ringkas: error: device 'cuda' was requested but no CUDA GPU is available to torch\n"
    )


def test_progress_bars_follow_the_events_and_notes_always_show():
    import io

    from app.cli.analyze_cmd import _Progress
    from app.core.base.results import (
        StepFinished,
        StepNotice,
        StepProgress,
        StepSkipped,
        StepStarted,
    )

    stream = io.StringIO()
    progress = _Progress(stream, bars=True)
    progress(StepStarted("translate", 3))
    for done in (1, 2, 3):
        progress(StepProgress("translate", done, 3))
    assert progress._bar is not None and progress._bar.n == 3
    progress(StepFinished("translate", 1.0))
    assert progress._bar is None
    assert "translating" in stream.getvalue()

    quiet = io.StringIO()
    silent = _Progress(quiet, bars=False)
    silent(StepStarted("translate", 3))
    silent(
        StepSkipped(
            "summarize", StepNotice("summarize", "not installed", "ringkas models install x")
        )
    )
    assert (
        quiet.getvalue()
        == "ringkas: summarize: not installed (install: ringkas models install x)\n"
    )
