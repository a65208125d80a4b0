"""An article the page splits into several containers: finding the parts the extractor missed.

Many news sites print one article as a run of sibling containers of the same kind (the same tag
and class), with advertisements or widgets between them. The extractor takes the first
container that looks like an article body and stops there, so the article ends early. Here
the container the extracted paragraphs sit in is found again in the page, and so are the later
containers of the same kind close by in the tree that hold paragraphs of prose the extraction
does not have, before the next headline (``<h1>``) and inside the same ``<article>``: a story
the page appended below (infinite scrolling) is not a continuation. Readers' comments and
forms are not either.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from app.core.reading.formats.common import word_count

#: How far above the article's container a continuation may branch off (parent, grandparent...).
MAX_COUSIN_DEPTH = 3
#: How many container levels above the paragraphs' own are tried as the repeated kind.
MAX_CONTAINER_LEVELS = 3
#: The continuations together must hold at least this many words of prose the extraction lacks.
MIN_NEW_WORDS = 30
_SENTENCE_END = tuple('.!?…"”’»)。！？」』')
#: Readers' comments and forms are no continuation of the article, whatever their container.
_DISCUSSION = re.compile(r"comment|respond|reply|komentar|disqus|discussion", re.IGNORECASE)


def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def _ancestors(element) -> list:
    return list(element.iterancestors())


def _container(matched: list):
    """The deepest element holding most of the extracted paragraphs."""
    counts: Counter = Counter()
    depth: dict = {}
    for element in matched:
        ancestors = _ancestors(element)
        for level, ancestor in enumerate(ancestors):
            counts[ancestor] += 1
            depth[ancestor] = len(ancestors) - level
    enough = [a for a, n in counts.items() if n >= 0.6 * len(matched)]
    return max(enough, key=depth.__getitem__) if enough else None


def _new_prose_words(chunk, known: set[str]) -> int:
    """Words in the chunk's paragraphs that end a sentence and are not already extracted."""
    total = 0
    for paragraph in chunk.iter("p"):
        text = " ".join(paragraph.text_content().split())
        if text.endswith(_SENTENCE_END) and _key(text) not in known:
            total += word_count(text)
    return total


def _discussion(chunk) -> bool:
    """A readers' discussion or a form: a comment container, a text field."""
    for element in chunk.iter():
        if not isinstance(element.tag, str):
            continue
        if element.tag in ("form", "textarea", "input"):
            return True
        if _DISCUSSION.search(f"{element.get('class') or ''} {element.get('id') or ''}"):
            return True
    return False


def _close(container, other) -> bool:
    """Whether ``other`` branches off from ``container``'s ancestors within a few levels."""
    near = _ancestors(container)[:MAX_COUSIN_DEPTH]
    return any(ancestor in near for ancestor in _ancestors(other)[: MAX_COUSIN_DEPTH + 2])


def continuation_chunks(root, blocks: list[str]) -> tuple[Any, list]:
    """The last extracted paragraph's element and the later containers that continue the
    article (same tag and class as the container of the extracted paragraphs or one of its
    parents, close by, holding new prose), in page order; ``(None, [])`` when there are none."""
    known = {_key(block) for block in blocks if word_count(block) >= 5}
    if len(known) < 2:
        return None, []
    matched = [
        element
        for element in root.iter("p", "li", "blockquote", "h2", "h3", "h4")
        if _key(element.text_content()) in known
    ]
    if len(matched) < 2:
        return None, []
    container = _container(matched)
    if container is None:
        return None, []
    order = {element: i for i, element in enumerate(root.iter())}
    last = max(matched, key=order.__getitem__)
    # another article's headline, or another <article>, ends this one (a page that appended
    # the next story as it was scrolled)
    headlines = [order[h] for h in root.iter("h1") if order[h] > order[last]]
    end = min(headlines, default=len(order))
    article = next((a for a in container.iterancestors() if a.tag == "article"), None)
    level = container
    for _ in range(MAX_CONTAINER_LEVELS):
        if level is None or level.tag in ("body", "html"):
            break
        kind = (level.get("class") or "").strip()
        if kind:
            inside = set(level.iter())
            chunks = [
                other
                for other in root.iter(level.tag)
                if other is not level
                and (other.get("class") or "").strip() == kind
                and order[last] < order[other] < end
                and (article is None or any(a is article for a in other.iterancestors()))
                and other not in inside
                and not any(a is level for a in other.iterancestors())
                and _close(level, other)
                and _new_prose_words(other, known) > 0
                and not _discussion(other)
            ]
            # a chunk nested inside another chunk travels with it
            chunks = [c for c in chunks if not any(a in chunks for a in c.iterancestors())]
            if sum(_new_prose_words(c, known) for c in chunks) >= MIN_NEW_WORDS:
                return last, chunks
        level = level.getparent()
    return None, []
