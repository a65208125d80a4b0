"""A saved web page's title is the article's own headline when the page prints one."""

from __future__ import annotations

from app.core.reading.formats.html import load_html

BODY = "".join(
    f"<p>{p}</p>"
    for p in (
        "Harga cabai rawit di pasar tradisional Jakarta naik dua kali lipat dalam sepekan "
        "terakhir, menurut pantauan dinas perdagangan pada Senin pagi.",
        "Pedagang menyebut pasokan dari sentra produksi di Jawa Tengah berkurang karena hujan "
        "deras yang merusak tanaman menjelang masa panen.",
        "Pemerintah daerah berjanji menggelar operasi pasar mulai pekan depan agar harga kembali "
        "stabil sebelum Lebaran.",
    )
)


def page(title: str, heading: str) -> bytes:
    return (
        f'<!doctype html><html><head><title>{title}</title><meta property="og:title" '
        f'content="{title}"></head><body><article>'
        f"{heading}{BODY}</article></body></html>"
    ).encode()


def test_the_pages_heading_is_the_title_over_a_different_metadata_title():
    _text, title = load_html(
        page("Cabai mahal, warga menjerit", "<h1>Harga cabai rawit naik dua kali lipat</h1>")
    )
    assert title == "Harga cabai rawit naik dua kali lipat"


def test_a_section_name_in_the_metadata_title_is_left_out():
    _text, title = load_html(
        page("Ekonomi | Harga cabai rawit naik", "<h2>Harga cabai rawit naik</h2>")
    )
    assert title == "Harga cabai rawit naik"


def test_without_a_heading_the_metadata_title_stays():
    _text, title = load_html(page("Cabai mahal, warga menjerit", ""))
    assert title == "Cabai mahal, warga menjerit"


def test_a_kicker_above_the_headline_is_no_paragraph():
    text, title = load_html(
        page(
            "Cabai mahal, warga menjerit",
            "<div><span>EKSKLUSIF</span></div><h1>Harga cabai rawit naik dua kali lipat</h1>",
        )
    )
    assert title == "Harga cabai rawit naik dua kali lipat"
    assert "EKSKLUSIF" not in text.split("\n\n")
