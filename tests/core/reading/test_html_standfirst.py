"""The standfirst (the summary sentence set under the headline, in the headline's own block)
is left out of a saved web page's text; sub-headings of the article stay."""

from __future__ import annotations

from app.core.reading.formats.html import load_html

HEADLINE = "Harga cabai rawit naik dua kali lipat"
STANDFIRST = (
    "Pasokan dari Jawa Tengah berkurang karena hujan, dan pemerintah menyiapkan operasi pasar "
    "sebelum Lebaran."
)
SUBHEADING = "Operasi pasar dimulai pekan depan di lima kota besar di Jawa"
BODY = [
    "Harga cabai rawit di pasar tradisional Jakarta naik dua kali lipat dalam sepekan "
    "terakhir, menurut pantauan dinas perdagangan pada Senin pagi.",
    "Pedagang menyebut pasokan dari sentra produksi di Jawa Tengah berkurang karena hujan "
    "deras yang merusak tanaman menjelang masa panen.",
    "Pemerintah daerah berjanji menggelar operasi pasar mulai pekan depan agar harga kembali "
    "stabil sebelum Lebaran, dengan harga yang ditetapkan bersama pedagang.",
]


def paragraphs(markup: str) -> list[str]:
    return load_html(markup.encode())[0].split("\n\n")


def body() -> str:
    return "".join(f"<p>{p}</p>" for p in BODY)


def test_the_standfirst_in_the_headlines_block_is_left_out():
    markup = f"""<!doctype html><html><head><title>{HEADLINE}</title></head><body><article>
<header><div class="wrap"><h1>{HEADLINE}</h1><h2 class="sub">{STANDFIRST}</h2></div>
<p class="byline">Oleh Rina Wulandari</p></header>
<div class="content">{body()}<h2>{SUBHEADING}</h2><p>{BODY[0]}</p></div>
</article></body></html>"""
    result = paragraphs(markup)
    assert STANDFIRST not in result
    assert SUBHEADING in result
    assert all(p in result for p in BODY)


def test_a_sub_heading_right_under_the_headline_in_the_article_stays():
    markup = f"""<!doctype html><html><head><title>{HEADLINE}</title></head><body>
<article><h1>{HEADLINE}</h1><h2>{SUBHEADING}</h2>{body()}</article></body></html>"""
    result = paragraphs(markup)
    assert SUBHEADING in result
    assert all(p in result for p in BODY)
