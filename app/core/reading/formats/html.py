"""Web pages: the main text of a saved page (trafilatura), and the blocks of any HTML."""

from __future__ import annotations

import re

from app.core.base.errors import DocumentError
from app.core.reading.formats import common
from app.core.reading.formats.common import decode_text, too_long, word_count
from app.core.reading.formats.html_chunks import continuation_chunks
from app.core.reading.formats.html_teasers import is_link_teaser, link_texts

_BLOCK_TAGS = (
    "p", "div", "section", "article", "header", "footer", "aside", "main",
    "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "tr", "dd", "dt", "figcaption",
    "table", "ul", "ol", "dl", "hr",
)  # fmt: skip
_DROPPED_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "head",
    "nav",
    "iframe",
    "object",
    "svg",
)
_HTML_START = re.compile(rb"<(?:!doctype\s+html|html|head|body|article|p|div|h1)\b", re.IGNORECASE)


def _html_parser():
    from lxml import html

    return html.HTMLParser(no_network=True, remove_comments=True, remove_pis=True)


#: Characters XML (and so lxml) refuses in text: C0 controls other than tab and line breaks.
_NOT_XML_TEXT = dict.fromkeys(c for c in range(32) if chr(c) not in "\t\n\r")
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")


def _markup_text(markup: bytes | str) -> str:
    """Markup as a str lxml accepts: decoded, no XML declaration, no control characters."""
    if isinstance(markup, bytes):
        try:
            text = markup.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = decode_text(markup)
    else:
        text = markup
    head = _XML_DECLARATION.sub("", text[:1000])  # lxml refuses str with an encoding declaration
    return (head + text[1000:]).translate(_NOT_XML_TEXT)


def _parse_html(markup: bytes | str):
    from lxml import etree, html

    text = _markup_text(markup)
    if not text.strip():
        return None
    try:
        return html.fromstring(text, parser=_html_parser())
    except (etree.ParserError, ValueError):
        return None


def html_blocks(markup: bytes | str) -> list[str]:
    """The text of each block element (paragraph, heading, list item...) of an HTML document.

    Used for EPUB chapters and rendered Markdown, where every block is content. Scripts,
    styles and navigation are skipped; nothing is fetched. The tree is only read, never
    modified, and walked iteratively (deeply nested markup cannot exhaust the stack).
    """
    from lxml import etree

    root = _parse_html(markup)
    if root is None:
        return []
    body = root.find(".//body")
    start = body if body is not None else root
    blocks: list[str] = []
    current: list[str] = []

    def flush() -> None:
        block = " ".join("".join(current).split())
        if block:
            blocks.append(block)
        current.clear()

    walker = etree.iterwalk(start, events=("start", "end"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if not tag or tag in _DROPPED_TAGS:
                walker.skip_subtree()
                continue
            if tag in _BLOCK_TAGS:
                flush()
            elif tag == "br":
                current.append(" ")
            if element.text:
                current.append(element.text)
        else:
            if tag in _BLOCK_TAGS:
                flush()
            if element is not start and element.tail:
                current.append(element.tail)
    flush()
    return blocks


_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
#: MathJax's rendered glyphs (the readable form is its MathML or TeX source, kept below).
_MATHJAX_RENDERED = re.compile(r"\b(?:MathJax(?:_Display|_SVG|_CHTML)?|mjx-chtml)\b")
#: A block shorter than this many words may repeat on the page (a refrain, "Yes."); a longer
#: one that repeats is the page repeating itself, and is kept once.
MIN_DUPLICATE_WORDS = 5


def _is_hidden(element) -> bool:
    """Hidden from the reader: the ``hidden`` attribute, ``aria-hidden="true"``,
    ``display:none`` or ``visibility:hidden`` inline."""
    return (
        element.get("hidden") is not None
        or (element.get("aria-hidden") or "").strip().lower() == "true"
        or bool(_HIDDEN_STYLE.search(element.get("style") or ""))
    )


def _readable_math(root) -> None:
    """Replace formulas by readable text before the scripts go: MathML by its ``alttext`` or
    TeX annotation (else its tokens, spaced), MathJax 2's TeX scripts by their TeX."""
    for script in list(root.iter("script")):
        kind = (script.get("type") or "").lower()
        if kind.startswith("math/tex") and script.text and script.text.strip():
            script.tag = "span"
            script.attrib.clear()
            script.text = script.text.strip()
    for element in list(root.iter()):
        if (
            isinstance(element.tag, str)
            and _MATHJAX_RENDERED.search(element.get("class") or "")
            and next(element.iter("math", "{http://www.w3.org/1998/Math/MathML}math"), None) is None
            and element.getparent() is not None
        ):
            element.drop_tree()
    for math in list(root.iter("math", "{http://www.w3.org/1998/Math/MathML}math")):
        alt = (math.get("alttext") or "").strip()
        if not alt:
            annotations = [
                a.text or ""
                for a in math.iter("annotation", "{http://www.w3.org/1998/Math/MathML}annotation")
                if "tex" in (a.get("encoding") or "").lower()
            ]
            alt = annotations[0].strip() if annotations else ""
        if not alt:
            alt = " ".join(t.strip() for t in math.itertext() if t.strip())
        tail = math.tail
        math.clear()
        math.tag = "span"
        math.text = alt
        math.tail = tail
    for element in list(root.iter("mjx-container", "mjx-assistive-mml")):
        element.tag = "span"  # MathJax 3's wrappers, unknown to the extractor
        element.attrib.clear()


#: At most this many embedded posts or sign-up fields are looked at (each looks at the text
#: around it; a hostile page could hold thousands).
MAX_PAGE_WIDGETS = 100
#: Posts embedded from social networks (the quotes a story is about), by their embed markup.
_EMBEDDED_POST = re.compile(r"twitter-tweet|instagram-media|tiktok-embed|bluesky-embed", re.I)


def _embedded_posts(root) -> None:
    """Free embedded posts (a tweet's text, its author and date) from the wrappers that mark
    them as widgets, which the extractor drops as social-media chrome."""
    posts = [q for q in root.iter("blockquote") if _EMBEDDED_POST.search(q.get("class") or "")]
    for quote in posts[:MAX_PAGE_WIDGETS]:
        quote.attrib.clear()
        text = quote.text_content().strip()
        parent = quote.getparent()
        while (
            parent is not None
            and parent.tag in ("div", "figure", "span", "section")
            and parent.getparent() is not None
            and parent.text_content().strip() == text
        ):
            grandparent = parent.getparent()
            parent.drop_tag()
            parent = grandparent


#: A standfirst is a sentence: at least this many words (a kicker or a byline is shorter).
MIN_STANDFIRST_WORDS = 8
#: Words a headline block may hold besides the headline and its standfirst (date, byline).
MAX_HEADER_EXTRA_WORDS = 60
#: A paragraph this long in the headline's block means the block is the article itself.
MIN_PROSE_WORDS = 15


def _drop_standfirst(root) -> None:
    """Remove the standfirst: the sentence set as a sub-heading next to the article's
    headline, in the headline's own block (the summary of the article, not its text). Each
    of the first few ``<h1>`` is tried (a masthead can be the first)."""
    for headline in list(root.iter("h1"))[:3]:
        block = headline.getparent()
        for ancestor in list(headline.iterancestors())[:3]:
            if ancestor.tag == "header":
                block = ancestor
                break
        if block is None or block.tag in ("body", "html"):
            continue
        if any(word_count(p.text_content()) >= MIN_PROSE_WORDS for p in block.iter("p")):
            continue
        words = word_count(block.text_content()) - word_count(headline.text_content())
        after = False
        for element in block.iter("h1", "h2", "h3", "h4"):
            if element is headline:
                after = True
            elif after and element.tag != "h1":
                own = word_count(element.text_content())
                if own >= MIN_STANDFIRST_WORDS and words - own <= MAX_HEADER_EXTRA_WORDS:
                    element.drop_tree()
                    break


#: A sign-up box holds at most this many words around its e-mail field.
MAX_SIGN_UP_WORDS = 80


def _more_words_than(text: str, limit: int) -> bool:
    # a word takes at least two characters with its space: a longer text is not counted
    return len(text) > 20 * limit or word_count(text) > limit


def _is_email_field(field) -> bool:
    if (field.get("type") or "").lower() == "email":
        return True
    return field.get("type", "text").lower() == "text" and "mail" in " ".join(
        (field.get(name) or "").lower() for name in ("name", "id", "placeholder")
    )


def _drop_sign_up_boxes(root) -> None:
    """Remove newsletter sign-up boxes: from each e-mail field, the largest block around it
    with few words, no prose paragraph and not the headline. The extractor drops the field
    but keeps the words around it ("Get the day's big stories", "Sorry! There was an error
    processing your subscription")."""
    boxes = []
    fields = [field for field in root.iter("input") if _is_email_field(field)]
    for field in fields[:MAX_PAGE_WIDGETS]:
        box = None
        for ancestor in field.iterancestors():
            if (
                ancestor.tag in ("body", "html")
                or _more_words_than(ancestor.text_content(), MAX_SIGN_UP_WORDS)
                or next(ancestor.iter("h1"), None) is not None
                or any(
                    word_count(p.text_content()) >= 2 * MIN_PROSE_WORDS for p in ancestor.iter("p")
                )
            ):
                break
            box = ancestor
        if box is not None:
            boxes.append(box)
    for box in boxes:
        if box.getparent() is not None and not any(a in boxes for a in box.iterancestors()):
            box.drop_tree()


def _drop_hidden(root) -> None:
    """Remove hidden elements (keeping their tail text), except one holding most of the page's
    text: a page hidden until its scripts run shows that text to its readers."""
    total = len(root.text_content()) or 1
    for element in list(root.iter()):
        if not isinstance(element.tag, str) or element.tag in ("html", "body"):
            continue
        if (
            _is_hidden(element)
            and element.getparent() is not None
            and len(element.text_content()) < total / 2
        ):
            element.drop_tree()


def _parse_page(markup: str):
    """The page as an lxml tree without scripts, styles, embedded data (a SingleFile page
    can carry megabytes of base64 images) or hidden elements, formulas as readable text, or
    None when it cannot be parsed."""
    from lxml import etree

    root = _parse_html(markup)
    if root is None:
        return None
    _readable_math(root)
    # strip_elements works inside libxml2 and keeps each element's tail text.
    etree.strip_elements(root, "script", "style", "noscript", "template", "svg", with_tail=False)
    _drop_hidden(root)
    _drop_standfirst(root)
    _drop_sign_up_boxes(root)
    _embedded_posts(root)
    for element in root.iter("img", "source", "image", "link", "iframe", "object", "embed"):
        for attribute in ("src", "srcset", "href", "data"):
            element.attrib.pop(attribute, None)
    return root


def _flat(element) -> str:
    return " ".join("".join(element.itertext()).split())


def _verbatim(element) -> str:
    """A code block as written: line breaks and indentation kept (blank lines inside are
    dropped, since a blank line separates paragraphs), trailing spaces removed."""
    lines = [line.rstrip() for line in "".join(element.itertext()).split("\n")]
    return "\n".join(line for line in lines if line.strip())


#: Sentence ends, Latin and CJK.
_SENTENCE_END = tuple('.!?…:;"”’»)。！？」』')


def _xml_blocks(main) -> list[str]:
    """The blocks of trafilatura's XML: paragraphs, headings, list items, table rows (their
    cells joined with " | ", so each value keeps its label) and code blocks (verbatim).

    A paragraph that the page broke mid-sentence (the text before the break ends no sentence,
    the text after starts in lowercase or with a comma) is joined back into one; so is a
    one-line ``<code>`` inside a sentence, which the extractor lifts out as a block of its own.
    """
    blocks: list[str] = []
    kinds: list[str] = []

    def add(text: str, kind: str = "text") -> None:
        if not text.strip():
            return
        if kind == "code" and "\n" not in text:
            kind = "inline"
        open_sentence = bool(kinds) and kinds[-1] in ("text", "inline")
        open_sentence = open_sentence and not blocks[-1].endswith(_SENTENCE_END)
        joins = open_sentence and (
            kind == "inline"
            or (kind == "text" and kinds[-1] == "inline")
            or (kind == "text" and (text[:1].islower() or text[:1] in ",;)"))
        )
        if joins:
            space = "" if text[:1] in ",;.:)" else " "
            blocks[-1] = f"{blocks[-1]}{space}{text}"
            kinds[-1] = kind if kind == "inline" else "text"
            return
        blocks.append(text)
        kinds.append(kind)

    def walk(element) -> None:
        tag = element.tag
        if tag == "code":
            add(_verbatim(element), "code")
        elif tag == "table":
            for row in element.iter("row"):
                cells = [_flat(cell) for cell in row if cell.tag == "cell"]
                add(" | ".join(c for c in cells if c), "row")
        elif tag in ("list", "quote", "div", "main") or any(
            child.tag in ("list", "p", "table", "code", "quote", "head") for child in element
        ):
            own = " ".join((element.text or "").split())
            inline: list[str] = []
            for child in element:
                if child.tag in ("list", "p", "table", "code", "quote", "head", "item", "div"):
                    add(" ".join([own, *inline]).strip())
                    own, inline = "", []
                    walk(child)
                    inline.append(" ".join((child.tail or "").split()))
                else:
                    inline.append(_flat(child) + " " + " ".join((child.tail or "").split()))
            add(" ".join(" ".join([own, *inline]).split()))
        elif tag in ("graphic", "ref") and not _flat(element):
            return
        else:
            add(_flat(element), "text" if tag == "p" else tag)

    walk(main)
    return blocks


def _once(blocks: list[str]) -> list[str]:
    """Drop the page's repeats of itself: a block of :data:`MIN_DUPLICATE_WORDS` words or more
    that repeats the block right before it, or that repeats an earlier block together with its
    neighbour (a passage printed twice). A paragraph that recurs alone, between different
    blocks (a refrain, a template's filler under each heading), stays."""
    keys = [" ".join(block.casefold().split()) for block in blocks]

    def long(key: str) -> bool:
        return len(key.split()) >= MIN_DUPLICATE_WORDS

    first: dict[str, int] = {}
    drop: set[int] = set()
    for i, key in enumerate(keys):
        if not long(key):
            continue
        j = first.setdefault(key, i)
        if j == i:
            continue
        adjacent = j == i - 1 or (i - 1 in drop and keys[i - 1] == key)
        before = i > 0 and j > 0 and keys[i - 1] == keys[j - 1] != key and long(keys[i - 1])
        after = i + 1 < len(keys) and keys[i + 1] == keys[j + 1] != key and long(keys[i + 1])
        if adjacent or before or after:
            drop.add(i)
    return [block for i, block in enumerate(blocks) if i not in drop]


def _extraction(root) -> list[str]:
    import trafilatura
    from lxml import etree

    xml = trafilatura.extract(
        root,
        output_format="xml",
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_images=False,
        include_formatting=False,
    )
    if not xml:
        return []
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    document = etree.fromstring(xml.encode("utf-8"), parser=parser)
    for line_break in document.iter("lb"):
        line_break.tail = " " + (line_break.tail or "")
    main = document.find("main")
    return _xml_blocks(main) if main is not None else []


def _extract_blocks(root) -> list[str]:
    """The article's blocks; when the page splits the article into several containers of one
    kind and the extractor stopped after the first, the later ones are moved next to it and
    the page is extracted again (kept when that gives more text)."""
    links = link_texts(root)
    blocks = _extraction(root)
    last, chunks = continuation_chunks(root, blocks)
    if chunks:
        anchor = last
        for chunk in chunks:
            anchor.addnext(chunk)
            anchor = chunk
        longer = _extraction(root)
        if _words(longer) > _words(blocks):
            blocks = longer
    return [block for block in blocks if not is_link_teaser(block, links)]


def _words(blocks: list[str]) -> int:
    return sum(word_count(block) for block in blocks)


#: A kicker, the label set above a headline, has at most this many words.
MAX_KICKER_WORDS = 3
_TITLE_PARTS = re.compile(r"\s+[|–—-]\s+|\s*::\s*|\s+»\s+")


def _headline(metadata_title: str | None, first_block: str, headings: set[str]) -> str | None:
    """The article's headline: its first block when that is the page's ``<h1>`` or one part
    of a title the page declares ("Opinion | Headline", "Headline - Site"; ``headings`` holds
    both, casefolded), else the metadata title."""
    key = " ".join(first_block.casefold().split())
    parts = [
        part for title in (metadata_title or "", *headings) for part in _TITLE_PARTS.split(title)
    ]
    if len(key.split()) >= 2 and (
        key in headings or any(" ".join(p.casefold().split()) == key for p in parts)
    ):
        return first_block
    return metadata_title or None


def load_html(data: bytes) -> tuple[str, str | None]:
    """Main text of a saved web page (trafilatura), one block per paragraph (blank lines
    between blocks; a code block keeps its own line breaks), and its title."""
    import copy

    import trafilatura

    markup = decode_text(data)
    root = _parse_page(markup)
    if root is None:
        raise DocumentError("the web page could not be parsed")
    # Refuse a page with far more text than an article before the (slower) extraction runs.
    visible = len(root.text_content())
    if visible > 2 * common.MAX_TEXT_CHARS:
        raise too_long("the page", visible)
    headlines = {" ".join(h.text_content().casefold().split()) for h in root.iter("h1")}
    headings = headlines | {
        " ".join(t.text_content().casefold().split()) for t in root.iter("title")
    }
    try:
        metadata = trafilatura.extract_metadata(copy.deepcopy(root))
        blocks = _extract_blocks(root)
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise DocumentError("the web page could not be parsed") from exc
    if not blocks:
        blocks = html_blocks(markup)  # a bare page trafilatura judged too short to be an article
    title = metadata.title if metadata is not None and metadata.title else None
    if (
        len(blocks) > 1
        and word_count(blocks[0]) <= MAX_KICKER_WORDS
        and " ".join(blocks[1].casefold().split()) in headlines
    ):
        blocks = blocks[1:]  # a kicker above the headline ("Review", "EKSKLUSIF"): a label
    if blocks and "\n" not in blocks[0]:
        title = _headline(title, blocks[0], headings)
    return "\n\n".join(_once(blocks)), title
