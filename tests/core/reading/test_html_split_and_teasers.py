"""A saved web page whose article is split into several containers is read to its end; links
to other stories printed as paragraphs are dropped, while links inside the article stay."""

from __future__ import annotations

from app.core.reading.formats.html import load_html
from app.core.reading.formats.html_teasers import is_link_teaser, link_texts

FIRST = [
    "Pemerintah Provinsi Jawa Barat mulai membangun tanggul baru sepanjang dua kilometer di "
    "tepi Sungai Citarum untuk melindungi permukiman warga dari banjir tahunan.",
    "Kepala dinas sumber daya air mengatakan pekerjaan itu dijadwalkan selesai sebelum musim "
    "hujan berikutnya, dengan anggaran yang sudah disetujui dewan pada bulan lalu.",
    "Warga di tiga desa yang paling sering terendam menyambut baik rencana itu, meski sebagian "
    "dari mereka masih menunggu kepastian ganti rugi atas lahan yang terkena proyek.",
]
SECOND = [
    "Menurut catatan pemerintah daerah, banjir tahun lalu merendam lebih dari lima ribu rumah "
    "dan memaksa hampir dua ribu orang mengungsi selama lebih dari seminggu.",
    "Para ahli hidrologi mengingatkan bahwa tanggul saja tidak cukup, dan pemerintah perlu "
    "memulihkan hutan di hulu sungai agar air hujan tidak langsung mengalir ke hilir.",
]
THIRD = [
    "Pemerintah provinsi berjanji akan menggelar pertemuan terbuka dengan warga setiap bulan "
    "agar kemajuan proyek dan persoalan ganti rugi dapat dipantau bersama-sama.",
]
COMMENTS = (
    "Semoga proyek ini benar-benar selesai tepat waktu dan tidak berhenti di tengah jalan "
    "seperti proyek-proyek sebelumnya yang pernah dijanjikan kepada kami semua di desa ini."
)


def chunk(paragraphs: list[str]) -> str:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<div class="row"><div class="article-body body-text">{body}</div></div>'


def split_page() -> str:
    return f"""<!doctype html><html><head><title>Tanggul Citarum</title></head><body>
<main><article><h1>Tanggul baru di tepi Citarum</h1>
<div class="chunks">
{chunk(FIRST)}
<div class="row"><div class="advert">Iklan</div></div>
{chunk(SECOND)}
<div class="row"><div class="newsletter">Berlangganan buletin kami</div></div>
{chunk(THIRD)}
</div></article>
<section class="discussion"><div class="row"><div class="article-body body-text">
<div class="comment-list"><p>{COMMENTS}</p></div>
<form><textarea name="komentar"></textarea></form></div></div></section>
</main></body></html>"""


def test_an_article_split_into_several_containers_is_read_to_its_end():
    text, _title = load_html(split_page().encode("utf-8"))
    paragraphs = text.split("\n\n")
    for paragraph in FIRST + SECOND + THIRD:
        assert paragraph in paragraphs
    positions = [paragraphs.index(p) for p in FIRST + SECOND + THIRD]
    assert positions == sorted(positions)
    assert all(paragraphs.count(p) == 1 for p in FIRST + SECOND + THIRD)


def test_readers_comments_in_a_container_of_the_same_kind_are_not_added():
    text, _title = load_html(split_page().encode("utf-8"))
    assert "Semoga proyek ini" not in text


TEASER = "Harga cabai rawit di Jakarta naik dua kali lipat menjelang Lebaran"
APP_PROMPT = "KLIK DI SINI UNTUK MENGUNDUH APLIKASI KAMI"
LIST_TEASER = "Gempa magnitudo lima guncang Sukabumi, warga berhamburan keluar rumah"


def teaser_page() -> str:
    body = "".join(f"<p>{p}</p>" for p in FIRST)
    more = "".join(f"<p>{p}</p>" for p in SECOND)
    return f"""<!doctype html><html><head><title>Tanggul Citarum</title></head><body>
<article><h1>Tanggul baru di tepi Citarum</h1>
<p><a href="#biaya">Berapa biaya yang disiapkan pemerintah provinsi</a></p>
{body}
<p><a href="https://contoh.id/berita/harga-cabai">{TEASER}</a></p>
<p>Proyek itu diumumkan oleh <a href="https://contoh.id/tokoh/ridwan">Gubernur Jawa Barat</a>
dalam jumpa pers di Bandung pada Senin pagi, didampingi para kepala dinas terkait.</p>
<p><strong><a href="https://contoh.id/aplikasi">{APP_PROMPT}</a></strong></p>
<h2 id="biaya">Berapa biaya yang disiapkan pemerintah provinsi</h2>
{more}
<ul><li><a href="https://contoh.id/berita/gempa">{LIST_TEASER}</a></li></ul>
</article></body></html>"""


def test_links_to_other_stories_printed_as_paragraphs_are_dropped():
    text, _title = load_html(teaser_page().encode("utf-8"))
    for teaser in (TEASER, APP_PROMPT, LIST_TEASER):
        assert teaser not in text
    for paragraph in FIRST + SECOND:
        assert paragraph in text


def test_links_inside_the_article_stay():
    paragraphs = load_html(teaser_page().encode("utf-8"))[0].split("\n\n")
    # a sentence with a link in it, a heading the table of contents links to
    assert any(
        p.startswith("Proyek itu diumumkan oleh Gubernur Jawa Barat dalam") for p in paragraphs
    )
    assert "Berapa biaya yang disiapkan pemerintah provinsi" in paragraphs


def test_a_teaser_link_in_a_language_written_without_spaces_counts_its_characters():
    from lxml import html

    root = html.fromstring(
        '<div><p><a href="https://contoh.cn/news/1.html">湖南飞天山惊现千年悬棺</a></p>'
        '<p><a href="https://contoh.cn/people/2.html">郭晶晶</a></p>'
        '<p><a href="https://contoh.id/produk/3">"Batman Arkham VR" ($20)</a></p></div>'
    )
    links = link_texts(root)
    assert is_link_teaser("湖南飞天山惊现千年悬棺", links)
    assert not is_link_teaser("郭晶晶", links)  # a name: three characters
    assert not is_link_teaser('"Batman Arkham VR" ($20)', links)  # a price is no word


NEXT_STORY = [
    "Harga beras medium di pasar induk Cipinang turun untuk pertama kalinya dalam tiga bulan "
    "setelah pasokan dari daerah sentra produksi kembali normal pekan ini.",
    "Pedagang memperkirakan harga akan terus turun hingga akhir bulan jika cuaca tetap "
    "mendukung panen raya di Jawa Tengah dan Jawa Timur.",
]


def test_a_story_appended_below_the_article_is_not_a_continuation():
    next_story = f"<h1>Harga beras mulai turun</h1>{chunk(NEXT_STORY)}"
    markup = split_page().replace("</div></article>", next_story + "</div></article>", 1)
    assert next_story in markup
    text, _title = load_html(markup.encode())
    assert all(p in text for p in FIRST + SECOND + THIRD)
    assert not any(p in text for p in NEXT_STORY)
