"""A saved web page: hidden text dropped before extraction, a repeated paragraph once, lists,
table labels, formulas and code kept, lines of one paragraph joined."""

from __future__ import annotations

import pytest

from app.core.reading.formats.html import load_html
from app.core.reading.reader import load_article

BODY = [
    "Pemerintah Kota Bekasi menetapkan status tanggap darurat banjir selama tujuh hari setelah "
    "hujan deras mengguyur wilayah itu sejak Rabu malam dan merendam ribuan rumah warga.",
    "Kepala Badan Penanggulangan Bencana Daerah Kota Bekasi mengatakan sedikitnya empat ribu "
    "rumah di tujuh kecamatan terendam dan lebih dari seribu warga mengungsi ke masjid.",
    "Petugas gabungan mengerahkan perahu karet untuk mengevakuasi warga lanjut usia dan "
    "anak-anak dari perumahan yang paling parah terendam air setinggi dua meter.",
    "Bantuan logistik dari Kementerian Sosial dijadwalkan tiba pada Jumat pagi, termasuk "
    "selimut, makanan siap saji, air bersih dan obat-obatan untuk para pengungsi.",
]
TITLE = "Banjir Bekasi: Status Tanggap Darurat"
HIDDEN = {
    "display": '<p style="display:none">Teks tersembunyi gaya tampilan.</p>',
    "hidden": "<div hidden><p>Teks tersembunyi atribut hidden yang tidak boleh tampil.</p></div>",
    "visibility": '<p style="visibility: hidden">Teks tersembunyi visibilitas.</p>',
    "aria": '<p aria-hidden="true">Teks tersembunyi aria.</p>',
}


def page(extra: str = "") -> str:
    hidden = "\n".join(HIDDEN.values())
    return f"""<!doctype html><html><head><title>{TITLE}</title></head>
<body><nav><a href="/">Beranda</a> <a href="/news">Berita</a></nav>
<article><h1>{TITLE}</h1>
<p>{BODY[0]}</p>
<p>{BODY[1]}</p>
{hidden}
<p>Warga yang rumahnya terendam diminta segera<br>
melapor ke posko terdekat agar tercatat sebagai penerima bantuan.</p>
<p>{BODY[2]}</p>
<p>{BODY[2]}</p>
<p>Jadwal distribusi bantuan:</p>
<ul><li>Kamis 22 Januari: Kecamatan Bekasi Timur</li><li>Jumat 23 Januari: Kecamatan Rawalumbu</li>
<li>Sabtu 24 Januari: Kecamatan Jatiasih</li></ul>
<table><tr><th>Kecamatan</th><th>Rumah terendam</th></tr>
<tr><td>Bekasi Timur</td><td>1.850</td></tr><tr><td>Rawalumbu</td><td>1.120</td></tr></table>
<p>Rumus debit yang dipakai petugas adalah <math alttext="Q = v A"><mi>Q</mi><mo>=</mo><mi>v</mi>
<mi>A</mi></math> untuk tiap pintu air.</p>
<p>Volume air dihitung dengan <math><semantics><mrow><mi>V</mi></mrow>
<annotation encoding="application/x-tex">V = \\int_0^T Q\\,dt</annotation></semantics></math>
selama banjir.</p>
<pre><code>def debit(v, A):
    return v * A
</code></pre>
{extra}
<p>{BODY[3]}</p>
</article>
<footer>Hak cipta 2026</footer></body></html>"""


@pytest.fixture(scope="module")
def article(tmp_path_factory):
    path = tmp_path_factory.mktemp("page") / "banjir.html"
    path.write_text(page(), encoding="utf-8")
    return load_article(path)


def texts(article) -> list[str]:
    return [p.text for p in article.paragraphs]


def test_the_body_is_kept_in_order(article):
    paragraphs = texts(article)
    assert paragraphs[0] == TITLE
    positions = [paragraphs.index(p) for p in BODY]
    assert positions == sorted(positions)


HIDDEN_WORDS = {
    "display": "gaya tampilan",
    "hidden": "atribut hidden",
    "visibility": "visibilitas",
    "aria": "aria",
}


@pytest.mark.parametrize("kind", list(HIDDEN))
def test_hidden_elements_are_dropped_before_extraction(article, kind):
    words = HIDDEN_WORDS[kind]
    assert words in HIDDEN[kind]
    assert words not in article.text
    assert not any(words in r.text for r in article.removed)  # never extracted at all


def test_the_same_text_visible_is_kept():
    shown = page().replace(' style="display:none"', "").replace(' aria-hidden="true"', "")
    text, _title = load_html(shown.encode("utf-8"))
    assert "Teks tersembunyi gaya tampilan." in text and "Teks tersembunyi aria." in text


def test_a_paragraph_repeated_on_the_page_is_kept_once(article):
    assert texts(article).count(BODY[2]) == 1


def test_a_line_break_inside_a_paragraph_does_not_split_it(article):
    assert (
        "Warga yang rumahnya terendam diminta segera melapor ke posko terdekat agar tercatat "
        "sebagai penerima bantuan."
    ) in texts(article)


def test_a_list_in_the_article_is_kept(article):
    paragraphs = texts(article)
    for item in (
        "Kamis 22 Januari: Kecamatan Bekasi Timur",
        "Jumat 23 Januari: Kecamatan Rawalumbu",
        "Sabtu 24 Januari: Kecamatan Jatiasih",
    ):
        assert item in paragraphs


def test_table_rows_keep_their_labels(article):
    paragraphs = texts(article)
    assert "Kecamatan | Rumah terendam" in paragraphs
    assert "Bekasi Timur | 1.850" in paragraphs
    assert "Rawalumbu | 1.120" in paragraphs


def test_mathml_becomes_its_alt_text_or_tex(article):
    paragraphs = texts(article)
    assert "Rumus debit yang dipakai petugas adalah Q = v A untuk tiap pintu air." in paragraphs
    assert "Volume air dihitung dengan V = \\int_0^T Q\\,dt selama banjir." in paragraphs


def test_code_blocks_are_kept_verbatim(article):
    assert "def debit(v, A):\n    return v * A" in texts(article)


def test_mathjax_tex_script_keeps_its_tex():
    extra = (
        '<p>Luas genangan dihitung sebagai <span class="MathJax">A B glyphs</span>'
        '<script type="math/tex">A = p \\times l</script> di setiap kecamatan.</p>'
    )
    text, _title = load_html(page(extra).encode("utf-8"))
    assert "Luas genangan dihitung sebagai A = p \\times l di setiap kecamatan." in text
    assert "glyphs" not in text


def test_a_page_hidden_until_its_script_runs_still_shows_its_text():
    markup = page().replace("<article>", '<article style="display:none">')
    text, _title = load_html(markup.encode("utf-8"))
    assert BODY[0] in text
