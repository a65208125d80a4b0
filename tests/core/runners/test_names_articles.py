"""The model-free name recogniser on whole articles written for these tests (Indonesian, Malay,
English): what the Names panel groups under People, Organisations, Places and Other names when
capitalisation misleads (sentence and quote starts, headings, datelines, brands), when a name
is a form of another (Belarusia, Iranian), and when a name is cut short (Dewan Pengawas)."""

from __future__ import annotations

from app.core.base.results import EntityResult
from app.core.runners.names import recognise

#: The panel's headings for the rules' labels.
GROUPS = {"PER": "People", "ORG": "Organisations", "LOC": "Places", "MISC": "Other names"}


def _recognise(text: str, language: str) -> EntityResult:
    paragraphs, start = [], 0
    for part in text.split("\n\n"):
        paragraphs.append((start, part))
        start += len(part) + 2
    return recognise(text, paragraphs, language)


def panel(text: str, language: str) -> dict[str, set[str]]:
    """Each panel group's entries (an entity's display name)."""
    groups: dict[str, set[str]] = {}
    for entity in _recognise(text, language).entities:
        groups.setdefault(GROUPS[entity.label], set()).add(entity.text)
    return groups


def spellings(text: str, language: str, name: str) -> set[str]:
    """Every surface the entity shown as ``name`` was found under."""
    [entity] = [e for e in _recognise(text, language).entities if e.text == name]
    return {m.text for m in entity.mentions}


def listed(groups: dict[str, set[str]]) -> set[str]:
    return set().union(*groups.values())


INDONESIAN = """Surabaya, Warta Timur – Dewan Pengawas Pelabuhan Nasional meminta pemerintah \
memperketat izin ekspor ke Belarus dan negara-negara Asia Tengah.

Ketua Dewan Pengawas Pelabuhan Nasional Wahyu Setiabudi mengatakan pengawasan di Tanjung Perak \
akan diperketat mulai bulan depan. Menurut Wahyu, Dewan Pengawas sudah menyurati Kementerian \
Perdagangan.

“Yakinlah, kita tidak akan mundur,” ujarnya. Koalisi ini akan melibatkan pelabuhan di Jawa dan \
Sumatra, sementara koalisi serupa di Kalimantan masih dibahas.

Pejabat Belarusia menyambut baik langkah itu. Kabar tersebut pertama kali dilaporkan KabarNusa, \
yang mengutip pernyataan dari Wahyu.

Rapat berikutnya akan digelar di Organisasi Kerja Sama Vietnam bersama perwakilan Zolgensma \
dari Swiss."""


def test_indonesian_article_groups():
    groups = panel(INDONESIAN, "id")
    assert groups["People"] == {"Wahyu Setiabudi"}
    assert groups["Organisations"] == {
        "Warta Timur",  # the dateline's outlet, between the place and the dash
        "Dewan Pengawas Pelabuhan Nasional",
        "Kementerian Perdagangan",
        "KabarNusa",  # a capital inside one word: an outlet or a brand, not a person
        "Organisasi Kerja Sama Vietnam",  # the head outranks the country inside
    }
    assert groups["Places"] == {
        "Surabaya",
        "Belarus",
        "Asia Tengah",
        "Tanjung Perak",
        "Jawa",
        "Sumatra",
        "Kalimantan",
        "Swiss",
    }
    # one unknown word that nothing marks as a person is some other name
    assert groups["Other names"] == {"Zolgensma"}
    # ordinary words capitalised at a quote's or a sentence's start are no names
    assert not {"Yakinlah", "Koalisi", "Pejabat Belarusia"} & listed(groups)


def test_indonesian_forms_and_short_names_join_their_entity():
    assert spellings(INDONESIAN, "id", "Belarus") == {"Belarus", "Belarusia"}
    # a first name alone, after "Menurut" and after "dari", is the person met in full
    assert spellings(INDONESIAN, "id", "Wahyu Setiabudi") == {"Wahyu Setiabudi", "Wahyu"}
    # the council cut short after its full name was met is the same council
    assert spellings(INDONESIAN, "id", "Dewan Pengawas Pelabuhan Nasional") == {
        "Dewan Pengawas Pelabuhan Nasional",
        "Dewan Pengawas",
    }


def test_a_short_name_does_not_join_a_full_name_the_text_does_not_point_to():
    # met before the full name, and two full names begin with it: three organisations
    text = (
        "Dewan Pengawas menolak usul itu. Sehari kemudian Dewan Pengawas Pelabuhan Nasional "
        "dan Dewan Pengawas Bandara Nasional menerbitkan aturan baru."
    )
    groups = panel(text, "id")
    assert groups["Organisations"] == {
        "Dewan Pengawas",
        "Dewan Pengawas Pelabuhan Nasional",
        "Dewan Pengawas Bandara Nasional",
    }


MALAY = """Kuala Lumpur, Berita Semenanjung – Menteri Besar Negeri Perak, Saarani Mohamad, \
berkata kerajaan negeri akan menambah peruntukan untuk pesawah.

“Percayalah, rakyat tidak akan ditinggalkan,” katanya ketika ditemui di Ipoh. Beliau ditemani \
Ahmad Faizal Azumu, yang kemudian bertemu wakil Pertubuhan Peladang Kebangsaan.

Ahmad berkata bantuan itu juga akan disalurkan melalui Lembaga Pertubuhan Peladang. Gabungan \
Peladang Muda menyambut baik kenyataan tersebut.

Pegawai Iranian yang melawat Perak minggu lalu turut berminat dengan program itu, menurut \
TikTok rasmi kerajaan negeri."""


def test_malay_article_groups():
    groups = panel(MALAY, "ms")
    # "Negeri Perak" is the state: no person named "Negeri ..."
    assert groups["People"] == {"Saarani Mohamad", "Ahmad Faizal Azumu"}
    assert groups["Organisations"] == {
        "Berita Semenanjung",
        "Pertubuhan Peladang Kebangsaan",
        "Lembaga Pertubuhan Peladang",
        "TikTok",
    }
    assert groups["Places"] == {"Kuala Lumpur", "Perak", "Ipoh", "Iranian"}
    # a capitalised phrase that opens with an ordinary word is no person
    assert groups["Other names"] == {"Gabungan Peladang Muda"}
    assert "Percayalah" not in listed(groups)
    assert spellings(MALAY, "ms", "Ahmad Faizal Azumu") == {"Ahmad Faizal Azumu", "Ahmad"}


ENGLISH = """Tehran, Press Wire - Iran and Belarus have agreed to expand trade, the Supreme \
National Security Council said on Monday.

Believe it or not, the deal was signed within a week. Secretary Ali Akbar Ahmadian met \
Belarusian officials in Minsk, and Ahmadian told reporters that the Shanghai Cooperation \
Organisation would follow.

The talks were first reported by YouTube channels and by BelTa, Belarus' state news agency. \
A spokesman said Ozempic would not be part of the deal.

Later the National Security Council of Belarus issued its own statement."""


def test_english_article_groups():
    groups = panel(ENGLISH, "en")
    assert groups["People"] == {"Ali Akbar Ahmadian"}
    assert groups["Organisations"] == {
        "Press Wire",
        "Supreme National Security Council",
        "Shanghai Cooperation Organisation",  # an English head comes last
        "YouTube",
        "BelTa",
        "National Security Council of Belarus",
    }
    assert groups["Places"] == {"Tehran", "Iran", "Belarus", "Minsk"}
    # "said Ozempic would": no speaker, so no person
    assert groups["Other names"] == {"Ozempic"}
    assert spellings(ENGLISH, "en", "Belarus") == {"Belarus", "Belarusian"}


def test_a_first_name_after_a_preposition_is_a_person_not_a_place():
    groups = panel("Kabar itu datang dari Wahyu pada Senin pagi.", "id")
    assert groups == {"People": {"Wahyu"}}
    groups = panel("Laporan diterima dari Wahyu Setiabudi dan tim di Bandung.", "id")
    assert groups == {"People": {"Wahyu Setiabudi"}, "Places": {"Bandung"}}


def test_a_nickname_in_brackets_is_the_person_before_it():
    text = "Presiden terpilih Joko Widodo (Jokowi) tiba di Medan. Jokowi lalu berpidato."
    assert spellings(text, "id", "Joko Widodo") == {"Joko Widodo", "Jokowi"}


def test_a_head_alone_names_one_institution_or_nothing():
    groups = panel("Berkas dikirim ke Kejaksaan. Fakultas itu menolak, kata Polri.", "id")
    assert groups == {"Organisations": {"Kejaksaan", "Polri"}}


def test_an_ordinary_word_before_a_first_name_at_a_sentence_start_is_no_part_of_it():
    groups = panel("Kemarin Wahyu tiba di Bandung. Tim Wahyu menyusul.", "id")
    assert groups == {"People": {"Wahyu"}, "Places": {"Bandung"}}


def test_negeri_before_a_country_is_no_person():
    for text in (
        "Beliau bertemu Timbalan Menteri Negeri Malaysia semalam.",
        "Wakil Negeri Malaysia, Ahmad Zaki, berucap.",
    ):
        groups = panel(text, "ms")
        assert groups["Places"] == {"Malaysia"}, groups
        assert not any(name.startswith("Negeri") for name in listed(groups)), groups


def test_common_abbreviations_in_brackets_give_no_organisation():
    groups = panel("Antrean warga membeli Bahan Bakar Minyak (BBM) terjadi di Bekasi.", "id")
    assert groups == {"Places": {"Bekasi"}}


def test_a_listed_place_after_a_title_is_a_place():
    groups = panel("Saat itu Jokowi menjadi Gubernur DKI Jakarta.", "id")
    assert groups["Places"] == {"DKI Jakarta"}
    assert "Organisations" not in groups


def test_ranks_and_portfolios_stay_out_of_a_name():
    groups = panel("Laporan itu dibenarkan Irjen Pol Suryo Pranoto kemarin.", "id")
    assert groups == {"People": {"Suryo Pranoto"}}
    groups = panel("Rapat dipimpin Menko Kemaritiman Pandjaitan di Jakarta.", "id")
    assert groups == {"People": {"Pandjaitan"}, "Places": {"Jakarta"}}


def test_a_common_word_opening_a_sentence_is_no_part_of_the_name_after_it():
    groups = panel("Pejabat Taliban yang ditemui menolak berkomentar.", "id")
    assert groups == {"Other names": {"Taliban"}}


def test_a_quoted_capitalised_phrase_is_a_slogan_or_title_not_a_person():
    text = "Massa meneriakkan “Bersatu Kita Teguh” di depan kantor Wahyu Setiabudi."
    assert panel(text, "id") == {
        "Other names": {"Bersatu Kita Teguh"},
        "People": {"Wahyu Setiabudi"},
    }
    text = 'Supporters wore "Make Jakarta Clean Again" caps, said Jane Whitfield.'
    assert panel(text, "en") == {
        "Other names": {"Make Jakarta Clean Again"},
        "People": {"Jane Whitfield"},
    }


BUSINESS = """JAKARTA, KOMPAS.com - Menteri Keuangan Sri Mulyani Indrawati mengatakan defisit \
anggaran masih terkendali hingga akhir Maret 2024.

Sri Mulyani menambahkan, penerimaan pajak tumbuh 5 persen. Hal itu disampaikannya di Gedung \
Djuanda, Jakarta Pusat, Selasa (12/3/2024).

Ekonom Universitas Indonesia Faisal Basri menilai pemerintah perlu berhati-hati. "Kita harus \
waspada terhadap gejolak global," kata Faisal.

TikTok Shop juga mencatat lonjakan transaksi, menurut laporan Reuters.

Pertamina memastikan stok Pertalite aman. Direktur Utama Pertamina Nicke Widyawati meninjau \
langsung depot di Plumpang, Jakarta Utara."""


def test_indonesian_business_news_groups():
    groups = panel(BUSINESS, "id")
    assert groups["People"] == {"Sri Mulyani Indrawati", "Faisal Basri", "Nicke Widyawati"}
    assert groups["Organisations"] == {
        "KOMPAS.com",
        "Universitas Indonesia",  # the person after it begins at a given name
        "TikTok Shop",
        "Reuters",
        "Pertamina",  # named alone elsewhere: not the first word of a person's name
    }
    assert groups["Other names"] == {"Pertalite"}
    # a person's name cut short after the full name joins it
    assert spellings(BUSINESS, "id", "Sri Mulyani Indrawati") == {
        "Sri Mulyani Indrawati",
        "Sri Mulyani",
    }
    assert spellings(BUSINESS, "id", "Pertamina") == {"Pertamina"}


def test_english_titles_stay_out_of_names():
    text = (
        "Pressure grew on Chancellor Rachel Reeves ahead of the budget. Reeves is expected to "
        "announce cuts, and Nvidia declined to comment."
    )
    groups = panel(text, "en")
    assert groups == {"People": {"Rachel Reeves"}, "Other names": {"Nvidia"}}
    assert spellings(text, "en", "Rachel Reeves") == {"Rachel Reeves", "Reeves"}


def test_a_portfolio_and_a_country_after_a_title_name_nobody():
    text = "Menteri Imigrasi Australia yang baru dilantik menolak usul itu."
    assert panel(text, "id") == {"Places": {"Australia"}}
    # a surname that is also a country's name stays the person's
    text = "Usul itu datang dari Komjen Pol Badrun Haiti kemarin."
    assert panel(text, "id") == {"People": {"Badrun Haiti"}}


def test_government_and_union_heads_make_organisations():
    groups = panel("Pemerintah Jerman dan Uni Eropa menyepakati bantuan untuk Ukraina.", "id")
    assert groups == {"Organisations": {"Pemerintah Jerman", "Uni Eropa"}, "Places": {"Ukraina"}}


MALAY_NEWS = """PUTRAJAYA: Perdana Menteri Datuk Seri Anwar Ibrahim berkata kerajaan akan \
meneruskan subsidi bersasar bagi minyak diesel di Semenanjung Malaysia.

Anwar berkata demikian selepas mempengerusikan mesyuarat Majlis Tindakan Ekonomi Negara (MTEN).

Menurut Bernama, Tenaga Nasional Berhad (TNB) turut hadir bersama AirAsia.

Ketua Pembangkang Datuk Seri Hamzah Zainudin pula mempersoalkan keputusan itu."""


def test_malay_news_groups():
    groups = panel(MALAY_NEWS, "ms")
    # a second title inside the run is the person's; the role before it names no one
    assert groups["People"] == {"Anwar Ibrahim", "Hamzah Zainudin"}
    assert groups["Organisations"] == {
        "Majlis Tindakan Ekonomi Negara",
        "Bernama",  # a news agency after "Menurut" is no person
        "Tenaga Nasional Berhad",
        "AirAsia",
    }
    assert groups["Places"] == {"PUTRAJAYA", "Semenanjung Malaysia"}


WIRE = """WASHINGTON, Dec 2 (Reuters) - Secretary of State Marco Rubio met Foreign Minister \
Sugiono on Tuesday to discuss security in the South China Sea.

Rubio said Washington valued its partnership with Jakarta.

Analysts at the bank said investments could reach $5 billion, according to the State \
Secretariat."""


def test_english_wire_story_groups():
    groups = panel(WIRE, "en")
    assert groups["People"] == {"Marco Rubio", "Sugiono"}
    assert groups["Organisations"] == {"Reuters", "State Secretariat"}
    assert groups["Places"] == {"Washington", "South China Sea", "Jakarta"}
    assert "Other names" not in groups  # "Analysts" opens a sentence: a plural of a word
    # a dateline in capitals and the name in the text are one place
    assert spellings(WIRE, "en", "Washington") == {"WASHINGTON", "Washington"}
    # a surname that is also a small town's name, and speaks, is the person's
    assert spellings(WIRE, "en", "Marco Rubio") == {"Marco Rubio", "Rubio"}


def test_a_sea_named_after_a_place_is_not_that_place():
    text = "Gelombang dari Laut Jawa merendam pesisir. Warga Jawa Tengah mengungsi ke Kelurahan \
Kemijen, dan Kemijen kini penuh. Pulau Jawa diguyur hujan."
    result = _recognise(text, "id")
    found = {e.text: {m.text for m in e.mentions} for e in result.entities}
    assert found["Laut Jawa"] == {"Laut Jawa"}
    assert found["Kelurahan Kemijen"] == {"Kelurahan Kemijen", "Kemijen"}


def test_a_guess_with_an_acronym_or_a_head_inside_is_no_person():
    text = "Hal itu disampaikan Prakirawan BMKG Stasiun Maritim Tanjung Emas kemarin."
    groups = panel(text, "id")
    assert "People" not in groups, groups
    # initials and degrees after a name keep it a person
    assert panel("Hadir pula Darmaji Pakpahan SH dalam sidang.", "id") == {
        "People": {"Darmaji Pakpahan SH"}
    }


def test_a_possessive_is_no_part_of_a_name():
    text = "Indonesia’s new capital lies in Borneo, and Widodo's allies back Moody's Investors \
Service."
    result = _recognise(text, "en")
    found = {e.text: e.label for e in result.entities}
    assert found["Indonesia"] == "LOC" and found["Borneo"] == "LOC"
    assert "Indonesia’s" not in found and "Widodo's" not in found
    assert "Moody's Investors Service" in found  # a possessive inside a name stays


def test_an_age_or_seorang_after_one_word_makes_a_person():
    groups = panel("Polisi menangkap Dorkas (34) di rumahnya.", "id")
    assert groups == {"People": {"Dorkas"}}
    groups = panel("Pemenangnya Kalindra, seorang nelayan, tidak hadir.", "id")
    assert groups == {"People": {"Kalindra"}}
    groups = panel("Pemenangnya Kalindra tidak hadir.", "id")  # nothing says who it is
    assert groups == {"Other names": {"Kalindra"}}
