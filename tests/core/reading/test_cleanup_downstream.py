"""Downstream of the cleanup: summaries and names never draw on a removed line, and the
extractive summary does not open by repeating the title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from app.core.reading.reader import article_from_text
from app.core.runners.extractive import extractive_summary
from app.core.runners.names import spot_names

DATA = Path(__file__).resolve().parent / "data"
WORD = re.compile(r"[^\W\d_]+")


def copied_article(name: str):
    lines = [ln[2:] for ln in (DATA / name).read_text(encoding="utf-8").splitlines() if ln.strip()]
    return article_from_text("\n".join(lines))


@pytest.mark.parametrize("name", ["copied_id.txt", "copied_en.txt", "copied_ms.txt"])
def test_summary_and_names_never_draw_on_a_removed_line(name):
    article = copied_article(name)
    assert article.removed
    kept_words = set(WORD.findall(article.text))
    removed_only = {
        word for line in article.removed for word in WORD.findall(line.text)
    } - kept_words
    assert {"PHOTO", "REUTERS", "FOTO", "ANTARA", "Perbesar"} & removed_only or name.endswith(
        "ms.txt"
    )

    summary = extractive_summary(
        [p.text for p in article.paragraphs], article.language, "long", title=article.title
    )
    assert summary
    assert not set(WORD.findall(summary)) & removed_only
    for line in article.removed:
        if len(line.text.split()) >= 3:
            assert line.text not in summary

    mentions = spot_names(article.text, [(p.start, p.text) for p in article.paragraphs])
    assert mentions  # the body has names (Bekasi, Jakarta, Kota Bharu)
    for mention in mentions:
        assert not set(WORD.findall(mention.text)) & removed_only, mention.text


@pytest.mark.parametrize("name", ["copied_id.txt", "copied_en.txt", "copied_ms.txt"])
def test_extractive_summary_does_not_open_with_the_title(name):
    article = copied_article(name)
    assert article.paragraphs[0].text == article.title
    summary = extractive_summary(
        [p.text for p in article.paragraphs], article.language, "long", title=article.title
    )
    assert not summary.startswith(article.title)
    assert article.title not in summary


def test_the_title_is_never_picked_even_when_it_would_rank_first():
    paragraphs = [
        "Banjir merendam ribuan rumah di Kota Bekasi",
        "Banjir merendam ribuan rumah di Kota Bekasi sejak Rabu malam setelah hujan deras.",
        "Petugas mengerahkan perahu karet untuk mengevakuasi warga dari rumah di Bekasi.",
        "Bantuan logistik untuk warga Bekasi dijadwalkan tiba pada Jumat pagi nanti.",
        "Ribuan warga Kota Bekasi mengungsi ke masjid dan balai warga sejak Rabu malam.",
        "Pemerintah kota menetapkan status tanggap darurat banjir selama tujuh hari.",
    ]
    summary = extractive_summary(paragraphs, "id", "long", title=paragraphs[0])
    assert summary
    assert paragraphs[0] not in summary.replace(paragraphs[1], "")
    untitled = extractive_summary(paragraphs, "id", "long")
    assert untitled != summary  # without the title given, the title is a candidate
