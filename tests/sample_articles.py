"""Indonesian news articles for the tests, and the optional shared sample.

The articles in ``tests/data/articles/`` were written for Ringkas's tests (see the README there):
several paragraphs of news with people, organisations and places, wrapped in the chrome a saved
page carries (section labels, a date line, "Foto: ..." captions, "Baca juga: ..." links, share
buttons, editors' initials, related-headline lists). They ship with the repository, so the tests
that read them pass on a fresh clone with nothing beside it.

``SHARED_SAMPLE`` is a real article that may sit in ``../shared/samples/`` next to a checkout;
tests that use it as an extra check skip when it is absent (:func:`article_params`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

ARTICLES = Path(__file__).resolve().parent / "data" / "articles"
SHARED_SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "samples" / "iran-belarus-id.txt"

#: Words that open Indonesian sentences (pronouns, connectors, days) and are never names.
NOT_NAMES = ("Ia", "Mereka", "Sementara", "Selama", "Para", "Senin", "Jumat", "Rabu")


@dataclass(frozen=True)
class SampleArticle:
    path: Path
    #: Names the body mentions (people, organisations, places) that a name finder must find
    #: exactly as written there.
    names: tuple[str, ...]
    #: Some lines of the file that are page chrome, not article text.
    chrome: tuple[str, ...] = ()
    #: Names whose found span may vary (a person introduced between commas after a title,
    #: "Kepala BPBD Kota Semarang, Hendra Wicaksono, mengatakan"): some found name contains it.
    name_parts: tuple[str, ...] = ()

    @property
    def id(self) -> str:
        return self.path.stem


ROB_SEMARANG = SampleArticle(
    ARTICLES / "rob-semarang-id.txt",
    names=(
        "Sutrisno",
        "BMKG",
        "BPBD",
        "Palang Merah Indonesia",
        "Universitas Diponegoro",
        "Tambak Lorok",
        "Bandarharjo",
    ),
    name_parts=("Hendra", "Retno", "Laksmi Handayani", "Semarang"),
    chrome=(
        "Beranda / Regional / Jawa Tengah",
        "Senin, 14 Jul 2025 09:15 WIB",
        "Bagikan",
        "Baca juga: Tanggul Laut Semarang-Demak Ditargetkan Rampung Akhir Tahun",
        "ADVERTISEMENT",
        "(dpr/nsa)",
        "Tags: banjir rob, semarang, bmkg",
        "Berita Terkait",
    ),
)
KOPERASI_BITUNG = SampleArticle(
    ARTICLES / "koperasi-nelayan-bitung-id.txt",
    name_parts=("Johanis", "Stevanus"),
    names=(
        "Ferdinand Wowor",
        "Yulius Makalew",
        "Bank Rakyat Indonesia",
        "BRI",
        "Universitas Sam Ratulangi",
        "Bitung",
        "Osaka",
        "Manado",
    ),
    chrome=(
        "Rabu, 3 Sep 2025 16:40 WIB",
        "Oleh: Maria Lumentut",
        "Baca juga: Harga Ikan Cakalang di Manado Turun Menjelang Musim Hujan",
        "Bagikan artikel ini",
        "Editor: Rudy Tangkilisan",
        "Berita Terkait",
    ),
)
FESTIVAL_YOGYAKARTA = SampleArticle(
    ARTICLES / "festival-film-yogyakarta-id.txt",
    names=(
        "Ayu Larasati",
        "Mama Rambu Anggraeni",
        "Bonifasius Tanoto",
        "Rizky Ramadhan",
        "Institut Seni Indonesia",
        "ISI",
        "Yogyakarta",
        "Sumba Timur",
        "Korea Selatan",
    ),
    name_parts=("Gregorius",),
    chrome=(
        "Jumat, 21 Nov 2025 19:05 WIB",
        "Foto: Sutradara Ayu Larasati menerima piala di Gedung Societet Militaire, Taman Budaya "
        "Yogyakarta. (Dok. Panitia)",
        "Baca juga: Kain Tenun Sumba Dipamerkan di Museum Tekstil Jakarta",
        "Lihat Foto",
        "(rza/ayu)",
        "Ikuti kami di Instagram dan TikTok untuk info festival berikutnya.",
        "Berita Terkait",
    ),
)
ASEAN_KUALA_LUMPUR = SampleArticle(
    ARTICLES / "pertemuan-asean-kuala-lumpur-id.txt",
    names=(
        "Nguyen Thi Lan",
        "Azman Ismail",
        "Maria Santos",
        "ASEAN",
        "AHA Centre",
        "Bank Pembangunan Asia",
        "Kuala Lumpur",
        "Thailand",
        "Manila",
    ),
    name_parts=("Wahyu",),
    chrome=(
        "Kuala Lumpur / Internasional",
        "Foto: Para delegasi berfoto bersama seusai pertemuan di Pusat Konvensi Kuala Lumpur. "
        "(Sekretariat ASEAN)",
        "Baca juga: Indonesia Kirim Tim SAR ke Myanmar Setelah Gempa",
        "Leave a Reply",
        "Your email address will not be published. Required fields are marked *",
    ),
)
#: A real article (not in the repository): the extra check when ../shared is there.
IRAN_BELARUS = SampleArticle(
    SHARED_SAMPLE,
    names=("Ahmadian", "Volfovich", "Minsk", "BRICS", "SCO"),
    chrome=("Leave a Reply",),
    name_parts=("Lukashenko",),
)

WRITTEN = (ROB_SEMARANG, KOPERASI_BITUNG, FESTIVAL_YOGYAKARTA, ASEAN_KUALA_LUMPUR)


def article_params(*articles: SampleArticle) -> list:
    """``pytest.param`` for each article, skipped when its file is absent (the shared one)."""
    return [
        pytest.param(
            a,
            id=a.id,
            marks=pytest.mark.skipif(not a.path.is_file(), reason=f"{a.path} not present"),
        )
        for a in articles
    ]
