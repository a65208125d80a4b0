"""A post embedded from a social network (the quote a story is about) is kept with its author
line, wherever the page's embed wrapper puts it."""

from __future__ import annotations

from app.core.reading.formats.html import load_html

BODY = [
    "Gubernur Jawa Barat menanggapi kritik warganet atas slogan kampanye antinarkoba yang "
    "diluncurkan pemerintah provinsi pada awal pekan ini dengan biaya hampir satu miliar rupiah.",
    "Slogan itu menjadi topik terpopuler di media sosial selama dua hari, dan banyak warganet "
    "mempertanyakan apakah pesan kampanye itu justru disalahpahami oleh anak muda.",
    "Pemerintah provinsi menyatakan kampanye akan tetap berjalan sampai akhir tahun, dengan "
    "iklan di televisi, papan reklame dan sekolah-sekolah di seluruh Jawa Barat.",
]
POST = "Kampanye ini memang sengaja dibuat agar orang membicarakannya. Berhasil, bukan?"
AUTHOR = "— Gubernur Jawa Barat (@gubernur_jabar) 18 November 2019"


def page() -> str:
    return f"""<!doctype html><html><head><title>Slogan kampanye</title></head><body>
<article><div class="entry-content">
<p>{BODY[0]}</p><p>{BODY[1]}</p>
<div class="social-media-embed"><blockquote class="twitter-tweet" data-lang="id">
<p lang="in" dir="ltr">{POST}</p>{AUTHOR}</blockquote></div>
<p>{BODY[2]}</p>
</div></article></body></html>"""


def test_an_embedded_post_is_kept_in_its_place_with_its_author():
    paragraphs = load_html(page().encode("utf-8"))[0].split("\n\n")
    assert POST in paragraphs and AUTHOR in paragraphs
    order = [paragraphs.index(p) for p in (BODY[1], POST, AUTHOR, BODY[2])]
    assert order == sorted(order)
