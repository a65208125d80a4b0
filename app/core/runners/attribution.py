"""Summaries you can check: each summary sentence's supporting article sentences, and the names,
numbers, dates and amounts of the summary that the article does not contain.

Deterministic and model-free, so it runs on every summary (abstractive or extractive): tens of
milliseconds for a news article, about a second for a 50,000-word text
(``benchmarks/attribution.py``).

* **Sources.** Every sentence of the original and of the paragraph-aligned English translation
  is a candidate. A summary sentence becomes a bag of weighted features: content words (stemmed
  lightly, stop words dropped, with cognate spellings and common English words of Indonesian
  names as alternatives), names (capitalised words, weight ``NAME_WEIGHT``), numbers (by value,
  weight ``NUMBER_WEIGHT``) and day and month names (by meaning, so "Jumat" is "Friday"), each
  also weighted by its inverse document frequency over the article's sentences. Candidates are
  picked greedily by the weight they add (the first at least ``MIN_SUPPORT``, each further one
  at least ``MIN_GAIN``, at most ``MAX_SOURCES``); ``support`` is the share of the sentence's
  weight the picked sources hold. A source on one side brings its counterpart on the other: the
  sentence at the same place in the aligned paragraph (or the one sharing most features there),
  so an English summary of an Indonesian article points into both panes.
* **Unsupported facts.** Every number, amount, date and name of a summary sentence is looked up
  in the whole original and translation: numbers by value, the article's under both decimal
  conventions ("1.500" is 1500 in Indonesian, 1.5 in English) and the summary's as its language
  writes them, with scale words ("Rp 1,5 triliun" = "1.5 trillion" = "1,500 billion") and
  rounding to the summary's precision ("1.5 trillion" for "Rp 1,48 triliun"); day and month
  names across Indonesian and English, and numeric dates ("(5/8/2022)"); names
  case-insensitively with a possessive or a short suffix tolerated ("Indonesia's",
  "Indonesian"), cognates ("Meteorology"/"Meteorologi") and :data:`EQUIVALENTS`
  ("East"/"Timur"). With no translation to check an English summary against, a name of several
  words passes when one of its words is found (institutions' names are translated). A
  capitalised word that starts a sentence is taken for a name only inside a run of capitalised
  words, or with a possessive, or as an acronym. Number words ("tiga", "three") in the article
  count as numbers, but the summary's number words are not checked ("the two leaders" for
  "kedua pemimpin").
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, cast

from app.core.base.results import (
    AnalysisResult,
    SentenceSource,
    Summary,
    SummarySentence,
    Translation,
    UnsupportedItem,
)
from app.core.reading.document import Article
from app.core.reading.segment import sentence_spans

_WORDS_ID = """
ia dia mereka kami kita saya aku anda engkau kamu beliau itu ini tersebut para sang si
dan atau tetapi namun tapi serta lalu kemudian sementara selama setelah sebelum sebelumnya
sesudah ketika saat sejak hingga sampai karena sebab jika kalau bila apabila meski meskipun
walaupun agar supaya bahwa yang di ke dari pada dalam untuk bagi dengan oleh tentang terhadap
antara sebagai seperti akan telah sudah belum masih juga pun hanya bahkan tidak bukan ada
adalah ialah merupakan menurut berdasarkan selain sedangkan demikian
apa siapa mana kapan mengapa bagaimana berapa semua seluruh setiap beberapa banyak sebagian
hari bulan tahun pukul wib wita wit
"""
_WORDS_EN = """
the a an this that these those it its he she they we i you his her their our my your
and or but so yet nor for of in on at to from by with about as into over after before
during while when where what which who whom whose why how if then than also however
meanwhile moreover although though because since until unless there here not no yes
all some many most each every both either neither more less other another such
is are was were be been being has have had will would can could should may might must
"""
#: Words that are never content or names (Indonesian and English function words).
STOP_WORDS = frozenset((_WORDS_ID + _WORDS_EN).split())
#: Titles before a name ("President Joko Widodo"): not part of the name that is checked.
_TITLES = """
presiden wakil menteri sekretaris kepala ketua direktur gubernur jenderal perdana raja ratu
pangeran bapak ibu pak bu tuan nyonya kapten kolonel letnan mayor komisaris dr prof ir hj
bupati walikota wali kota camat
president vice prime minister secretary chairman director governor general king queen prince
senator mr mrs ms sir dame lord lady regent mayor
"""
TITLE_WORDS = frozenset(_TITLES.split())

#: Feature weights before the inverse document frequency.
WORD_WEIGHT = 1.0
NAME_WEIGHT = 3.0
NUMBER_WEIGHT = 3.0
DATE_WEIGHT = 2.0
#: At most this many sources per side for one summary sentence.
MAX_SOURCES = 3
#: A first source must hold at least this share of the sentence's weight...
MIN_SUPPORT = 0.15
#: ...and every further one must add at least this share.
MIN_GAIN = 0.05

DAYS = {
    "senin": 1, "monday": 1, "mon": 1,
    "selasa": 2, "tuesday": 2, "tue": 2, "tues": 2,
    "rabu": 3, "wednesday": 3, "wed": 3,
    "kamis": 4, "thursday": 4, "thu": 4, "thurs": 4,
    "jumat": 5, "jum'at": 5, "jum\u2019at": 5, "friday": 5, "fri": 5,
    "sabtu": 6, "saturday": 6, "sat": 6,
    "minggu": 7, "ahad": 7, "sunday": 7, "sun": 7,
}  # fmt: skip
MONTHS = {
    "januari": 1, "january": 1, "jan": 1,
    "februari": 2, "pebruari": 2, "february": 2, "feb": 2,
    "maret": 3, "march": 3, "mar": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "june": 6, "jun": 6,
    "juli": 7, "july": 7, "jul": 7,
    "agustus": 8, "august": 8, "agu": 8, "agt": 8, "aug": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "october": 10, "okt": 10, "oct": 10,
    "november": 11, "nopember": 11, "nov": 11,
    "desember": 12, "december": 12, "des": 12, "dec": 12,
}  # fmt: skip
#: Only full names are read as dates in a summary ("may", "sun", "mar" are ordinary words).
_SUMMARY_DATE_WORDS = {w for w in (*DAYS, *MONTHS) if len(w) > 3 or w == "mei"}
SCALES = {
    "ribu": 1e3, "thousand": 1e3, "rb": 1e3,
    "juta": 1e6, "million": 1e6, "jt": 1e6, "mln": 1e6,
    "miliar": 1e9, "milyar": 1e9, "billion": 1e9, "bn": 1e9, "m": 1e9,
    "triliun": 1e12, "trilyun": 1e12, "trillion": 1e12, "t": 1e12, "tn": 1e12,
}  # fmt: skip
CURRENCIES = ("rp", "idr", "us$", "usd", "$", "€", "eur", "£", "rupiah", "dollars", "dollar",
              "dolar", "euro", "euros")  # fmt: skip
NUMBER_WORDS = {
    "satu": 1, "dua": 2, "tiga": 3, "empat": 4, "lima": 5, "enam": 6, "tujuh": 7,
    "delapan": 8, "sembilan": 9, "sepuluh": 10, "sebelas": 11, "seratus": 100, "seribu": 1000,
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "hundred": 100, "thousand": 1000,
}  # fmt: skip

#: English words of names that Indonesian writes differently ("Central Java" is "Jawa Tengah",
#: "Ministry of Finance" is "Kementerian Keuangan"), so a summary written in English from an
#: article with no translation is not flagged for them. Both directions; compared casefolded.
_EQUIVALENTS_TEXT = """
north:utara south:selatan east:timur west:barat central:tengah southeast:tenggara
java:jawa sumatra:sumatera moluccas:maluku borneo:kalimantan
ministry:kementerian minister:menteri office:dinas office:kantor province:provinsi regency:kabupaten city:kota
district:kecamatan village:desa island:pulau islands:kepulauan river:sungai mount:gunung
university:universitas police:polisi court:pengadilan supreme:agung constitutional:konstitusi
agency:badan commission:komisi council:dewan party:partai national:nasional regional:daerah
state:negara republic:republik people:rakyat house:dewan general:umum
finance:keuangan health:kesehatan education:pendidikan religious:agama affairs:urusan
foreign:luar trade:perdagangan industry:perindustrian transportation:perhubungan
agriculture:pertanian defence:pertahanan defense:pertahanan home:dalam
united:serikat states:serikat america:amerika netherlands:belanda japan:jepang
china:tiongkok germany:jerman france:prancis britain:inggris england:inggris english:inggris
saudi:saudi arabia:arab egypt:mesir india:india russia:rusia korea:korea
"""
EQUIVALENTS: dict[str, set[str]] = {}
for _pair in _EQUIVALENTS_TEXT.split():
    _en, _id = _pair.split(":")
    EQUIVALENTS.setdefault(_en, set()).add(_id)
    EQUIVALENTS.setdefault(_id, set()).add(_en)
#: Numeric dates: "(5/8)", "5/8/2022", "2022-08-05".
_NUMERIC_DATE = re.compile(
    r"(?<![\d/])(?:(\d{1,2})/(\d{1,2})(?:/(\d{2,4}))?|(\d{4})-(\d{1,2})-(\d{1,2}))(?![\d/])"
)

_WORD = re.compile(r"[^\W\d_](?:[\w\u2019'\-]*[^\W_])?")
_NUMBER = re.compile(
    r"(?<![\w.,])(?P<cur>(?:Rp|IDR|US\$|USD|\$|€|£|EUR)\.?\s?)?"
    r"(?P<num>\d+(?:[.,]\d+)*)(?![\w])"
    r"(?P<pct>\s?(?:%|persen\b|percent\b|per cent\b))?"
    r"(?P<scale>\s?(?:ribu|thousand|rb|juta|million|jt|mln|miliar|milyar|billion|bn|m|"
    r"triliun|trilyun|trillion|tn|t)\b)?"
    r"(?P<cur2>\s(?:rupiah|dollars?|dolar|euros?)\b)?",
    re.IGNORECASE,
)
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u00b7\u2013]|\d{1,2}[.)])\s+")
_POSSESSIVE = re.compile(r"(?:['\u2019]s?|-nya)$", re.IGNORECASE)
_OPENERS = " \t\"'\u201c\u2018([\u2013\u2014-"


# --- features ------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def _stem(word: str) -> str:
    """A light, language-agnostic stem for matching (never shown): "elections" ~ "election",
    "pembangunan" ~ "pembangun", "mengatakan" ~ "mengata"."""
    w = _POSSESSIVE.sub("", word.casefold())
    for suffix in ("nya", "kan", "lah", "kah", "ing", "ed", "es", "an", "s", "i"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            return w[: -len(suffix)]
    return w


#: Decimal conventions: (thousands separator, decimal mark).
_CONVENTIONS = {"en": ((",", "."),), "id": ((".", ","),), "ms": ((".", ","),)}
_BOTH_CONVENTIONS = ((",", "."), (".", ","))


def number_values(match: re.Match, language: str | None = None) -> set[float]:
    """Every value a written number may have, scale applied: read by ``language``'s decimal
    convention ("5,000" is 5000 in English, "5.000" in Indonesian), or by both when the language
    has none here, is not given, or its reading fails ("1,5" in English text)."""
    conventions = _CONVENTIONS.get(language or "", _BOTH_CONVENTIONS)
    values = _number_values(match, conventions)
    return values or _number_values(match, _BOTH_CONVENTIONS)


def _number_values(match: re.Match, conventions) -> set[float]:
    digits = match.group("num")
    scale_word = (match.group("scale") or "").strip().rstrip(".").casefold()
    scale = SCALES.get(scale_word, 1.0)
    if scale_word in ("m", "t") and not (match.group("cur") or match.group("cur2")):
        scale = 1.0  # "5 m" is five metres; "Rp 5 T" and "$5m" are amounts
    values = set()
    for thousands, decimal in conventions:
        parts = digits.split(decimal)
        if len(parts) > 2:
            continue
        groups = parts[0].split(thousands)
        if len(groups) > 1 and not all(len(g) == 3 for g in groups[1:]):
            continue
        text = "".join(groups) + ("." + parts[1] if len(parts) == 2 else "")
        try:
            values.add(float(text) * scale)
        except ValueError:
            continue
    return values


def _significant(match: re.Match) -> int:
    digits = re.sub(r"\D", "", match.group("num")).lstrip("0")
    return max(1, len(digits.rstrip("0")) or 1)


def _round_sig(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    return round(value, -int(math.floor(math.log10(abs(value)))) + digits - 1)


def _number_kind(match: re.Match) -> Literal["number", "amount"]:
    if match.group("cur") or match.group("cur2") or match.group("scale"):
        return "amount"
    return "number"


@dataclass(eq=False)  # compared by identity
class _Sentence:
    side: Literal["original", "translation"]
    paragraph: int
    index: int  # sentence number within its paragraph
    start: int  # offsets: Article.text (original) or the translation paragraph (translation)
    end: int
    keys: frozenset[str]
    #: position in the article's list of sentences (set by :class:`_Index`)
    number: int = -1


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[:start].rstrip(_OPENERS)
    return not before or before[-1] in ".!?:;\n"


_COGNATE_ENDINGS = (("tion", "si"), ("ty", "tas"), ("ics", "ika"), ("y", "i"))


@lru_cache(maxsize=65536)
def cognate(word: str) -> str:
    """A spelling skeleton that English and Indonesian cognates share: "meteorology" and
    "meteorologi", "climatology" and "klimatologi", "university" and "universitas", "social" and "sosial"."""
    w = _POSSESSIVE.sub("", word.casefold())
    for english, indonesian in _COGNATE_ENDINGS:
        if w.endswith(english) and len(w) > len(english) + 3:
            w = w[: -len(english)] + indonesian
            break
    w = w.replace("ph", "f").replace("q", "k").replace("x", "ks")
    return re.sub(r"c(?=[eiy])", "s", w).replace("c", "k")  # "social": sosial, "clinic": klinik


@lru_cache(maxsize=65536)
def _word_keys(word: str) -> frozenset[str]:
    raw = _POSSESSIVE.sub("", word.casefold())
    keys = {"w:" + raw, "w:" + _stem(word), "c:" + cognate(raw)}
    keys |= {"w:" + e for e in EQUIVALENTS.get(raw, ())}
    return frozenset(keys)


@lru_cache(maxsize=65536)
def _article_word_keys(written: str) -> frozenset[str]:
    """The keys one word of the article gives (its meaning as a day, month or number too)."""
    word = written.casefold()
    keys: set[str] = set()
    if word in DAYS:
        keys.add(f"d:{DAYS[word]}")
    if word in MONTHS:
        keys.add(f"m:{MONTHS[word]}")
    if word in NUMBER_WORDS:
        keys.add(f"n:{float(NUMBER_WORDS[word])!r}")
    if word not in STOP_WORDS and len(word) > 1:
        keys |= _word_keys(written)
    return frozenset(keys)


def _keys(text: str) -> set[str]:
    """Every feature key of a piece of article text (words, numbers, days, months)."""
    keys: set[str] = set()
    for written in set(_WORD.findall(text)):
        keys |= _article_word_keys(written)
    for match in _NUMBER.finditer(text):
        keys |= {f"n:{v!r}" for v in number_values(match)}
    return keys


@dataclass
class _Feature:
    alternatives: frozenset[str]
    weight: float


def _features(text: str) -> list[_Feature]:
    """The weighted features of one summary sentence (before the idf)."""
    features: list[_Feature] = []
    seen: set[frozenset[str]] = set()

    def add(keys: set[str] | frozenset[str], weight: float) -> None:
        alternatives = frozenset(keys)
        if alternatives not in seen:
            seen.add(alternatives)
            features.append(_Feature(alternatives, weight))

    for match in _WORD.finditer(text):
        word = match.group().casefold()
        if word in _SUMMARY_DATE_WORDS:
            add({f"d:{DAYS[word]}"} if word in DAYS else {f"m:{MONTHS[word]}"}, DATE_WEIGHT)
        elif word in NUMBER_WORDS:
            add({f"n:{float(NUMBER_WORDS[word])!r}"}, NUMBER_WEIGHT)
        elif word not in STOP_WORDS and len(word) > 1:
            name = match.group()[0].isupper() and not _starts_sentence(text, match.start())
            add(_word_keys(match.group()), NAME_WEIGHT if name else WORD_WEIGHT)
    for match in _NUMBER.finditer(text):
        values = number_values(match)
        if values:
            add({f"n:{v!r}" for v in values}, NUMBER_WEIGHT)
    return features


# --- sources -------------------------------------------------------------------------------


def _article_sentences(article: Article, translation: Translation | None) -> list[_Sentence]:
    sentences = []
    for i, paragraph in enumerate(article.paragraphs):
        for k, (start, end) in enumerate(sentence_spans(paragraph.text, article.language)):
            text = paragraph.text[start:end]
            sentences.append(
                _Sentence(
                    "original", i, k, paragraph.start + start, paragraph.start + end,
                    frozenset(_keys(text)),
                )
            )  # fmt: skip
    if translation is not None and translation.kind == "model":
        for i, text in enumerate(translation.paragraphs[: len(article.paragraphs)]):
            for k, (start, end) in enumerate(sentence_spans(text, "en") if text.strip() else []):
                keys = frozenset(_keys(text[start:end]))
                sentences.append(_Sentence("translation", i, k, start, end, keys))
    return sentences


def _counterpart(
    chosen: _Sentence, sentences: list[_Sentence], features, score
) -> _Sentence | None:
    """The sentence on the other side of the aligned paragraph that matches ``chosen``."""
    other = "translation" if chosen.side == "original" else "original"
    same_paragraph = [s for s in sentences if s.side == other and s.paragraph == chosen.paragraph]
    if not same_paragraph:
        return None
    mine = sum(1 for s in sentences if s.side == chosen.side and s.paragraph == chosen.paragraph)
    if mine == len(same_paragraph):  # as many sentences on both sides: they align one to one
        return same_paragraph[chosen.index]
    best = max(same_paragraph, key=lambda s: score(s))
    if score(best) > 0:
        return best
    position = chosen.index * len(same_paragraph) // max(1, mine)
    return same_paragraph[min(position, len(same_paragraph) - 1)]


class _Index:
    """The article's sentences (original, then translation) and, per feature key, the
    sentences holding it, so a summary sentence only looks at the sentences it shares a key
    with."""

    def __init__(self, sentences: list[_Sentence]):
        self.sentences = sentences
        self.postings: dict[str, list[int]] = {}
        for number, sentence in enumerate(sentences):
            sentence.number = number
            for key in sentence.keys:
                self.postings.setdefault(key, []).append(number)

    def document_frequency(self, feature: _Feature) -> int:
        return max((len(self.postings.get(key, ())) for key in feature.alternatives), default=0)

    def matches(self, features: list[_Feature]) -> dict[int, set[int]]:
        """Sentence number -> the features it holds, for every sentence holding one."""
        found: dict[int, set[int]] = {}
        for i, feature in enumerate(features):
            for key in feature.alternatives:
                for number in self.postings.get(key, ()):
                    found.setdefault(number, set()).add(i)
        return found


def _sources(
    features: list[_Feature],
    index: _Index,
    translation: Translation | None,
    article: Article,
) -> tuple[list[SentenceSource], float]:
    sentences = index.sentences
    total = sum(f.weight for f in features)
    if total <= 0 or not sentences:
        return [], 0.0
    found = index.matches(features)
    nothing: set[int] = set()

    def matched(sentence: _Sentence) -> set[int]:
        return found.get(sentence.number, nothing)

    def score(sentence: _Sentence) -> float:
        return sum(features[i].weight for i in matched(sentence)) / total

    covered: set[int] = set()
    chosen: list[_Sentence] = []
    while len(chosen) < MAX_SOURCES:
        best, best_gain = None, 0.0
        for number in sorted(found):  # in document order, so ties go to the earliest
            sentence = sentences[number]
            if sentence in chosen:
                continue
            gain = sum(features[i].weight for i in found[number] - covered) / total
            if gain > best_gain + 1e-12:
                best, best_gain = sentence, gain
        if best is None or best_gain < (MIN_GAIN if chosen else MIN_SUPPORT):
            break
        chosen.append(best)
        covered |= matched(best)
    support = sum(features[i].weight for i in covered) / total

    picked: dict[tuple[str, int, int], _Sentence] = {}
    for sentence in chosen:
        picked[(sentence.side, sentence.paragraph, sentence.index)] = sentence
        other = _counterpart(sentence, sentences, features, score)
        if other is not None:
            picked.setdefault((other.side, other.paragraph, other.index), other)
    sources = [
        SentenceSource(s.paragraph, s.start, s.end, s.side, round(score(s), 4))
        for s in sorted(picked.values(), key=lambda s: (s.side != "original", s.start, s.paragraph))
    ]
    if translation is not None and translation.kind == "identity":
        sources += [
            SentenceSource(
                s.paragraph,
                s.start - article.paragraphs[s.paragraph].start,
                s.end - article.paragraphs[s.paragraph].start,
                "translation",
                s.score,
            )
            for s in sources
        ]
    return sources, round(support, 4)


def _weighted(features: list[_Feature], index: _Index) -> list[_Feature]:
    """Each feature's weight times its inverse document frequency over the article's sentences."""
    n = max(1, len(index.sentences))
    out = []
    for feature in features:
        df = min(index.document_frequency(feature), n)
        out.append(_Feature(feature.alternatives, feature.weight * math.log(1 + n / (1 + df))))
    return out


# --- unsupported facts ---------------------------------------------------------------------


class _Evidence:
    """What the article (original and translation) contains, for fact checking."""

    def __init__(self, texts: list[str], cross_lingual: bool = False):
        #: the summary is in another language than every text here (no translation to check
        #: against): a name of several words counts as found when one of its words is
        self.cross_lingual = cross_lingual
        self.words: set[str] = set()
        self.stems: set[str] = set()
        self.cognates: set[str] = set()
        numbers: set[float] = set()
        self.days: set[int] = set()
        self.months: set[int] = set()
        written: set[str] = set()
        for text in texts:
            written.update(_WORD.findall(text))
            for match in _NUMBER.finditer(text):
                numbers |= number_values(match)
            for match in _NUMERIC_DATE.finditer(text):
                month = match.group(2) or match.group(5)
                if 1 <= int(month) <= 12:
                    self.months.add(int(month))
        for raw in written:  # each distinct spelling once
            word = _POSSESSIVE.sub("", raw.casefold())
            self.words.add(word)
            self.stems.add(_stem(word))
            self.cognates.add(cognate(word))
            if word in DAYS:
                self.days.add(DAYS[word])
            if word in MONTHS:
                self.months.add(MONTHS[word])
            if word in NUMBER_WORDS:
                numbers.add(float(NUMBER_WORDS[word]))
        self.numbers = sorted(numbers)
        self.prefixes = {w[:5] for w in self.words if len(w) >= 5}

    def has_word(self, word: str) -> bool:
        w = _POSSESSIVE.sub("", word.casefold())
        if w in self.words or _stem(w) in self.stems:
            return True
        if any(e in self.words for e in EQUIVALENTS.get(w, ())) or cognate(w) in self.cognates:
            return True
        if len(w) >= 5 and w[:5] in self.prefixes:
            # "Indonesian" for "Indonesia", "Jakarta-based": a short suffix on an article word
            return any(
                (w.startswith(a) or a.startswith(w)) and abs(len(w) - len(a)) <= 3
                for a in self.words
                if a[:5] == w[:5]
            )
        return False

    def has_number(self, match: re.Match, language: str | None = None) -> bool:
        """Whether the article holds the number of ``match`` (read as ``language`` writes)."""
        values = number_values(match, language)
        digits = _significant(match)
        for value in values:
            for known in self.numbers:
                if math.isclose(value, known, rel_tol=1e-9, abs_tol=1e-9):
                    return True
                if digits >= 2 and math.isclose(
                    _round_sig(known, digits), value, rel_tol=1e-9, abs_tol=1e-9
                ):
                    return True
        return False


def _unsupported(
    text: str, offset: int, evidence: _Evidence, language: str | None = None
) -> list[UnsupportedItem]:
    items: list[UnsupportedItem] = []
    taken: list[tuple[int, int]] = []

    def overlaps(start: int, end: int) -> bool:
        return any(start < e and s < end for s, e in taken)

    for match in _NUMBER.finditer(text):
        start, end = match.span()
        taken.append((start, end))
        if not evidence.has_number(match, language):
            span = text[start:end].rstrip()
            items.append(
                UnsupportedItem(
                    span, offset + start, offset + start + len(span), _number_kind(match)
                )
            )
    run: list[re.Match] = []

    def flush() -> None:
        words = [m for m in run if m.group().casefold() not in TITLE_WORDS]
        if not words:
            return
        if len(run) == 1 and _starts_sentence(text, run[0].start()):
            word = run[0].group()
            if not (_POSSESSIVE.search(word) or _is_acronym(word)):
                return  # a capitalised word starting a sentence may be an ordinary word
        found = [evidence.has_word(m.group()) for m in words]
        if all(found):
            return
        if evidence.cross_lingual and len(words) > 1 and any(found):
            return  # "Semarang Disaster Management Agency": a translated institution's name
        start, end = words[0].start(), words[-1].end()
        items.append(UnsupportedItem(text[start:end], offset + start, offset + end, "name"))

    previous_end = -1
    for match in _WORD.finditer(text):
        word = match.group()
        folded = word.casefold()
        if folded in _SUMMARY_DATE_WORDS:
            flush()
            run = []
            known = evidence.days if folded in DAYS else evidence.months
            key = DAYS[folded] if folded in DAYS else MONTHS[folded]
            if key not in known and not overlaps(*match.span()):
                items.append(
                    UnsupportedItem(word, offset + match.start(), offset + match.end(), "date")
                )
            previous_end = match.end()
            continue
        if overlaps(*match.span()):  # "US" of "US$ 2.3 billion"
            flush()
            run = []
            previous_end = match.end()
            continue
        capitalised = word[0].isupper() and folded not in STOP_WORDS
        gap = text[previous_end : match.start()] if previous_end >= 0 else ""
        if capitalised and run and gap.strip() == "":
            run.append(match)
        elif capitalised:
            flush()
            run = [match]
        else:
            flush()
            run = []
        previous_end = match.end()
    flush()
    items.sort(key=lambda item: item.start)
    return items


# --- the entry point -----------------------------------------------------------------------


def summary_sentence_spans(text: str, language: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of a summary: lines first (key points are a bulleted list,
    a bullet marker is not part of its sentence), then sentences within each line."""
    spans = []
    position = 0
    for line in text.split("\n"):
        bullet = _BULLET.match(line)
        skip = bullet.end() if bullet else 0
        body = line[skip:]
        if body.strip():
            for start, end in sentence_spans(body, language or "en"):
                spans.append((position + skip + start, position + skip + end))
        position += len(line) + 1
    return spans


def attribute(summary: Summary, article: Article, translation: Translation | None) -> Summary:
    """``summary`` with ``sentences``: each one's sources, support and unsupported facts."""
    if not summary.text.strip():
        return replace(summary, sentences=[])
    index = _Index(_article_sentences(article, translation))
    texts = [p.text for p in article.paragraphs]
    if translation is not None and translation.kind == "model":
        texts += translation.paragraphs
    has_translation = translation is not None and translation.kind == "model"
    cross_lingual = not has_translation and summary.language != article.language
    evidence = _Evidence(texts, cross_lingual)
    result = []
    for start, end in summary_sentence_spans(summary.text, summary.language):
        text = summary.text[start:end]
        features = _weighted(_features(text), index)
        sources, support = _sources(features, index, translation, article)
        result.append(
            SummarySentence(
                text,
                start,
                end,
                sources,
                support,
                _unsupported(text, start, evidence, summary.language),
            )
        )
    return replace(summary, sentences=result)


def attribute_result(result: AnalysisResult) -> AnalysisResult:
    """Attribute ``result``'s summary in place unless done already (a result cached before
    attribution existed gets it when loaded); returns ``result``."""
    summary = result.summary
    if summary is not None and summary.text.strip() and not summary.sentences:
        article = cast(Article, result.article)  # typed loosely in results.py (no cycle)
        result.summary = attribute(summary, article, result.translation)
    return result


def text_with_sources(summary: Summary) -> str:
    """The summary with each sentence followed by its source paragraphs ("Copy with sources"):
    ``[¶2, ¶3]`` (1-based, as a reader counts), or ``[no source]``; line breaks (key points)
    are kept."""
    if not summary.sentences:
        return summary.text
    out, position = [], 0
    for sentence in summary.sentences:
        out.append(summary.text[position : sentence.end])
        paragraphs = sorted({s.paragraph + 1 for s in sentence.sources})
        out.append(
            " [" + ", ".join(f"¶{p}" for p in paragraphs) + "]" if paragraphs else " [no source]"
        )
        position = sentence.end
    out.append(summary.text[position:])
    return "".join(out)
