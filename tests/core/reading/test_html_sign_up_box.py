"""A newsletter sign-up box inside a saved article (its e-mail field, and the words around it)
is left out; the article's paragraphs around it stay."""

from __future__ import annotations

from app.core.reading.formats.html import load_html

BODY = [
    "Badan Meteorologi, Klimatologi, dan Geofisika memperingatkan potensi hujan lebat disertai "
    "angin kencang di sebagian besar wilayah Jawa Barat hingga akhir pekan ini.",
    "Warga yang tinggal di daerah rawan longsor diminta waspada dan segera mengungsi jika "
    "melihat retakan tanah atau mendengar suara gemuruh dari arah lereng.",
    "Pemerintah daerah telah menyiapkan tenda pengungsian, dapur umum dan tim medis di setiap "
    "kecamatan yang dinilai paling rawan terdampak cuaca ekstrem.",
    "Informasi peringatan dini dapat dipantau melalui situs resmi BMKG dan akun media sosialnya, "
    "yang diperbarui setiap tiga jam oleh petugas prakiraan cuaca.",
]
BOX = ["Buletin Pagi", "Dapatkan berita pilihan setiap pagi langsung di kotak masuk Anda.",
       "Maaf! Terjadi kesalahan saat memproses langganan Anda."]  # fmt: skip


def page() -> bytes:
    first = "".join(f"<p>{p}</p>" for p in BODY[:2])
    rest = "".join(f"<p>{p}</p>" for p in BODY[2:])
    box = f"""<div class="box"><div class="inner"><h3>{BOX[0]}</h3><p>{BOX[1]}</p>
<input type="email" name="alamat" placeholder="Alamat email"><button>Daftar</button>
<p class="error">{BOX[2]}</p></div></div>"""
    return f"""<!doctype html><html><head><title>Peringatan cuaca</title></head><body>
<article><h1>BMKG peringatkan hujan lebat di Jawa Barat</h1>
<div class="content">{first}{box}{rest}</div></article></body></html>""".encode()


def test_a_sign_up_box_in_the_article_is_left_out():
    text, _title = load_html(page())
    for words in BOX:
        assert words not in text
    paragraphs = text.split("\n\n")
    assert all(p in paragraphs for p in BODY)
