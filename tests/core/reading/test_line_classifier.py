"""The line classifier after the rules: on copied news pages (Indonesian, English, Malay,
written for these tests) it drops the chrome no rule names (a comment thread's names and
"Like" buttons, a footer's telephone and e-mail lines) with a reason that names it, and keeps
every body line: prose, sub-headings and lists inside the article, and paragraphs that merely
mention "Foto" or "Headline"."""

from __future__ import annotations

import time

import pytest

from app.cli import main
from app.core.reading import line_classifier
from app.core.reading.cleanup import clean_text, rule_verdicts

PAGE_ID = [
    "Harga Cabai Rawit Melonjak Jelang Lebaran, Pedagang Pasar Kramat Jati Mengeluh",
    "Jakarta - Harga cabai rawit merah di Pasar Induk Kramat Jati, Jakarta Timur, melonjak hingga Rp 95.000 per kilogram dalam sepekan terakhir menjelang Lebaran, menurut para pedagang di pasar itu.",
    "Kenaikan harga itu dipicu pasokan yang berkurang dari sentra produksi di Jawa Tengah dan Jawa Timur setelah hujan deras merusak tanaman di banyak desa, kata Ketua Asosiasi Pedagang Pasar Induk.",
    "Sementara itu, para pembeli mengaku terpaksa mengurangi belanja cabai dan beralih ke cabai kering yang harganya lebih stabil di kisaran Rp 60.000 per kilogram.",
    "Langkah pemerintah",
    "Kementerian Perdagangan berjanji menggelar operasi pasar di sepuluh titik di Jakarta mulai pekan depan untuk menahan kenaikan harga lebih lanjut sebelum hari raya.",
    "Pemerintah daerah juga diminta memantau distribusi agar tidak ada penimbunan oleh pedagang besar yang memanfaatkan kenaikan permintaan menjelang Lebaran tahun ini.",
    "Persib Tundukkan Persija di Stadion Gelora Bandung Lautan Api",
    "Pemain Timnas Cedera Jelang Laga Kualifikasi Piala Dunia",
    "Cuaca Ekstrem Landa Sebagian Wilayah Jawa Pekan Ini",
    "Ekonomi Bisnis",
    "12 Komentar",
    "Andi Pratama",
    "2 jam lalu",
    "Harga naik terus, rakyat kecil makin susah",
    "Suka",
    "Dewi Lestari",
    "3 jam lalu",
    "Semoga operasi pasarnya tepat sasaran",
    "Suka",
    "Jl. Palmerah Barat No. 8, Jakarta 10270",
    "Telp. (021) 5350377",
    "redaksi@contohberita.co.id",
    "Unduh di Google Play",
    "Unduh di App Store",
]

PAGE_EN = [
    "Council Approves New Budget for Riverside Flood Defences",
    "The city council approved a budget of 12 million pounds on Tuesday to strengthen flood defences along the river, after two winters of flooding damaged hundreds of homes in the eastern districts.",
    "Councillors voted 31 to 9 in favour of the plan, which includes raising the embankment by half a metre and installing new pumps at three stations near the old harbour.",
    "Residents who lost their homes in the floods said the decision came too late, but welcomed the promise that work would begin before the next rainy season.",
    "What happens next",
    "Contractors will be chosen in the spring, and the council expects the first section of the embankment to be finished by the end of next year.",
    "The council's leader said the cost would be met partly by a government grant and partly by savings in other departments, without raising local taxes.",
    "Most Read",
    "Local bakery wins national award for its sourdough",
    "Police appeal for witnesses after collision on ring road",
    "Politics Local",
    "14 Comments",
    "Mary Jones",
    "2 hours ago",
    "About time they did something about it",
    "Like",
    "Tom Baker",
    "3 hours ago",
    "My street flooded twice last year",
    "Like",
    "1 London Road, Riverside RS1 2AB",
    "Tel. 01632 960 123",
    "newsdesk@riverside-gazette.co.uk",
    "Get it on Google Play",
    "Download on the App Store",
]

PAGE_MS = [
    "Banjir Kelantan: Lebih 3,000 Mangsa Dipindahkan ke Pusat Pemindahan Sementara",
    "KOTA BHARU: Lebih 3,000 mangsa banjir di Kelantan dipindahkan ke 45 pusat pemindahan sementara sehingga petang ini selepas hujan lebat berterusan sejak semalam menyebabkan paras air sungai meningkat.",
    "Menurut Jawatankuasa Pengurusan Bencana Negeri, daerah Pasir Mas dan Tumpat paling teruk terjejas dengan lebih 2,000 mangsa ditempatkan di sekolah dan dewan orang ramai.",
    "Jabatan Meteorologi Malaysia meramalkan hujan lebat akan berterusan sehingga hujung minggu ini, dan orang ramai dinasihatkan supaya sentiasa berwaspada serta mematuhi arahan pihak berkuasa.",
    "Bantuan makanan dan ubat-ubatan telah dihantar ke semua pusat pemindahan, kata pegawai kerajaan negeri yang ditemui di Kota Bharu hari ini.",
    "Semasa Nasional",
    "8 Komen",
    "Ahmad Faizal",
    "2 jam lalu",
    "Semoga semua mangsa selamat dan dibantu segera",
    "Suka",
    "Nurul Huda",
    "3 jam lalu",
    "Kampung saya pun dinaiki air sejak pagi tadi",
    "Suka",
    "No. 12, Jalan Sultan Yahya Petra, 15200 Kota Bharu",
    "Tel. 09-748 1234",
    "editor@beritakelantan.com.my",
    "Muat turun di Google Play",
    "Muat turun di App Store",
]

#: Per page: its lines, the body lines (title first) and chrome lines no rule names.
PAGES = {
    "id": (
        PAGE_ID,
        PAGE_ID[:7],
        ["Suka", "Telp. (021) 5350377", "redaksi@contohberita.co.id"],
    ),
    "en": (
        PAGE_EN,
        PAGE_EN[:7],
        ["Like", "Tom Baker", "Tel. 01632 960 123", "newsdesk@riverside-gazette.co.uk"],
    ),
    "ms": (
        PAGE_MS,
        PAGE_MS[:5],
        ["Suka", "Tel. 09-748 1234", "editor@beritakelantan.com.my"],
    ),
}


def classifier_removals(text: str) -> dict[str, str]:
    return {r.text: r.reason for r in clean_text(text).removed if "line classifier" in r.reason}


@pytest.mark.parametrize("language", PAGES)
def test_chrome_no_rule_names_goes_with_the_classifier_as_its_reason(language):
    lines, _body, chrome = PAGES[language]
    text = "\n".join(lines)
    removed = classifier_removals(text)
    assert set(chrome) <= set(removed)
    for line in chrome:
        assert removed[line].startswith("looks like page chrome (line classifier, p=0.9")
    # The rules alone keep them: the classifier is what drops them.
    without = {r.text for r in clean_text(text, classify=False).removed}
    assert not without & set(chrome)


@pytest.mark.parametrize("language", PAGES)
def test_every_body_line_stays_in_order(language):
    lines, body, _chrome = PAGES[language]
    result = clean_text("\n".join(lines))
    assert [p for p in result.paragraphs if p in body] == body
    assert result.title == body[0]


@pytest.mark.parametrize(
    "mention",
    [
        "Foto keluarga korban yang hilang masih dipasang warga di dinding posko, kata petugas.",
        "Headline surat kabar pagi ini memuat janji menteri untuk menurunkan harga cabai.",
        "The photo on the front page, under the headline about the flood, was taken by a resident.",
    ],
)
@pytest.mark.parametrize("where", ["middle", "last"])
def test_a_body_paragraph_that_mentions_foto_or_headline_stays(mention, where):
    lines = list(PAGE_ID)
    at = 4 if where == "middle" else 7  # between body paragraphs, or the body's last line
    lines.insert(at, mention)
    assert mention in clean_text("\n".join(lines)).paragraphs


def test_a_list_and_a_sub_heading_inside_the_article_stay():
    items = ["Cabai rawit merah", "Bawang merah", "Bawang putih", "Tomat sayur"]
    lines = [*PAGE_ID[:4], "Harga yang naik:", *items, *PAGE_ID[4:]]
    paragraphs = clean_text("\n".join(lines)).paragraphs
    assert all(item in paragraphs for item in items)
    assert "Langkah pemerintah" in paragraphs


def test_the_shipped_model_loads_and_reads_the_current_features():
    classifier = line_classifier.default_classifier()
    assert classifier is not None
    assert 0.5 < classifier.threshold <= 1.0 and 0.5 < classifier.body_threshold <= 1.0
    assert line_classifier.MODEL_PATH.stat().st_size < 500_000
    with pytest.raises(ValueError):
        line_classifier.LineClassifier({"features": ["other"], "threshold": 0.9})


def test_the_classifier_takes_well_under_50_ms_for_a_long_page():
    # A long copied page: the article, then a comment thread of 40 comments and a footer.
    comments = [
        f"Pembaca {n}\n{n} jam lalu\nKomentar nomor {n} tentang harga cabai\nSuka"
        for n in range(40)
    ]
    text = "\n".join([*PAGE_ID, *comments, *PAGE_ID[-5:]])
    verdicts = rule_verdicts(text)
    classifier = line_classifier.default_classifier()
    assert classifier is not None
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        _content, rows = verdicts.features()
        classifier.probabilities(rows)
        timings.append(time.perf_counter() - start)
    assert len(rows) > 180
    assert min(timings) < 0.05


def test_inspect_shows_the_classifier_as_the_reason(tmp_path, capsys):
    path = tmp_path / "council.txt"
    path.write_text("\n".join(PAGE_EN), encoding="utf-8")
    assert main(["inspect", str(path)]) == 0
    out = capsys.readouterr().out
    assert "  - [looks like page chrome (line classifier, p=0.9" in out
    assert "] Tel. 01632 960 123" in out
