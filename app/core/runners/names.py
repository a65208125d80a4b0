"""Model-free names: people, organisations and places from rules and place lists.

The recogniser for Indonesian, Malay and English that runs when no entity model is installed
(and fills what a model leaves unlabelled when one is):

1. Runs of capitalised words (with "bin", "van", "of"... inside) are candidate names. Picture
   credits, agency bylines, months, weekdays, currency amounts and function words are never
   names; a word at a sentence's or a quote's start that is common in Indonesian, Malay or
   English (wordfreq), built with affixes or ends in a particle ("Yakinlah"), and is no known
   place or given name, is taken for an ordinary word. Domain names stay whole
   ("Tribunnews.com").
2. Cues give the type: a title or role before a name makes a person and stays out of the span
   ("Presiden Joko Widodo"); an organisation head (Komisi, Partai, PT, University...) makes an
   organisation; a place head (Kabupaten, Jalan, Pulau...), a preposition (di, ke, dari, in,
   at, from) or a place list (CLDR countries, ISO provinces and states, GeoNames cities, BPS
   regencies; see :mod:`names_gazetteer`) makes a place; a speech verb ("kata Eva") makes a
   person; the name between a dateline's place and its dash is the outlet ("Teheran, Purna
   Warta - ...").
3. Linking: "Komisi Pemberantasan Korupsi (KPK)" makes one organisation with both spellings
   (a full form is also found by its initials, commas and "dan" included); a surname or first
   name alone joins the full name met in the article, as does a nickname in brackets after it
   ("Joko Widodo (Jokowi)"); an acronym of a person's initials joins the person, a place's
   name without its head joins the place, a country's form joins the country, and an
   organisation's name cut short joins the one full name met before it.
4. One word alone is a person only when something says so (a title, a given name from
   ``data/first_names.txt``, a speech verb, a full name it joins); a form of a country is the
   country ("Belarusia", "Iranian"), a word with an inner capital an organisation ("BelTa"), a
   head alone no name ("Koalisi ini ..."), anything else an other name. Events and works
   ("Festival ...") and runs that open with or are mostly ordinary words are kept under
   ``MISC`` ("Other names"); longer leftovers are taken for people. Guesses the text also
   writes in lower case are dropped, like the never-a-name classes.

With a model, the model's labels win: see :func:`fill_unlabelled`.

:func:`recognise` returns an :class:`EntityResult` of kind ``"rules"``;
:func:`fill_unlabelled` adds its names to a model's result where the model found nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Set
from dataclasses import dataclass, field

from app.core.base.results import Entity, EntityResult, Mention
from app.core.runners import names_cues as cues
from app.core.runners.names_gazetteer import (
    countries,
    first_names,
    languages_for,
    place_first_words,
    place_of_form,
    places,
    zipf,
)

PER, ORG, LOC, OTHER = "PER", "ORG", "LOC", "MISC"
LABELS = (PER, ORG, LOC, OTHER)
#: The label of the old untyped fallback; cached results may still carry it.
LABEL = "UNCLASSIFIED"

#: A sentence-initial word at least this common (Zipf scale) is an ordinary word.
INITIAL_COMMON_ZIPF = 5.0
#: The same for a sentence-initial word that is alone (no capitalised word follows) and is no
#: given name: a word of the language ("Realisasi", "Kadangkala") more often than a surname.
INITIAL_SINGLE_ZIPF = 3.0
#: The same in English, whose frequency lists hold many surnames ("Miller").
INITIAL_SINGLE_ZIPF_EN = 4.0
#: An English sentence-initial plural whose singular is this common is an ordinary word.
INITIAL_PLURAL_ZIPF_EN = 3.5
#: A word ending in a particle ("Yakinlah", "Kalaupun") is an ordinary word when the word
#: without it is at least this common ("yakin"); "Abdullah" is a given name.
PARTICLE_STEM_ZIPF = 4.0
#: Words at least this common (or affixed ones) certainly continue an organisation's name
#: after a title ("Dewan Perwakilan Rakyat"); "Ahmad" (4.94) does not.
ORG_CONTINUE_ZIPF = 5.0
#: Words at least this common continue an organisation's name ("Badan Penanggulangan Bencana").
ORG_WORD_ZIPF = 4.3
#: A sentence-initial word this common before a place, an organisation head or a title is an
#: ordinary word ("Delegasi Minsk").
INITIAL_BEFORE_CUE_ZIPF = 4.0
#: A sentence-initial word this common before one more capitalised word is an ordinary word
#: ("Pejabat Hamas"); "Bambang" and other given names are not.
INITIAL_BEFORE_WORD_ZIPF = 4.5
#: A sentence-initial word before a speech verb is a name unless at least this common.
INITIAL_SPEAKER_ZIPF = 5.5
#: After a title, words at least this common describe the role ("Menteri Luar Negeri").
ROLE_WORD_ZIPF = 4.9

_TLD = r"(?i:com|net|org|info|tv|news|co\.id|go\.id|or\.id|ac\.id|web\.id|id|com\.my|my|sg)"
_TOKEN = re.compile(
    r"(?P<domain>[A-Za-z][\w-]*\." + _TLD + r")(?![\w.])"
    r"|(?P<word>[^\W_](?:[\w'\u2019.-]*[^\W_])?)"
    r"|(?P<punct>\S)"
)
#: Indonesian/Malay derivational affixes (ke-an, pe-an, me-kan, di-kan, ber-, ter-...).
#: No se-...-i: "Setiabudi", "Setiadi" are names.
_DERIVED = re.compile(
    r"(?:ke|pe[nmr]?|pen[gy]|mem|men[gy]?|me|di|ber|ter)\w{3,}(?:an|kan|i)|se\w{3,}(?:an|kan)"
)
#: "al-Beshir", "el-Sisi": an Arabic article before a capitalised name.
_ARABIC_ARTICLE = re.compile(r"(?:al|el|ad|ar|as|at|az|an|ash|ul)-[A-Z]")
_ROMAN = re.compile(r"[IVXL]+")
_VERB_PREFIX = re.compile(r"(?:di|ber|ter|mem|men|meng|meny)(?=\w{4,}$)")
#: Indonesian/Malay particles that end a word: "Yakinlah", "Kalaupun", "Apakah".
_PARTICLE = re.compile(r"(\w{3,}?)(?:lah|kah|pun|tah)")
#: A word with a capital inside ("BelTa", "YouTube", "StatesWest"): a brand or an outlet more
#: often than a person; "McDonald", "DeSantis", "LeBron" are names.
_INNER_CAPITAL = re.compile(r"(?!(?:Mc|Mac|De|Di|Da|Du|La|Le|Van|Von|O)[A-Z])[A-Z][a-z]+[A-Z]\w*")
#: What follows a person's name: an age, or "seorang" (a person's article) after a comma.
_PERSON_AFTER = re.compile(r" ?\(\d{1,2}\)|, \d{1,2} (?:tahun|thn|years? old)\b|, seorang\b")
#: A dateline's outlet: "Teheran, Purna Warta – ...", "JAKARTA, Tribunnews -".
_DASHES = {"-", "\u2013", "\u2014"}
_LIST_GAP = re.compile(r",\s*|,?\s+(?:dan|and|serta|atau|or)\s+")
_LIST_NEXT = re.compile(r",?\s*(?:(?:dan|and|serta|atau|or)\s+)?[A-Z]")
_OPENERS = set("\"'\u201c\u2018([")
_QUOTES = set("\"'\u201c\u201d\u2018\u2019")
#: A dash ends a dateline ("Semarang - Banjir rob ...") as a full stop ends a sentence.
_SENTENCE_END = set(".!?:;\n\u2026|-\u2013\u2014")


@dataclass
class _Token:
    start: int
    end: int
    text: str
    kind: str  # "word", "domain" or "punct"

    @property
    def fold(self) -> str:
        return self.text.casefold()


@dataclass
class _Segment:
    start: int
    end: int
    label: str
    #: 2: a cue or a place list; 1: a weaker hint (a preposition, a speech verb); 0: a guess.
    strength: int
    text: str = ""
    #: Another surface of the same entity ("KPK" for its full form).
    alias_of: str | None = None


@dataclass(eq=False)  # each group is its own entity: compared by identity
class _Group:
    display: str
    label: str
    strength: int
    surfaces: set[str] = field(default_factory=set)
    #: Where the name is first met in the text.
    first: int = 0


def _tokens(paragraph: str, offset: int) -> list[_Token]:
    out = []
    for m in _TOKEN.finditer(paragraph):
        kind = m.lastgroup or "punct"
        text = m.group()
        if kind == "word" and "." in text:
            # "Jl.Sudirman" or an abbreviation: split at the dots, keep the pieces as words
            pos = m.start()
            for piece in re.finditer(r"[^.]+|\.", text):
                k = "punct" if piece.group() == "." else "word"
                s = pos + piece.start()
                out.append(_Token(s + offset, s + offset + len(piece.group()), piece.group(), k))
            continue
        if (
            kind == "word"
            and len(text) > 3
            and text[-2] in "'\u2019"
            and text[-1] in "sS"
            and not re.match(r" [A-Z]", paragraph[m.end() : m.end() + 2])
        ):
            text = text[:-2]  # "Indonesia's new capital"; "Moody's Investors" stays whole
        out.append(_Token(m.start() + offset, m.start() + offset + len(text), text, kind))
    return out


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_capitalised(token: _Token) -> bool:
    if token.kind == "domain":
        return True
    if token.kind != "word":
        return False
    if not token.text[0].isupper() and not _ARABIC_ARTICLE.match(token.text):
        return False
    return not any(c.isdigit() for c in token.text)


def _never_a_name(token: _Token) -> bool:
    """Months, weekdays, credits, currencies and function words are never names."""
    parts = [p for p in token.fold.split("-") if p]
    if not parts:
        return True
    if all(p in cues.MONTHS or p in cues.WEEKDAYS for p in parts):
        return True
    if token.fold in cues.STOP_WORDS or token.fold in cues.CURRENCIES:
        return True
    if token.fold in cues.COMMON_ACRONYMS:
        return True
    return token.fold in cues.CREDITS or token.fold in cues.LEGAL_FORMS


def _title_length(folds: list[str], i: int) -> int:
    """How many words from ``i`` form a person title ("wali kota" -> 2); 0 if none."""
    for length in (3, 2, 1):
        if i + length <= len(folds) and tuple(folds[i : i + length]) in cues.PERSON_TITLES:
            return length
    return 0


def _place_length(folds: list[str], i: int, stop: int) -> int:
    """The longest place name from the list starting at ``i`` (0 if none)."""
    known = places()
    best = 0
    if folds[i] in known:
        best = 1
    if folds[i] in place_first_words():
        for length in range(2, min(5, stop - i) + 1):
            if " ".join(folds[i : i + length]) in known:
                best = length
    return best


def _is_place(text: str) -> bool:
    return text.casefold() in places()


def _reduplicated(fold: str) -> bool:
    """ "perundingan-perundingan", "undang-undang": Indonesian plurals, never names."""
    parts = fold.split("-")
    return len(parts) == 2 and parts[1].endswith(parts[0][-3:]) and len(parts[0]) > 2


def _sentence_initial(tokens: list[_Token], index: int) -> bool:
    j = index - 1
    while j >= 0 and tokens[j].kind == "punct" and tokens[j].text in _OPENERS:
        j -= 1
    return j < 0 or (tokens[j].kind == "punct" and tokens[j].text in _SENTENCE_END)


def _runs(
    tokens: list[_Token], text: str, ordinary: Callable[[str], bool] = lambda _: False
) -> list[tuple[int, int]]:
    """Index ranges [i, j) of capitalised runs; connectors only between capitalised words, and
    "dan"/"and" inside an organisation's name when an ordinary word follows ("Dinas Kelautan
    dan Perikanan", not "Golkar dan PDIP")."""
    runs = []
    i, n = 0, len(tokens)
    while i < n:
        if not _is_capitalised(tokens[i]):
            i += 1
            continue
        j = i + 1
        while j < n:
            gap = text[tokens[j - 1].end : tokens[j].start]
            if gap != " ":
                break
            if _is_capitalised(tokens[j]) and tokens[j].kind == "word":
                j += 1
                continue
            if (
                tokens[j].fold in cues.CONNECTORS
                and j + 1 < n
                and text[tokens[j].end : tokens[j + 1].start] == " "
                and _is_capitalised(tokens[j + 1])
                and tokens[j + 1].kind == "word"
            ):
                j += 2
                continue
            if (
                tokens[j].fold in cues.ORG_AND
                and any(tokens[k].fold in cues.ORG_HEADS for k in range(i, j))
                and j + 1 < n
                and text[tokens[j].end : tokens[j + 1].start] == " "
                and _is_capitalised(tokens[j + 1])
                and not _is_acronym(tokens[j + 1].text)
                and tokens[j + 1].fold not in cues.ORG_HEADS
                and ordinary(tokens[j + 1].fold)
            ):
                j += 2
                continue
            break
        runs.append((i, j))
        i = j
    return runs


class _Paragraph:
    def __init__(self, text: str, paragraph: str, offset: int, langs: tuple[str, ...]):
        self.text = text
        self.tokens = _tokens(paragraph, offset)
        self.folds = [t.fold for t in self.tokens]
        self.langs = langs

    def _common(self, fold: str, threshold: float) -> bool:
        return zipf(fold, self.langs) >= threshold

    def _common_own(self, fold: str, threshold: float) -> bool:
        """Common in the article's own language (English lists hold many foreign names)."""
        return zipf(fold, self.langs[:1]) >= threshold

    def _ordinary_initial(self, token: _Token, folds: list[str], i: int, j: int) -> bool:
        """A capitalised sentence-initial word that is an ordinary word: common in the frequency
        lists, or built like one ("Pasalnya", "Perundingan-perundingan"); never a known place."""
        fold = token.fold
        if _is_acronym(token.text) or _place_length(folds, i, j) or fold in cues.PARTIES:
            return False
        if fold in first_names():
            return self._common(fold, INITIAL_SPEAKER_ZIPF)  # a given name: "Bambang", "Eva"
        if j - i == 1 and place_of_form(fold):
            return False  # "Belarusia mengatakan ...": the country
        if j - i == 1 and j < len(folds) and folds[j] in cues.SPEECH_AFTER:
            # "Jokowi mengatakan ...": a person speaks, unless it is a very common word
            return self._common(fold, INITIAL_SPEAKER_ZIPF)
        if self._common(fold, INITIAL_COMMON_ZIPF):
            return True
        if fold.endswith("nya") and len(fold) > 5:
            return True
        if self._derived(fold):
            return True
        single = INITIAL_SINGLE_ZIPF_EN if self.langs[0] == "en" else INITIAL_SINGLE_ZIPF
        if j - i == 1 and self._common_own(fold, single):
            return True
        if (
            self.langs[0] == "en"
            and j - i == 1
            and fold.endswith("s")
            and fold[:-1] not in first_names()
            and self._common_own(fold[:-1], INITIAL_PLURAL_ZIPF_EN)
        ):
            return True  # "Analysts at ...": a plural of a word; "Williams" is a surname
        particle = _PARTICLE.fullmatch(fold)
        if particle and zipf(particle.group(1), self.langs[:1]) >= PARTICLE_STEM_ZIPF:
            return True  # "Yakinlah", "Kalaupun"
        return _reduplicated(fold)

    def _looks_like_person(self, i: int, j: int) -> bool:
        """One to four words, none of them ordinary, an acronym or an organisation head."""
        return 1 <= j - i <= 4 and not any(
            self._role_word(self.folds[k])
            or _is_acronym(self.tokens[k].text)
            or self.folds[k] in cues.ORG_HEADS
            or _place_length(self.folds, k, j)
            for k in range(i, j)
        )

    def _ordinary_word(self, fold: str) -> bool:
        """Common (Zipf 4 or more) or built with affixes: "Perikanan", "Klimatologi"."""
        return self._common(fold, 4.0) or self._derived(fold)

    def _ordinary_noun(self, fold: str) -> bool:
        """A word of the language, not a name: very common ("Pejabat"), built with affixes
        ("Pembangunan"), or a common stem with -an ("Gabungan" from "gabung")."""
        if len(fold) <= 2:
            return False  # an initial: "M Romahurmuziy"
        if self._common_own(fold, ROLE_WORD_ZIPF) or self._derived(fold):
            return True
        stem = fold[:-2]
        return (
            self.langs[0] != "en"
            and fold.endswith("an")
            and len(stem) >= 4
            and zipf(stem, ("id", "ms")) >= INITIAL_BEFORE_CUE_ZIPF  # the two share stems
        )

    def _role_word(self, fold: str) -> bool:
        """A word that describes a role rather than names a person ("Luar Negeri",
        "Perumahan Rakyat"): common, or built with affixes from a common word."""
        own = zipf(fold, self.langs[:1])  # the article's language: "Bill" is no role in Indonesian
        return own >= ROLE_WORD_ZIPF or self._derived(fold)

    def _derived(self, fold: str) -> bool:
        """An Indonesian/Malay word built with affixes from an ordinary word: "Kedatangan",
        "Pembangunan", "Dirangkum" (di- + rangkum, and "merangkum" is a word too),
        "Bersaudara". Not for English articles."""
        if self.langs[0] == "en":
            return False
        if _DERIVED.fullmatch(fold) and self._common(fold, 3.0):
            return True
        prefix = _VERB_PREFIX.match(fold)
        if prefix and self._common(fold, 3.0):
            stem = fold[prefix.end() :]
            forms = [stem, stem + "an", "me" + stem, "mem" + stem, "men" + stem, "meng" + stem]
            return any(self._common(f, 3.0) for f in forms if f != fold)
        return False

    def segments(self) -> list[_Segment]:
        out: list[_Segment] = []
        for i, j in _runs(self.tokens, self.text, self._ordinary_word):
            for seg in self._run(i, j):
                # "di Tambak Lorok, Kemijen, dan Bandarharjo": a list goes on with the same type
                gap = self.text[out[-1].end : seg.start] if out else ""
                after = self.text[seg.end : seg.end + 12]
                in_list = _LIST_GAP.fullmatch(gap) and (
                    gap.strip() != "," or _LIST_NEXT.match(after)
                )
                if seg.strength == 0 and out and out[-1].label == LOC and in_list:
                    seg.label, seg.strength = LOC, 1
                out.append(seg)
        return out

    def _segment(self, i: int, j: int, label: str, strength: int) -> _Segment:
        tokens = self.tokens
        # connectors never end a name
        while j - 1 > i and tokens[j - 1].fold in cues.CONNECTORS:
            j -= 1
        start, end = tokens[i].start, tokens[j - 1].end
        return _Segment(start, end, label, strength, self.text[start:end])

    def _byline(self, i: int) -> bool:
        """An agency in a caption's credit: "REUTERS/Ali", "(ANTARA/Akbar)", "FOTO: AFP"."""
        tokens = self.tokens
        after = tokens[i + 1].text if i + 1 < len(tokens) else ""
        before = [t.fold for t in tokens[max(0, i - 2) : i]]
        return after == "/" or (before[-1:] == ["/"]) or any(b in cues.CREDITS for b in before)

    def _previous_word(self, i: int) -> str:
        j = i - 1
        if j >= 0 and self.tokens[j].kind == "word":
            return self.tokens[j].fold
        return ""

    def _run(self, i: int, j: int) -> list[_Segment]:
        tokens = self.tokens
        folds = self.folds
        if tokens[i].kind == "domain":
            return [self._segment(i, i + 1, ORG, 2)]
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if j - i == 1 and after is not None and after.text == "$" and after.start == tokens[i].end:
            return []  # "US$5": a currency
        if j - i == 1 and folds[i] in cues.AGENCIES:
            return [] if self._byline(i) else [self._segment(i, j, ORG, 2)]
        if self._quoted_phrase(i, j):
            return [self._segment(i, j, OTHER, 1)]  # a slogan or a title: “Bersatu Kita Teguh”
        person_cue = False
        # 1. leading titles, never-names and sentence-initial ordinary words
        while i < j:
            if _place_length(folds, i, j) > 1:
                break  # "Raja Ampat" is a place, not a king
            length = _title_length(folds, i)
            if length:
                person_cue, i = True, i + length
                continue
            if folds[i] in cues.ORG_HEADS or folds[i] in cues.PLACE_HEADS_IN:
                break
            if _never_a_name(tokens[i]) or folds[i] in cues.CONNECTORS:
                i += 1
                continue
            if _sentence_initial(tokens, i) and self._ordinary_initial(tokens[i], folds, i, j):
                i += 1
                continue
            if (
                _sentence_initial(tokens, i)
                and i + 1 < j
                and self._common(folds[i], INITIAL_BEFORE_CUE_ZIPF)
                and (
                    _place_length(folds, i + 1, j)
                    or folds[i + 1] in cues.ORG_HEADS
                    or _title_length(folds, i + 1)
                    or (i + 2 == j and place_of_form(folds[i + 1]))
                    or (folds[i + 1] in first_names() and folds[i] not in first_names())
                    or (
                        i + 2 == j
                        and self._common_own(folds[i], INITIAL_BEFORE_WORD_ZIPF)
                        and folds[i] not in first_names()
                    )
                )
            ):
                i += 1  # "Delegasi Minsk", "Kemarin Wahyu": an ordinary word first
                continue
            break
        # trailing never-names ("Jakarta Senin")
        while j > i and _never_a_name(tokens[j - 1]):
            j -= 1
        roman = j - i >= 2 and _ROMAN.fullmatch(tokens[j - 1].text)
        if roman and _place_length(folds, i, j - 1) == j - 1 - i:
            j -= 1  # "Jawa Tengah V": an electoral district of a place
        if i >= j:
            return []
        if person_cue:
            return self._after_title(i, j)
        return self._typed(i, j)

    def _named_alone_elsewhere(self, i: int) -> bool:
        """Word ``i`` also stands alone elsewhere in the text, not before the word that follows
        it here: a name of its own."""
        word, after = self.tokens[i].text, self.tokens[i + 1].text
        pattern = r"(?<![\w-])" + re.escape(word) + r"(?![\w-])(?! " + re.escape(after) + r")"
        return (
            not self._role_word(self.folds[i])
            and self.folds[i] not in first_names()
            and re.search(pattern, self.text) is not None
        )

    def _quoted_phrase(self, i: int, j: int) -> bool:
        """A capitalised phrase that fills a quotation and holds an ordinary word: a slogan, a
        heading or a title (“Bersatu Kita Teguh”, "Make America Great Again"), no person."""
        tokens = self.tokens
        if j - i < 2 or i == 0 or j >= len(tokens):
            return False
        if tokens[i - 1].text not in _QUOTES or tokens[j].text not in _QUOTES:
            return False
        return any(
            self.folds[k] in cues.STOP_WORDS or self._ordinary_noun(self.folds[k])
            for k in range(i, j)
        )

    def _after_title(self, i: int, j: int) -> list[_Segment]:
        """ "Menteri Luar Negeri Retno Marsudi", "Ketua DPR Puan", "Bupati Kolaka Timur Andi":
        organisations and places that qualify the title get their own type; the rest is the
        person."""
        tokens, folds = self.tokens, self.folds
        out = []
        while i < j - 1:
            length = _title_length(folds, i)
            if length and i + length < j:  # "Kapolres Bogor AKBP Rio", "Wakil Ketua Umum"
                i += length
                continue
            if _ROMAN.fullmatch(tokens[i].text):
                i += 1  # "Menteri Kewangan II"
                continue
            if folds[i] in cues.PARTIES and not _is_acronym(tokens[i].text):
                out.append(self._segment(i, i + 1, ORG, 2))  # "Wasekjen Golkar Tantowi"
                i += 1
                continue
            listed = _place_length(folds, i, j)
            if listed > 1:
                out.append(self._segment(i, i + listed, LOC, 2))  # "Gubernur DKI Jakarta"
                i += listed
                continue
            if _is_acronym(tokens[i].text) or folds[i] in cues.ORG_HEADS:
                # "Ketua DPR", "Sekjen DPP Partai Demokrat", "Ketua Umum PDI Perjuangan"
                label = LOC if _is_place(tokens[i].text) else ORG
                k = i + 1
                if not _is_acronym(tokens[i].text) or (k < j - 1 and folds[k] in cues.ORG_HEADS):
                    k += 1 + (folds[k] in cues.ORG_HEADS)
                while k < j and label == ORG and self._continues_org(k, j, i):
                    k += 1
                if label == ORG:
                    out.extend(self._organisations(i, min(k, j)))
                else:
                    out.append(self._segment(i, min(k, j), label, 2))
                i = k
                continue
            length = _place_length(folds, i, j)
            if length and i + length < j:
                out.append(self._segment(i, i + length, LOC, 2))
                i += length
                continue
            if folds[i] in cues.AREA_HEADS:
                out.append(self._segment(i, j, LOC, 2))  # "Lurah Kelurahan Kemijen"
                return out
            length = _title_length(folds, i)
            if length and i + length < j:
                i += length
                continue
            if out and out[-1].label == ORG and j - i <= 3:
                break  # the words after an organisation name the person: "PDIP Ahmad Basarah"
            if j - i > 2 and (self._role_word(folds[i]) or folds[i] in cues.CONNECTORS):
                i += 1  # the last two words are the name: "Secretary-General Mark Rutte"
                continue
            if (
                j - i == 2
                and self._role_word(folds[i])
                and folds[i] not in first_names()
                and not self._role_word(folds[i + 1])
            ):
                i += 1  # "Menko Perekonomian Boediono": the portfolio, then the name
                continue
            later = next((k for k in range(i + 1, j - 1) if _title_length(folds, k)), None)
            if later is not None and self._looks_like_person(
                later + _title_length(folds, later), j
            ):
                # "Ketua Pembangkang Datuk Seri Hamzah Zainudin": the next title is the
                # person's; the words before it are a role, or a name of their own
                if not all(self._common_own(f, INITIAL_SINGLE_ZIPF) for f in folds[i:later]):
                    out.extend(self._typed(i, later))
                i = later
                continue
            if j - i >= 3 and not out and self._named_alone_elsewhere(i):
                # "Direktur Utama Pertamina Nicke Widyawati" where the text also has
                # "Pertamina memastikan ...": what the title heads, then the person
                out.append(self._segment(i, i + 1, ORG, 1))
                i += 1
            break
        if i < j - 1 and folds[i] in cues.PLACE_HEADS_OUT and _is_place(" ".join(folds[i + 1 : j])):
            out.append(self._segment(i + 1, j, LOC, 2))  # "Menteri Besar Negeri Perak"
        elif i < j and _place_length(folds, i, j) == j - i:
            out.append(self._segment(i, j, LOC, 2))  # "Warga Semarang": residents of a place
        elif (
            i < j - 1
            and folds[j - 1] in countries()
            and all(
                self._common_own(f, INITIAL_SINGLE_ZIPF) and f not in first_names()
                for f in folds[i : j - 1]
            )
        ):
            # "Menteri Imigrasi Australia yang ...": a portfolio and a country, nobody named;
            # "Badrodin Haiti" is a name
            out.append(self._segment(j - 1, j, LOC, 2))
        elif i == j - 1 and folds[i] in cues.ORG_ALONE:
            out.append(self._segment(i, j, ORG, 2))  # "Wakil Kepala Polri"
        elif i == j - 1 and _is_acronym(tokens[i].text):
            out.append(self._segment(i, j, LOC if _is_place(tokens[i].text) else ORG, 2))
        elif i < j - 1 and folds[j - 1] in cues.ORG_TAILS:
            out.append(self._segment(i, j, ORG, 2))  # "Direktur Eksekutif AHA Centre"
        elif i < j and not all(self._role_word(f) for f in folds[i:j]):
            out.append(self._segment(i, j, PER, 2))  # ("Menteri Hukum" names no one)
        return out

    def _organisations(self, i: int, j: int) -> list[_Segment]:
        """An organisation, split where a part of it names its parent: "Fraksi Partai Demokrat"
        -> "Partai Demokrat", "Fakultas Kehutanan UGM" -> "Fakultas Kehutanan" and "UGM",
        "Komisi III DPR" -> "Komisi III" and "DPR". A head alone ("Fraksi") names nothing."""
        tokens, folds = self.tokens, self.folds
        cuts = [i]
        for k in range(i + 1, j):
            named = folds[k] in cues.PARTIES or (
                _is_acronym(tokens[k].text) and not _ROMAN.fullmatch(tokens[k].text)
            )
            after_head = folds[k - 1] in cues.ORG_HEADS or _is_acronym(tokens[k - 1].text)
            inner_head = folds[k] in cues.ORG_HEADS and k + 1 < j
            in_unit = folds[cuts[-1]] in cues.UNIT_HEADS or _is_acronym(tokens[cuts[-1]].text)
            unit = folds[cuts[-1]] in cues.UNIT_HEADS
            if (inner_head and (in_unit or folds[k] in cues.PARENT_HEADS)) or (
                named and (unit or not after_head)
            ):
                cuts.append(k)
        cuts.append(j)
        out = []
        for a, b in zip(cuts, cuts[1:], strict=False):
            if b - a == 1 and folds[a] in cues.ORG_HEADS:
                continue  # "Fraksi", "Kantor"
            if b - a == 1 and folds[a] in cues.PARTY_BOARDS and b < j:
                continue  # "DPP" of "DPP Partai Golkar"
            out.append(self._segment(a, b, ORG, 2))
        return out

    def _continues_org(self, k: int, j: int, start: int) -> bool:
        """Whether word ``k`` still belongs to an organisation's name, begun at ``start``, that a
        title introduced ("Badan Penanggulangan Bencana Daerah"), rather than starting the
        person's name that ends the run ("Partai Golkar Nurul Arifin")."""
        tokens, folds = self.tokens, self.folds

        def org_word(n: int) -> bool:
            return (
                _is_acronym(tokens[n].text)
                or folds[n] in cues.ORG_HEADS
                or folds[n] in cues.PARTIES
                or folds[n] in cues.CONNECTORS
                or zipf(folds[n], self.langs[:1]) >= ORG_CONTINUE_ZIPF
                or self._derived(folds[n])  # "Perjuangan", "Pembangunan"
            )

        length = _place_length(folds, k, j)
        if length and not org_word(k):
            # "Sekretaris Dewan Keamanan Belarus Alexander ...", "Kepala Kejaksaan Tinggi
            # Sulawesi Selatan": a place ends the name of an organisation that a head started;
            # "Ketua PAN Sulawesi Selatan": the place of an acronym's branch is its own name
            return folds[start] in cues.ORG_HEADS and all(
                not _is_acronym(tokens[n].text) for n in range(start, k)
            )
        if _title_length(folds, k):
            return False  # "Pengerusi SPRM Tan Sri Azam Baki"
        if folds[k] in first_names() and not org_word(k):
            return False  # "Ketua Dewan Pengawas Wahyu Setiabudi": the person begins
        if not (org_word(k) or self._common(folds[k], ORG_WORD_ZIPF)):
            return False
        # the words left look like a name (none is an ordinary word): they are the person
        return org_word(k) or any(org_word(n) for n in range(k + 1, j))

    def _typed(self, i: int, j: int) -> list[_Segment]:
        tokens, folds = self.tokens, self.folds
        first, last = folds[i], folds[j - 1]
        previous = self._previous_word(i)
        if j - i == 1 and _ROMAN.fullmatch(tokens[i].text):
            return []  # "II" of "Komisi II" or "Level II" when the run was cut
        if j - i == 1 and first in cues.AGENCIES:
            return [] if self._byline(i) else [self._segment(i, j, ORG, 2)]  # "Menurut Bernama"
        if j - i == 1 and first in cues.PLACE_ACRONYMS:
            return [self._segment(i, j, LOC, 1)]
        if j - i == 1 and (first in cues.PARTIES or first.startswith(cues.ORG_PREFIXES)):
            return [self._segment(i, j, ORG, 2)]
        if first in cues.EVENT_HEADS and j - i >= 2:
            return [self._segment(i, j, OTHER, 2)]  # "Festival Film Dokumenter Nusantara"
        if first in cues.ORG_HEADS and j - i >= 2:
            for k in range(i + 1, j - 1):
                after = k + _title_length(folds, k)
                if after > k and self._looks_like_person(after, j):
                    # "Bank Indonesia Governor Perry Warjiyo"
                    return self._organisations(i, k) + [self._segment(after, j, PER, 2)]
            for k in range(i + 2, j - 1):
                if folds[k] in first_names() and self._looks_like_person(k, j):
                    # "Universitas Indonesia Faisal Basri": the person begins at a given name
                    return self._organisations(i, k) + [self._segment(k, j, PER, 1)]
            return self._organisations(i, j)
        if j - i == 1 and "-" in first and all(_is_place(p) for p in first.split("-") if p):
            return [self._segment(i, j, LOC, 2)]  # "Semarang-Demak"
        if first in cues.PLACE_HEADS_IN and j - i >= 2:
            return [self._segment(i, j, LOC, 2)]
        length = _place_length(folds, i, j)
        if length == j - i:
            return [self._segment(i, j, LOC, 2)]  # "Kota Bharu" is the city's own name
        if first in cues.PLACE_HEADS_OUT and j - i >= 2 and (first != "state" or length):
            return [self._segment(i + 1, j, LOC, 2)]
        if last in cues.ORG_TAILS and j - i >= 2:
            return [self._segment(i, j, ORG, 2)]
        if last in cues.PLACE_TAILS and j - i >= 2:
            return [self._segment(i, j, LOC, 2)]  # "South China Sea"
        if length and j - i - length >= 1 and _title_length(folds, i + length):
            # "Indonesia Presiden ..." is rare; a place then a title: split
            return [self._segment(i, i + length, LOC, 2)] + self._run(i + length, j)
        for k in range(i + 1, j - 1):
            if _title_length(folds, k) and k + _title_length(folds, k) < j:
                # "Bank Indonesia Governor Perry Warjiyo", "Indonesian President Prabowo":
                # what comes before the title is typed on its own, a demonym dropped
                demonym = all(
                    self._common(folds[n], 3.5) and not _is_acronym(tokens[n].text)
                    for n in range(i, k)
                )
                before = [] if demonym else self._typed(i, k)
                return before + self._after_title(k + _title_length(folds, k), j)
        for k in range(i + 1, j - 1):
            if folds[k] in cues.ORG_HEADS and folds[k + 1] == "of":
                return self._organisations(i, j)  # "National Security Council of Belarus"
            if folds[k] in cues.ORG_HEADS:  # "... LDR Bank Mandiri"
                if k - i == 1 and _is_acronym(tokens[i].text):
                    return self._organisations(i, j)  # "DPP Partai Golkar"
                return self._typed(i, k) + self._organisations(k, j)
        if _is_acronym(tokens[i].text) and j - i >= 2:
            rest = _place_length(folds, i + 1, j)
            if rest == j - i - 1:
                # "BEI Medan", "PAN Sulawesi Selatan": an organisation's branch in a place
                return [self._segment(i, i + 1, ORG, 1), self._segment(i + 1, j, LOC, 2)]
            if j - i == 2 or _is_acronym(tokens[j - 1].text):
                # "BPH Migas", "DPR RI"
                return [self._segment(i, j, ORG, 1)]
            # "MDC Morgan Tsangirai": an organisation, then a name
            return [self._segment(i, i + 1, ORG, 1)] + self._typed(i + 1, j)
        if all(_is_acronym(tokens[k].text) for k in range(i, j)):
            return [self._segment(i, j, ORG, 1)]
        if self._dateline_outlet(i, j):
            return [self._segment(i, j, ORG, 2)]  # "Teheran, Purna Warta – ..."
        if j - i == 1:
            single = self._single(i)
            if single is not None:
                return single
        if first in first_names() and self._looks_like_person(i + 1, j):
            return [self._segment(i, j, PER, 1)]  # "dari Wahyu Setiabudi"
        person_context = (
            (previous in cues.SPEECH_CUES and self._name_ends(j))
            or self._speaker(j)
            or self._described_as_person(j)
        )
        if previous in cues.PLACE_PREPOSITIONS and not (j - i == 1 and person_context):
            return [self._segment(i, j, LOC, 1)]
        if person_context or self._previous_title(i):
            return [self._segment(i, j, PER, 1)]
        while j - i > 1 and self._derived(folds[j - 1]):
            j -= 1  # "Mendur Bersaudara": the Mendur brothers
        if j - i == 1 and (self._common(first, ROLE_WORD_ZIPF) or _reduplicated(first)):
            return []  # "Dewan", "Undang-undang": an ordinary word with a capital
        if j - i >= 2 and folds[j - 1] in cues.DIRECTIONS and _place_length(folds, i, j - 1):
            return [self._segment(i, j, LOC, 1)]  # "Asia Tengah", "East Java"
        common = sum(self._common(folds[k], ROLE_WORD_ZIPF) for k in range(i, j))
        if common * 2 >= j - i:
            return [self._segment(i, j, OTHER, 0)]  # "Nawa Cita", "Barisan Pelopor"
        if self._ordinary_noun(first) and first not in first_names():
            return [self._segment(i, j, OTHER, 0)]  # "Gabungan Peladang Muda": a heading
        if any(
            "-" not in tokens[k].text and _INNER_CAPITAL.fullmatch(tokens[k].text)
            for k in range(i, j)
        ):
            return [self._segment(i, j, ORG, 1)]  # "TikTok Shop"
        if j - i == 1:
            # one unknown word and nothing that marks a person: a name of some kind
            # ("Ebola", "Pertamax", "Hamas"); a full name met elsewhere may still claim it
            return [self._segment(i, j, OTHER, 0)]
        if any(
            (_is_acronym(tokens[k].text) and k < j - 1)  # not "Mahfud MD", "Pakpahan SH"
            or folds[k] in cues.ORG_HEADS
            or folds[k] in cues.PLACE_HEADS_IN
            for k in range(i, j)
        ):
            return [self._segment(i, j, OTHER, 0)]  # an acronym or a head inside: no person
        # capitalised words that are no common words: most often a person's name
        return [self._segment(i, j, PER, 0)]

    def _single(self, i: int) -> list[_Segment] | None:
        """One capitalised word on its own: a bare head names nothing, a form of a country is
        the country, a word with an inner capital is a brand or an outlet, a given name is a
        person. None when nothing decides."""
        token, fold = self.tokens[i], self.folds[i]
        if fold in cues.ORG_ALONE:
            return [self._segment(i, i + 1, ORG, 2)]  # "Polri", "Kejaksaan"
        if fold in cues.ORG_HEADS or fold in cues.PLACE_HEADS_IN or fold in cues.UNIT_HEADS:
            return []  # "Koalisi ini ...", "Fakultas": a head without its name
        base = place_of_form(fold)
        if base is not None:
            segment = self._segment(i, i + 1, LOC, 2)  # "Belarusia", "Iranian"
            segment.alias_of = base
            return [segment]
        if "-" not in token.text and _INNER_CAPITAL.fullmatch(token.text):
            return [self._segment(i, i + 1, ORG, 1)]  # "BelTa", "YouTube"
        if fold in first_names():
            return [self._segment(i, i + 1, PER, 1)]
        return None

    def _name_ends(self, j: int) -> bool:
        """What follows a name after a speech verb ("kata Eva.", "said Smith, who"): a stop, a
        comma or a function word; "said Ozempic would" is no attribution. Indonesian and
        Malay put the speaker right after the verb ("kata Yasonna usai ...")."""
        if j >= len(self.tokens) or self.langs[0] != "en":
            return True
        return self.tokens[j].kind == "punct" or self.folds[j] in cues.STOP_WORDS

    def _described_as_person(self, j: int) -> bool:
        """An age or "seorang" right after the name: "Khajimba (56)", "Rouhani, 64 tahun",
        "Rouhani, seorang tokoh moderat"."""
        end = self.tokens[j - 1].end
        return _PERSON_AFTER.match(self.text, end) is not None

    def _speaker(self, j: int) -> bool:
        """The run is followed by a speech verb: "..., Wahyu menambahkan"."""
        return j < len(self.tokens) and self.folds[j] in cues.SPEECH_AFTER

    def _previous_title(self, i: int) -> bool:
        """A title or role in lower case right before the run: "tersangka Gayus", "kata
        pengamat Hanung"; a person when the run looks like a name."""
        k = i - 1
        if k < 0 or self.tokens[k].kind != "word" or self.tokens[k].text[0].isupper():
            return False
        titled = self.folds[k] in cues.PERSON_BEFORE
        end = i + 1
        while end < len(self.tokens) and _is_capitalised(self.tokens[end]):
            end += 1
        return titled and self._looks_like_person(i, end)

    def _dateline_outlet(self, i: int, j: int) -> bool:
        """A paragraph that opens with a dateline: "Teheran, Purna Warta – Kepala ...",
        "JAKARTA, Tribun -": the name between the place and the dash is the outlet."""
        tokens = self.tokens
        if not (2 <= i <= 4 and j < len(tokens) and tokens[j].text in _DASHES):
            return False
        if tokens[i - 1].text != ",":
            return False
        head = tokens[: i - 1]
        if not all(t.kind == "word" and _is_capitalised(t) for t in head):
            return False
        words = [t.fold for t in head]
        return _is_place(" ".join(words)) or all(t.text.isupper() for t in head)


def _is_title_like(paragraph: str) -> bool:
    """A headline in title case: short, no closing full stop, most words capitalised."""
    words = re.findall(r"[^\W\d_]+", paragraph)
    if len(words) < 4 or len(words) > 30 or paragraph.rstrip()[-1:] in '.!?\u201d"':
        return False
    if re.search(r"[.!?] +\S", paragraph):
        return False  # more than one sentence: a caption or a paragraph, not a headline
    return sum(w[0].isupper() for w in words) / len(words) >= 0.7


_ACRONYM_IN_BRACKETS = re.compile(r" \(([A-Z][A-Za-z&]{1,9})\)")
_FULL_FORM_WORD = re.compile(r"[^\W\d_][\w'-]*|,|&")


def _full_forms(text: str, paragraphs: list[tuple[int, str]]) -> list[_Segment]:
    """Full forms found by their initials before an acronym in brackets, commas and "dan"
    included: "Badan Meteorologi, Klimatologi, dan Geofisika (BMKG)", "Badan Penanggulangan
    Bencana Daerah (BPBD)". Each is an organisation unless it is a known place."""
    out = []
    for offset, paragraph in paragraphs:
        for m in _ACRONYM_IN_BRACKETS.finditer(paragraph):
            acronym = m.group(1)
            if not _is_acronym(acronym) or acronym.casefold() in cues.COMMON_ACRONYMS:
                # "Bahan Bakar Minyak (BBM)" is a thing, like its abbreviation
                continue
            letters = [c for c in acronym if c.isupper()]
            words = list(_FULL_FORM_WORD.finditer(paragraph[max(0, m.start() - 160) : m.start()]))
            base = max(0, m.start() - 160)
            capitals: list[str] = []
            start: int | None = None
            for w in reversed(words):
                token = w.group()
                if token[0].isupper():
                    capitals.insert(0, token[0])
                    start = base + w.start()
                    if capitals == letters:
                        break
                    if len(capitals) >= len(letters):
                        start = None
                        break
                elif token.casefold() not in cues.ORG_AND and token not in ",&":
                    start = None
                    break
            if start is None or capitals != letters:
                continue
            full = paragraph[start : m.start()]
            if " " not in full:
                continue
            label = LOC if _is_place(full) else ORG
            first = _Segment(offset + start, offset + m.start(), label, 2, full)
            short = offset + m.start(1)
            out.append(first)
            out.append(_Segment(short, short + len(acronym), label, 2, acronym, alias_of=full))
    return out


#: A capitalised word right before a speech verb ("Rubio said", "Anwar berkata").
_SPEAKER = re.compile(r"\b([A-Z][\w'-]*) (?:" + "|".join(sorted(cues.SPEECH_AFTER)) + r")\b")
_LOWER_WORD = re.compile(r"(?<![\w-])[^\W\d_A-Z][\w-]*")


def _lower_case_elsewhere(lower_words: set[str], seg: _Segment) -> bool:
    """A guessed one-word name that the same text also writes in lower case (``lower_words``)
    is an ordinary word capitalised by its place ("Koalisi ini ..." and "koalisi antisanksi")."""
    if seg.strength > 0 or " " in seg.text or seg.text.islower():
        return False
    return seg.text.lower() in lower_words


def _spells_out_a_thing(text: str, seg: _Segment) -> bool:
    """ "Bahan Bakar Minyak (BBM)": a guess spelt out before an abbreviation of a thing."""
    m = re.match(r" ?\((\w+)\)", text[seg.end : seg.end + 20])
    return seg.strength < 2 and m is not None and m.group(1).casefold() in cues.COMMON_ACRONYMS


def _link_acronyms(text: str, segments: list[_Segment]) -> None:
    """ "Komisi Pemberantasan Korupsi (KPK)": the acronym is another spelling of the full form,
    one entity with both, of the full form's type (an organisation when it has none)."""
    by_start = {s.start: s for s in segments}
    for seg in segments:
        m = re.match(r" ?\((\w[\w&.-]*)\)", text[seg.end : seg.end + 40])
        if not m or not _is_acronym(m.group(1)) or " " not in seg.text:
            continue
        acronym = by_start.get(seg.end + m.start(1))
        if acronym is None:
            continue
        if seg.strength == 0:
            seg.label, seg.strength = ORG, 1
        acronym.label, acronym.strength = seg.label, seg.strength
        acronym.alias_of = seg.text


def _link_nicknames(text: str, segments: list[_Segment]) -> None:
    """ "Joko Widodo (Jokowi)": one word in brackets right after a person's full name is
    another name of that person."""
    by_start = {s.start: s for s in segments}
    for seg in segments:
        if seg.label != PER or " " not in seg.text:
            continue
        m = re.match(r" ?\((\w+)\)", text[seg.end : seg.end + 40])
        nickname = by_start.get(seg.end + m.start(1)) if m else None
        if nickname is not None and " " not in nickname.text and nickname.strength < 2:
            nickname.label, nickname.strength = PER, seg.strength
            nickname.alias_of = seg.text


def _resolve(segments: list[_Segment], speakers: Set[str] = frozenset()) -> list[_Group]:
    """One group per name: the strongest label seen for a surface wins everywhere; an acronym
    joins its full form; a single word that ends or starts a person's full name joins that
    person ("Ahmadian" -> "Ali Akbar Ahmadian"). ``speakers``: the words the text has right
    before a speech verb."""
    groups: list[_Group] = []
    by_surface: dict[str, _Group] = {}

    def merge(group: _Group, other: _Group) -> None:
        group.surfaces |= other.surfaces
        group.first = min(group.first, other.first)
        groups.remove(other)
        for surface in other.surfaces:
            by_surface[surface.casefold()] = group

    for seg in sorted(segments, key=lambda s: (-s.strength, s.start)):
        group = by_surface.get(seg.text.casefold())
        if group is None:
            group = _Group(seg.text, seg.label, seg.strength, {seg.text}, seg.start)
            groups.append(group)
            by_surface[seg.text.casefold()] = group
        elif seg.text not in group.surfaces:
            group.surfaces.add(seg.text)  # "WASHINGTON" in a dateline, "Washington" after
            if group.display.isupper() and not seg.text.isupper():
                group.display = seg.text
        group.first = min(group.first, seg.start)
        if seg.alias_of:
            full = by_surface.get(seg.alias_of.casefold())
            if full is not None and full is not group:
                merge(full, group)
    persons = [g for g in groups if g.label == PER and " " in g.display]
    for group in list(groups):
        if " " in group.display or group.label not in (PER, OTHER) or group in persons:
            continue
        word = group.display.casefold()
        matches = [
            p
            for p in persons
            if word in (p.display.split()[0].casefold(), p.display.split()[-1].casefold())
        ]
        if len(matches) == 1:
            merge(matches[0], group)
    # a form of a country is that country: "Belarusia" and "Belarus", "Iranian" and "Iran"
    for group in [g for g in groups if g.label == LOC and " " not in g.display]:
        base = place_of_form(group.display)
        country = by_surface.get(base) if base else None
        if country is not None and country is not group and country.label == LOC:
            merge(country, group)
    # an organisation's name cut short after its full name was met is the same organisation,
    # when only one full name begins with it: "Dewan Keamanan Nasional Tertinggi" ...
    # "Dewan Keamanan"; not before it, and not when two full names could be meant
    # the same for a person: "Sri Mulyani Indrawati" ... "Sri Mulyani"
    for group in [g for g in groups if g.label in (ORG, PER) and " " in g.display]:
        prefix = group.display.casefold() + " "
        longer = [
            g
            for g in groups
            if g.label == group.label and g is not group and g.display.casefold().startswith(prefix)
        ]
        if len(longer) == 1 and longer[0].first < group.first:
            merge(longer[0], group)
    # a small place that is a person's surname and speaks is the person: "Marco Rubio" ...
    # "Rubio said" (Rubio is a town in Venezuela)
    for group in [g for g in groups if g.label == LOC and " " not in g.display]:
        word = group.display.casefold()
        bearers = [p for p in persons if p.display.split()[-1].casefold() == word]
        if len(bearers) == 1 and word in speakers and word not in countries():
            merge(bearers[0], group)
    # a place's name without its head is the same place: "Kemijen" and "Kelurahan Kemijen"
    for place in [g for g in groups if g.label == LOC and " " in g.display]:
        head, _, rest = place.display.partition(" ")
        bare = by_surface.get(rest.casefold())
        if bare is None or bare is place or head.casefold() not in cues.PLACE_HEADS_IN:
            continue
        if _is_place(bare.display) and head.casefold() not in cues.AREA_HEADS:
            continue  # "Laut Jawa" is not Java, "Teluk Jakarta" not Jakarta
        if bare.label == LOC or bare.strength < 2:
            merge(place, bare)
    # an acronym of a person's initials is that person: "Susilo Bambang Yudhoyono" ... "SBY"
    initials: dict[str, list[_Group]] = {}
    for person in persons:
        words = person.display.split()
        if len(words) >= 2:
            initials.setdefault("".join(w[0] for w in words).upper(), []).append(person)
    for group in list(groups):
        owners = initials.get(group.display)
        if group.strength < 2 and _is_acronym(group.display) and owners and len(owners) == 1:
            merge(owners[0], group)
    # a surname alone where it starts a sentence (and so looked like an ordinary word) is still
    # the person's: "Widodo kemudian terbang ..."
    # the same for a first name ("Anwar turut bertemu ..."), Malay and Indonesian usage
    short: dict[str, list[tuple[_Group, str]]] = {}
    for person in persons:
        words = person.display.split()
        for word in {words[0], words[-1]}:
            if len(word) > 3 and word[0].isupper() and not _is_place(word):
                short.setdefault(word.casefold(), []).append((person, word))
    for key, named in short.items():
        if len(named) == 1 and key not in by_surface:
            named[0][0].surfaces.add(named[0][1])
    return groups


def _mentions(text: str, groups: list[_Group]) -> list[tuple[Mention, _Group]]:
    """Every whole-word occurrence of every surface, in one pass; where names overlap the one
    that starts first wins, and the longest of those that start at the same place."""
    owner: dict[str, _Group] = {}
    for group in groups:
        for surface in group.surfaces:
            owner.setdefault(surface, group)
    if not owner:
        return []
    alternation = "|".join(re.escape(s) for s in sorted(owner, key=len, reverse=True))
    pattern = re.compile(r"(?<![\w\-.])(?:" + alternation + r")(?![\w\-]|\.\w)")
    out = []
    for m in pattern.finditer(text):
        group = owner[m.group()]
        out.append((Mention(m.group(), m.start(), m.end(), group.label, 1.0), group))
    return out


def recognise_mentions(
    text: str, paragraphs: list[tuple[int, str]], language: str = "id"
) -> list[Mention]:
    """Typed mentions (PER, ORG, LOC, MISC) in ``text``; ``paragraphs`` are (offset, text)."""
    return [m for m, _ in _recognise(text, paragraphs, language)]


def _recognise(
    text: str, paragraphs: list[tuple[int, str]], language: str
) -> list[tuple[Mention, _Group]]:
    langs = languages_for(language)
    segments: list[_Segment] = []
    for start, paragraph in paragraphs:
        if not paragraph.strip() or _is_title_like(paragraph):
            continue  # headlines capitalise every word: they only receive names found elsewhere
        segments.extend(_Paragraph(text, paragraph, start, langs).segments())
    full_forms = _full_forms(text, paragraphs)
    # a guessed word that the text also writes in lower case is no name
    lower_words = {w for w in _LOWER_WORD.findall(text) if w[0].islower()}
    segments = [
        seg
        for seg in segments
        if not any(f.start < seg.end and seg.start < f.end for f in full_forms)
        and not _lower_case_elsewhere(lower_words, seg)
        and not _spells_out_a_thing(text, seg)
    ] + full_forms
    _link_acronyms(text, segments)
    _link_nicknames(text, segments)
    speakers = {m.group(1).casefold() for m in _SPEAKER.finditer(text)}
    return _mentions(text, _resolve(segments, speakers))


def recognise(text: str, paragraphs: list[tuple[int, str]], language: str = "id") -> EntityResult:
    """People, organisations and places found without a model, as an ``EntityResult`` of kind
    ``"rules"``. ``language`` is the article's ("id", "ms", "en"); the lists cover all three."""
    by_group: dict[int, tuple[_Group, list[Mention]]] = {}
    for mention, group in _recognise(text, paragraphs, language):
        by_group.setdefault(id(group), (group, []))[1].append(mention)
    entities = [Entity(g.display, g.label, len(ms), ms) for g, ms in by_group.values()]
    entities.sort(key=lambda e: (-e.count, e.mentions[0].start))
    return EntityResult(entities, "rules")


def fill_unlabelled(model: EntityResult, rules: EntityResult) -> EntityResult:
    """The model's result plus the rules' mentions where the model labelled nothing; the model's
    labels are never changed. A rules mention joins a model entity of the same name."""
    taken = sorted((m.start, m.end) for e in model.entities for m in e.mentions)

    def free(m: Mention) -> bool:
        return not any(s < m.end and m.start < e for s, e in taken)

    entities = [Entity(e.text, e.label, e.count, list(e.mentions)) for e in model.entities]
    by_name = {e.text.casefold(): e for e in entities}
    for entity in rules.entities:
        extra = [m for m in entity.mentions if free(m)]
        if not extra:
            continue
        target = by_name.get(entity.text.casefold())
        if target is not None:
            target.mentions.extend(Mention(m.text, m.start, m.end, target.label) for m in extra)
            target.mentions.sort(key=lambda m: m.start)
            target.count = len(target.mentions)
        else:
            new = Entity(entity.text, entity.label, len(extra), extra)
            entities.append(new)
            by_name[entity.text.casefold()] = new
    entities.sort(key=lambda e: (-e.count, e.mentions[0].start))
    return EntityResult(entities, model.kind, model.model, model.via_translation)


def spot_names(text: str, paragraphs: list[tuple[int, str]]) -> list[Mention]:
    """Mentions of names in ``text`` (typed); kept for callers of the old fallback."""
    return recognise_mentions(text, paragraphs)


def warm_up() -> None:
    """Load the place lists and word frequencies now (1.5-3.6 s the first time), e.g. in a
    background thread while a model translates, so the names step does not wait for them."""
    sample = "Presiden Joko Widodo bertemu Gubernur Jawa Tengah di Semarang."
    recognise(sample, [(0, sample)], "id")
