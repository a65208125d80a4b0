"""Web pages: the main text of a saved page (trafilatura), and the blocks of any HTML."""

from __future__ import annotations

import re

from app.core.base.errors import DocumentError
from app.core.reading.formats import common
from app.core.reading.formats.common import decode_text, too_long

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
            markup = markup.decode("utf-8-sig")
        except UnicodeDecodeError:
            markup = decode_text(markup)
    head = _XML_DECLARATION.sub("", markup[:1000])  # lxml refuses str with an encoding declaration
    return (head + markup[1000:]).translate(_NOT_XML_TEXT)


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


def _parse_page(markup: str):
    """The page as an lxml tree without scripts, styles or embedded data (a SingleFile page
    can carry megabytes of base64 images), or None when it cannot be parsed."""
    from lxml import etree

    root = _parse_html(markup)
    if root is None:
        return None
    # strip_elements works inside libxml2 and keeps each element's tail text.
    etree.strip_elements(root, "script", "style", "noscript", "template", "svg", with_tail=False)
    for element in root.iter("img", "source", "image", "link", "iframe", "object", "embed"):
        for attribute in ("src", "srcset", "href", "data"):
            element.attrib.pop(attribute, None)
    return root


def load_html(data: bytes) -> tuple[str, str | None]:
    """Main text of a saved web page (trafilatura), one block per paragraph, and its title."""
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
    try:
        metadata = trafilatura.extract_metadata(copy.deepcopy(root))
        text = trafilatura.extract(
            root,
            include_comments=False,
            include_tables=True,
            include_links=False,
            include_images=False,
            favor_recall=True,
        )
    except Exception as exc:  # trafilatura raises many kinds on broken markup
        raise DocumentError("the web page could not be parsed") from exc
    if not text or not text.strip():
        blocks = html_blocks(markup)  # a bare page trafilatura judged too short to be an article
        text = "\n".join(blocks)
    title = metadata.title if metadata is not None and metadata.title else None
    # trafilatura writes one block per line; make each a paragraph.
    return text.replace("\n", "\n\n"), title
