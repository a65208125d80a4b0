"""Links to other pages that the extractor keeps as paragraphs: related stories, app and
newsletter prompts printed as one link ("CLICK HERE TO GET THE APP").

A block whose whole text is the text of one link to another page, and long enough to be a
headline, is a teaser for that page, not the article's prose. Links to a place in the same page
(a table of contents) and short link texts (a name, a source: "Reuters") stay.
"""

from __future__ import annotations

from app.core.reading.formats.common import word_count

#: A link text with fewer words than this (:func:`word_count`: a price is no word) is a name, a
#: label or a product, kept.
MIN_TEASER_WORDS = 4


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def link_texts(root) -> set[str]:
    """The texts of the page's links to other pages (not to a place in the same page)."""
    texts = set()
    for link in root.iter("a"):
        target = (link.get("href") or "").strip()
        if not target or "#" in target or target.lower().startswith("javascript:"):
            continue
        key = _key(link.text_content())
        if word_count(key) >= MIN_TEASER_WORDS:
            texts.add(key)
    return texts


def is_link_teaser(block: str, links: set[str]) -> bool:
    """Whether the whole block is the text of one link to another page."""
    return "\n" not in block and _key(block) in links
