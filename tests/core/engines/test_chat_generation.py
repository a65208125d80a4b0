"""Decoder-only chat engines on a tiny random-weight Qwen2ForCausalLM: the chat template, the
same text from CTranslate2's Generator and from transformers (float32), the output budget, the
end-of-turn token, the repetition guard and Cancel mid-generation."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from app.core.base.errors import CancelledError
from app.core.base.results import CancelToken
from app.core.engines import chat_backend_for
from app.core.engines.chat import ChatSettings, RepetitionGuard
from app.core.engines.ct2 import convert_model
from app.core.engines.ct2_generator import GeneratorBackend
from app.core.engines.hf_causal import CausalTransformersBackend

MESSAGES = [
    {"role": "system", "content": "Summarise the article in English."},
    {
        "role": "user",
        "content": "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin. "
        "Bank Indonesia menaikkan suku bunga acuan menjadi enam persen.",
    },
]
OTHER_MESSAGES = [
    {"role": "user", "content": "Banjir besar melanda Semarang setelah hujan deras."},
]


def _model(path: Path, name: str = "tiny-qwen") -> SimpleNamespace:
    return SimpleNamespace(path=path, name=name, manifest={"kind": "chat"}, family="qwen2")


@pytest.fixture(scope="module")
def float32_pair(tiny_chat_dirs, tmp_path_factory):
    """(transformers, CTranslate2 float32) backends of the same tiny chat model."""
    path = tiny_chat_dirs["chat"]
    ct2 = convert_model(path, tmp_path_factory.mktemp("ct2") / "f32", quantization="float32")
    model = _model(path)
    hf = CausalTransformersBackend(model, "cpu", 1)
    gen = GeneratorBackend(model, compute_type="float32", threads=1, model_dir=ct2)
    return hf, gen


def test_the_prompt_is_the_models_chat_template(float32_pair):
    for backend in float32_pair:
        ids = backend.prompt_ids(MESSAGES)
        text = backend.chat.tokenizer.decode(ids)
        assert text == (
            "<|im_start|>system\nSummarise the article in English.<|im_end|>\n"
            f"<|im_start|>user\n{MESSAGES[1]['content']}<|im_end|>\n"
            "<|im_start|>assistant\n"
        )
        # No system message: the template's own default system turn comes first.
        text = backend.chat.tokenizer.decode(backend.prompt_ids(OTHER_MESSAGES))
        assert text.startswith("<|im_start|>system\nYou are Qwen")
        assert text.endswith("<|im_start|>assistant\n")


@pytest.mark.parametrize("budget", [1, 7, 40])
@pytest.mark.parametrize("repeat_ngram", [0, 8])
def test_ctranslate2_and_transformers_write_the_same_text_in_float32(
    float32_pair, budget, repeat_ngram
):
    hf, gen = float32_pair
    settings = ChatSettings(max_new_tokens=budget, repeat_ngram=repeat_ngram)
    for messages in (MESSAGES, OTHER_MESSAGES):
        a, b = hf.generate(messages, settings), gen.generate(messages, settings)
        assert (a.text, a.new_tokens, a.stop, a.prompt_tokens) == (
            b.text,
            b.new_tokens,
            b.stop,
            b.prompt_tokens,
        )
        assert a.prompt_tokens == len(hf.prompt_ids(messages))
    # Not trivially equal: the answers differ between prompts and are not empty.
    long = ChatSettings(max_new_tokens=40, repeat_ngram=0)
    assert hf.generate(MESSAGES, long).text != hf.generate(OTHER_MESSAGES, long).text
    assert hf.generate(MESSAGES, long).text


@pytest.mark.parametrize("budget", [1, 5, 33])
def test_the_output_budget_is_respected(float32_pair, budget):
    for backend in float32_pair:
        out = backend.generate(MESSAGES, ChatSettings(max_new_tokens=budget, repeat_ngram=0))
        assert out.stop == "budget" and out.new_tokens == budget
        assert out.text


def test_decoding_stops_at_the_end_of_turn_token(tiny_chat_dirs, tmp_path):
    path = tiny_chat_dirs["ends_at_once"]
    ct2 = convert_model(path, tmp_path / "ct2", quantization="float32")
    model = _model(path)
    backends = [
        CausalTransformersBackend(model, "cpu", 1),
        GeneratorBackend(model, compute_type="float32", threads=1, model_dir=ct2),
    ]
    for backend in backends:
        assert backend.chat.tokenizer.convert_tokens_to_ids("<|im_end|>") in backend.chat.end_ids
        out = backend.generate(MESSAGES, ChatSettings(max_new_tokens=20))
        assert (out.text, out.new_tokens, out.stop) == ("", 0, "end")
        # Forced lengths (the benchmark's) ignore the end token and run to the budget.
        forced = backend.generate(
            MESSAGES, ChatSettings(max_new_tokens=20, repeat_ngram=0, ignore_end=True)
        )
        assert (forced.new_tokens, forced.stop) == (20, "budget")


def test_the_repetition_guard_drops_the_repeat():
    guard = RepetitionGuard(3)
    tokens: list[int] = []
    fired = []
    for token in [1, 2, 3, 4, 5, 2, 3, 9, 1, 2, 3]:
        tokens.append(token)
        fired.append(guard.repeats(tokens))
    assert fired == [False] * 10 + [True]  # 1 2 3 again; 2 3 alone is shorter than 3
    assert not any(RepetitionGuard(0).repeats([7] * n) for n in range(1, 10))


def test_a_looping_answer_stops_and_loses_its_repeat(float32_pair):
    for backend in float32_pair:
        free = backend.generate(MESSAGES, ChatSettings(max_new_tokens=60, repeat_ngram=0))
        guarded = backend.generate(MESSAGES, ChatSettings(max_new_tokens=60, repeat_ngram=4))
        # The random model loops (its unguarded answer repeats a 4-gram)...
        ids = backend.chat.tokenizer(free.text, add_special_tokens=False)["input_ids"]
        grams = [tuple(ids[i : i + 4]) for i in range(len(ids) - 3)]
        assert len(set(grams)) < len(grams)
        # ...the guarded one stops at the first repeat and keeps what came before it.
        assert guarded.stop == "repetition" and guarded.new_tokens < 60
        assert free.text.startswith(guarded.text)


class CancelAfter(CancelToken):
    """Cancels itself after ``checks`` looks at it: a Cancel pressed mid-generation."""

    def __init__(self, checks: int):
        super().__init__()
        self.left = checks
        self.looks = 0

    def _look(self) -> None:
        self.looks += 1
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


def test_cancel_stops_generation_midway(float32_pair):
    for backend in float32_pair:
        cancel = CancelAfter(10)
        with pytest.raises(CancelledError):
            backend.generate(MESSAGES, ChatSettings(max_new_tokens=200, repeat_ngram=0), cancel)
        assert 10 < cancel.looks < 20  # stopped within a token or two of the cancel
        # Cancelled before it starts: nothing runs.
        done = CancelToken()
        done.cancel()
        with pytest.raises(CancelledError):
            backend.generate(MESSAGES, ChatSettings(max_new_tokens=5), done)


def test_chat_backend_for_runs_ctranslate2_int8_and_falls_back_to_transformers(
    tiny_chat_dirs, tmp_path
):
    import shutil

    path = tmp_path / "qwen"
    shutil.copytree(tiny_chat_dirs["chat"], path)
    model = _model(path)
    backend = chat_backend_for(model, "cpu", 1)  # small weights: converted on first use
    assert backend.name == "ctranslate2" and backend.compute_type == "int8"
    out = backend.generate(MESSAGES, ChatSettings(max_new_tokens=6, repeat_ngram=0))
    assert out.new_tokens == 6 and out.text
    # A broken converted copy: logged, and the model runs on transformers.
    (path / "ct2" / "model.bin").write_bytes(b"not a model")
    fallback = chat_backend_for(model, "cpu", 1)
    assert fallback.name == "transformers"
    assert fallback.generate(MESSAGES, ChatSettings(max_new_tokens=6)).text
