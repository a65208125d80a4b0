"""Pasted text and HTML become article files in the user data folder that read back."""

from __future__ import annotations

import pytest

from app.core.analysis.pasted import pasted_dir, save_pasted
from app.core.base.errors import DocumentError
from app.core.reading.reader import load_article

TEXT = (
    "Banjir di Semarang\n\n"
    "Banjir besar melanda Semarang setelah hujan deras selama tiga hari.\n\n"
    "Wali kota Semarang meminta warga mengungsi ke tempat yang lebih tinggi."
)


def test_plain_text_is_saved_and_reads_back(isolated_user_dirs):
    path = save_pasted(TEXT, now=0)
    assert path.parent == pasted_dir() and path.parent.parent == isolated_user_dirs["data"]
    assert path.suffix == ".txt" and "banjir-di-semarang" in path.name
    article = load_article(path)
    assert article.title == "Banjir di Semarang"
    assert len(article.paragraphs) >= 2
    again = save_pasted(TEXT, now=0)  # same second, same words: a new file, not overwritten
    assert again != path and again.exists() and path.exists()


def test_html_is_preferred_and_wrapped_into_a_document():
    html = (
        "<h1>Banjir di Semarang</h1><p>Banjir besar melanda Semarang setelah hujan deras "
        "selama tiga hari.</p><p>Wali kota Semarang meminta warga mengungsi.</p>"
    )
    path = save_pasted(TEXT, html)
    assert path.suffix == ".html" and path.read_text().startswith("<!DOCTYPE html>")
    article = load_article(path)
    assert "Semarang" in article.text and "<p>" not in article.text


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_an_empty_clipboard_is_refused(text):
    with pytest.raises(DocumentError, match="no text"):
        save_pasted(text, None)
