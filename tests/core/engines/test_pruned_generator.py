"""The pruned output layer of decoder-only chat models (CTranslate2 ``Generator``, which has no
vocabulary map): a copy of the converted model whose vocabulary, embeddings and output
projection hold only the Latin-script, special and byte tokens.

On a tiny Qwen2 whose tokenizer also learnt Cyrillic, Greek, Chinese and Arabic pieces:
every token the pruned copy writes is kept; where the model cannot prefer an excluded token
(those ``lm_head`` rows zeroed, and two kept rows ``w`` and ``-w`` so that the best kept logit
is never below 0) the pruned copy, the full copy and transformers choose the same tokens in
float32; a prompt with a token of another script is answered by the full copy; the setting
and ``RINGKAS_RESTRICT_VOCABULARY=0`` turn it off; conversion writes and records the copy, and
a missing or damaged one falls back to the full copy with a log line.
"""

from __future__ import annotations

import json
import logging
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.core.engines import chat_backend_for
from app.core.engines.chat import ChatSettings
from app.core.engines.convert import converting_store, ensure_converted
from app.core.engines.ct2 import MARKER_NAME, convert_model, ct2_dir
from app.core.engines.ct2_generator import GeneratorBackend
from app.core.engines.ct2_prune import PRUNED_MARKER, pruned_dir, read_pruned, write_pruned_copy
from app.core.engines.vocab import RESTRICT_ENV, latin_token_ids
from tests.tinymodels import (
    ENGLISH_SENTENCES,
    INDONESIAN_SENTENCES,
    TINY_QWEN2_DIMS,
    build_qwen2,
)

#: Sentences in other scripts: the tokenizer learns pieces that a Latin-script answer never
#: needs (about a tenth of its 500 pieces).
OTHER_SCRIPT_SENTENCES = [
    "Президент России Владимир Путин встретился с министрами в Москве.",
    "Центральный банк повысил ключевую ставку до шестнадцати процентов.",
    "Σεισμός μεγέθους πέντε βαθμών σημειώθηκε στην Αθήνα το πρωί.",
    "Η κυβέρνηση ανακοίνωσε νέα μέτρα για την οικονομία της χώρας.",
    "中国国家主席习近平在北京会见了印度尼西亚总统。",
    "东京股市周一上涨，日经指数创下新高。",
    "وزير الخارجية يزور القاهرة لبحث الأزمة الاقتصادية.",
    "الرئيس يلتقي بالوزراء في العاصمة يوم الاثنين.",
]
LATIN = [
    {"role": "system", "content": "Summarise the article in English."},
    {"role": "user", "content": " ".join(INDONESIAN_SENTENCES[:3])},
]
OTHER_LATIN = [{"role": "user", "content": " ".join(ENGLISH_SENTENCES[2:5])}]
#: a Latin-script article quoting a name in Cyrillic
QUOTING = [
    {"role": "system", "content": "Summarise the article in English."},
    {"role": "user", "content": "Presiden bertemu Путин di Moskva pada hari Senin."},
]
FORCED = ChatSettings(max_new_tokens=40, repeat_ngram=0, ignore_end=True)


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _build(dest: Path, *, tied: bool = False) -> Path:
    return build_qwen2(
        dest,
        INDONESIAN_SENTENCES + ENGLISH_SENTENCES + OTHER_SCRIPT_SENTENCES,
        tie_word_embeddings=tied,
        **TINY_QWEN2_DIMS,
    )


def _kept(path: Path) -> list[int]:
    from transformers import AutoTokenizer

    return latin_token_ids(AutoTokenizer.from_pretrained(str(path), local_files_only=True))


def _cannot_prefer_excluded(path: Path) -> Path:
    """Zero the ``lm_head`` rows of the excluded tokens and make two kept rows ``w`` and ``-w``:
    at every step the best kept logit is >= 0 = every excluded logit."""
    import torch
    from safetensors.torch import load_file, save_file

    kept = _kept(path)
    weights = load_file(str(path / "model.safetensors"))
    head = weights["lm_head.weight"]
    excluded = [i for i in range(head.shape[0]) if i not in set(kept)]
    head[excluded] = 0.0
    ordinary = [i for i in kept if head[i].abs().sum() > 0]  # not a (zeroed) special token
    head[ordinary[1]] = -head[ordinary[0]]
    weights["lm_head.weight"] = head.contiguous()
    save_file(weights, str(path / "model.safetensors"), metadata={"format": "pt"})
    assert torch.count_nonzero(head[excluded]) == 0
    return path


def _model(path: Path, name: str = "tiny-qwen-scripts") -> SimpleNamespace:
    return SimpleNamespace(path=path, name=name, manifest={"kind": "chat"}, family="qwen2")


def _float32(path: Path) -> GeneratorBackend:
    return GeneratorBackend(_model(path), compute_type="float32", threads=1)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    """Tiny chat models with other-script pieces, converted in float32 (with pruned copies)."""
    root = tmp_path_factory.mktemp("pruned")
    paths = {
        "random": _build(root / "random"),
        "never": _cannot_prefer_excluded(_build(root / "n")),
    }
    for path in paths.values():
        convert_model(path, ct2_dir(path), quantization="float32")
    return paths


def _transformers_greedy(path: Path, prompt: list[int], steps: int) -> list[int]:
    """Greedy decoding with the transformers model, no penalty, no cache: the reference."""
    import torch
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(str(path), local_files_only=True).eval()
    ids = list(prompt)
    with torch.inference_mode():
        for _ in range(steps):
            ids.append(int(model(input_ids=torch.tensor([ids])).logits[0, -1].argmax()))
    return ids[len(prompt) :]


# --- (a) only kept tokens ----------------------------------------------------------------------


def test_the_pruned_copy_writes_only_kept_tokens(models):
    backend = _float32(models["random"])
    kept = set(_kept(models["random"]))
    assert backend.kept_ids is not None and set(backend.kept_ids) == kept
    assert len(kept) < len(backend.chat.tokenizer.get_vocab())
    off = ChatSettings(
        max_new_tokens=60, repeat_ngram=0, ignore_end=True, restrict_vocabulary=False
    )
    free_tokens = set()
    for messages in (LATIN, OTHER_LATIN):
        restricted = backend.generate(messages, FORCED)
        assert restricted.restricted and restricted.new_tokens == 40
        assert set(restricted.token_ids) <= kept and restricted.text
        free = backend.generate(messages, off)
        assert not free.restricted
        free_tokens |= set(free.token_ids)
    assert free_tokens - kept  # the random model does write excluded tokens when it may


# --- (b) equivalence where it must hold ---------------------------------------------------------


def test_pruned_full_and_transformers_agree_token_for_token_in_float32(models):
    path = models["never"]
    backend = _float32(path)
    off = ChatSettings(
        max_new_tokens=40, repeat_ngram=0, ignore_end=True, restrict_vocabulary=False
    )
    answers = []
    for messages in (LATIN, OTHER_LATIN):
        pruned, full = backend.generate(messages, FORCED), backend.generate(messages, off)
        assert pruned.restricted and not full.restricted
        reference = _transformers_greedy(path, backend.prompt_ids(messages), 40)
        assert list(pruned.token_ids) == list(full.token_ids) == reference
        assert pruned.text == full.text
        answers.append(pruned.token_ids)
    # Not trivially equal: varied answers that differ between the prompts.
    assert answers[0] != answers[1] and all(len(set(a)) > 5 for a in answers)


def test_the_stopping_rules_hold_on_the_pruned_copy(models):
    backend = _float32(models["never"])
    on = ChatSettings(max_new_tokens=60, repeat_ngram=4)
    off = ChatSettings(max_new_tokens=60, repeat_ngram=4, restrict_vocabulary=False)
    pruned, full = backend.generate(LATIN, on), backend.generate(LATIN, off)
    assert pruned.restricted
    assert (pruned.text, pruned.stop, pruned.new_tokens) == (full.text, full.stop, full.new_tokens)


# --- (c) a prompt in another script -------------------------------------------------------------


def test_a_prompt_quoting_another_script_is_answered_by_the_full_copy(models, caplog):
    backend = _float32(models["random"])
    prompt = backend.prompt_ids(QUOTING)
    assert not set(prompt) <= set(backend.kept_ids)  # the Cyrillic name is not kept
    full_answer = backend.generate(
        QUOTING,
        ChatSettings(max_new_tokens=40, repeat_ngram=0, ignore_end=True, restrict_vocabulary=False),
    )
    with caplog.at_level(logging.INFO, logger="app.core.engines.ct2_generator"):
        quoted = backend.generate(QUOTING, FORCED)
    assert not quoted.restricted and quoted.token_ids == full_answer.token_ids
    assert "needs the full vocabulary" in caplog.text
    # The next all-Latin prompt goes back to the pruned copy.
    assert backend.generate(LATIN, FORCED).restricted


# --- (d) turned off -----------------------------------------------------------------------------


def test_the_setting_and_the_environment_turn_it_off(models, monkeypatch):
    backend = _float32(models["random"])
    assert backend.generate(LATIN, FORCED).restricted
    off = ChatSettings(
        max_new_tokens=40, repeat_ngram=0, ignore_end=True, restrict_vocabulary=False
    )
    assert not backend.generate(LATIN, off).restricted
    chinese = ChatSettings(max_new_tokens=40, repeat_ngram=0, ignore_end=True, output_language="zh")
    assert not backend.generate(LATIN, chinese).restricted
    monkeypatch.setenv(RESTRICT_ENV, "0")
    assert not backend.generate(LATIN, FORCED).restricted
    assert not _float32(models["random"]).generate(LATIN, FORCED).restricted
    monkeypatch.setenv(RESTRICT_ENV, "1")
    assert backend.generate(LATIN, FORCED).restricted


# --- (e) conversion, manifest, fallbacks --------------------------------------------------------


@pytest.fixture
def installed(models, tmp_path):
    """The random tiny model added to a converting store (int8 conversion at install)."""
    source = tmp_path / "Qwen-tiny-scripts"
    shutil.copytree(models["random"], source, ignore=shutil.ignore_patterns("ct2"))
    store = converting_store()
    return store, store.add(source, name="qwen-scripts")


def _recorded(model) -> set[str]:
    return {f["path"] for f in model.manifest["derived"]["ct2"]["files"]}


def test_conversion_writes_and_records_the_pruned_copy(installed, models):
    store, model = installed
    folder = pruned_dir(ct2_dir(model.path))
    kept = _kept(models["random"])
    marker = json.loads((ct2_dir(model.path) / MARKER_NAME).read_text())
    assert marker["pruned"] == {"dir": "latin", "kept": len(kept), "size": 500}
    assert read_pruned(folder) == kept
    assert {"latin/model.bin", f"latin/{PRUNED_MARKER}", "latin/vocabulary.json"} <= _recorded(
        model
    )
    assert store.verify(model.name) == {model.name: []}
    # the projection holds the kept rows only: the pruned copy is smaller than the full one
    assert (folder / "model.bin").stat().st_size < (
        ct2_dir(model.path) / "model.bin"
    ).stat().st_size
    backend = chat_backend_for(model, "cpu", 1)
    assert backend.name == "ctranslate2" and backend.compute_type == "int8"
    out = backend.generate(LATIN, FORCED)
    assert out.restricted and set(out.token_ids) <= set(kept)


def test_a_copy_converted_before_pruning_gets_its_pruned_copy(installed):
    store, model = installed
    folder = pruned_dir(ct2_dir(model.path))
    marker_path = ct2_dir(model.path) / MARKER_NAME
    marker = json.loads(marker_path.read_text())
    del marker["pruned"]
    marker_path.write_text(json.dumps(marker))
    shutil.rmtree(folder)
    assert ensure_converted(model, store)
    assert read_pruned(folder) and "pruned" in json.loads(marker_path.read_text())
    assert store.verify(model.name) == {model.name: []}
    assert chat_backend_for(model, "cpu", 1).generate(LATIN, FORCED).restricted


@pytest.mark.parametrize("damage", ["garbage", "missing", "marker"])
def test_a_damaged_or_missing_pruned_copy_falls_back_to_the_full_one(installed, caplog, damage):
    _, model = installed
    folder = pruned_dir(ct2_dir(model.path))
    if damage == "garbage":
        (folder / "model.bin").write_bytes(b"not a model")
    elif damage == "missing":
        shutil.rmtree(folder)
    else:
        (folder / PRUNED_MARKER).write_text("{")
    with caplog.at_level(logging.WARNING):
        backend = chat_backend_for(model, "cpu", 1)
    assert backend.name == "ctranslate2" and backend.kept_ids is None
    assert "full vocabulary" in caplog.text
    out = backend.generate(LATIN, FORCED)
    assert not out.restricted and out.new_tokens == 40


def test_a_tied_int8_output_layer_stays_tied_in_the_copy(tmp_path):
    """Qwen2.5's embeddings and output layer are one matrix (an alias in model.bin, with the
    int8 scales): the copy cuts it once and keeps the alias. A copy that keeps every id in
    another order writes the same tokens as the full model."""
    import ctranslate2
    from transformers import AutoTokenizer

    path = _build(tmp_path / "tied", tied=True)
    full = convert_model(path, tmp_path / "ct2", quantization="int8")
    tokenizer = AutoTokenizer.from_pretrained(str(path), local_files_only=True)
    prompt = ["<|im_start|>", "user", "Ċ", *tokenizer.tokenize("Presiden Joko Widodo")]

    def greedy(folder):
        generator = ctranslate2.Generator(str(folder), compute_type="int8", intra_threads=1)
        result = generator.generate_batch(
            [prompt], max_length=30, sampling_topk=1, end_token=[], include_prompt_in_result=False
        )
        return result[0].sequences_ids[0]

    reordered = write_pruned_copy(full, tmp_path / "reordered", list(range(500))[::-1])
    kept = read_pruned(reordered)
    assert [kept[j] for j in greedy(reordered)] == greedy(full)
    pruned = write_pruned_copy(full, tmp_path / "pruned", _kept(path))
    assert {read_pruned(pruned)[j] for j in greedy(pruned)} <= set(_kept(path))
    size = (full / "model.bin").stat().st_size
    assert (reordered / "model.bin").stat().st_size == size  # still tied: no second matrix
    assert (pruned / "model.bin").stat().st_size < size
