"""Language detection for whole articles and single paragraphs (lingua, restricted set).

Indonesian and Malay are close relatives and a single short paragraph is often ambiguous
between them, so the article decides which of the two it is (from all of its text), and a
paragraph only overrides that when the detector is very sure (see
:data:`SISTER_OVERRIDE_CONFIDENCE`). Mixed articles (Indonesian with English quotes) keep
their per-paragraph languages.
"""

from __future__ import annotations

import threading
from collections import Counter
from functools import lru_cache

from app.core.reading.document import UNKNOWN_LANGUAGE

#: ISO 639-1 codes the detector chooses among. A small set keeps it fast and accurate; it
#: covers Ringkas' languages (id, ms, en) and the ones a saved news page is likely to contain.
SUPPORTED_LANGUAGES = (
    "id",
    "ms",
    "en",
    "nl",
    "ar",
    "zh",
    "ja",
    "ko",
    "fr",
    "de",
    "es",
    "pt",
    "it",
    "ru",
    "tl",
    "vi",
    "th",
)

#: Fewer letters than this and a text is "und": lingua guesses on tiny strings.
MIN_LETTERS = 10

#: Each paragraph is judged on at most this many characters (its start), so a huge
#: paragraph costs bounded time; the article is judged on a sample of at most
#: :data:`ARTICLE_SAMPLE_CHARS`.
PARAGRAPH_SAMPLE_CHARS = 1000
ARTICLE_SAMPLE_CHARS = 20000

#: Indonesian and Malay, which the article (not each paragraph) tells apart.
SISTER_LANGUAGES = frozenset({"id", "ms"})

#: A paragraph of one sister language inside an article of the other keeps its own label
#: only when lingua's confidence for it is at least this (Malay paragraphs score ~0.95-1.0;
#: Indonesian news paragraphs score as "Malay" with up to ~0.85 on their own).
SISTER_OVERRIDE_CONFIDENCE = 0.95


#: Ringkas' own languages, told apart by lingua's full (high-accuracy) models.
CORE_LANGUAGES = ("id", "ms", "en")


#: One detector build at a time: the engine child's background preload and a first request
#: may ask at once, and lru_cache alone would let both build (twice the ~2 s of CPU).
_BUILD_LOCK = threading.Lock()


def _build(codes, *, low_accuracy: bool):
    from lingua import IsoCode639_1, Language, LanguageDetectorBuilder

    languages = [Language.from_iso_code_639_1(getattr(IsoCode639_1, c.upper())) for c in codes]
    builder = LanguageDetectorBuilder.from_languages(*languages)
    return (builder.with_low_accuracy_mode() if low_accuracy else builder).build()


def _coarse_detector():
    """All :data:`SUPPORTED_LANGUAGES`, trigram models only: loads in ~0.1 s instead of ~2 s."""
    with _BUILD_LOCK:
        return _coarse_built()


def _core_detector():
    """Indonesian, Malay and English with lingua's full models (Indonesian vs Malay needs them)."""
    with _BUILD_LOCK:
        return _core_built()


@lru_cache(maxsize=1)
def _coarse_built():
    return _build(SUPPORTED_LANGUAGES, low_accuracy=True)


@lru_cache(maxsize=1)
def _core_built():
    return _build(CORE_LANGUAGES, low_accuracy=False)


def _letter_count(text: str) -> int:
    return sum(map(str.isalpha, text))


def _as_pairs(values) -> list[tuple[str, float]]:
    return [(v.language.iso_code_639_1.name.lower(), v.value) for v in values if v.value > 0]


def _rank_samples(samples: list[str]) -> list[list[tuple[str, float]]]:
    """(code, confidence) best first for each sample, or [] where it is too short to judge.

    Two passes: the coarse detector picks among all supported languages; where it says
    Indonesian, Malay or English, the full models of those three decide. lingua spreads each
    pass over the CPU cores.
    """
    results: list[list[tuple[str, float]]] = [[] for _ in samples]
    judged = [i for i, sample in enumerate(samples) if _letter_count(sample) >= MIN_LETTERS]
    if not judged:
        return results
    coarse = _coarse_detector().compute_language_confidence_values_in_parallel(
        [samples[i] for i in judged]
    )
    core = []
    for i, values in zip(judged, coarse, strict=True):
        results[i] = _as_pairs(values)
        if results[i] and results[i][0][0] in CORE_LANGUAGES:
            core.append(i)
    if core:
        fine = _core_detector().compute_language_confidence_values_in_parallel(
            [samples[i] for i in core]
        )
        for i, values in zip(core, fine, strict=True):
            results[i] = _as_pairs(values)
    return results


def _ranked(text: str, limit: int = PARAGRAPH_SAMPLE_CHARS) -> list[tuple[str, float]]:
    return _rank_samples([text[:limit]])[0]


def _ranked_many(texts: list[str]) -> list[list[tuple[str, float]]]:
    return _rank_samples([text[:PARAGRAPH_SAMPLE_CHARS] for text in texts])


def detect_language(text: str) -> str:
    """The ISO 639-1 code of ``text``'s language, or ``"und"`` when too short or unknown."""
    ranked = _ranked(text)
    return ranked[0][0] if ranked else UNKNOWN_LANGUAGE


def _sample(paragraphs: list[str], limit: int) -> str:
    """Up to ``limit`` characters spread over the paragraphs (a slice of each, in order)."""
    if not paragraphs:
        return ""
    share = max(200, limit // len(paragraphs))
    parts, used = [], 0
    for paragraph in paragraphs:
        if used >= limit:
            break
        piece = paragraph[:share]
        parts.append(piece)
        used += len(piece)
    return "\n".join(parts)


def detect_paragraph_languages(paragraphs: list[str]) -> tuple[str, list[str]]:
    """The article's language and each paragraph's.

    The article language is the one with the most characters of text behind it; when that
    is Indonesian or Malay, the choice between the two is made on a sample of all of those
    paragraphs together. A paragraph too short to judge takes the article's language, and a
    paragraph judged as the article's sister language (id/ms) takes the article's unless the
    detector is very sure.
    """
    ranked = _ranked_many(paragraphs)
    weight: Counter[str] = Counter()
    for paragraph, ranks in zip(paragraphs, ranked, strict=True):
        if ranks:
            family = "id" if ranks[0][0] in SISTER_LANGUAGES else ranks[0][0]
            weight[family] += len(paragraph)
    if not weight:
        return UNKNOWN_LANGUAGE, [UNKNOWN_LANGUAGE] * len(paragraphs)

    article = weight.most_common(1)[0][0]
    if article in SISTER_LANGUAGES:
        sisters = [
            p
            for p, ranks in zip(paragraphs, ranked, strict=True)
            if ranks and ranks[0][0] in SISTER_LANGUAGES
        ]
        sister_ranks = _ranked(_sample(sisters, ARTICLE_SAMPLE_CHARS), ARTICLE_SAMPLE_CHARS)
        sister_ranks = [(code, value) for code, value in sister_ranks if code in SISTER_LANGUAGES]
        article = sister_ranks[0][0] if sister_ranks else "id"

    languages = []
    for ranks in ranked:
        if not ranks:
            languages.append(article)
            continue
        code, confidence = ranks[0]
        if (
            code in SISTER_LANGUAGES
            and article in SISTER_LANGUAGES
            and code != article
            and confidence < SISTER_OVERRIDE_CONFIDENCE
        ):
            code = article
        languages.append(code)
    return article, languages
