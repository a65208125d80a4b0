"""A learned line classifier for copied web pages: how likely each line is the site's chrome.

The model is a small forest of gradient-boosted decision trees stored as JSON beside this
module (``data/line_classifier.json.gz``); ``benchmarks/train_line_classifier.py`` builds it from
public pages and records where they come from. It reads only what generalises across
languages: a line's shape (length, final punctuation, capitals, digits, symbols), where it sits
relative to the article's prose, how many of its words the prose uses, whether it repeats on
the page, and what the cleanup's rules said about it and its neighbours. No word list of any
language is a feature.

Evaluated with numpy, every tree at once, one tree level per step.
"""

from __future__ import annotations

import gzip
import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import numpy as np

#: gzip-compressed JSON (compact, and out of the reach of the repository's JSON formatter).
MODEL_PATH = Path(__file__).resolve().parent / "data" / "line_classifier.json.gz"

#: The cleanup's reasons that are features of their own (see ``app.core.reading.cleanup``).
RULE_REASONS = (
    "read-also link",
    "share buttons",
    "byline, credit or tags",
    "navigation menu",
    "headline teaser",
    "repeated headline",
    "date line",
    "photo caption or credit",
    "section label",
)

FEATURE_NAMES: tuple[str, ...] = (
    "log_words",
    "log_chars",
    "cjk_share",
    "ends_sentence",
    "ends_colon",
    "ends_comma",
    "ends_paren",
    "sentence_ends",
    "capitalised_share",
    "upper_share",
    "digit_share",
    "symbol_share",
    "separators",
    "has_url",
    "starts_lower",
    "starts_bullet",
    "is_prose",
    "relative_position",
    "in_body",
    "lines_before_body",
    "lines_after_body",
    "prose_distance",
    "prose_near",
    "removed_near",
    "previous_prose",
    "next_prose",
    "previous_removed",
    "next_removed",
    "previous_log_words",
    "next_log_words",
    "body_overlap",
    "main_overlap",
    "in_cluster",
    "cluster_share",
    "title_overlap",
    "content_words",
    "repeats",
    "is_title",
    "length_to_prose",
    "removed",
    "starts_digit",
    "digit_start_near",
    "similar_near",
    "prose_before_share",
    *(f"rule: {reason}" for reason in RULE_REASONS),
)

_IN_BODY = FEATURE_NAMES.index("in_body")
_IS_PROSE = FEATURE_NAMES.index("is_prose")
_IS_TITLE = FEATURE_NAMES.index("is_title")
_WORD = re.compile(r"[^\W\d_]+")
_CONTENT = re.compile(r"[^\W\d_]{4,}")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")
_SENTENCE_END = re.compile(r"[.!?]+[\"”’)»」』]*(?:\s|$)|[。！？]+")
_TERMINAL = tuple('.!?…"”’»)。！？」』')
_SEPARATORS = re.compile(r"[|•·›»/>«‹]|\s[-–—]\s")
_URL = re.compile(r"https?://|www\.|@\w|\w\.(?:com|net|org|co|id|my|uk|io)\b", re.IGNORECASE)
_FOOTNOTE = re.compile(r"\s*(?:\[[^\[\]]{1,12}\]\s*)+$")
#: Prose lines further apart than this many lines belong to different parts of the page.
_BODY_GAP = 25
_NEAR = 3
#: Shares of letters, capitals, digits and symbols are read from a line's first characters
#: (a long line is prose or a flattened menu either way, and reading it all takes time).
_CHAR_SAMPLE = 300
#: Lines whose trees are walked at once.
_BATCH = 256


def _is_prose(line: str, cjk: int) -> bool:
    """A sentence or more: twelve words, or forty CJK characters, ending a sentence (a
    footnote marker after it, "... her path. [M1]", still ends one)."""
    ending = _FOOTNOTE.sub("", line[-20:])
    return (len(line.split()) >= 12 or cjk >= 40) and ending.endswith(_TERMINAL)


def _prose_clusters(prose: list[int], sizes: list[int]) -> list[list[int]]:
    """Prose lines grouped into clusters: lines at most :data:`_BODY_GAP` apart."""
    clusters: list[list[int]] = []
    for i in prose:
        if not clusters or i - clusters[-1][-1] > _BODY_GAP:
            clusters.append([])
        clusters[-1].append(i)
    return clusters


def _content_words(line: str) -> set[str]:
    words = {w.casefold() for w in _CONTENT.findall(line)}
    words.update(_CJK.findall(line))  # one CJK character carries a word's meaning
    return words


def line_features(
    lines: Sequence[str], reasons: Sequence[str | None], title: int | None
) -> list[list[float]]:
    """One feature row per line (see :data:`FEATURE_NAMES`).

    ``lines`` are a page's non-empty lines in order, ``reasons`` what the rules removed each
    for (None: kept) and ``title`` the index of the title line, if any.
    """
    count = len(lines)
    cjk = [len(_CJK.findall(line)) for line in lines]
    # A line's size in words, each CJK character counted as one (CJK text has no spaces).
    sizes = [len(line.split()) + c for line, c in zip(lines, cjk, strict=True)]
    prose_flags = [_is_prose(line, c) for line, c in zip(lines, cjk, strict=True)]
    prose = [i for i, flag in enumerate(prose_flags) if flag and reasons[i] is None]
    clusters = _prose_clusters(prose, sizes)
    totals = [sum(sizes[i] for i in cluster) for cluster in clusters]
    main = totals.index(max(totals)) if clusters else -1
    first, last = (clusters[main][0], clusters[main][-1]) if clusters else (-1, -1)
    # Each line's nearest cluster (the one whose span holds it, else the closer one) and its
    # share of the page's prose: an article split by a gallery is two big clusters, a
    # sidebar's blurb a small one.
    cluster_share = [0.0] * count
    in_cluster = [0.0] * count
    all_prose = sum(totals) or 1
    position = 0
    for i in range(count):
        while position + 1 < len(clusters) and clusters[position + 1][0] <= i:
            position += 1
        if not clusters:
            break
        chosen = position
        if i > clusters[position][-1] and position + 1 < len(clusters):
            after = clusters[position + 1][0] - i
            if after < i - clusters[position][-1]:
                chosen = position + 1
        span = clusters[chosen]
        in_cluster[i] = float(span[0] <= i <= span[-1])
        cluster_share[i] = totals[chosen] / all_prose
    prose_set = set(prose)
    removed = [reason is not None for reason in reasons]
    # How far each line is from the nearest prose line, both ways.
    distance = [count] * count
    nearest = -count
    for i in range(count):
        if i in prose_set:
            nearest = i
        distance[i] = i - nearest
    nearest = 2 * count
    for i in range(count - 1, -1, -1):
        if i in prose_set:
            nearest = i
        distance[i] = min(distance[i], nearest - i)
    prose_prefix = [0]
    removed_prefix = [0]
    for i in range(count):
        prose_prefix.append(prose_prefix[-1] + (i in prose_set))
        removed_prefix.append(removed_prefix[-1] + removed[i])
    words_per_line = [_content_words(line) for line in lines]
    vocabulary: Counter[str] = Counter()
    for i in prose:
        vocabulary.update(words_per_line[i])
    main_vocabulary: Counter[str] = Counter()
    for i in clusters[main] if clusters else []:
        main_vocabulary.update(words_per_line[i])
    title_words = words_per_line[title] if title is not None else set()
    keys = Counter(" ".join(line.casefold().split()) for line in lines)
    starts_digit = [line[:1].isdigit() for line in lines]
    digit_prefix = [0]
    for flag in starts_digit:
        digit_prefix.append(digit_prefix[-1] + flag)
    shapes = [
        (round(math.log1p(size) * 2), flag, line.endswith(_TERMINAL))
        for size, flag, line in zip(sizes, starts_digit, lines, strict=True)
    ]
    prose_words_before = [0] * count
    running = 0
    for i in range(count):
        prose_words_before[i] = running
        running += sizes[i] if i in prose_set else 0
    prose_chars = sorted(len(lines[i]) for i in prose)
    typical = prose_chars[len(prose_chars) // 2] if prose_chars else 200
    rows = []
    for i, line in enumerate(lines):
        head = line[:_CHAR_SAMPLE]
        letters = [ch for ch in head if ch.isalpha()]
        alphabetic = _WORD.findall(line)
        low, high = max(0, i - _NEAR), min(count, i + _NEAR + 1)
        content = words_per_line[i]
        own = 1 if i in prose_set else 0
        shared = sum(1 for w in content if vocabulary[w] - own > 0)
        own_main = 1 if first <= i <= last and i in prose_set else 0
        shared_main = sum(1 for w in content if main_vocabulary[w] - own_main > 0)
        chars = max(len(line), 1)
        row = [
            math.log1p(sizes[i]),
            math.log1p(len(line)),
            cjk[i] / chars,
            float(line.endswith(_TERMINAL)),
            float(line.endswith((":", "："))),
            float(line.endswith((",", "，", "、"))),
            float(line.endswith(")")),
            float(len(_SENTENCE_END.findall(line))),
            sum(1 for w in alphabetic if w[0].isupper()) / len(alphabetic) if alphabetic else -1.0,
            sum(1 for ch in letters if ch.isupper()) / len(letters) if letters else -1.0,
            sum(1 for ch in head if ch.isdigit()) / max(len(head), 1),
            sum(1 for ch in head if not ch.isalnum() and not ch.isspace()) / max(len(head), 1),
            float(len(_SEPARATORS.findall(line))),
            float(bool(_URL.search(line))),
            float(line[:1].islower()),
            float(not line[:1].isalnum() and line[:1] not in "\"“'‘(«"),
            float(prose_flags[i]),
            i / max(count - 1, 1),
            float(first <= i <= last) if first >= 0 else -1.0,
            math.log1p(max(first - i, 0)) if first >= 0 else -1.0,
            math.log1p(max(i - last, 0)) if first >= 0 else -1.0,
            math.log1p(min(distance[i], count)),
            (prose_prefix[high] - prose_prefix[low] - own) / (high - low),
            (removed_prefix[high] - removed_prefix[low] - removed[i]) / (high - low),
            float(i > 0 and prose_flags[i - 1]),
            float(i + 1 < count and prose_flags[i + 1]),
            float(i > 0 and removed[i - 1]),
            float(i + 1 < count and removed[i + 1]),
            math.log1p(sizes[i - 1]) if i > 0 else -1.0,
            math.log1p(sizes[i + 1]) if i + 1 < count else -1.0,
            shared / len(content) if content else -1.0,
            shared_main / len(content) if content else -1.0,
            in_cluster[i],
            cluster_share[i],
            len(content & title_words) / len(content) if content and title_words else -1.0,
            math.log1p(len(content)),
            math.log1p(keys[" ".join(line.casefold().split())] - 1),
            float(i == title),
            len(line) / typical,
            float(removed[i]),
            float(starts_digit[i]),
            (digit_prefix[high] - digit_prefix[low] - starts_digit[i]) / (high - low),
            sum(1 for j in range(low, high) if j != i and shapes[j] == shapes[i]) / (high - low),
            prose_words_before[i] / running if running else -1.0,
            *(float(reasons[i] == reason) for reason in RULE_REASONS),
        ]
        rows.append(row)
    return rows


def protected(rows: Sequence[Sequence[float]]) -> list[bool]:
    """Which lines the classifier never drops, however confident: prose (a sentence or more:
    an article's paragraph is worth more than a comment or a blurb left in), and the line
    right after the title, where a standfirst sits (a byline or a date there is the rules'
    to drop)."""
    return [
        row[_IS_PROSE] == 1.0 or (n > 0 and rows[n - 1][_IS_TITLE] == 1.0)
        for n, row in enumerate(rows)
    ]


def in_main_prose_run(row: Sequence[float]) -> bool:
    """Whether a feature row's line sits within the article's main prose run."""
    return row[_IN_BODY] == 1.0


class LineClassifier:
    """Gradient-boosted trees over :data:`FEATURE_NAMES`, all trees walked at once.

    Attributes:
        threshold: a kept line goes when its chrome probability reaches this.
        body_threshold: the same, for a line inside the article's main prose run.
    """

    def __init__(self, model: dict):
        if tuple(model["features"]) != FEATURE_NAMES:
            raise ValueError("the line classifier was trained on other features")
        self.threshold = float(model["threshold"])
        self.body_threshold = float(model["body_threshold"])
        self._bias = float(model["bias"])
        self._rate = float(model["learning_rate"])
        self._depth = int(model["max_depth"])
        trees = model["trees"]
        # One flat node table; a tree's nodes are numbered from its own offset.
        offsets = np.cumsum([0] + [len(tree["feature"]) for tree in trees[:-1]])
        self._roots = offsets.astype(np.int64)
        self._feature = np.concatenate([np.asarray(t["feature"], np.int64) for t in trees])
        self._threshold = np.concatenate([np.asarray(t["threshold"], np.float64) for t in trees])
        self._left = np.concatenate(
            [np.asarray(t["left"], np.int64) + o for t, o in zip(trees, offsets, strict=True)]
        )
        self._right = np.concatenate(
            [np.asarray(t["right"], np.int64) + o for t, o in zip(trees, offsets, strict=True)]
        )
        self._value = np.concatenate([np.asarray(t["value"], np.float64) for t in trees])
        leaf = self._feature < 0
        # A leaf is its own child both ways, so walking past it stays put.
        index = np.arange(len(self._feature))
        self._left[leaf] = index[leaf]
        self._right[leaf] = index[leaf]
        self._feature[leaf] = 0
        self._children = np.stack([self._left, self._right], axis=1).ravel()

    def probabilities(self, rows: list[list[float]]) -> list[float]:
        """The chrome probability of each feature row."""
        if not rows:
            return []
        probabilities: list[float] = []
        # In batches: a lines-by-trees table of node numbers for a huge text would not fit.
        for start in range(0, len(rows), _BATCH):
            probabilities += self._batch(rows[start : start + _BATCH])
        return probabilities

    def _batch(self, rows: list[list[float]]) -> list[float]:
        # The trees were grown on float32 features (scikit-learn's), and compare them so.
        features = np.asarray(rows, dtype=np.float32).astype(np.float64)
        flat = features.ravel()
        offsets = (np.arange(len(rows)) * features.shape[1])[:, None]
        nodes = np.broadcast_to(self._roots, (len(rows), len(self._roots)))
        for _ in range(self._depth):
            right = flat[offsets + self._feature[nodes]] > self._threshold[nodes]
            nodes = self._children[nodes * 2 + right]
        scores = self._bias + self._rate * self._value[nodes].sum(axis=1)
        return (1.0 / (1.0 + np.exp(-scores))).tolist()


@cache
def default_classifier() -> LineClassifier | None:
    """The shipped model, or None when its file is missing (the rules then work alone)."""
    try:
        model = json.loads(gzip.decompress(MODEL_PATH.read_bytes()).decode("utf-8"))
    except FileNotFoundError:
        return None
    return LineClassifier(model)
