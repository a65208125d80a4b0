"""Named entities by token classification, with sub-word aggregation, grouped with counts.

Tokens are classified per window of the model's input length (long paragraphs get
overlapping windows); sub-word pieces are merged into words, each word taking the label of
its first piece (transformers' ``AggregationStrategy.FIRST``), and consecutive words of the
same type are joined (B-/I- tags respected). Offsets come from the fast tokenizer's
``offset_mapping`` and point into the article's cleaned text.
"""

from __future__ import annotations

import gc
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.core.base.errors import ModelError
from app.core.base.results import CancelToken, Entity, Mention
from app.core.engines.device import apply_threads, is_out_of_memory, out_of_memory_error
from app.core.engines.hf import input_limit, load_pretrained, one_line
from app.core.engines.mmap_weights import quantize_from_file, release_free_memory
from app.core.engines.quantize import quantize_ner_model

_EDGE_PUNCT = " \t\n.,;:!?\"'()[]{}\u201c\u201d\u2018\u2019\u2013\u2014-"


def normalise(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def group_mentions(mentions: Iterable[Mention]) -> list[Entity]:
    """Mentions with the same normalised text and label make one entity; most frequent first."""
    groups: dict[tuple[str, str], list[Mention]] = {}
    for mention in sorted(mentions, key=lambda m: m.start):
        groups.setdefault((normalise(mention.text), mention.label), []).append(mention)
    entities = []
    for (_, label), items in groups.items():
        surface = Counter(m.text for m in items).most_common(1)[0][0]
        entities.append(Entity(surface, label, len(items), items))
    entities.sort(key=lambda e: (-e.count, e.mentions[0].start))
    return entities


def strip_label(label: str) -> tuple[str, str]:
    """("B", "PER") for "B-PER", ("", "PER") for "PER"; the prefix is B, I, E, S or ""."""
    if len(label) > 2 and label[1] in "-_" and label[0].upper() in "BIES":
        return label[0].upper(), label[2:]
    return "", label


@dataclass
class Word:
    """A word (whole, sub-word pieces merged) with the label of its first piece."""

    start: int
    end: int
    label: str
    score: float


def _trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE_PUNCT:
        start += 1
    while end > start and text[end - 1] in _EDGE_PUNCT:
        end -= 1
    return start, end


def merge_words(text: str, words: list[Word], offset: int) -> list[Mention]:
    """Join consecutive labelled words into mentions (offsets shifted by ``offset``)."""
    mentions: list[Mention] = []
    current: list[Word] = []
    current_type = ""

    def close() -> None:
        nonlocal current, current_type
        if current:
            start, end = _trim_span(text, current[0].start, current[-1].end)
            if end > start:
                score = sum(w.score for w in current) / len(current)
                mentions.append(
                    Mention(text[start:end], start + offset, end + offset, current_type, score)
                )
        current, current_type = [], ""

    for word in words:
        prefix, kind = strip_label(word.label)
        if kind.upper() == "O" and not prefix:
            close()
            continue
        if current and kind == current_type and prefix not in ("B", "S"):
            current.append(word)
        else:
            close()
            current, current_type = [word], kind
        if prefix in ("E", "S"):
            close()
    close()
    return mentions


class EntityRecognizer:
    """Finds named entities with one installed token-classification model.

    Attributes:
        model: the installed model (store entry).
        loads: how many times the model was loaded.
        max_input_tokens: the window length (known after loading).
    """

    def __init__(self, model: Any, device: str = "cpu", threads: int = 0, *, batch_size: int = 8):
        self.model = model
        self.device = device
        self.threads = threads
        self.batch_size = batch_size
        self.loads = 0
        self.max_input_tokens = 0
        self._loaded: tuple[Any, Any] | None = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def _load(self) -> tuple[Any, Any]:
        with self._load_lock:
            if self._loaded is None:
                apply_threads(self.threads)

                # Heap memory an earlier step freed (a long prompt's activations) goes back to
                # the system before this model's arrives, so the two never add up.
                release_free_memory()
                tokenizer, network = load_pretrained(
                    self.model, "AutoModelForTokenClassification", self.device
                )
                # int8 Linear layers on CPU: 2.3-2.9x faster in benchmarks/run.py (a no-op on GPU)
                network = self._quantize(network)
                release_free_memory()
                self.max_input_tokens = input_limit(
                    tokenizer, network, getattr(self.model, "manifest", None)
                )
                self._loaded = (tokenizer, network)
                self.loads += 1
            return self._loaded

    def _quantize(self, network: Any) -> Any:
        """The int8 network; on CPU built layer by layer from the weights file, with the
        embedding table left in the file (mapped), when the file holds exactly its tensors."""
        if self.device == "cpu":
            try:
                lean = quantize_from_file(network, Path(self.model.path), quantize_ner_model)
            except (OSError, ValueError) as exc:
                raise ModelError(f"cannot load model {self.model.name}: {one_line(exc)}") from exc
            if lean is not None:
                return lean
        return quantize_ner_model(network)

    @property
    def loaded(self) -> bool:
        """Whether the model is in memory (the next call loads it when not)."""
        return self._loaded is not None

    def unload(self) -> None:
        """Free the model and hand its memory back to the system; the next call loads it again."""
        with self._load_lock:
            if self._loaded is None:
                return
            self._loaded = None
            # A network can hold reference cycles (quantize_dynamic's qconfig closures on the
            # plain load): collect them now, so the memory is free before the next step's.
            gc.collect()
            release_free_memory()

    def recognise(
        self,
        paragraphs: list[tuple[int, str]],
        *,
        cancel: CancelToken | None = None,
        on_progress: Callable[[int, int], None] | None = None,
    ) -> list[Mention]:
        """Mentions in ``paragraphs`` ((start offset in the article, text) pairs), in text order."""
        tokenizer, network = self._load()
        # Shortest first: paragraphs of similar length share a batch, so less padding is run.
        work = sorted(
            ((start, text) for start, text in paragraphs if text.strip()), key=lambda p: len(p[1])
        )
        mentions: list[Mention] = []
        for first in range(0, len(work), self.batch_size):
            if cancel:
                cancel.raise_if_cancelled()
            batch = work[first : first + self.batch_size]
            with self._run_lock:
                words_per_text = self._classify(tokenizer, network, [t for _, t in batch])
            for (start, text), words in zip(batch, words_per_text, strict=True):
                mentions.extend(merge_words(text, words, start))
            if on_progress:
                on_progress(min(first + self.batch_size, len(work)), len(work))
        mentions.sort(key=lambda m: m.start)
        return mentions

    def classify_words(self, texts: list[str]) -> list[list[Word]]:
        """Every word of each text with its label and score (``"O"`` included), in text order.

        Long texts are classified in overlapping windows of the model's input length; a word
        seen in two windows keeps the prediction made with the most context around it.
        """
        tokenizer, network = self._load()
        with self._run_lock:
            return self._classify(tokenizer, network, texts)

    def _classify(self, tokenizer: Any, network: Any, texts: list[str]) -> list[list[Word]]:
        import torch

        limit = self.max_input_tokens
        stride = max(1, min(32, limit // 4))
        encoded = tokenizer(
            texts,
            return_offsets_mapping=True,
            return_overflowing_tokens=True,
            truncation=True,
            max_length=limit,
            stride=stride,
            padding=True,
            return_tensors="pt",
        )
        offsets = encoded.pop("offset_mapping").tolist()
        owners = encoded.pop("overflow_to_sample_mapping").tolist()
        try:
            with torch.inference_mode():
                logits = network(**encoded.to(self.device)).logits
            probs = torch.softmax(logits.float(), dim=-1).cpu()
        except (RuntimeError, MemoryError) as exc:
            if is_out_of_memory(exc):
                raise out_of_memory_error(
                    f"finding names with {self.model.name}", self.device
                ) from exc
            raise ModelError(f"{self.model.name} failed: {str(exc).splitlines()[0]}") from exc
        id2label = network.config.id2label
        scores, label_ids = probs.max(dim=-1)
        # Per text: word start -> best (distance from window edge, Word) across windows.
        best: list[dict[int, tuple[int, Word]]] = [{} for _ in texts]
        for window, owner in enumerate(owners):
            text = texts[owner]
            word_ids = encoded.word_ids(window)
            spans = offsets[window]
            positions = [
                i for i, w in enumerate(word_ids) if w is not None and spans[i][1] > spans[i][0]
            ]
            if not positions:
                continue
            first_pos, last_pos = positions[0], positions[-1]
            words: list[tuple[int, int, int]] = []  # (first token index, start, end)
            for i in positions:
                start, end = spans[i]
                piece = text[start:end]
                previous = words[-1] if words else None
                if (
                    previous is not None
                    and start <= previous[2]
                    and word_ids[i] == word_ids[previous[0]]
                    and _is_wordlike(piece)
                    and _is_wordlike(text[previous[2] - 1])
                ):
                    words[-1] = (previous[0], previous[1], max(end, previous[2]))
                else:
                    words.append((i, start, end))
            # A window boundary may cut a word in two: drop the edge words of inner windows;
            # the overlapping neighbour window (``stride`` tokens) holds them whole.
            if window > 0 and owners[window - 1] == owner:
                words = words[1:]
            if window + 1 < len(owners) and owners[window + 1] == owner:
                words = words[:-1]
            for i, start, end in words:
                label = id2label[int(label_ids[window, i])]
                word = Word(start, end, label, float(scores[window, i]))
                margin = min(i - first_pos, last_pos - i)
                known = best[owner].get(start)
                if known is None or margin > known[0]:
                    best[owner][start] = (margin, word)
        return [[w for _, (_, w) in sorted(found.items())] for found in best]


def _is_wordlike(text: str) -> bool:
    return bool(re.search(r"\w", text))


def map_to_original(entities: list[Entity], original: str) -> list[Mention]:
    """Mentions in ``original`` of entities found in its translation (exact whole-word matches)."""
    mentions: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for entity in sorted(entities, key=lambda e: -len(e.text)):
        score = max(m.score for m in entity.mentions) if entity.mentions else 1.0
        pattern = re.compile(r"(?<!\w)" + re.escape(entity.text) + r"(?!\w)")
        for match in pattern.finditer(original):
            span = (match.start(), match.end())
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            mentions.append(Mention(match.group(), span[0], span[1], entity.label, score))
    return sorted(mentions, key=lambda m: m.start)
