"""English summaries from an instruction-tuned chat model (e.g. Qwen2.5-Instruct), straight from
the article's own language.

The prompt goes through the model's chat template. It asks for an English summary of at most
``n`` sentences (short 3, medium 5, long 8) or, in the ``"key-points"`` format, a bullet list
of at most ``n`` points, and for nothing the article does not say. Each length also has a token
budget, which the engines enforce (:class:`~app.core.engines.chat.ChatSettings`); the answer is
then cut to its sentence or point budget. Decoding is greedy, stops at the model's end-of-turn
token, and a repetition guard ends an answer that starts repeating itself.

An article too long for one prompt is chunked as :class:`~app.core.runners.summarizer.Summarizer`
does (whole sentences, by token budget); each chunk is summarised in English, the partial
summaries are joined and summarised again, up to ``MAX_ROUNDS`` rounds.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, cast

from app.core.base.errors import ModelError
from app.core.base.results import CancelToken
from app.core.engines.base import Seq2SeqBackend
from app.core.engines.chat import ChatBackend, ChatOutput, ChatSettings, Message, is_chat_model
from app.core.reading.segment import split_sentences
from app.core.runners.summarizer import MAX_ROUNDS, Summarizer

#: summary length -> (sentences or points, most tokens of answer)
CHAT_LENGTHS: dict[str, tuple[int, int]] = {
    "short": (3, 96),
    "medium": (5, 160),
    "long": (8, 256),
}
FORMATS = ("prose", "key-points")
#: tokens kept free beside prompt and answer (a template may add a token or two per turn)
_MARGIN = 8

SYSTEM_PROMPT = (
    "You summarise news articles for readers who copy your summaries into their own notes, "
    "so they must be able to trust every sentence. Write in English, whatever the language "
    "of the article. Use only what the article states: never add a name, number, date, "
    "amount or claim that is not in it."
)

_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013]|\d{1,2}[.)])\s*")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def build_messages(
    text: str, length: str, fmt: str = "prose", *, partial: bool = False
) -> list[Message]:
    """The chat messages asking for a summary of ``text`` (an article or part of one)."""
    count, _ = CHAT_LENGTHS.get(length, CHAT_LENGTHS["medium"])
    if partial:
        ask = (
            f"Summarise this part of a news article in English in at most "
            f"{_plural(count, 'sentence')}. Keep the names, numbers and dates it depends on."
        )
        label = "Part of the article"
    elif fmt == "key-points":
        ask = (
            f"List the key points of this news article in English: at most "
            f'{_plural(count, "point")}, one per line, each line starting with "- ".'
        )
        label = "Article"
    else:
        ask = f"Summarise this news article in English in at most {_plural(count, 'sentence')}."
        label = "Article"
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": f"{ask}\n\n{label}:\n{text.strip()}"},
    ]


def _ends_sentence(text: str) -> bool:
    return bool(re.search(r"[.!?\u3002][\"'\u201d\u2019)\]]*$", text.strip()))


def tidy_prose(text: str, count: int, cut_at_budget: bool) -> str:
    """At most ``count`` sentences of ``text`` on one line; an answer stopped by the token budget
    loses its unfinished last sentence when a finished one comes before it."""
    text = " ".join(_BULLET.sub("", line).strip() for line in text.splitlines() if line.strip())
    sentences = [s.strip() for s in split_sentences(text, "en") if s.strip()]
    if cut_at_budget and len(sentences) > 1 and not _ends_sentence(sentences[-1]):
        sentences.pop()
    return " ".join(sentences[:count])


def tidy_points(text: str, count: int, cut_at_budget: bool) -> str:
    """At most ``count`` points, one ``- point`` per line. An answer written as prose becomes
    one point per sentence; an unfinished last point (token budget) is dropped when another
    point comes before it."""
    lines = [_BULLET.sub("", line).strip() for line in text.splitlines()]
    points = [line for line in lines if line]
    if len(points) == 1:
        points = [s.strip() for s in split_sentences(points[0], "en") if s.strip()]
    if cut_at_budget and len(points) > 1 and not _ends_sentence(points[-1]):
        points.pop()
    return "\n".join(f"- {p}" for p in points[:count])


def as_points(text: str, language: str) -> str:
    """A prose summary as key points: one ``- sentence`` line per sentence."""
    sentences = [s.strip() for s in split_sentences(" ".join(text.split()), language) if s.strip()]
    return "\n".join(f"- {s}" for s in sentences)


def summarize_as(
    summarizer: Any, text: str, language: str, options: Any, cancel: CancelToken | None
) -> str:
    """``summarizer``'s summary of ``text`` in ``options.summary_length`` and
    ``options.summary_format``: a chat model is asked for key points; a seq2seq model's summary
    is listed one sentence a point."""
    fmt = getattr(options, "summary_format", "prose")
    if isinstance(summarizer, InstructSummarizer):
        return summarizer.summarize(text, language, options.summary_length, cancel=cancel, fmt=fmt)
    summary = summarizer.summarize(text, language, options.summary_length, cancel=cancel)
    return as_points(summary, language) if fmt == "key-points" else summary


def pick_chat_summarizer(models: list[Any], language: str | None) -> Any | None:
    """The installed chat model to summarise an article in ``language`` (most recent first)."""
    chat = [
        m
        for m in models
        if m.task == "summarize" and is_chat_model(m) and (not language or m.covers(language))
    ]
    return max(chat, key=lambda m: (m.manifest.get("installed_at", ""), m.name), default=None)


def pick_seq2seq_summarizer(models: list[Any], language: str) -> Any | None:
    """The installed summariser (not a chat model) for a summary in ``language`` itself, ranked
    as ``ModelStore.find`` ranks: the language listed beats ``"*"``, then the most recent."""
    candidates = [
        m for m in models if m.task == "summarize" and not is_chat_model(m) and m.covers(language)
    ]

    def rank(m: Any) -> tuple:
        return (language in m.languages, m.manifest.get("installed_at", ""), m.name)

    return max(candidates, key=rank, default=None)


class InstructSummarizer(Summarizer):
    """Summarises text into English with one installed chat model.

    Attributes:
        model: the installed model (store entry).
        loads: how many times a backend was loaded.
        last_rounds: chunks per map round of the last call; ``[]`` when it fit in one pass.
        last_outputs: every generation of the last call, in order (timings, token counts).
    """

    def __init__(self, model: Any, backend_factory: Callable[[Any], ChatBackend]):
        # Summarizer loads and keeps the backend; the methods inherited from it only call
        # count_tokens, which a ChatBackend has too. The chat calls cast it back below.
        super().__init__(model, cast(Callable[[Any], Seq2SeqBackend], backend_factory), max_batch=1)
        self.prefix = ""
        self.last_outputs: list[ChatOutput] = []

    def input_budget(self, length: str = "medium") -> int:
        """Tokens of article text that fit in one prompt beside the instructions and answer."""
        backend = cast(ChatBackend, self.backend)
        _, answer = CHAT_LENGTHS.get(length, CHAT_LENGTHS["medium"])
        overhead = max(
            len(backend.prompt_ids(build_messages("", length, fmt, partial=partial)))
            for fmt in FORMATS
            for partial in (False, True)
        )
        budget = backend.max_context_tokens - overhead - answer - _MARGIN
        if budget < 16:
            raise ModelError(
                f"{self.model.name}'s context of {backend.max_context_tokens} tokens is too "
                "small for the summary prompt"
            )
        return budget

    def _ask(
        self,
        text: str,
        length: str,
        fmt: str,
        *,
        partial: bool,
        cancel: CancelToken | None,
    ) -> str:
        if cancel:
            cancel.raise_if_cancelled()
        count, answer = CHAT_LENGTHS.get(length, CHAT_LENGTHS["medium"])
        settings = ChatSettings(max_new_tokens=answer)
        messages = build_messages(text, length, fmt, partial=partial)
        output = cast(ChatBackend, self.backend).generate(messages, settings, cancel)
        self.last_outputs.append(output)
        cut = output.stop == "budget"
        if fmt == "key-points" and not partial:
            return tidy_points(output.text, count, cut)
        return tidy_prose(output.text, count, cut)

    def summarize(
        self,
        text: str,
        language: str,
        length: str = "medium",
        *,
        cancel: CancelToken | None = None,
        fmt: str = "prose",
    ) -> str:
        """The English summary of ``text`` (paragraphs separated by newlines) in ``language``.

        ``fmt``: ``"prose"`` or ``"key-points"`` (``- point`` lines). Raises ModelError when
        the model writes nothing.
        """
        if fmt not in FORMATS:
            raise ValueError(f"unknown summary format {fmt!r}: choose one of {', '.join(FORMATS)}")
        budget = self.input_budget(length)
        count = self.backend.count_tokens
        self.last_rounds = []
        self.last_outputs = []
        text = text.strip()
        while count(text) > budget:
            if len(self.last_rounds) >= MAX_ROUNDS:
                break  # the joined partial summaries are summarised as they are, in pieces
            chunks = self._chunks(text, language, budget)
            self.last_rounds.append(len(chunks))
            partials = [
                self._ask(chunk, length, fmt, partial=True, cancel=cancel) for chunk in chunks
            ]
            text = "\n".join(p for p in partials if p)
            language = "en"
        if count(text) > budget:
            # Still too long after MAX_ROUNDS: the partial summaries are the summary.
            return text
        summary = self._ask(text, length, fmt, partial=False, cancel=cancel)
        if not summary:
            raise ModelError(f"{self.model.name} wrote no summary")
        return summary
