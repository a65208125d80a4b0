"""InstructSummarizer: the prompt (length as a sentence budget, key points), the tidying of the
answer to its budget, chunking of long articles, Cancel; on a scripted backend for the exact
prompts and answers, and on the tiny Qwen2 model through both engines."""

from __future__ import annotations

import pytest
from tinymodels import ENGLISH_SENTENCES, INDONESIAN_SENTENCES

from app.core.base.errors import CancelledError, ModelError
from app.core.base.results import CancelToken
from app.core.engines import chat_backend_for
from app.core.engines.chat import ChatOutput
from app.core.engines.hf_causal import CausalTransformersBackend
from app.core.models.store import ModelStore
from app.core.runners.instruct_summarizer import (
    CHAT_LENGTHS,
    InstructSummarizer,
    tidy_points,
    tidy_prose,
)

ARTICLE = "\n".join(INDONESIAN_SENTENCES[:3])


class ScriptedBackend:
    """A ChatBackend that answers from a list and records what it was asked (one token a word)."""

    name = "scripted"

    def __init__(self, answers, context=4096):
        self.answers = list(answers)
        self.max_context_tokens = context
        self.asked = []

    def count_tokens(self, text):
        return len(text.split())

    def prompt_ids(self, messages):
        return list(range(sum(len(m["content"].split()) + 3 for m in messages)))

    def generate(self, messages, settings, cancel=None):
        if cancel:
            cancel.raise_if_cancelled()
        self.asked.append((messages, settings))
        text, stop = self.answers.pop(0) if self.answers else ("", "end")
        return ChatOutput(text, len(self.prompt_ids(messages)), len(text.split()), stop, 0.0, 0.0)


def _runner(backend):
    model = type("M", (), {"name": "scripted-chat", "manifest": {"kind": "chat"}})()
    return InstructSummarizer(model, lambda m: backend)


@pytest.mark.parametrize(("length", "sentences"), [("short", 3), ("medium", 5), ("long", 8)])
def test_the_prompt_asks_for_an_english_summary_of_the_length(length, sentences):
    backend = ScriptedBackend([("One. Two.", "end")])
    _runner(backend).summarize(ARTICLE, "id", length)
    ((messages, settings),) = backend.asked
    assert messages[0]["role"] == "system" and "English" in messages[0]["content"]
    user = messages[1]["content"]
    assert f"in English in at most {sentences} sentences" in user
    assert user.endswith(ARTICLE)
    assert settings.max_new_tokens == CHAT_LENGTHS[length][1]


def test_key_points_are_asked_for_and_returned_as_a_bullet_list():
    answer = "* Jokowi visited Jakarta.\n2) The rate rose to six percent.\n\n- Floods hit Semarang."
    backend = ScriptedBackend([(answer, "end")])
    summary = _runner(backend).summarize(ARTICLE, "id", "short", fmt="key-points")
    assert "at most 3 points, one per line" in backend.asked[0][0][1]["content"]
    assert summary == (
        "- Jokowi visited Jakarta.\n- The rate rose to six percent.\n- Floods hit Semarang."
    )


def test_the_answer_is_cut_to_its_sentence_budget():
    long = " ".join(ENGLISH_SENTENCES[:6])
    backend = ScriptedBackend([(long, "end")])
    assert _runner(backend).summarize(ARTICLE, "id", "short") == " ".join(ENGLISH_SENTENCES[:3])


def test_an_answer_stopped_by_the_token_budget_loses_its_unfinished_sentence():
    assert tidy_prose("Jokowi visited Jakarta. The rate rose to", 3, True) == (
        "Jokowi visited Jakarta."
    )
    # ...but not when it ended by itself, or when nothing finished comes before it.
    assert tidy_prose("Jokowi visited Jakarta. The rate rose", 3, False).endswith("rose")
    assert tidy_prose("The rate rose to", 3, True) == "The rate rose to"
    assert tidy_points("- One point.\n- Second point that", 5, True) == "- One point."
    assert tidy_points("First. Second. Third.", 2, False) == "- First.\n- Second."


def test_an_empty_answer_is_an_error_not_an_empty_summary():
    with pytest.raises(ModelError, match="wrote no summary"):
        _runner(ScriptedBackend([("", "end")])).summarize(ARTICLE, "id")


def test_a_long_article_is_summarised_in_parts_then_as_a_whole():
    article = "\n".join(INDONESIAN_SENTENCES)  # ~170 words
    runner = _runner(ScriptedBackend([], context=300))
    budget = runner.input_budget("short")
    assert 0 < budget < len(article.split())

    class PartsThenWhole(ScriptedBackend):
        def generate(self, messages, settings, cancel=None):
            partial = "Part of the article:" in messages[1]["content"]
            parts = sum("Part of the article:" in m[1]["content"] for m, _ in self.asked)
            self.answers = [(f"Part {parts} summary.", "end") if partial else ("Final.", "end")]
            return super().generate(messages, settings, cancel)

    backend = PartsThenWhole([], context=300)
    runner = _runner(backend)
    assert runner.summarize(article, "id", "short") == "Final."
    parts = runner.last_rounds[0]
    assert parts >= 2 and len(backend.asked) == parts + 1
    partial_prompts = [m[1]["content"] for m, _ in backend.asked[:-1]]
    assert all(
        p.startswith("Summarise this part of a news article in English") for p in partial_prompts
    )
    # every sentence of the article went into exactly one part, in order
    joined = " ".join(p.split("Part of the article:\n", 1)[1] for p in partial_prompts)
    assert joined.split() == article.split()
    final = backend.asked[-1][0][1]["content"]
    assert final.endswith("\n".join(f"Part {i} summary." for i in range(parts)))


def test_cancel_between_parts():
    article = "\n".join(INDONESIAN_SENTENCES)
    cancel = CancelToken()

    class CancelAfterFirst(ScriptedBackend):
        def generate(self, messages, settings, cancel_token=None):
            out = super().generate(messages, settings, cancel_token)
            cancel.cancel()
            return out

    backend = CancelAfterFirst([("Part.", "end")] * 10, context=300)
    with pytest.raises(CancelledError):
        _runner(backend).summarize(article, "id", "short", cancel=cancel)
    assert len(backend.asked) == 1


# --- on the tiny Qwen2 model -------------------------------------------------------------


@pytest.fixture
def tiny_chat(tiny_chat_dirs, model_store: ModelStore):
    return model_store.add(tiny_chat_dirs["chat"], name="tiny-qwen")


@pytest.mark.parametrize("engine", ["ctranslate2", "transformers"])
def test_tiny_model_chunks_a_long_article_within_its_context_and_budget(tiny_chat, engine):
    def factory(model):
        if engine == "transformers":
            return CausalTransformersBackend(model, "cpu", 1)
        return chat_backend_for(model, "cpu", 1)

    runner = InstructSummarizer(tiny_chat, factory)
    article = "\n".join(INDONESIAN_SENTENCES)
    runner.summarize(article, "id", "short")
    assert runner.backend.name == engine
    context = runner.backend.max_context_tokens
    assert runner.last_rounds and runner.last_rounds[0] >= 2
    assert len(runner.last_outputs) == sum(runner.last_rounds) + 1
    for out in runner.last_outputs:
        assert out.prompt_tokens + CHAT_LENGTHS["short"][1] <= context
        assert out.new_tokens <= CHAT_LENGTHS["short"][1]


class CancelAfter(CancelToken):
    """Cancels itself after ``checks`` looks at it: Cancel pressed mid-generation."""

    def __init__(self, checks: int):
        super().__init__()
        self.left = checks

    def _look(self) -> None:
        self.left -= 1
        if self.left < 0:
            self.cancel()

    @property
    def cancelled(self) -> bool:
        self._look()
        return super().cancelled

    def raise_if_cancelled(self) -> None:
        self._look()
        super().raise_if_cancelled()


def test_tiny_model_cancel_mid_generation(tiny_chat):
    runner = InstructSummarizer(tiny_chat, lambda m: chat_backend_for(m, "cpu", 1))
    article = "\n".join(INDONESIAN_SENTENCES)
    cancel = CancelAfter(12)
    with pytest.raises(CancelledError):
        runner.summarize(article, "id", "short", cancel=cancel)
    # the first part's generation was under way: no part was finished
    assert runner.last_outputs == []
