"""`ringkas analyze` shows where the summary comes from: `--json` carries each summary
sentence's sources, support and unsupported items; the readable output lists what the article
does not contain."""

from __future__ import annotations

import json

from app.cli import main
from app.cli.analyze_cmd import format_result
from app.core.base.results import AnalysisResult, Summary, Translation
from app.core.reading.document import Article
from app.core.runners.attribution import attribute

ARTICLE = (
    "Banjir di Semarang\n\n"
    "Banjir besar melanda Semarang pada Senin setelah hujan deras selama tiga hari.\n\n"
    "Wali kota Semarang meminta 1.200 warga mengungsi ke tempat yang lebih tinggi.\n\n"
    "Badan Meteorologi memperkirakan hujan masih turun hingga akhir pekan di Jawa Tengah.\n"
)


def test_analyze_json_has_sources_and_support_per_summary_sentence(tmp_path, capsys):
    path = tmp_path / "banjir.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    code = main(["analyze", str(path), "--json", "--threads", "1", "--no-cache"])
    out, err = capsys.readouterr()
    assert code == 0, err
    data = json.loads(out)
    summary = data["summary"]
    assert summary["kind"] == "extractive"  # no model installed: sentences of the article
    assert summary["sentences"] and summary["unsupported"] == []
    for sentence in summary["sentences"]:
        assert summary["text"][sentence["start"] : sentence["end"]] == sentence["text"]
        source = sentence["sources"][0]
        assert source["side"] == "original"
        assert data["text"][source["start"] : source["end"]] == sentence["text"]
        paragraph = data["paragraphs"][source["paragraph"]]
        assert paragraph["start"] <= source["start"] < source["end"] <= paragraph["end"]
        assert sentence["support"] == 1.0


def test_readable_output_lists_what_the_article_does_not_contain():
    texts = ARTICLE.split("\n\n")
    article = Article.from_texts(texts, title="Banjir", source_path=None, format="txt",
                                 language="id")  # fmt: skip
    summary = attribute(
        Summary(
            "Floods hit Semarang on Tuesday; the mayor asked 5,000 residents to leave.",
            "abstractive",
            "m",
        ),
        article,
        Translation([""] * len(texts), "id", "none"),
    )
    text = format_result(AnalysisResult(article, None, summary, None))
    assert "Not found in the article: Tuesday (date), 5,000 (number)" in text


def test_markdown_and_html_exports_list_what_the_article_does_not_contain():
    from app.core.analysis.export import to_html, to_markdown

    texts = ARTICLE.split("\n\n")
    article = Article.from_texts(texts, title="Banjir", source_path=None, format="txt",
                                 language="id")  # fmt: skip
    summary = attribute(
        Summary("Floods hit <Semarang> on Tuesday.", "abstractive", "m"), article, None
    )
    result = AnalysisResult(article, None, summary, None)
    markdown = to_markdown(result)
    assert "Floods hit <Semarang> on Tuesday.\n\n> Not found in the article: Tuesday (date)" in (
        markdown
    )
    page = to_html(result)
    assert '<p class="notice">Not found in the article: Tuesday (date)</p>' in page
    clean = attribute(Summary("Floods hit Semarang on Monday.", "abstractive", "m"), article, None)
    assert "Not found" not in to_markdown(AnalysisResult(article, None, clean, None))
