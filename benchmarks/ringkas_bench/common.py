"""What every part of the benchmark shares: the article, the forced lengths, the timing."""

from __future__ import annotations

import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SAMPLE_CANDIDATES = [
    ROOT / "resources" / "samples" / "iran-belarus-id.txt",
    Path("/work/shared/samples/iran-belarus-id.txt"),
]
ARTICLE_WORDS = 600
#: forced output length: target tokens per source word (both sides decode exactly this many)
TARGET_TOKENS_PER_WORD = 1.3
#: forced summary length (the engine's "medium" preset maximum), both sides
SUMMARY_TOKENS = 130


def sample_text() -> str:
    for path in SAMPLE_CANDIDATES:
        if path.is_file():
            return path.read_text(encoding="utf-8")
    raise SystemExit("no Indonesian sample article found (resources/samples/iran-belarus-id.txt)")


def article_paragraphs(words: int = ARTICLE_WORDS) -> list[str]:
    """The sample's paragraphs, cycled until the article has ``words`` words, the last trimmed."""
    source = [p.strip() for p in sample_text().split("\n\n") if p.strip()]
    paragraphs: list[str] = []
    count = 0
    while count < words:
        for paragraph in source:
            take = paragraph.split()[: words - count]
            paragraphs.append(" ".join(take))
            count += len(take)
            if count >= words:
                break
    return paragraphs


def word_count(text: str) -> int:
    return len(text.split())


def forced_tokens(text: str) -> int:
    return max(1, round(TARGET_TOKENS_PER_WORD * word_count(text)))


@dataclass
class BenchModel:
    """The fields of an installed model (``app.core.models.store.InstalledModel``) runners read."""

    name: str
    task: str
    family: str
    path: Path
    languages: list[str] = field(default_factory=lambda: ["id"])
    manifest: dict = field(default_factory=dict)
    revision: str | None = "bench"

    @property
    def model_id(self) -> str:
        return f"{self.name}@bench"


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class ForcedLengths:
    """A Seq2SeqBackend wrapper that makes every text decode a forced length.

    A text's length is ``length_of([text], settings)``: for translation 1.3 target tokens per
    source word, for summaries the engine's own ``max_new_tokens``. Each call goes to the
    backend whole, with ``min_new_tokens`` = the longest text's length and every text's own
    length as its budget (``GenerationSettings.max_new_tokens_each``): the backend stops each
    text at its budget (as it does in the app, where every sentence has its own budget), so
    every text decodes exactly its forced length and the engine decodes as many target tokens
    as the baseline. A trained model ends each sentence at its own ``</s>`` instead, and
    CTranslate2 then drops it from the batch in the same way. Every call is recorded so the
    decoded tokens can be counted.
    """

    def __init__(self, backend, length_of) -> None:
        self._backend = backend
        self._length_of = length_of
        self.calls: list[tuple[list[str], list[int], str]] = []

    name = property(lambda self: self._backend.name)
    max_input_tokens = property(lambda self: self._backend.max_input_tokens)

    @property
    def source_language(self):
        return getattr(self._backend, "source_language", None)

    @source_language.setter
    def source_language(self, value) -> None:
        if hasattr(self._backend, "source_language"):
            self._backend.source_language = value

    def count_tokens(self, text: str) -> int:
        return self._backend.count_tokens(text)

    def _forced(self, texts, settings):
        from dataclasses import replace

        lengths = [self._length_of([t], settings) for t in texts]
        self.calls.append((list(texts), lengths, settings.prefix))
        longest = max(lengths, default=1)
        return replace(
            settings,
            max_new_tokens=longest,
            min_new_tokens=longest,
            max_new_tokens_each=tuple(lengths),
        )

    def generate(self, texts, settings):
        return self._backend.generate(texts, self._forced(texts, settings))

    def __getattr__(self, name):
        # ``submit`` (queue a call, collect it later) only where the backend has it, so the
        # runner takes the same path with and without this wrapper.
        if name == "submit" and hasattr(self._backend, "submit"):
            return lambda texts, settings, cancel=None: self._backend.submit(
                texts, self._forced(texts, settings), cancel
            )
        raise AttributeError(name)


def translation_length(texts, settings) -> int:
    return max(forced_tokens(t) for t in texts)


def summary_length(texts, settings) -> int:
    return settings.max_new_tokens


class Baseline:
    """The naive transformers way: fp32, default torch threads, ``generate`` per text, beam 4."""

    def __init__(self, model: BenchModel, auto_class: str) -> None:
        import transformers

        self.tokenizer = transformers.AutoTokenizer.from_pretrained(model.path)
        self.network = getattr(transformers, auto_class).from_pretrained(model.path).eval()

    def generate(self, text: str, n: int, beams: int = 4) -> None:
        import torch

        inputs = self.tokenizer(text, return_tensors="pt", truncation=True)
        with torch.inference_mode():
            self.network.generate(**inputs, num_beams=beams, max_new_tokens=n, min_new_tokens=n)

    def classify(self, text: str) -> None:
        import torch

        inputs = self.tokenizer(text, return_tensors="pt", truncation=True)
        with torch.no_grad():
            self.network(**inputs).logits.argmax(-1)


def engine_factory(threads: int, length_of, wrappers: list):
    from app.core.engines import backend_for

    def factory(model):
        wrapped = ForcedLengths(backend_for(model, "cpu", threads), length_of)
        wrappers.append(wrapped)
        return wrapped

    return factory


def alternate(runs: int, baseline, engine, log, label: str, cpu: dict | None = None):
    """Run baseline and engine alternately ``runs`` times each; returns their wall times.

    Process CPU times go into ``cpu`` ({"baseline": [...], "engine": [...]}): on a loaded
    machine the gap between wall and CPU time is time spent waiting for a core.
    """
    times: dict[str, list[float]] = {"baseline": [], "engine": []}
    cpu = cpu if cpu is not None else {}
    for run in range(runs):
        for side, fn in (("baseline", baseline), ("engine", engine)):
            start, cpu_start = time.perf_counter(), time.process_time()
            fn()
            times[side].append(time.perf_counter() - start)
            cpu.setdefault(side, []).append(time.process_time() - cpu_start)
        log(
            f"  {label} run {run + 1}/{runs}: baseline {times['baseline'][-1]:.2f} s "
            f"(CPU {cpu['baseline'][-1]:.2f} s), engine {times['engine'][-1]:.2f} s "
            f"(CPU {cpu['engine'][-1]:.2f} s)"
        )
    return times["baseline"], times["engine"]
