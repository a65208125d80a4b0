"""The model-free name recogniser (app/core/runners/names.py) on our own sentences in Indonesian,
Malay and English: every cue, every linking rule and every never-a-name class."""

from __future__ import annotations

import pytest

from app.core.base.results import Entity, EntityResult, Mention
from app.core.runners.names import fill_unlabelled, recognise


def _result(text: str, language: str = "id") -> EntityResult:
    paragraphs, start = [], 0
    for part in text.split("\n\n"):
        paragraphs.append((start, part))
        start += len(part) + 2
    result = recognise(text, paragraphs, language)
    for entity in result.entities:
        assert entity.count == len(entity.mentions)
        for m in entity.mentions:
            assert text[m.start : m.end] == m.text and m.label == entity.label
    return result


def labels(text: str, language: str = "id") -> dict[str, str]:
    """Every mention's text and label."""
    return {m.text: m.label for e in _result(text, language).entities for m in e.mentions}


def entity_of(result: EntityResult, surface: str) -> Entity:
    [entity] = [e for e in result.entities if any(m.text == surface for m in e.mentions)]
    return entity


# --- person titles and roles: the title stays out of the span --------------------------------


@pytest.mark.parametrize(
    ("text", "language", "person"),
    [
        ("Kemarin Presiden Joko Widodo meresmikan jembatan itu.", "id", "Joko Widodo"),
        ("Kemarin Menteri Keuangan Sri Mulyani membacakan laporan.", "id", "Sri Mulyani"),
        ("Acara dibuka Wakil Presiden Ma'ruf Amin pagi ini.", "id", "Ma'ruf Amin"),
        ("Hal itu disampaikan Wali Kota Surabaya Eri Cahyadi.", "id", "Eri Cahyadi"),
        ("Laporan diterima Jaksa Agung Sanitiar Burhanuddin.", "id", "Sanitiar Burhanuddin"),
        ("Rombongan disambut Pak Darmono dan Bu Ratna di rumahnya.", "id", "Darmono"),
        ("Kasus itu ditangani Kapolres Bogor AKBP Rio Wahyu Anggoro.", "id", "Rio Wahyu Anggoro"),
        ("Majlis itu dirasmikan Datuk Seri Fadillah Yusof semalam.", "ms", "Fadillah Yusof"),
        ("Beliau bertemu Tan Sri Muhyiddin Yassin di pejabatnya.", "ms", "Muhyiddin Yassin"),
        ("Kenyataan itu dibuat Perdana Menteri Anwar Ibrahim.", "ms", "Anwar Ibrahim"),
        ("The plan was backed by Prime Minister Anthony Albanese.", "en", "Anthony Albanese"),
        ("The study was led by Dr Jane Whitfield and Mr Tom Okafor.", "en", "Jane Whitfield"),
    ],
)
def test_a_title_before_a_name_makes_a_person_and_stays_out_of_the_span(text, language, person):
    found = labels(text, language)
    assert found.get(person) == "PER", found
    assert not any(name.endswith(person) and name != person for name in found), found


def test_what_a_title_names_in_between_keeps_its_own_type():
    found = labels("Bupati Kolaka Timur Andi Merya Nur ditahan. Ketua DPR Puan Maharani hadir.")
    assert found["Kolaka Timur"] == "LOC"  # a regency from the BPS list
    assert found["Andi Merya Nur"] == "PER"
    assert found["DPR"] == "ORG" and found["Puan Maharani"] == "PER"
    found = labels("Ketua Umum Partai Demokrat Agus Harimurti Yudhoyono berpidato.")
    assert found == {"Partai Demokrat": "ORG", "Agus Harimurti Yudhoyono": "PER"}


def test_a_title_alone_is_no_name():
    assert labels("Kemarin Presiden dan Wapres bekerja hingga malam, kata Menteri.") == {}


# --- organisation heads ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "organisation"),
    [
        ("Berkas itu dikirim ke Komisi Yudisial kemarin.", "id", "Komisi Yudisial"),
        ("Dana dicairkan Kementerian Kesehatan bulan lalu.", "id", "Kementerian Kesehatan"),
        ("Pelaku dibawa ke Polres Jakarta Barat untuk diperiksa.", "id", "Polres Jakarta Barat"),
        ("Korban dirawat di RSUD Cibinong sejak pagi.", "id", "RSUD Cibinong"),
        ("Saham PT Sumber Alfaria Trijaya naik tajam.", "id", "PT Sumber Alfaria Trijaya"),
        ("Mahasiswa Universitas Gadjah Mada berunjuk rasa.", "id", "Universitas Gadjah Mada"),
        ("Gugatan itu ditolak Pengadilan Negeri Surabaya.", "id", "Pengadilan Negeri Surabaya"),
        ("Putusan Mahkamah Konstitusi bersifat final.", "id", "Mahkamah Konstitusi"),
        ("Ahli Parti Keadilan Rakyat berhimpun semalam.", "ms", "Parti Keadilan Rakyat"),
        ("Kenyataan dikeluarkan oleh Suruhanjaya Pilihan Raya.", "ms", "Suruhanjaya Pilihan Raya"),
        ("The Ministry of Health issued new rules.", "en", "Ministry of Health"),
        ("Researchers at the University of Melbourne agreed.", "en", "University of Melbourne"),
        ("Yesterday the Bank of England raised its rate.", "en", "Bank of England"),
    ],
)
def test_an_organisation_head_makes_an_organisation(text, language, organisation):
    found = labels(text, language)
    assert found.get(organisation) == "ORG", found


def test_party_names_and_agencies_are_organisations():
    found = labels("Golkar dan Gerindra menolak usul itu, kata dia kepada Antara.")
    assert found == {"Golkar": "ORG", "Gerindra": "ORG", "Antara": "ORG"}


# --- place cues and place lists --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "place"),
    [
        ("Banjir melanda Kabupaten Bogor sejak Senin.", "id", "Kabupaten Bogor"),
        ("Longsor terjadi di Provinsi Jawa Barat.", "id", "Jawa Barat"),  # Provinsi stays out
        ("Kecelakaan terjadi di Jalan Gatot Subroto.", "id", "Jalan Gatot Subroto"),
        ("Wisatawan menyeberang ke Pulau Komodo.", "id", "Pulau Komodo"),
        ("Abu vulkanik keluar dari Gunung Merapi.", "id", "Gunung Merapi"),
        ("Sampah menumpuk di Sungai Ciliwung.", "id", "Sungai Ciliwung"),
        ("Para nelayan berangkat dari Wakatobi.", "id", "Wakatobi"),
        ("Rombongan tiba di Kampung Tualang Batu.", "ms", "Kampung Tualang Batu"),
        ("Mereka tinggal di Sabah dan Sarawak.", "ms", "Sarawak"),
        ("The talks were held in Canberra on Monday.", "en", "Canberra"),
    ],
)
def test_place_heads_prepositions_and_lists_make_places(text, language, place):
    found = labels(text, language)
    assert found.get(place) == "LOC", found


@pytest.mark.parametrize(
    ("text", "language", "places"),
    [
        # CLDR country names in each language (babel), ISO provinces (pycountry)
        ("Tiongkok dan Amerika Serikat berunding, Nusa Tenggara Timur menunggu.", "id",
         ["Tiongkok", "Amerika Serikat", "Nusa Tenggara Timur"]),
        ("Amerika Syarikat dan Jepun menyokong rancangan itu.", "ms",
         ["Amerika Syarikat", "Jepun"]),
        ("Officials from Germany and South Korea disagreed.", "en", ["Germany", "South Korea"]),
        # GeoNames cities and the BPS regencies
        ("Delegasi Minsk bertemu utusan Kolaka Timur.", "id", ["Minsk", "Kolaka Timur"]),
    ],
)  # fmt: skip
def test_place_lists_in_three_languages(text, language, places):
    found = labels(text, language)
    for place in places:
        assert found.get(place) == "LOC", (place, found)


# --- linking -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "full", "short"),
    [
        ("Penyidik Komisi Pemberantasan Korupsi (KPK) datang. KPK menyita mobil.", "id",
         "Komisi Pemberantasan Korupsi", "KPK"),
        ("Kenyataan Suruhanjaya Pencegahan Rasuah Malaysia (SPRM) jelas. SPRM menahan dua.", "ms",
         "Suruhanjaya Pencegahan Rasuah Malaysia", "SPRM"),
        ("The World Health Organization (WHO) warned. WHO said more.", "en",
         "World Health Organization", "WHO"),
    ],
)  # fmt: skip
def test_an_acronym_in_brackets_is_one_entity_with_its_full_form(text, language, full, short):
    result = _result(text, language)
    entity = entity_of(result, short)
    assert entity is entity_of(result, full)
    assert entity.label == "ORG"
    assert [m.text for m in entity.mentions] == [full, short, short]
    assert entity.text == full


@pytest.mark.parametrize(
    ("text", "language", "full", "short"),
    [
        ("Ali Akbar Ahmadian tiba di Minsk. Kemudian Ahmadian bertemu wartawan.", "id",
         "Ali Akbar Ahmadian", "Ahmadian"),
        ("Anwar Ibrahim hadir. Menurut Anwar, rundingan itu berjaya.", "ms",
         "Anwar Ibrahim", "Anwar"),
        ("Jacinda Ardern spoke first. Later, Ardern took questions.", "en",
         "Jacinda Ardern", "Ardern"),
    ],
)  # fmt: skip
def test_a_surname_or_first_name_alone_joins_the_full_name(text, language, full, short):
    result = _result(text, language)
    entity = entity_of(result, short)
    assert entity is entity_of(result, full)
    assert entity.label == "PER" and entity.text == full
    assert sorted(m.text for m in entity.mentions) == sorted([full, short])


def test_a_short_name_shared_by_two_people_joins_neither():
    result = _result("Budi Santoso dan Agus Santoso hadir. Lalu Santoso pergi.")
    assert entity_of(result, "Santoso").text == "Santoso"


# --- never a name ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language", "not_names"),
    [
        # months and weekdays, alone or joined
        ("Rapat digelar Selasa-Rabu, 8-9 Feb, di Medan.", "id", ["Selasa-Rabu", "Feb"]),
        ("Mesyuarat diadakan pada Isnin, 3 Mac, di Ipoh.", "ms", ["Isnin", "Mac"]),
        ("The vote is on Tuesday, 4 March, in Leeds.", "en", ["Tuesday", "March"]),
        # currency amounts
        ("Harga naik menjadi Rp9 ribu dan Rp31,5 juta di Medan.", "id", ["Rp9", "Rp31"]),
        ("Harga meningkat kepada RM5 sekilogram di Ipoh.", "ms", ["RM5"]),
        # credits and agency bylines in captions
        ("Warga mengungsi di Medan. FOTO: REUTERS/Willy Kurniawan", "id", ["FOTO", "REUTERS"]),
        ("Petugas berjaga di Medan (ANTARA/Akbar Nugroho).", "id", ["ANTARA"]),
        ("Crowds gathered in Leeds. PHOTO: AFP", "en", ["PHOTO", "AFP"]),
        # sentence-initial ordinary words (wordfreq), and affixed ones
        ("Dirangkum dari berbagai sumber, warga Medan resah.", "id", ["Dirangkum"]),
        ("Kedatangan rombongan disambut warga Medan.", "id", ["Kedatangan"]),
        ("Walau bagaimanapun, penduduk Ipoh bersedia.", "ms", ["Walau"]),
        ("Yesterday, residents of Leeds were told to wait.", "en", ["Yesterday"]),
        # plain abbreviations of things
        ("Antrean BBM mengular sejak pagi di Medan.", "id", ["BBM"]),
    ],
)
def test_never_a_name(text, language, not_names):
    found = labels(text, language)
    for word in not_names:
        assert not any(word in name for name in found), (word, found)
    assert any(p in found for p in ("Medan", "Ipoh", "Leeds")), found  # the place still is


def test_domain_names_stay_whole():
    found = labels("Dikutip dari Tribunnews.com dan TRIBUNTRENDS.COM, warga Medan resah.")
    assert found["Tribunnews.com"] == "ORG" and found["TRIBUNTRENDS.COM"] == "ORG"
    assert not {"COM", "TRIBUNTRENDS", "Tribunnews"} & set(found)


def test_a_headline_only_receives_names_found_in_the_text():
    text = "Banjir Besar Rendam Kota Tua Semarang\n\nWarga Semarang mengungsi ke masjid."
    found = labels(text)
    assert found == {"Semarang": "LOC"}
    assert len(entity_of(_result(text), "Semarang").mentions) == 2


def test_what_has_no_type_is_kept_under_other_names():
    found = labels("Program itu bernama Nawa Cita, dan bendera Merah Putih dikibarkan.")
    assert found == {"Nawa Cita": "MISC", "Merah Putih": "MISC"}


# --- with a model: its labels win ---------------------------------------------------------------


def test_rules_fill_only_what_the_model_left_unlabelled():
    text = "Presiden Joko Widodo tiba di Bogor. Joko Widodo bertemu Gubernur Ridwan Kamil."
    rules = _result(text)
    widodo = text.index("Joko Widodo")
    model = EntityResult(
        [Entity("Joko Widodo", "ORG", 1, [Mention("Joko Widodo", widodo, widodo + 11, "ORG")])],
        "model",
        "some-ner",
    )
    merged = fill_unlabelled(model, rules)
    assert merged.kind == "model" and merged.model == "some-ner"
    by_text = {e.text: e for e in merged.entities}
    # the model's label is kept, and the second "Joko Widodo" the model missed joins its entity
    assert by_text["Joko Widodo"].label == "ORG"
    assert [m.start for m in by_text["Joko Widodo"].mentions] == [
        widodo,
        text.index("Joko Widodo", widodo + 1),
    ]
    assert by_text["Bogor"].label == "LOC" and by_text["Ridwan Kamil"].label == "PER"
    spans = sorted((m.start, m.end) for e in merged.entities for m in e.mentions)
    assert all(a[1] <= b[0] for a, b in zip(spans, spans[1:], strict=False))


def test_a_model_mention_is_never_overlapped_or_relabelled():
    text = "Menteri Luar Negeri Retno Marsudi tiba di Jakarta."
    start = text.index("Retno")
    model = EntityResult(
        [Entity("Retno", "PER", 1, [Mention("Retno", start, start + 5, "PER")])], "model", "m"
    )
    merged = fill_unlabelled(model, _result(text))
    texts = {(e.text, e.label) for e in merged.entities}
    assert ("Retno", "PER") in texts and ("Retno Marsudi", "PER") not in texts
    assert ("Jakarta", "LOC") in texts


def test_an_acronym_of_a_persons_initials_is_that_person():
    result = _result("Susilo Bambang Yudhoyono berpidato. Menurut dia, SBY tidak mundur.")
    entity = entity_of(result, "SBY")
    assert entity.text == "Susilo Bambang Yudhoyono" and entity.label == "PER"


def test_one_word_ministries_other_spellings_and_province_short_names():
    found = labels("Bantuan dari Kemensos tiba di Moskow dan Jabar pekan lalu.")
    assert found == {"Kemensos": "ORG", "Moskow": "LOC", "Jabar": "LOC"}


def test_a_role_after_a_title_is_no_person():
    assert labels("Kemarin mantan Menteri Perumahan Rakyat itu datang.") == {}


def test_an_organisation_inside_another_is_split_at_its_parent():
    found = labels("Anggota Fraksi Partai Demokrat Saan Mustopa hadir di Jakarta.")
    assert found == {"Partai Demokrat": "ORG", "Saan Mustopa": "PER", "Jakarta": "LOC"}
    found = labels("Kemarin Dekan Fakultas Kehutanan UGM menerima tamu.")
    assert found == {"Fakultas Kehutanan": "ORG", "UGM": "ORG"}


@pytest.mark.parametrize(
    ("text", "language", "person"),
    [
        ("Jokowi mengatakan jembatan itu selesai.", "id", "Jokowi"),
        ("Anwar berkata rundingan itu berjaya.", "ms", "Anwar"),
        ("Ardern said the talks went well.", "en", "Ardern"),
    ],
)
def test_a_name_that_starts_a_sentence_before_a_speech_verb_is_a_person(text, language, person):
    assert labels(text, language) == {person: "PER"}


def test_a_party_board_before_the_party_names_the_party():
    assert labels("Kemarin DPP Partai Golkar menggelar rapat.") == {"Partai Golkar": "ORG"}


def test_arabic_articles_company_endings_and_roman_numerals():
    found = labels("Kemarin Presiden Omar al-Beshir menemui direksi Sony Electronics.")
    assert found == {"Omar al-Beshir": "PER", "Sony Electronics": "ORG"}
    assert labels("Materi itu diajarkan pada level II di Medan.") == {"Medan": "LOC"}


def test_branches_districts_and_a_person_after_a_party():
    found = labels("Kemarin Ketua PAN Sulawesi Selatan datang ke Jawa Tengah V.")
    assert found == {"PAN": "ORG", "Sulawesi Selatan": "LOC", "Jawa Tengah": "LOC"}
    found = labels("Hal itu dikatakan Wakil Sekretaris Jenderal PDIP Ahmad Basarah.")
    assert found == {"PDIP": "ORG", "Ahmad Basarah": "PER"}
    found = labels("Hal itu dikatakan Wasekjen Golkar Tantowi Yahya di Senayan.")
    assert found == {"Golkar": "ORG", "Tantowi Yahya": "PER", "Senayan": "LOC"}


def test_a_full_form_found_by_its_initials_keeps_commas_and_dan():
    text = "Menurut Badan Meteorologi, Klimatologi, dan Geofisika (BMKG), hujan turun. BMKG siaga."
    result = _result(text)
    entity = entity_of(result, "BMKG")
    assert entity.text == "Badan Meteorologi, Klimatologi, dan Geofisika"
    assert entity.label == "ORG" and len(entity.mentions) == 3
    found = labels(
        "Kemarin Dinas Kelautan dan Perikanan Sulawesi Utara menolak usul Golkar dan PDIP."
    )
    assert found == {
        "Dinas Kelautan dan Perikanan Sulawesi Utara": "ORG",
        "Golkar": "ORG",
        "PDIP": "ORG",
    }


def test_lists_of_places_events_datelines_and_a_place_without_its_head():
    result = _result(
        "Semarang - Banjir rob merendam Tambak Lorok. Air masuk ke Kemijen, Bandarharjo, dan "
        "Tambak Lorok. Lurah Kelurahan Kemijen menolak. Festival Film Dokumenter Nusantara batal."
    )
    found = {m.text: m.label for e in result.entities for m in e.mentions}
    assert found["Kemijen"] == found["Bandarharjo"] == found["Tambak Lorok"] == "LOC"
    assert entity_of(result, "Kemijen") is entity_of(result, "Kelurahan Kemijen")
    assert found["Festival Film Dokumenter Nusantara"] == "MISC"
    assert "Banjir" not in found


def test_malay_and_english_titles_inside_a_run_and_first_names():
    text = (
        "Menteri Kewangan II Datuk Seri Amir Hamzah Azizan hadir. Pengerusi SPRM Tan Sri Azam "
        "Baki berkata siasatan diteruskan. Kemudian Amir bertemu wartawan."
    )
    result = _result(text, "ms")
    found = {m.text: m.label for e in result.entities for m in e.mentions}
    assert found["Amir Hamzah Azizan"] == "PER" and found["Azam Baki"] == "PER"
    assert found["SPRM"] == "ORG" and "II" not in " ".join(found)
    assert entity_of(result, "Amir") is entity_of(result, "Amir Hamzah Azizan")
    found = labels(
        "Indonesian President Prabowo Subianto met Bank Indonesia Governor Perry Warjiyo.", "en"
    )
    assert found == {"Prabowo Subianto": "PER", "Bank Indonesia": "ORG", "Perry Warjiyo": "PER"}


def test_an_english_wire_story():
    text = (
        "LONDON (AP) - British Prime Minister Keir Starmer met NATO Secretary-General Mark "
        "Rutte in Brussels. Critics in the Conservative Party were unmoved, and shares rose on "
        "the London Stock Exchange. Starmer said Britain would act."
    )
    result = _result(text, "en")
    found = {m.text: m.label for e in result.entities for m in e.mentions}
    assert found["LONDON"] == "LOC" and found["Brussels"] == "LOC" and found["Britain"] == "LOC"
    assert found["Keir Starmer"] == "PER" and found["Mark Rutte"] == "PER"
    assert found["NATO"] == "ORG" and found["Conservative Party"] == "ORG"
    assert found["London Stock Exchange"] == "ORG" and found["AP"] == "ORG"
    assert entity_of(result, "Starmer") is entity_of(result, "Keir Starmer")


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        # a preposition before a name no list knows
        ("Rombongan itu tiba di Tualangsekah semalam.", "ms", {"Tualangsekah": "LOC"}),
        ("The convoy arrived in Wakatobu on Monday.", "en", {"Wakatobu": "LOC"}),
        # a city whose name starts with a place head, and a Malay picture credit
        ("Banjir melanda Kota Bharu. Gambar: BERNAMA", "ms", {"Kota Bharu": "LOC"}),
        # a currency written with a country code
        ("The fund paid US$5 million to Leeds.", "en", {"Leeds": "LOC"}),
    ],
)
def test_more_cues_and_never_names_in_malay_and_english(text, language, expected):
    assert labels(text, language) == expected
