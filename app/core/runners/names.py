"""Capitalised-name spotting: the entity fallback when no NER model is installed.

Runs of capitalised words (and acronyms such as BRICS) are proposed as names; sentence-initial
and common words (Indonesian and English stop-lists, day and month names, titles such as
"Presiden") are dropped; a single word seen only at the start of sentences, or also in lower
case, is taken for an ordinary word. Every occurrence of a kept name in the text becomes a
mention, labelled ``UNCLASSIFIED`` (the fallback cannot tell people from places).
"""

from __future__ import annotations

import re

from app.core.base.results import Mention

LABEL = "UNCLASSIFIED"

_WORDS_ID = """
ia dia mereka kami kita saya aku anda engkau kamu beliau itu ini tersebut para sang si
dan atau tetapi namun tapi serta lalu kemudian sementara selama setelah sebelum sebelumnya
sesudah ketika saat sejak hingga sampai karena sebab jika kalau bila apabila meski meskipun
walaupun agar supaya bahwa yang di ke dari pada dalam untuk bagi dengan oleh tentang terhadap
antara sebagai seperti akan telah sudah belum masih juga pun hanya bahkan tidak bukan ada
adalah ialah merupakan menurut berdasarkan selain sedangkan dengan demikian oleh karena itu
apa siapa mana kapan mengapa bagaimana berapa semua seluruh setiap beberapa banyak sebagian
baca juga foto sumber editor penulis reporter baca selengkapnya berita terkait lihat
hari minggu bulan tahun pukul wib wita wit
senin selasa rabu kamis jumat jum'at sabtu
januari februari maret april mei juni juli agustus september oktober november desember
"""
_WORDS_EN = """
the a an this that these those it its he she they we i you his her their our my your
and or but so yet nor for of in on at to from by with about as into over after before
during while when where what which who whom whose why how if then than also however
meanwhile moreover although though because since until unless there here not no yes
all some many most each every both either neither more less other another such
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
read more photo source editor related share comments reply leave required
"""
_TITLES = """
presiden wakil menteri sekretaris kepala ketua direktur gubernur jenderal perdana raja ratu
pangeran bapak ibu pak bu tuan nyonya kapten kolonel letnan mayor komisaris dr prof ir hj
president vice prime minister secretary chairman director governor general king queen prince
senator mr mrs ms sir dame lord lady
"""
STOP_WORDS = frozenset((_WORDS_ID + _WORDS_EN).split())
TITLE_WORDS = frozenset(_TITLES.split())
#: Lower-case words that may sit inside a name ("Ibn al Haytham", "Ludwig van Beethoven").
CONNECTORS = frozenset(
    ["bin", "binti", "van", "von", "der", "den", "de", "la", "le", "al", "el", "da", "dos"]
)

_WORD = re.compile(r"[^\W\d_](?:[\w\u2019'\-]*\w)?")
_OPENERS = " \t\"'\u201c\u2018([\u2013\u2014-"


def _starts_sentence(paragraph: str, start: int) -> bool:
    before = paragraph[max(0, start - 12) : start].rstrip(_OPENERS)
    if start <= 12 and not paragraph[:start].strip(_OPENERS):
        return True
    return bool(before) and before[-1] in ".!?:;\n"


def _is_capitalised(word: str) -> bool:
    return word[0].isupper()


def _is_acronym(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


def _is_title_like(paragraph: str, words: list[str]) -> bool:
    """A headline in title case: short, no closing full stop, most words capitalised."""
    if (
        len(words) < 4
        or len(words) > 30
        or paragraph.rstrip()[-1:] in (".", "!", "?", "\u201d", '"')
    ):
        return False
    return sum(_is_capitalised(w) for w in words) / len(words) >= 0.7


def _runs(paragraph: str, offset: int) -> list[list[tuple[int, int, str, bool]]]:
    """Runs of capitalised words: lists of (start, end, word, sentence_initial)."""
    runs: list[list[tuple[int, int, str, bool]]] = []
    current: list[tuple[int, int, str, bool]] = []
    pending: list[tuple[int, int, str, bool]] = []  # connectors waiting for a capitalised word
    previous_end = None
    for match in _WORD.finditer(paragraph):
        word, start, end = match.group(), match.start(), match.end()
        gap = paragraph[previous_end:start] if previous_end is not None else None
        adjacent = gap is not None and gap == " "
        initial = _starts_sentence(paragraph, start)
        item = (start + offset, end + offset, word, initial)
        if _is_capitalised(word):
            if current and adjacent:
                current.extend(pending)
                current.append(item)
            else:
                if current:
                    runs.append(current)
                current = [item]
            pending = []
        elif current and adjacent and word in CONNECTORS and not pending:
            pending = [item]
        else:
            if current:
                runs.append(current)
            current, pending = [], []
        previous_end = end
    if current:
        runs.append(current)
    return runs


def _trim(run: list[tuple[int, int, str, bool]]) -> list[tuple[int, int, str, bool]]:
    """Drop leading/trailing stop words, titles and connectors."""

    def droppable(item, leading: bool) -> bool:
        word = item[2].casefold()
        if _is_acronym(item[2]):
            return False
        return word in STOP_WORDS or word in CONNECTORS or (leading and word in TITLE_WORDS)

    while run and droppable(run[0], True):
        run = run[1:]
    while run and droppable(run[-1], False):
        run = run[:-1]
    return run


def spot_names(text: str, paragraphs: list[tuple[int, str]]) -> list[Mention]:
    """Mentions of likely names in ``text``; ``paragraphs`` are (start offset, text) pairs."""
    runs = []
    for start, paragraph in paragraphs:
        if _is_title_like(paragraph, _WORD.findall(paragraph)):
            continue  # headlines capitalise every word: they only receive mentions found elsewhere
        runs.extend(r for r in (_trim(run) for run in _runs(paragraph, start)) if r)

    lower_words = {w.casefold() for w in _WORD.findall(text) if not _is_capitalised(w)}
    singles_mid: set[str] = set()
    for run in runs:
        if len(run) == 1 and not run[0][3]:
            singles_mid.add(run[0][2])

    def keep_single(item) -> bool:
        word = item[2]
        if _is_acronym(word):
            return True
        if word.casefold() in lower_words:
            return False
        # Capitalised only at the start of sentences: an ordinary word as far as we can tell.
        return word in singles_mid

    names: set[str] = set()
    for run in runs:
        # "Presiden Belarus Aleksandr Lukashenko": a known single name inside a run ends a name.
        pieces, piece = [], []
        for i, item in enumerate(run):
            piece.append(item)
            if i < len(run) - 1 and item[2] in singles_mid:
                pieces.append(piece)
                piece = []
        if piece:
            pieces.append(piece)
        for piece in pieces:
            piece = _trim(piece)
            if not piece:
                continue
            if len(piece) == 1 and not keep_single(piece[0]):
                continue
            names.add(text[piece[0][0] : piece[-1][1]])

    return _occurrences(text, names)


def _occurrences(text: str, names: set[str]) -> list[Mention]:
    """Every whole-word occurrence of each name; overlaps resolved in favour of the longer."""
    found = []
    for name in names:
        pattern = re.compile(r"(?<![\w\-])" + re.escape(name) + r"(?![\w\-])")
        found.extend((m.start(), m.end()) for m in pattern.finditer(text))
    found.sort(key=lambda span: (span[0], -(span[1] - span[0])))
    mentions, last_end = [], -1
    for start, end in found:
        if start >= last_end:
            mentions.append(Mention(text[start:end], start, end, LABEL, 1.0))
            last_end = end
    return mentions
