"""Exports of a result: the documented JSON (and its exact round trip), Markdown and escaped HTML."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.analysis.export import export, result_from_dict, result_to_dict, to_html, to_markdown
from app.core.base.errors import DocumentError
from app.core.base.results import (
    AnalysisResult,
    Entity,
    EntityResult,
    Mention,
    StepNotice,
    Summary,
    Translation,
)
from app.core.reading.document import Article, RemovedLine

REQUIRED_KEYS = {
    "title",
    "source",
    "language",
    "text",
    "paragraphs",
    "translation",
    "summary",
    "entities",
    "entities_kind",
    "notices",
    "timings",
}


def _result() -> AnalysisResult:
    article = Article.from_texts(
        ["Banjir <b>Semarang</b>", "Warga Semarang mengungsi & menunggu.", "2024"],
        title="Banjir <b>Semarang</b>",
        source_path=Path("/tmp/banjir.html"),
        format="html",
        language="id",
        paragraph_languages=["id", "id", "und"],
        removed=[RemovedLine("Baca juga: lainnya", "related-link")],
    )
    start = article.text.index("Semarang", 20)
    mention = Mention("Semarang", start, start + 8, "LOC", 0.75)
    return AnalysisResult(
        article,
        Translation(
            ["Flood <b>Semarang</b>", "Semarang residents flee & wait.", "2024"],
            "id",
            "model",
            "opus",
        ),
        Summary("<script>alert(1)</script> Residents flee.", "abstractive", "mt5", "short", "en"),
        EntityResult([Entity("Semarang", "LOC", 1, [mention])], "model", "ner", False),
        [StepNotice("entities", "a <notice>", "ringkas models install x")],
        {"translate": 1.23456, "total": 2.0},
    )


def test_json_has_the_documented_shape():
    d = result_to_dict(_result())
    assert d.keys() >= REQUIRED_KEYS
    json.dumps(d)  # plain JSON types only
    assert [p["text"] for p in d["paragraphs"]] == [
        "Banjir <b>Semarang</b>",
        "Warga Semarang mengungsi & menunggu.",
        "2024",
    ]
    assert len(d["translation"]["paragraphs"]) == len(d["paragraphs"])
    assert d["summary"] == {
        "text": "<script>alert(1)</script> Residents flee.",
        "kind": "abstractive",
        "model": "mt5",
        "length": "short",
        "language": "en",
        # not attributed (attribution runs in the service): no sentences, nothing flagged
        "sentences": [],
        "unsupported": [],
    }
    (entity,) = d["entities"]
    assert {"text", "label", "count", "mentions"} <= entity.keys()
    for m in entity["mentions"]:
        assert d["text"][m["start"] : m["end"]] == m["text"]
    assert all(d["text"][p["start"] : p["end"]] == p["text"] for p in d["paragraphs"])
    assert d["entities_kind"] == "model"
    assert d["notices"] == [
        {
            "step": "entities",
            "message": "a <notice>",
            "install_hint": "ringkas models install x",
            "cause": "no_model",
            "model": None,
        }
    ]


def test_dict_round_trip_is_exact():
    d = result_to_dict(_result())
    again = result_from_dict(json.loads(json.dumps(d)))
    assert result_to_dict(again) == d
    assert again.article.paragraphs == _result().article.paragraphs


def test_missing_steps_are_null():
    result = _result()
    result.translation = result.summary = result.entities = None
    d = result_to_dict(result)
    assert d["translation"] is None and d["summary"] is None and d["entities"] is None
    assert result_to_dict(result_from_dict(d)) == d


def test_markdown_has_each_section():
    md = to_markdown(_result())
    assert md.startswith("# Banjir <b>Semarang</b>\n")
    for heading in ("## Summary", "## Translation", "## Names", "## Original"):
        assert heading in md
    assert "abstractive, by mt5" in md
    assert "**Semarang** (LOC) × 1" in md


def test_html_escapes_every_text():
    page = to_html(_result())
    assert "<script>" not in page and "Banjir <b>" not in page and "<notice>" not in page
    assert "Banjir &lt;b&gt;Semarang&lt;/b&gt;" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "mengungsi &amp; menunggu" in page
    assert page.startswith("<!DOCTYPE html>")


@pytest.mark.parametrize(
    ("name", "check"),
    [
        ("out.md", lambda s: s.startswith("# ")),
        ("out.html", lambda s: s.startswith("<!DOCTYPE html>")),
        ("out.json", lambda s: json.loads(s)["title"] == "Banjir <b>Semarang</b>"),
    ],
)
def test_export_chooses_the_format_by_suffix(tmp_path, name, check):
    path = export(_result(), tmp_path / name)
    assert check(path.read_text(encoding="utf-8"))


def test_export_refuses_an_unknown_suffix_and_unwritable_paths(tmp_path):
    with pytest.raises(DocumentError, match="use a .md, .html or .json"):
        export(_result(), tmp_path / "out.pdf")
    with pytest.raises(DocumentError, match="cannot write"):
        export(_result(), tmp_path / "missing-dir" / "out.md")
