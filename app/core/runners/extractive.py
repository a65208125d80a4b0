"""Extractive summary without a model: TextRank over the article's own sentences.

Sentences are nodes, TF-IDF cosine similarity between them the edge weights, and PageRank
(power iteration) ranks them; the best are returned in the order they appear in the article.
Language-agnostic: it needs only sentence splitting and word tokens.
"""

from __future__ import annotations

import math
import re

import numpy as np

from app.core.reading.segment import split_sentences

_TOKEN = re.compile(r"[^\W_]+")
#: Sentences shorter than this many words (datelines, "Leave a Reply") are never picked.
MIN_WORDS = 5
#: Sentences picked per summary length, before the proportion cap below.
SENTENCES_FOR_LENGTH = {"short": 2, "medium": 4, "long": 7}
#: At most this share of the article's sentences (at least one).
MAX_SHARE = 0.4
#: TextRank compares every pair of sentences, so time and memory grow with the square of
#: their number (a 1 MB one-line text has ~17,000: 9 GB). Only the first this many candidates
#: are ranked; news articles put what matters first.
MAX_RANKED_SENTENCES = 500


def _tfidf(sentences: list[str]) -> np.ndarray:
    docs = [[w.casefold() for w in _TOKEN.findall(s)] for s in sentences]
    vocab: dict[str, int] = {}
    for doc in docs:
        for word in doc:
            vocab.setdefault(word, len(vocab))
    matrix = np.zeros((len(docs), max(1, len(vocab))))
    for i, doc in enumerate(docs):
        for word in doc:
            matrix[i, vocab[word]] += 1.0
    df = (matrix > 0).sum(axis=0)
    idf = np.log((1 + len(docs)) / (1 + df)) + 1.0
    matrix = np.log1p(matrix) * idf
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return matrix / np.where(norms == 0, 1.0, norms)


def pagerank(
    weights: np.ndarray, damping: float = 0.85, tol: float = 1e-8, max_iter: int = 200
) -> np.ndarray:
    """PageRank scores of a weighted graph given as a square matrix, by power iteration."""
    n = weights.shape[0]
    if n == 0:
        return np.zeros(0)
    out = weights.sum(axis=1, keepdims=True)
    # A sentence sharing no words with any other links to every sentence equally.
    transition = np.where(out > 0, weights / np.where(out == 0, 1.0, out), 1.0 / n)
    scores = np.full(n, 1.0 / n)
    for _ in range(max_iter):
        new = (1 - damping) / n + damping * transition.T @ scores
        if np.abs(new - scores).sum() < tol:
            return new
        scores = new
    return scores


def rank_sentences(sentences: list[str]) -> list[float]:
    """TextRank score of each sentence (same order)."""
    if not sentences:
        return []
    vectors = _tfidf(sentences)
    similarity = vectors @ vectors.T
    np.fill_diagonal(similarity, 0.0)
    return [float(s) for s in pagerank(similarity)]


def pick_sentences(sentences: list[str], length: str = "medium") -> list[int]:
    """Indices of the sentences that make the summary, in article order."""
    candidates = [i for i, s in enumerate(sentences) if len(_TOKEN.findall(s)) >= MIN_WORDS]
    if not candidates:
        candidates = [i for i, s in enumerate(sentences) if s.strip()]
    if not candidates:
        return []
    candidates = candidates[:MAX_RANKED_SENTENCES]
    wanted = SENTENCES_FOR_LENGTH.get(length, SENTENCES_FOR_LENGTH["medium"])
    count = max(1, min(wanted, math.ceil(len(candidates) * MAX_SHARE)))
    scores = rank_sentences([sentences[i] for i in candidates])
    best = sorted(range(len(candidates)), key=lambda j: (-scores[j], j))[:count]
    return sorted(candidates[j] for j in best)


def _same_words(text: str) -> str:
    return " ".join(_TOKEN.findall(text.casefold()))


def extractive_summary(
    paragraphs: list[str], language: str, length: str = "medium", *, title: str | None = None
) -> str:
    """The top-ranked sentences of ``paragraphs`` (original text, original order), joined.

    A sentence that only repeats ``title`` (the headline, which is also the article's first
    paragraph) is never picked: the summary does not open by repeating the title.
    """
    title_words = _same_words(title) if title else None
    sentences = [
        s.strip()
        for text in paragraphs
        if text.strip()
        for s in split_sentences(text, language)
        if s.strip() and not (title_words and _same_words(s) == title_words)
    ]
    return " ".join(sentences[i] for i in pick_sentences(sentences, length))
