"""Cleanup of scraped article text: repair and normalise it, drop the site's chrome, keep the body.

Chrome (read-also links, comment forms, share buttons, cookie and copyright notices, menus,
photo captions and credits, section labels, widget leftovers, bylines, timestamps, teaser
lists) is recognised by the table :data:`CHROME_RULES` plus a few rules about runs of lines.
Teasers for other stories that carry no marker are told by what they are (see
:func:`_mark_teasers`): where they sit, their shape and how few words they share with the
article. A line is dropped only when the *whole line* is chrome: a rule matches the full line
and the line is short, as chrome is. A body paragraph that merely mentions "baca juga" or
"cookies" is long and does not match from its first word to its last, so it stays. Every
dropped line is reported in :attr:`CleanResult.removed` with its reason.

After the rules, on line-per-block text (not a PDF's, not a web page's extracted blocks), a
learned classifier (:mod:`app.core.reading.line_classifier`) drops the kept lines it is
confident are chrome; its reason names it and its confidence.

Runs in time linear in the input: each rule only looks at lines shorter than its limit.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from app.core.reading import line_classifier
from app.core.reading.document import RemovedLine

# Reasons shown to the user (``ringkas inspect`` lists them).
READ_ALSO = "read-also link"
COMMENT_FORM = "comment form"
SHARE = "share buttons"
COOKIE = "cookie notice"
COPYRIGHT = "copyright notice"
ADVERTISEMENT = "advertisement"
PROMOTION = "subscribe/follow prompt"
BYLINE = "byline, credit or tags"
NAVIGATION = "navigation menu"
TEASER = "headline teaser"
REPEATED = "repeated headline"
SEPARATOR = "separator"
DATELINE = "date line"
PAGE_NUMBER = "page number"
MEDIA = "photo/video link"
CAPTION = "photo caption or credit"
SECTION_LABEL = "section label"
WIDGET = "page widget leftover"


@dataclass(frozen=True)
class ChromeRule:
    """A kind of chrome line: the pattern must match the whole (stripped) line.

    Attributes:
        reason: what the user is told about the dropped line.
        pattern: matched case-insensitively against the full line.
        max_length: a longer line is never this kind of chrome (body text is long).
    """

    reason: str
    pattern: re.Pattern[str]
    max_length: int


def _rule(reason: str, pattern: str, max_length: int) -> ChromeRule:
    return ChromeRule(reason, re.compile(pattern, re.IGNORECASE), max_length)


_SEP = r"\s*[:：\-–—»>|›]+\s*"  # "Baca juga:", "Read more »", "Lihat juga -"
_READ_ALSO_MARKER = (
    r"(?:baca|dibaca|lihat|simak|cek)\s+(?:juga|pula)"
    r"|baca\s+(?:selengkapnya|berita\s+lainnya|artikel\s+lainnya)|selengkapnya"
    r"|read\s+(?:also|more)|also\s+read|see\s+also|continue\s+reading"
)
# "Related: <headline>" is a read-also link; a bare "Related" heads a teaser list (below).
_LINKED_MARKER = (
    _READ_ALSO_MARKER + r"|related(?:\s+(?:article|story|news))?|(?:berita|artikel)\s+terkait"
)
_TRAILING = r"\s*[:：.…»>›\-–—]*\s*"
#: News and photo agencies that sign photo credits ("ANTARA/Name", "(REUTERS/Name)").
_AGENCY = (
    r"antara|reuters|afp|ap|bernama|epa|epa-efe|xinhua|anadolu|getty(?:\s+images)?|kyodo"
    r"|kompas(?:\.com)?|tempo|detik(?:com)?|tribun(?:news)?|istimewa|ist"
)
#: A credit: "Foto: Name", "FOTO: ANTARA", "ST PHOTO: NAME", "Sumber foto: ...", "Photo by X".
_CREDIT = (
    r"(?:[A-Z][\w.]{0,12}\s+){0,2}(?:foto|photo|pic|picture|gambar|image|credit|kredit"
    r"|sumber\s+(?:foto|gambar)|photo\s+credit)\s*(?::|/|\bby\b|\boleh\b)\s*[^()]{1,80}"
)

#: The table of chrome lines, Indonesian and English. Order matters only for the reason
#: reported when two rules match the same line.
CHROME_RULES: tuple[ChromeRule, ...] = (
    # Accessibility links at the top of a page.
    _rule(
        NAVIGATION,
        r"(?:skip\s+to|jump\s+to|lewati\s+ke|langsung\s+ke|langkau\s+ke)\s+(?:the\s+)?(?:main\s+)?"
        r"(?:content|navigation|konten(?:\s+utama)?|kandungan(?:\s+utama)?|navigasi|menu)",
        40,
    ),
    # Read-also links: the marker and a separator, then a linked headline; or the bare marker.
    _rule(READ_ALSO, rf"(?:{_LINKED_MARKER}){_SEP}\S.*", 300),
    _rule(READ_ALSO, rf"(?:{_READ_ALSO_MARKER}){_TRAILING}", 40),
    # "SEE MORE: ...", "Related post: ...", "[Related: ...]", "Also on rt.com ...", "More:".
    _rule(
        READ_ALSO,
        r"\[\s*(?:related|read\s+more|read|see\s+also|baca\s+juga)\s*:[^\[\]]{1,250}\]"
        r"|(?:see\s+more|related\s+(?:post|reading|coverage)|don'?t\s+miss)\s*:.{0,250}"
        r"|also\s+on\s+\S+\.(?:com|net|org|id|my)\b.{0,200}|also\s*:\s*see\b.{0,200}"
        r"|don'?t\s+miss|(?:more|also)\s*:",
        260,
    ),
    # "Read more at example.com." / "Baca selengkapnya di Contoh.com"
    _rule(READ_ALSO, rf"(?:{_READ_ALSO_MARKER}|more)\s+(?:at|on|di)\s+\S+{_TRAILING}", 80),
    # Comment forms (WordPress and Indonesian news sites).
    _rule(
        COMMENT_FORM,
        r"(?:leave\s+a\s+(?:reply|comment)|post\s+(?:a\s+)?comment|add\s+(?:a\s+)?comment"
        r"|(?:\d+\s+)?comments?(?:\s*\(\d+\))?|cancel\s+reply|reply|balas|batalkan\s+balasan"
        r"|tinggalkan\s+(?:balasan|komentar)|tulis\s+komentar|kirim\s+komentar|beri\s+komentar"
        r"|(?:\d+\s+)?komentar(?:\s*\(\d+\))?|(?:lihat|tampilkan)\s+(?:semua\s+)?komentar)"
        + _TRAILING,
        50,
    ),
    _rule(COMMENT_FORM, r"your\s+email\s+address\s+will\s+not\s+be\s+published.*", 250),
    _rule(
        COMMENT_FORM,
        r"(?:alamat\s+)?e-?mail\s+anda\s+tidak\s+akan\s+(?:dipublikasikan|ditampilkan).*",
        250,
    ),
    _rule(COMMENT_FORM, r"required\s+fields\s+are\s+marked.*", 80),
    _rule(COMMENT_FORM, r"(?:ruas|kolom|bidang)\s+yang\s+wajib\s+(?:diisi\s+)?ditandai.*", 80),
    _rule(COMMENT_FORM, r"save\s+my\s+name,?\s+e-?mail,?\s+and\s+website.*", 200),
    _rule(COMMENT_FORM, r"simpan\s+nama,?\s+e-?mail,?\s+dan\s+situs\s+web\s+saya.*", 200),
    _rule(COMMENT_FORM, r"you\s+must\s+be\s+logged\s+in\s+to\s+post\s+a\s+comment.*", 120),
    _rule(COMMENT_FORM, r"this\s+site\s+uses\s+akismet\s+to\s+reduce\s+spam.*", 200),
    _rule(
        COMMENT_FORM,
        r"(?:name|nama|e-?mail|website|situs\s+web|comment|komentar)\s*\*?\s*:?\s*\*?",
        20,
    ),
    # Share buttons.
    _rule(
        SHARE,
        r"(?:bagikan|share|sebarkan)(?:\s+(?:this|this\s+article|this\s+story|artikel\s+ini|berita\s+ini))?"
        r"(?:\s*(?::|on|ke|via)\s*.*)?",
        60,
    ),
    _rule(
        SHARE,
        r"(?:(?:facebook|twitter|x|whatsapp|telegram|line|linkedin|pinterest|reddit|e-?mail|tweet"
        r"|copy\s+link|salin\s+(?:tautan|link)|print|cetak|reuse\s+this\s+content)[\s|·•,/]*)+",
        120,
    ),
    # Cookie notices and their buttons.
    _rule(
        COOKIE,
        r"(?:we\s+use\s+cookies|(?:this|our)\s+(?:web)?site\s+uses\s+cookies"
        r"|by\s+(?:continuing\s+to\s+)?(?:use|using|browse|browsing)\s+(?:this|our)\s+(?:web)?site"
        r"|kami\s+menggunakan\s+(?:cookie|kuki)|situs\s+(?:web\s+)?ini\s+menggunakan\s+(?:cookie|kuki)"
        r"|dengan\s+(?:terus\s+)?(?:menggunakan|mengakses)\s+situs\s+(?:web\s+)?ini).*",
        400,
    ),
    _rule(
        COOKIE,
        r"(?:accept(?:\s+all)?(?:\s+cookies)?|i\s+agree|got\s+it|saya\s+setuju|setuju"
        r"|terima(?:\s+semua)?(?:\s+(?:cookie|kuki))?|cookie\s+(?:settings|policy)"
        r"|(?:kebijakan|pengaturan)\s+(?:cookie|kuki))" + _TRAILING,
        40,
    ),
    # Copyright notices.
    _rule(
        COPYRIGHT,
        r"(?:©|ⓒ|\(c\)|(?:copyright|hak\s+cipta)\s*(?:©|ⓒ|\(c\)|\d{4}|dilindungi|terpelihara)).*",
        250,
    ),
    _rule(COPYRIGHT, r".{0,80}©\s*(?:\d{4}\b|copyright).*", 200),
    _rule(COPYRIGHT, r".*\ball\s+rights\s+reserved\b.*", 250),
    # Advertisement markers.
    _rule(
        ADVERTISEMENT,
        r"(?:advertisement|iklan|ads|sponsored|konten\s+sponsor|scroll\s+to\s+continue(?:\s+with\s+content)?"
        r"|gulir\s+(?:ke\s+bawah\s+)?untuk\s+melanjutkan(?:\s+membaca)?|lanjutkan\s+membaca"
        r"|artikel\s+berlanjut\s+setelah\s+iklan(?:\s+ini)?|(?:content|story)\s+continues\s+below"
        r"|advertisement\s*-\s*scroll\s+to\s+continue)" + _TRAILING,
        60,
    ),
    # Subscribe / follow / app prompts.
    _rule(PROMOTION, r"(?:ikuti|follow)\s+(?:kami|us)\b.*", 150),
    _rule(PROMOTION, r"sign\s+up\s+(?:to|for)\b.*|privacy\s+notice\s*:.*", 300),
    # "Follow Newsbeat on Instagram, ...", "Thanks for signing up!", "Have a tip? ...",
    # "Like this story? Share it with a friend!", "Click here to subscribe to ...".
    _rule(
        PROMOTION,
        r"follow\s+(?:\S+\s+){1,6}on\s+(?:facebook|twitter|instagram|x|tiktok|youtube|linkedin)\b.*"
        r"|thanks?\s+(?:you\s+)?for\s+(?:signing\s+up|subscribing)\b.*|have\s+a\s+(?:news\s+)?tip\?.*"
        r"|like\s+this\s+(?:story|article)\?.*|click\s+here\s+to\s+(?:subscribe|sign\s+up)\b.*"
        r"|tell\s+us\s+what\s+you\s+think\W*|get\s+the\s+latest\s+.{0,60}\bin\s+your\s+inbox\b.*",
        250,
    ),
    # Affiliate disclosures.
    _rule(
        ADVERTISEMENT,
        r".{0,120}\b(?:may\s+(?:earn|receive|get)\s+(?:a\s+)?(?:small\s+)?(?:commission|share\s+of"
        r"\s+the\s+sale)|affiliate\s+(?:commission|links?))\b.*",
        300,
    ),
    _rule(
        PROMOTION,
        r"(?:subscribe\b|berlangganan\b|sign\s+up\s+for\s+(?:our\s+)?newsletter|daftar\s+newsletter"
        r"|unduh\s+aplikasi|download\s+(?:the\s+|our\s+)?app|dapatkan\s+(?:update|berita|info)"
        r"|simak\s+(?:breaking\s+news|berita\s+pilihan|update)|baca\s+berita\s+lainnya\s+di\b).*",
        320,
    ),
    # Photo captions and credits on a line of their own: "Foto: ...", "(Foto: ...)",
    # "PHOTO: REUTERS", "ST PHOTO: NAME", "ANTARA/Name", "Dok. Humas", "Ilustrasi".
    _rule(CAPTION, rf"\(?\s*{_CREDIT}\s*\)?\.?", 120),
    _rule(CAPTION, rf"\(\s*(?:{_AGENCY})(?:\s+(?:foto|photo))?\s*/\s*[^()]{{2,60}}\)\.?", 80),
    _rule(CAPTION, rf"(?:{_AGENCY})(?:\s+(?:foto|photo))?\s*/\s*[\w .,'’-]{{2,60}}", 80),
    _rule(
        CAPTION,
        r"(?:ilustrasi|illustration|gambar\s+hiasan|foto\s+hiasan|file\s+photo|foto\s+arsip"
        r"|foto\s+ilustrasi)(?:\s*[:.\-–—(].{0,100})?",
        120,
    ),
    _rule(CAPTION, r"dok(?:\.|umentasi\b)\s*[^\s.].{1,60}", 70),
    # A caption introduced by its label: "Foto: Warga mendorong ... (Nama/Kabar Pesisir)".
    _rule(CAPTION, r"(?:foto|photo|gambar|image|caption|keterangan\s+foto)\s*:\s*\S.{0,300}", 320),
    # Section labels left from the page's layout ("Headline", "Berita", "Top Stories").
    _rule(
        SECTION_LABEL,
        r"(?:headlines?|berita(?:\s+(?:utama|terbaru))?|news|top\s+stories|latest(?:\s+stories)?"
        r"|sorotan|highlights?|utama|pilihan|unggulan|trending\s+topics?|topik\s+hangat"
        r"|baca\s+lagi|video|videos|foto|photos?|galeri|gallery|infografis|infographics?"
        r"|opini|opinion|terbaru|semasa|viral|hot\s+news|breaking\s+news)" + _TRAILING,
        30,
    ),
    # Icon names glued to a button's label ("zoom-in-whitePerbesar"), and the bare buttons.
    _rule(WIDGET, r"[a-z]+(?:-[a-z0-9]+)+[A-Z][\w-]*", 40),
    _rule(WIDGET, r"(?:perbesar|perkecil|zoom(?:\s+in|\s+out)?|tutup|close|putar|play|pause)", 12),
    # Bylines, photo credits and tag lists.
    _rule(
        BYLINE,
        r"(?:editor|penulis|reporter|pewarta|penyunting|tags?|topik|kata\s+kunci|keywords"
        r"|written\s+by|oleh|foto|photo|image|gambar|sumber\s+foto)\s*[:：|]\s*.{0,100}",
        120,
    ),
    _rule(BYLINE, r"(?:staff\s+and\s+agencies|agencies|staff\s+reporter|wire\s+services)", 30),
    # Wire credits and sources: "(Reporting by X; Editing by Y)", "X contributed reporting from
    # Hong Kong.", "SOURCE: Al Jazeera News", "Sumber: Antara", "Filed under: Politics".
    _rule(
        BYLINE,
        r"\(?\s*(?:additional\s+)?(?:reporting|writing|editing)\s+by\b.{1,250}\)?\.?"
        r"|.{3,80}\s+contributed\s+(?:reporting|to\s+this\s+(?:report|article|story))\b.{0,80}"
        r"|(?:source|sumber|filed\s+under)\s*:\s*.{1,60}",
        300,
    ),
    # Reading time: "5 min read", "Tempo de leitura: 1 minuto", "Waktu baca: 3 menit".
    _rule(
        DATELINE,
        r"(?:reading\s+time|read\s+time|tempo\s+de\s+leitura|waktu\s+baca|masa\s+membaca)\s*:?"
        r"\s*\d+\s*\w{0,8}|\d+\s*(?:min(?:ute)?s?|menit|minit)\s+(?:read|baca|bacaan)",
        40,
    ),
    # "Penulis Dian Erika | Editor Sabrina Asril" (no colons, a bar between the roles).
    _rule(
        BYLINE,
        r"(?:penulis|reporter|pewarta|editor)\s+[^|]{3,50}\|\s*(?:editor|penyunting)\s+.{3,50}",
        120,
    ),
    # Editors' initials closing an Indonesian news story: "(idn/idn)", "(rdp/imk)".
    _rule(BYLINE, r"\(\s*[a-z]{2,5}(?:\s*/\s*[a-z]{2,5})+\s*\)", 40),
    # Photo and video links and embed placeholders: "Lihat Foto", "[Gambas:Video 20detik]".
    _rule(
        MEDIA,
        r"(?:lihat|tonton|watch|view)\s+(?:foto|video|galeri|gallery|photos?|videos?)(?:\s*:.*)?",
        120,
    ),
    _rule(MEDIA, r"\[[^\[\]]{1,80}\]", 82),
    # Headings of teaser lists ("Berita Terkait", "Most read").
    _rule(
        TEASER,
        r"(?:berita\s+(?:terkait|berkaitan|lainnya|terpopuler|populer|terkini|pilihan)"
        r"|artikel\s+(?:terkait|berkaitan|lainnya)|baca\s+juga\s+berita\s+ini"
        r"|terpopuler|terkini|populer|most\s+(?:read|popular|viewed)|trending(?:\s+now)?"
        r"|related\s+(?:articles|stories|news|posts)|you\s+may\s+also\s+like|recommended(?:\s+for\s+you)?"
        r"|rekomendasi(?:\s+untuk\s+anda)?|pilihan\s+(?:editor|redaksi)|editor'?s?\s+picks?"
        r"|lihat\s+semua|see\s+all|load\s+more|muat\s+lebih\s+banyak|tampilkan\s+lebih\s+banyak"
        r"|more\s+stories|latest\s+news|related|explore\s+more\s+on\s+these\s+topics"
        r"|popular\s+on\s+\S+|more\s+from\s+\S+(?:\s+\S+)?"
        r"|more\s+on\s+this\s+story|(?:topik|tag|tags)\s+terkait)" + _TRAILING,
        50,
    ),
    # Page numbers from PDFs and printed pages: "12", "- 3 -", "Halaman 3 dari 10", "Page 2 of 9"
    # (a bare four-digit number is more likely a year, and stays).
    _rule(
        PAGE_NUMBER,
        r"[-–—\s]*(?:(?:page|halaman|hal\.?)\s*\d{1,4}|\d{1,3})(?:\s*(?:/|of|dari)\s*\d{1,4})?[-–—\s]*",
        24,
    ),
    # Lines of symbols only ("***", "—", "• • •").
    _rule(SEPARATOR, r"[\W_]+", 80),
)

_LINKED_PREFIX = re.compile(rf"(?:{_LINKED_MARKER}){_SEP}(?P<rest>\S.*)", re.IGNORECASE)
_READ_ALSO_PREFIX = re.compile(rf"(?:{_READ_ALSO_MARKER})\s+(?P<rest>\S.*)", re.IGNORECASE)
_NAME_DASH_OUTLET = re.compile(
    r"(?P<name>[^\W\d_][\w.'’]*(?:\s+[^\W\d_][\w.'’]*){1,3})\s+[-–—]\s+[\w.]*(?:news|com|id)\b[\w.]*",
    re.IGNORECASE,
)
_BYLINE_NAME = re.compile(
    r"(?:by|oleh)\s*:?\s+(?P<name>\S+(?:\s+\S+){0,4}(?:\s+(?:and|dan)\s+\S+(?:\s+\S+){0,3})?)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W\d_][\w'’\-]*")
_BREADCRUMB_SPLIT = re.compile(r"\s*[|›»/·•]\s*|\s+>\s+")
_PATH_SEPARATOR = re.compile(
    r"\s+(?:[/›»>]|>>)\s+|\s*[›»]\s*"
)  # "Berita / Detik News", "News › World"
_TERMINAL = tuple('.!?…:;"”’»)。！？」』')
_SPACES = re.compile(r"[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u2060\ufeff\u00ad"))
_LINE_BREAKS = re.compile(r"\r\n|[\r\v\f\x85\u2028\u2029]")

#: A run of at least this many consecutive menu-like (or headline-like) lines is chrome.
MIN_MENU_RUN = 3
MIN_TEASER_RUN = 3
#: A line this long or longer is never the title.
MAX_TITLE_LENGTH = 200


@dataclass
class CleanResult:
    """Cleaned paragraphs (the title, when found, is the first), the title, what was dropped."""

    paragraphs: list[str]
    title: str | None
    removed: list[RemovedLine] = field(default_factory=list)


def normalise(raw: str) -> str:
    """Repair mojibake, NFC-normalise, unify line breaks and spaces; strip each line."""
    import ftfy

    text = ftfy.fix_text(
        raw,
        uncurl_quotes=False,  # keep the article's typographic quotes
        fix_character_width=False,  # keep full-width CJK punctuation as written
        normalization="NFC",
    )
    text = unicodedata.normalize("NFC", _LINE_BREAKS.sub("\n", text)).translate(_INVISIBLE)
    return "\n".join(_SPACES.sub(" ", line).strip() for line in text.split("\n"))


def normalise_verbatim(raw: str) -> str:
    """Like :func:`normalise` for code: mojibake repaired and NFC, but each line keeps its
    indentation (trailing spaces go)."""
    import ftfy

    text = ftfy.fix_text(
        raw, uncurl_quotes=False, fix_character_width=False, normalization="NFC"
    ).translate(_INVISIBLE)
    return "\n".join(line.rstrip() for line in unicodedata.normalize("NFC", text).split("\n"))


def _words(line: str) -> list[str]:
    return _WORD.findall(line)


def is_headline_like(line: str) -> bool:
    """Short, no closing full stop, and most longer words capitalised: a linked headline."""
    if not line or len(line) > 160 or line.endswith((".", ",", ";", ":")):
        return False
    words = _words(line)
    if not 3 <= len(words) <= 20:
        return False
    significant = [w for w in words if len(w) > 3]  # skip "dan", "di", "the", "of"
    if not significant:
        return False
    capitalised = sum(1 for w in significant if w[0].isupper())
    return capitalised / len(significant) >= 0.6


def _is_list_item(line: str) -> bool:
    """A linked headline or tag in a list: a few words, no sentence punctuation at the end."""
    return (
        0 < len(line) <= 150
        and len(line.split()) <= 20
        and not line.endswith((".", ",", ";", ":", "!", "?", '"', "”"))
        and any(ch.isalpha() for ch in line)
    )


def _is_menu_like(line: str) -> bool:
    """A navigation item: a few short words, no digits, no sentence punctuation."""
    return (
        0 < len(line) <= 25
        and len(line.split()) <= 3
        and not any(ch.isdigit() for ch in line)
        and not line.endswith(_TERMINAL)
        and any(ch.isalpha() for ch in line)
    )


def _is_breadcrumb(line: str) -> bool:
    """ "Home › Berita › Internasional" or "Home | News | Sport | Tech"."""
    if len(line) > 200:
        return False
    items = [item for item in _BREADCRUMB_SPLIT.split(line) if item]
    if len(items) >= MIN_MENU_RUN and all(_is_menu_like(item) for item in items):
        return True
    path = [item for item in _PATH_SEPARATOR.split(line) if item]
    return len(path) >= 2 and all(_is_menu_like(item) for item in path)


_MONTH = (
    r"(?:jan(?:uari|uary)?|feb(?:ruari|ruary)?|mar(?:et|ch)?|apr(?:il)?|mei|may|jun(?:i|e)?"
    r"|jul(?:i|y|ai)?|agu(?:stus)?|aug(?:ust)?|ogos|sep(?:t|tember)?|okt(?:ober)?|oct(?:ober)?"
    r"|nov(?:ember)?|des(?:ember)?|dec(?:ember)?|dis(?:ember)?)\.?"
)
_DATE = re.compile(
    rf"\b(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}\s+{_MONTH}\s+\d{{4}}"
    rf"|{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{4}}-\d{{2}}-\d{{2}}"
    rf"|\d{{1,2}}[:.]\d{{2}}\s*(?:am|pm|wib|wita|wit|myt|sgt|gmt|utc)"
    rf"|\d+\s+(?:min(?:ute)?s?|hours?|jam|menit|minit|hari|days?)\s+(?:ago|lalu|yang\s+lalu|read))\b",
    re.IGNORECASE,
)
_DATE_WORDS = re.compile(
    r"\b(?:\d{1,2}[:.]\d{2}(?::\d{2})?|wib|wita|wit|gmt|utc|am|pm|pukul|jam"
    r"|senin|selasa|rabu|kamis|jumat|jum'at|sabtu|minggu|ahad"
    r"|monday|tuesday|wednesday|thursday|friday|saturday|sunday|isnin|khamis|jumaat"
    r"|pagi|petang|malam|tengah\s+hari|myt|sgt|wib|hrs|ago|lalu|yang"
    r"|updated|diperbarui|published|diterbitkan|posted|dipublikasikan|terbit)\b",
    re.IGNORECASE,
)


_MERIDIEM = re.compile(r"\b([ap])\.m\.", re.IGNORECASE)


def _is_dateline(line: str) -> bool:
    """ "Kamis, 12 Jun 2025 14:32 WIB", "Kompas.com - 03/03/2025, 09:15 WIB": a stamp, not prose."""
    line = _MERIDIEM.sub(r"\1m", line)  # "1:23 p.m." -> "1:23 pm"
    if len(line) > 80 or line.endswith(".") or not _DATE.search(line):
        return False
    rest = _DATE_WORDS.sub(" ", _DATE.sub(" ", line))
    return len(_WORD.findall(rest)) <= 2


#: A caption's last words are its credit: "... Kamis (22/1/2026). (ANTARA FOTO/Name)",
#: "... on Jan 20. PHOTO: REUTERS", "... semalam. - Foto BERNAMA".
_CAPTION_TAIL = re.compile(
    rf"\S.*?(?:[.!?)\]]|\s[-–—|])\s*[-–—|]?\s*(?:\(\s*(?i:(?:{_AGENCY})(?:\s+(?:foto|photo))?\s*/"
    rf"|(?:[a-z][\w.]{{0,12}}\s+){{0,2}}(?:foto|photo|pic|dok\.?|ist\.?|sumber)\b)[^()]{{1,80}}\)"
    rf"|(?:[A-Z]{{1,12}}\s+)?(?:FOTO|PHOTO|Foto|Photo|PIC)\b\s*[:/]?\s*[A-Z][^.!?()]{{1,60}})\s*",
)
#: "John Tan, Indonesia Correspondent", "Siti Aminah, Wartawan Kompas".
_NAME_ROLE = re.compile(
    r"(?:[A-Z][\w.'’-]*\s+){1,3}[A-Z][\w.'’-]*\s*[,|–—-]\s*(?:[\w-]+\s+){0,3}"
    r"(?:correspondent|reporter|editor|writer|journalist|columnist|koresponden|wartawan"
    r"|penulis|pewarta|kontributor|contributor|wartawan\s+\w+)(?:\s+\w+){0,3}",
    re.IGNORECASE,
)


def _is_caption(line: str) -> bool:
    """A photo caption ending in its credit (a body paragraph never ends in one)."""
    return len(line) <= 400 and _CAPTION_TAIL.fullmatch(line) is not None


def _is_body_line(line: str) -> bool:
    """A sentence or more of prose."""
    return len(line.split()) >= 12 and line.endswith(_TERMINAL)


def _is_title_like(line: str) -> bool:
    return (
        0 < len(line) <= MAX_TITLE_LENGTH
        and len(line.split()) <= 30
        and not line.endswith((".", ",", ";", ":"))
        and any(ch.isalpha() for ch in line)
    )


def _match_table(line: str) -> str | None:
    for rule in CHROME_RULES:
        if len(line) <= rule.max_length and rule.pattern.fullmatch(line):
            return rule.reason
    if _is_caption(line):
        return CAPTION
    if len(line) <= 80 and _NAME_ROLE.fullmatch(line) and line[:1].isupper():
        return BYLINE
    # "Andi Saputra - detikNews": a name, a dash, a one-word outlet.
    if len(line) <= 60:
        match = _NAME_DASH_OUTLET.fullmatch(line)
        if match and all(word[:1].isupper() for word in match.group("name").split()):
            return BYLINE
    # "By Hannah Collins" / "Oleh Rina Marlina": a byline is a few capitalised names.
    if len(line) <= 60:
        match = _BYLINE_NAME.fullmatch(line)
        names = [w for w in match.group("name").split() if w not in ("and", "dan")] if match else []
        if match and all(word[:1].isupper() for word in names):
            return BYLINE
    # "Baca juga Judul Berita Lain" without a separator: chrome only if the rest is a headline.
    if len(line) <= 300:
        match = _READ_ALSO_PREFIX.fullmatch(line)
        if match and is_headline_like(match.group("rest")):
            return READ_ALSO
    return None


class _LineMarks:
    """Which line indexes are dropped, and why (first reason wins)."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.reasons: dict[int, str] = {}

    def drop(self, index: int, reason: str) -> None:
        self.reasons.setdefault(index, reason)

    def kept(self) -> list[int]:
        return [i for i, line in enumerate(self.lines) if line and i not in self.reasons]


def _mark_table_rules(
    marks: _LineMarks,
    exclude: frozenset[str] = frozenset(),
    protected: frozenset[int] = frozenset(),
) -> None:
    lines = marks.lines
    content = [i for i, line in enumerate(lines) if line and i not in protected]
    for position, i in enumerate(content):
        reason = _match_table(lines[i])
        if reason in exclude:
            reason = None
        if reason is None and _is_breadcrumb(lines[i]):
            reason = NAVIGATION
        if reason is None and _is_dateline(lines[i]):
            reason = DATELINE
        if reason is None:
            continue
        marks.drop(i, reason)
        # A bare "Baca juga" or teaser heading: the linked headlines listed right after it go
        # too, whatever their capitalisation (many English sites use sentence case).
        if reason in (READ_ALSO, TEASER) and len(lines[i]) <= 50:
            for j in content[position + 1 :]:
                if not _is_list_item(lines[j]) or _match_table(lines[j]) not in (None, reason):
                    break
                marks.drop(j, reason)
                if reason == READ_ALSO:
                    break  # one read-also marker links one headline


def _mark_runs(
    marks: _LineMarks,
    predicate,
    minimum: int,
    reason: str,
    skip: int | None,
    after: int = -1,
    accept: Callable[[list[int]], bool] | None = None,
) -> None:
    """Drop runs of ``minimum`` or more consecutive kept lines that satisfy ``predicate``
    (only lines after index ``after`` count, and only runs ``accept`` agrees to)."""
    run: list[int] = []
    for i in [*(i for i in marks.kept() if i > after), None]:
        if i is not None and i != skip and predicate(marks.lines[i]):
            run.append(i)
            continue
        if len(run) >= minimum and (accept is None or accept(run)):
            for j in run:
                marks.drop(j, reason)
        run = []


# ---------------------------------------------------------------------------------------------
# Teasers for other stories, recognised by what they are: where they sit (after a section
# label, between body paragraphs as a headline-and-dek pair, after the body ends), their shape
# (a headline without final punctuation, then at most one sentence) and how few of their words
# the article's title and body use.

_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")
_INNER_SENTENCE_END = re.compile(r"[.!?][\"”’)]?\s+[A-Z\"“]")
#: At most this share of a teaser's words appear elsewhere in the article.
TEASER_MAX_OVERLAP = 0.3
#: A headline-and-dek pair *between* body paragraphs must share even less with the article.
INLINE_TEASER_MAX_OVERLAP = 0.2
#: After the body has ended, a headline-shaped line is a teaser unless it shares this much.
TRAILING_TEASER_MAX_OVERLAP = 0.6


#: Function words of four letters or more (Indonesian, Malay, English): they say nothing about
#: what a line is about.
_FUNCTION_WORDS = frozenset(
    [
        "yang",
        "dari",
        "untuk",
        "dengan",
        "pada",
        "dalam",
        "akan",
        "juga",
        "atau",
        "tidak",
        "bisa",
        "dapat",
        "lebih",
        "oleh",
        "bagi",
        "sudah",
        "telah",
        "masih",
        "para",
        "karena",
        "kata",
        "ujar",
        "bahwa",
        "saat",
        "ketika",
        "setelah",
        "sebelum",
        "antara",
        "hingga",
        "sampai",
        "agar",
        "supaya",
        "serta",
        "namun",
        "tetapi",
        "bersama",
        "secara",
        "sebagai",
        "seperti",
        "kepada",
        "terhadap",
        "mereka",
        "kami",
        "kita",
        "beliau",
        "anda",
        "adalah",
        "ialah",
        "iaitu",
        "manakala",
        "sebanyak",
        "seramai",
        "daripada",
        "this",
        "that",
        "with",
        "from",
        "have",
        "has",
        "had",
        "were",
        "been",
        "will",
        "would",
        "could",
        "should",
        "about",
        "after",
        "before",
        "their",
        "there",
        "they",
        "them",
        "than",
        "then",
        "into",
        "over",
        "also",
        "more",
        "most",
        "when",
        "what",
        "which",
        "while",
        "where",
        "said",
        "says",
        "just",
        "only",
        "some",
        "such",
        "very",
        "your",
        "ours",
    ]
)


def _content_words(line: str) -> list[str]:
    words = (w.casefold() for w in _CONTENT_WORD.findall(line))
    return [w for w in words if w not in _FUNCTION_WORDS]


class _Vocabulary:
    """How often each content word occurs in the article's prose (and its title)."""

    def __init__(self, lines: list[str]):
        self.lines = set(lines)
        self.counts = Counter(w for line in lines for w in _content_words(line))

    def overlap(self, lines: list[str]) -> float:
        """The share of the distinct content words of ``lines`` used elsewhere in the article."""
        words = {w for line in lines for w in _content_words(line)}
        if not words:
            return 1.0
        own = Counter(w for line in set(lines) & self.lines for w in _content_words(line))
        shared = sum(1 for w in words if self.counts[w] - own[w] > 0)
        return shared / len(words)


def _is_teaser_shape(line: str) -> bool:
    """A headline: 4 to 20 words, starts with a capital or digit, no final punctuation (and
    not a table row, whose cells are joined with " | ")."""
    words = line.split()
    return (
        4 <= len(words) <= 20
        and len(line) <= 160
        and " | " not in line
        and "\t" not in line
        and (line[:1].isupper() or line[:1].isdigit() or line[:1] in "\"“'‘")
        and not line.endswith((*_TERMINAL, ","))
    )


def _is_dek(line: str) -> bool:
    """A teaser's standfirst: one short sentence (4 to 16 words)."""
    words = line.split()
    return (
        4 <= len(words) <= 16
        and line.endswith((".", "!", "?", '"', "”"))
        and not _INNER_SENTENCE_END.search(line[:-1])
    )


def _is_flat_menu(line: str) -> bool:
    """A category menu flattened onto one line: seven or more capitalised words, no sentence."""
    words = [w for w in line.split() if w not in ("&", "|", "·", "•", "/", "-")]
    return (
        len(words) >= 7
        and len(line) <= 250
        and all(w[:1].isupper() for w in words)
        and not any(ch.isdigit() for ch in line)
        and not line.endswith(_TERMINAL)
    )


def _article_vocabulary(marks: _LineMarks) -> _Vocabulary:
    return _Vocabulary([marks.lines[i] for i in marks.kept() if len(marks.lines[i].split()) >= 8])


def _mark_flat_menus(marks: _LineMarks, vocabulary: _Vocabulary) -> None:
    """Menus sit above the body or below it, never between its paragraphs."""
    kept = marks.kept()
    body = [i for i in kept if _is_body_line(marks.lines[i])]
    for i in kept:
        line = marks.lines[i]
        if body and body[0] < i < body[-1]:
            continue
        if _is_flat_menu(line) and vocabulary.overlap([line]) < TEASER_MAX_OVERLAP:
            marks.drop(i, NAVIGATION)


def _mark_teasers(
    marks: _LineMarks,
    title_index: int | None,
    vocabulary: _Vocabulary,
    *,
    by_position: bool = True,
) -> None:
    """Drop teasers (see above). Without ``by_position`` only those that follow a section
    label or another teaser go: an extractor has already cut the page around the article,
    so what sits after its end or between its paragraphs is the article's own (a Q&A, a
    closing note)."""
    lines = marks.lines
    content = [i for i, line in enumerate(lines) if line]
    body = [i for i in marks.kept() if i != title_index and _is_body_line(lines[i])]
    if not body:
        return
    first_body, last_body = body[0], body[-1]
    in_list: set[int] = set()  # items of a list the article introduces ("... berikut:")
    for position, i in enumerate(content):
        if i in marks.reasons or i == title_index:
            continue
        line = lines[i]
        previous = content[position - 1] if position else None
        after_label = previous is not None and marks.reasons.get(previous) in (
            SECTION_LABEL,
            TEASER,
            READ_ALSO,
        )
        list_context = previous is not None and (
            lines[previous].endswith(":") or previous in in_list
        )
        if (
            _is_dek(line)
            and previous is not None
            and marks.reasons.get(previous) == TEASER
            and _is_teaser_shape(lines[previous])
        ):
            # The standfirst of a teaser whose headline already went.
            if vocabulary.overlap([line]) <= TEASER_MAX_OVERLAP:
                marks.drop(i, TEASER)
            continue
        if list_context and _is_list_item(line):
            in_list.add(i)
            continue
        if not _is_teaser_shape(line):
            continue
        following = content[position + 1] if position + 1 < len(content) else None
        has_dek = (
            following is not None and following not in marks.reasons and _is_dek(lines[following])
        )
        group = [i, following] if has_dek and following is not None else [i]
        overlap = vocabulary.overlap([lines[j] for j in group])
        by_place = by_position and (
            (i > last_body and overlap <= TRAILING_TEASER_MAX_OVERLAP)
            or (first_body < i < last_body and has_dek and overlap <= INLINE_TEASER_MAX_OVERLAP)
        )
        if (after_label and overlap <= TEASER_MAX_OVERLAP) or by_place:
            for j in group:
                marks.drop(j, TEASER)


def _teaser_run(marks: _LineMarks, vocabulary: _Vocabulary) -> Callable[[list[int]], bool]:
    """Whether a run of headline-like lines is a teaser list and not the article's own list
    (introduced by a colon, made of dates or results, or about the article's subject)."""

    def accept(run: list[int]) -> bool:
        lines = marks.lines
        before = max((i for i in range(run[0]) if lines[i]), default=None)
        if before is not None and lines[before].endswith(":"):
            return False
        if sum(any(ch.isdigit() for ch in lines[i]) for i in run) * 2 > len(run):
            return False
        return vocabulary.overlap([lines[i] for i in run]) <= TEASER_MAX_OVERLAP

    return accept


#: Prose lines further apart than this many kept lines belong to different parts of the page.
MAX_BODY_GAP = 25


def _body_region(marks: _LineMarks) -> tuple[int, int]:
    """The first and last line of the article's prose, (-1, -1) if there is none: of the
    clusters of prose lines (a sentence or more, at most :data:`MAX_BODY_GAP` kept lines
    apart), the one with the most words. A sidebar's blurbs or a comment section further down
    the page are other clusters."""
    kept = marks.kept()
    body = [(n, i) for n, i in enumerate(kept) if _is_body_line(marks.lines[i])]
    if not body:
        return (-1, -1)
    clusters: list[list[int]] = [[body[0][1]]]
    words = [len(marks.lines[body[0][1]].split())]
    for (previous, _), (n, i) in zip(body, body[1:], strict=False):
        if n - previous > MAX_BODY_GAP:
            clusters.append([])
            words.append(0)
        clusters[-1].append(i)
        words[-1] += len(marks.lines[i].split())
    best = clusters[words.index(max(words))]
    return best[0], best[-1]


def _mark_top_labels(marks: _LineMarks) -> None:
    """One or two short labels opening the page ("Hiburan" / "Film"), set apart from what
    follows by a blank line, above a headline and the body: the page's section labels, not
    its title. (A kicker written right above its headline, with no blank line, stays.)"""
    lines = marks.lines
    kept = marks.kept()
    first_body = next((i for i in kept if _is_body_line(lines[i])), None)
    if first_body is None:
        return
    group: list[int] = []
    for i in kept:
        if i >= first_body or (group and i != group[-1] + 1) or not _is_menu_like(lines[i]):
            break
        group.append(i)
    if not group or group[-1] + 1 >= len(lines) or lines[group[-1] + 1]:
        return
    headline = any(
        _is_title_like(lines[j]) and len(lines[j].split()) >= 4
        for j in kept
        if group[-1] < j < first_body
    )
    if headline:
        for i in group:
            marks.drop(i, SECTION_LABEL)


def _mark_repeats(
    marks: _LineMarks, title_index: int | None = None, *, only_title: bool = False
) -> None:
    """A headline-like line seen before (a teaser repeating the title, say) goes; between the
    article's paragraphs only a repeat of the title does (a heading listed first in a table
    of contents stays). With ``only_title``, only repeats of the title go anywhere."""
    first_body, last_body = _body_region(marks)
    title_key = (
        " ".join(_words(marks.lines[title_index].casefold())) if title_index is not None else None
    )
    seen: set[str] = set()
    for i, line in enumerate(marks.lines):
        if not line:
            continue
        key = " ".join(_words(line.casefold()))
        inside = (only_title or first_body < i < last_body) and key != title_key
        if key in seen and i not in marks.reasons and is_headline_like(line) and not inside:
            marks.drop(i, REPEATED)
        seen.add(key)
        # A dropped "Read more: <headline>" also makes <headline> seen.
        match = _LINKED_PREFIX.fullmatch(line)
        if match:
            seen.add(" ".join(_words(match.group("rest").casefold())))


def _wrap_width(lines: list[str]) -> int | None:
    """The width text was hard-wrapped at, else None.

    Wrapped text has many lines of nearly the same (full) length, most of which stop
    mid-sentence; one-line-per-paragraph text has lines of every length.
    """
    long_lines = [line for line in lines if len(line) >= 40]
    if len(long_lines) < 3:
        return None
    lengths = sorted(len(line) for line in long_lines)
    width = lengths[int(0.9 * (len(lengths) - 1))]
    full = [line for line in long_lines if len(line) >= 0.75 * width]
    if width > 200 or len(full) < 3 or len(full) / len(long_lines) < 0.6:
        return None
    open_ended = sum(1 for line in full if not line.endswith(_TERMINAL))
    return width if open_ended / len(full) >= 0.6 else None


def _continues(previous: str, line: str, wrap_width: int | None) -> bool:
    """Whether ``line`` continues the paragraph ``previous`` ends (a soft line break).

    A sentence never starts with a lowercase word; in hard-wrapped text a line that fills
    most of the width ran on (a shorter one, like a heading, ends where its text ends).
    """
    if previous.endswith(_TERMINAL):
        return False
    if line[:1].islower() or (previous.endswith(("，", "、")) and _CJK.match(line[:1])):
        return True
    return wrap_width is not None and len(previous) >= 0.7 * wrap_width


_HYPHENATED_END = re.compile(r"([^\W\d_]+)-$")
_HYPHENATED_WORD = re.compile(r"(?<![^\W\d_])[^\W\d_]+-[^\W\d_]+")
#: A hyphenated line end is looked for in this many last characters (a word is shorter).
_WORD_TAIL = 64
_FIRST_WORD = re.compile(r"[^\W\d_]+")
_CJK = re.compile(
    r"[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef]"
)


#: Word lists that tell whether a rejoined word is a word (wordfreq's Indonesian, Malay and
#: English lists).
_WORD_LANGUAGES = ("id", "ms", "en")


def _word_frequency(word: str) -> float:
    import wordfreq  # a few MB of lists: loaded only when a line ends in a hyphenated word

    return max(wordfreq.zipf_frequency(word, language) for language in _WORD_LANGUAGES)


class _Joiner:
    """Joins the lines of one paragraph: with a space; without one between CJK characters;
    and a word hyphenated at the line end ("adip-" + "iscing") back into one word when the
    joined form is a word: it occurs elsewhere in the text, or a part is no word of its own
    ("adip"), or it is a common word in the word lists. A compound keeps its hyphen ("well-" +
    "known": both parts are words, "wellknown" is not), and so does an Indonesian
    reduplication ("anak-anak")."""

    def __init__(self, lines: list[str]):
        text = "\n".join(lines).casefold()
        self.words = set(_FIRST_WORD.findall(text))
        # The lookbehind anchors each match at a word's start: linear even in a huge "word".
        self.hyphenated = set(_HYPHENATED_WORD.findall(text))

    def _rejoins(self, first: str, second: str) -> bool:
        if first + second in self.words:
            return True
        if f"{first}-{second}" in self.hyphenated or first == second:
            return False
        if _word_frequency(first) > 1.5 and _word_frequency(second) > 1.5:
            # Two words: a compound unless the joined form is itself a common word (Zipf 3:
            # once per million words; "wellknown", a typo, is rarer).
            return _word_frequency(first + second) >= 3.0
        return True

    def join(self, left: str, right: str) -> str:
        end = _HYPHENATED_END.search(left[-_WORD_TAIL:]) if left.endswith("-") else None
        start = _FIRST_WORD.match(right)
        if end and start and right[:1].islower():
            first, second = end.group(1).casefold(), start.group(0).casefold()
            return left[:-1] + right if self._rejoins(first, second) else left + right
        if _CJK.match(left[-1:]) and _CJK.match(right[:1]):
            return left + right
        return f"{left} {right}"

    def paragraph(self, lines: list[str]) -> str:
        text = lines[0]
        for line in lines[1:]:
            text = self.join(text, line)
        return text


def _build_paragraphs(
    lines: list[str], keep: set[int], title_index: int | None, wrap_width: int | None
) -> list[str]:
    joiner = _Joiner([lines[i] for i in sorted(keep)])
    paragraphs: list[str] = []
    current: list[str] = []
    previous_index: int | None = None
    for i, line in enumerate(lines):
        if i not in keep:
            if current:
                paragraphs.append(joiner.paragraph(current))
                current = []
            continue
        joins = (
            current
            and previous_index == i - 1
            and previous_index != title_index
            and _continues(current[-1], line, wrap_width)
        )
        if current and not joins:
            paragraphs.append(joiner.paragraph(current))
            current = []
        current.append(line)
        previous_index = i
    if current:
        paragraphs.append(joiner.paragraph(current))
    return paragraphs


#: Rules left out for text whose blocks an extractor already found (a web page): there a short
#: line is a heading, a list item or a table label, not a page number or a separator.
_BLOCK_MODE_EXCLUDED = frozenset({PAGE_NUMBER, SEPARATOR})


def _clean_blocks(raw: str) -> CleanResult:
    """Text already split into blocks (blank lines between them), e.g. by the web page
    extractor: each block is a paragraph. A block with line breaks of its own is code or
    preformatted text, kept verbatim; the others lose the chrome rules' lines, repeats of the
    title and teasers listed under a section label (not short lines in runs: those are the
    article's lists; nor repeated headings or headline-shaped lines after the body: the
    extractor already cut the page around the article)."""
    parts = [p.strip("\n") for p in re.split(r"\n[ \t]*\n", _LINE_BREAKS.sub("\n", raw))]
    lines: list[str] = []
    verbatim: set[int] = set()
    for part in parts:
        if not part.strip():
            continue
        if "\n" in part:
            fixed = normalise_verbatim(part)
            if fixed.strip():
                verbatim.add(len(lines))
                lines.append(fixed)
        else:
            line = normalise(part)
            if line:
                lines.append(line)
    marks = _LineMarks(lines)
    _mark_table_rules(marks, exclude=_BLOCK_MODE_EXCLUDED, protected=frozenset(verbatim))
    vocabulary = _article_vocabulary(marks)
    kept = marks.kept()
    title_index = kept[0] if kept and _is_title_like(lines[kept[0]]) else None
    _mark_repeats(marks, title_index, only_title=True)
    _mark_teasers(marks, title_index, vocabulary, by_position=False)
    paragraphs = [lines[i] for i in marks.kept()]
    title = lines[title_index] if title_index is not None else None
    removed = [RemovedLine(lines[i], reason) for i, reason in sorted(marks.reasons.items())]
    return CleanResult(paragraphs, title, removed)


def clean_text(
    raw: str, *, blocks: bool = False, paged: bool = False, classify: bool = True
) -> CleanResult:
    """Clean scraped article text; see the module docstring for what goes and what stays.

    With ``blocks`` the text's blocks (separated by blank lines) are already its paragraphs,
    as a web page's extractor found them: see :func:`_clean_blocks`. With ``paged`` the text
    is a printed document's (a PDF's): a run of short lines is a table's labels or a list,
    not a site's menu, and stays. Otherwise, after the rules, the line classifier drops the
    lines it is confident are chrome (see :func:`_mark_by_classifier`); ``classify=False``
    leaves it out.
    """
    if blocks:
        return _clean_blocks(raw)
    marks, title_index, wrap_width = _mark_by_rules(raw, paged=paged)
    if classify and not paged:
        _mark_by_classifier(marks, title_index)
    lines = marks.lines
    keep = set(marks.kept())
    paragraphs = _build_paragraphs(lines, keep, title_index, wrap_width)
    title = lines[title_index] if title_index is not None else None
    removed = [RemovedLine(lines[i], reason) for i, reason in sorted(marks.reasons.items())]
    return CleanResult(paragraphs, title, removed)


@dataclass(frozen=True)
class RuleVerdicts:
    """What the rules alone decided about a text's lines (the line classifier's input).

    Attributes:
        lines: the normalised lines, blank ones included.
        reasons: line index -> why the rules dropped it.
        title_index: the title line's index, if one was found.
    """

    lines: list[str]
    reasons: dict[int, str]
    title_index: int | None

    def features(self) -> tuple[list[int], list[list[float]]]:
        """The non-blank lines' indexes and their classifier feature rows."""
        content = [i for i, line in enumerate(self.lines) if line]
        title = content.index(self.title_index) if self.title_index is not None else None
        rows = line_classifier.line_features(
            [self.lines[i] for i in content], [self.reasons.get(i) for i in content], title
        )
        return content, rows


def rule_verdicts(raw: str) -> RuleVerdicts:
    """The rules' verdicts on copied text, before the line classifier."""
    marks, title_index, _ = _mark_by_rules(raw, paged=False)
    return RuleVerdicts(marks.lines, dict(marks.reasons), title_index)


def classifier_reason(probability: float) -> str:
    """The reason shown for a line the classifier dropped (its probability rounded down, so
    0.996 reads 0.99 and never a certain-looking 1.00)."""
    return f"looks like page chrome (line classifier, p={math.floor(probability * 100) / 100:.2f})"


def _mark_by_classifier(marks: _LineMarks, title_index: int | None) -> None:
    """Drop the kept lines the line classifier is confident are chrome. Inside the article's
    main prose run (between its first and last prose paragraph) it must be more confident,
    as a short line there is more often a sub-heading or a list item than chrome; some lines
    are never its to drop (see :func:`line_classifier.protected`)."""
    classifier = line_classifier.default_classifier()
    if classifier is None:
        return
    verdicts = RuleVerdicts(marks.lines, marks.reasons, title_index)
    content, rows = verdicts.features()
    safe = line_classifier.protected(rows)
    candidates = [
        (i, row)
        for i, row, keep in zip(content, rows, safe, strict=True)
        if i not in marks.reasons and i != title_index and not keep
    ]
    probabilities = classifier.probabilities([row for _, row in candidates])
    for (i, row), probability in zip(candidates, probabilities, strict=True):
        inside = line_classifier.in_main_prose_run(row)
        if probability >= (classifier.body_threshold if inside else classifier.threshold):
            marks.drop(i, classifier_reason(probability))


def _mark_by_rules(raw: str, *, paged: bool) -> tuple[_LineMarks, int | None, int | None]:
    """Run the rules over ``raw``'s lines: the marks, the title's index, the wrap width."""
    lines = normalise(raw).split("\n")
    marks = _LineMarks(lines)
    _mark_table_rules(marks)
    if not paged:
        # A run of short lines between the article's paragraphs is its list or table.
        first_body, last_body = _body_region(marks)
        _mark_runs(
            marks,
            _is_menu_like,
            MIN_MENU_RUN,
            NAVIGATION,
            skip=None,
            accept=lambda run: not first_body < run[0] <= last_body,
        )
    _mark_top_labels(marks)
    vocabulary = _article_vocabulary(marks)
    _mark_flat_menus(marks, vocabulary)

    kept = marks.kept()
    wrap_width = _wrap_width([lines[i] for i in kept])
    title_index = None
    if kept and _is_title_like(lines[kept[0]]):
        runs_on = (
            len(kept) > 1
            and kept[1] == kept[0] + 1
            and _continues(lines[kept[0]], lines[kept[1]], wrap_width)
        )
        title_index = None if runs_on else kept[0]
    _mark_repeats(marks, title_index)
    # Above the first body paragraph, headline-like lines are the headline and its kin: a
    # teaser list is only recognised below it.
    first_body = next((i for i in kept if _is_body_line(lines[i])), len(lines))
    _mark_runs(
        marks,
        is_headline_like,
        MIN_TEASER_RUN,
        TEASER,
        skip=title_index,
        after=first_body,
        accept=_teaser_run(marks, vocabulary),
    )
    _mark_teasers(marks, title_index, vocabulary)
    return marks, title_index, wrap_width
