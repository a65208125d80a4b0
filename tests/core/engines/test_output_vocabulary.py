"""Restricted output vocabularies (CTranslate2 vocabulary maps): Marian's target.spm pieces
(lossless) and the Latin-script pieces of a multilingual decoder (for Latin-script output).

Equivalence is checked where it must hold: on a model that cannot prefer an excluded piece
(pushed down through Marian's ``final_logits_bias``; mT5 ``lm_head`` rows zeroed while the
best kept logit is never below 0), restricted and unrestricted decoding give identical text in
float32. With a plain random model, which happily emits excluded pieces, every token the
restricted decoder emits is in the allowed set.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from types import SimpleNamespace

import pytest

from app.core.engines.base import GenerationSettings
from app.core.engines.ct2 import (
    MARKER_NAME,
    CT2Backend,
    convert_model,
    ct2_dir,
    ensure_vocabulary_map,
    vocabulary_map_of,
)
from app.core.engines.vocab import (
    RESTRICT_ENV,
    is_latin_text,
    is_latin_token,
    latin_token_ids,
    marian_target_tokens,
)
from tests.tinymodels import (
    ENGLISH_SENTENCES,
    INDONESIAN_SENTENCES,
    build_tiny_marian,
    build_tiny_mt5,
)

#: pieces of other scripts added to the tiny mT5 vocabulary (enough that a random model picks
#: some of them when nothing stops it)
OTHER_SCRIPT_PIECES = list(
    dict.fromkeys(
        [f"\u2581{a}{b}" for a in "абвгдежзик" for b in "абвгдежзик"]
        + [f"\u2581{a}{b}" for a in "日本語中文東京北京大阪" for b in "人大中小"]
    )
)
SOURCE = INDONESIAN_SENTENCES[:8]


pytestmark = pytest.mark.usefixtures("one_torch_thread")


def _installed(path: Path, family: str, task: str) -> SimpleNamespace:
    return SimpleNamespace(name=path.name, task=task, family=family, path=path, languages=["id"])


def _converted(path: Path, quantization: str = "float32") -> Path:
    convert_model(path, ct2_dir(path), quantization=quantization)
    return path


def _backend(path: Path, family: str, task: str = "translate") -> CT2Backend:
    return CT2Backend(_installed(path, family, task), compute_type="float32", threads=1)


def _settings(restrict: bool, n: int = 24) -> GenerationSettings:
    return GenerationSettings(max_new_tokens=n, min_new_tokens=n, restrict_vocabulary=restrict)


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("vocab")
    return {
        "marian": _converted(build_tiny_marian(root / "marian")),
        "marian_biased": _converted(build_tiny_marian(root / "mb", source_only_bias=-1e4)),
        "mt5": _converted(build_tiny_mt5(root / "mt5", extra_pieces=OTHER_SCRIPT_PIECES)),
        "mt5_never": _converted(
            build_tiny_mt5(
                root / "mt5n",
                extra_pieces=OTHER_SCRIPT_PIECES,
                never_pieces=set(OTHER_SCRIPT_PIECES),
            )
        ),
    }


# --- Marian: target.spm's pieces ---------------------------------------------------------------


def test_marian_map_keeps_exactly_the_target_pieces(models):
    path = models["marian"]
    info = vocabulary_map_of(path)
    backend = _backend(path, "marian")
    allowed = set(marian_target_tokens(path, backend.tokenizer))
    vocab = backend.tokenizer.get_vocab()
    assert info == {"kind": "target-spm", "kept": len(allowed), "size": len(vocab)}
    assert len(allowed) < len(vocab)  # the source-only pieces are gone
    assert {"</s>", "<unk>", "<pad>"} <= allowed
    # every English piece the target tokenizer makes is allowed; Indonesian-only ones are not
    english = {p for s in ENGLISH_SENTENCES for p in backend.tokenizer.tokenize(s)}
    assert english  # (tokenize uses source.spm: check the target pieces directly instead)
    import sentencepiece as spm

    target = spm.SentencePieceProcessor(model_file=str(path / "target.spm"))
    for sentence in ENGLISH_SENTENCES:
        assert set(target.encode(sentence, out_type=str)) <= allowed
    assert any(p not in allowed for p in vocab)


def test_marian_restricted_decoding_emits_only_target_pieces(models):
    """A random model emits source-only pieces unrestricted; never with the map."""
    path = models["marian"]
    backend = _backend(path, "marian")
    allowed = set(marian_target_tokens(path, backend.tokenizer))
    assert backend.restricts_vocabulary(_settings(True))
    restricted = backend.generate_tokens(SOURCE, _settings(True))
    free = backend.generate_tokens(SOURCE, _settings(False))
    assert all(set(tokens) <= allowed for tokens in restricted)
    assert any(not set(tokens) <= allowed for tokens in free)  # the test model can tell


def test_marian_restriction_is_lossless_where_it_must_be(models):
    """float32, a model that cannot prefer a source-only piece: identical text, greedy and beam."""
    backend = _backend(models["marian_biased"], "marian")
    for beams in (1, 3):
        on = GenerationSettings(max_new_tokens=30, num_beams=beams)
        off = GenerationSettings(max_new_tokens=30, num_beams=beams, restrict_vocabulary=False)
        restricted = backend.generate(SOURCE, on)
        assert restricted == backend.generate(SOURCE, off)
        assert any(text.strip() for text in restricted)


@pytest.mark.slow
def test_marian_full_size_restriction_is_lossless(tmp_path):
    """The same at opus-mt-id-en's full size (d_model 512, 6+6 layers, 54,796 pieces)."""
    from tests.tinymodels import train_sentencepiece

    special = {"unk_id": 1, "eos_id": 0, "bos_id": -1, "pad_id": -1}
    path = tmp_path / "opus-mt-full"
    from tests.tinymodels import build_marian

    build_marian(
        path,
        train_sentencepiece(INDONESIAN_SENTENCES, 200, **special),
        train_sentencepiece(ENGLISH_SENTENCES, 200, **special),
        vocab_size=54796,
        max_tokens=512,
        source_only_bias=-1e4,
        d_model=512,
        encoder_layers=6,
        decoder_layers=6,
        encoder_attention_heads=8,
        decoder_attention_heads=8,
        encoder_ffn_dim=2048,
        decoder_ffn_dim=2048,
        activation_function="swish",
        static_position_embeddings=True,
    )
    _converted(path)
    backend = _backend(path, "marian")
    assert vocabulary_map_of(path)["size"] == 54796
    on, off = _settings(True, 20), _settings(False, 20)
    assert backend.generate(SOURCE[:4], on) == backend.generate(SOURCE[:4], off)


# --- mT5: the Latin-script pieces -------------------------------------------------------------


def test_mt5_map_keeps_the_latin_pieces(models):
    path = models["mt5"]
    backend = _backend(path, "mt5", "summarize")
    vocab = backend.tokenizer.get_vocab()
    kept = set(latin_token_ids(backend.tokenizer))
    assert vocabulary_map_of(path) == {"kind": "latin", "kept": len(kept), "size": len(vocab)}
    assert {vocab[p] for p in OTHER_SCRIPT_PIECES}.isdisjoint(kept)
    assert len(kept) == len(vocab) - len(OTHER_SCRIPT_PIECES)


def test_mt5_restricted_decoding_emits_only_latin_pieces(models):
    path = models["mt5"]
    backend = _backend(path, "mt5", "summarize")
    backend.source_language = "id"
    restricted = backend.generate_tokens(SOURCE, _settings(True, 40))
    free = backend.generate_tokens(SOURCE, _settings(False, 40))
    other = set(OTHER_SCRIPT_PIECES)
    assert all(other.isdisjoint(tokens) for tokens in restricted)
    assert any(not other.isdisjoint(tokens) for tokens in free)  # the test model can tell
    assert all(is_latin_text(t) for t in backend.generate(SOURCE, _settings(True, 40)))


def test_mt5_restriction_is_lossless_where_it_must_be(models):
    backend = _backend(models["mt5_never"], "mt5", "summarize")
    backend.source_language = "id"
    for beams in (1, 3):
        on = GenerationSettings(max_new_tokens=30, min_new_tokens=10, num_beams=beams)
        off = GenerationSettings(
            max_new_tokens=30, min_new_tokens=10, num_beams=beams, restrict_vocabulary=False
        )
        restricted = backend.generate(SOURCE, on)
        assert restricted == backend.generate(SOURCE, off)
        assert any(text.strip() for text in restricted)


def test_mt5_source_pieces_stay_allowed(models):
    """A piece of another script that is in the source may be copied into the output."""
    backend = _backend(models["mt5"], "mt5", "summarize")
    backend.source_language = "id"
    quoted = OTHER_SCRIPT_PIECES[::4]
    text = "Presiden Joko Widodo" + "".join(p.replace("\u2581", " ") for p in quoted)
    tokens = backend.generate_tokens([text], _settings(True, 60))[0]
    source = set(backend.tokenizer.tokenize(text))
    assert {t for t in tokens if t in set(OTHER_SCRIPT_PIECES)} <= source
    assert not set(OTHER_SCRIPT_PIECES).isdisjoint(tokens)  # random weights copy some


def test_latin_restriction_only_for_latin_script_output(models, monkeypatch):
    backend = _backend(models["mt5"], "mt5", "summarize")
    on = _settings(True)
    for language, expected in [("id", True), ("en", True), ("ru", False), ("ja", False)]:
        backend.source_language = language
        assert backend.restricts_vocabulary(on) is expected, language
    backend.source_language = None
    assert not backend.restricts_vocabulary(on)  # unknown output language: whole vocabulary
    backend.source_language = "id"
    assert not backend.restricts_vocabulary(_settings(False))
    monkeypatch.setenv(RESTRICT_ENV, "0")
    assert not backend.restricts_vocabulary(on)
    assert not _backend(models["marian"], "marian").restricts_vocabulary(on)


def test_latin_vocabulary_needs_no_map(tiny_model_dirs, tmp_path):
    """The plain tiny mT5 (Indonesian and English pieces only): nothing to restrict."""
    import shutil

    path = Path(shutil.copytree(tiny_model_dirs["summarize"], tmp_path / "mt5"))
    _converted(path, "int8")
    assert vocabulary_map_of(path) is None
    assert not (ct2_dir(path) / "vmap.txt").exists()


def test_older_conversion_gets_its_map(models, tmp_path):
    """A copy converted before vocabulary maps existed gets one from ensure_vocabulary_map."""
    import shutil

    path = Path(shutil.copytree(models["marian"], tmp_path / "old"))
    marker_path = ct2_dir(path) / MARKER_NAME
    marker = json.loads(marker_path.read_text())
    del marker["vocabulary_map"]
    marker_path.write_text(json.dumps(marker))
    (ct2_dir(path) / "vmap.txt").unlink()
    assert vocabulary_map_of(path) is None
    assert ensure_vocabulary_map(path)["kind"] == "target-spm"
    assert vocabulary_map_of(path) == vocabulary_map_of(models["marian"])


# --- the script test itself (also what the decoder-LLM engine calls) ---------------------------


@pytest.mark.parametrize(
    ("token", "byte_level", "latin"),
    [
        ("\u2581Jakarta", False, True),
        ("\u2581café", False, True),
        ("\u2581Rp5.000,-", False, True),
        ("\u2581Москва", False, False),
        ("東京", False, False),
        ("<0xE6>", False, True),  # byte fallback
        ("Ġcaf", True, True),
        ("ĠÐľ", True, False),  # " М" (Cyrillic) spelled in bytes
        ("Ã", True, True),  # one byte: anything can still be spelled byte by byte
        ("é", True, True),  # the byte 0xE9 on its own
    ],
)
def test_is_latin_token(token, byte_level, latin):
    assert is_latin_token(token, byte_level) is latin


def test_latin_token_ids_of_a_byte_level_tokenizer():
    """A byte-level BPE (the Qwen2 kind): its Cyrillic tokens go, its single bytes stay."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    raw = Tokenizer(models.BPE())
    raw.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    raw.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=400,
        special_tokens=["<|endoftext|>"],
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    russian = ["Москва является столицей России.", "Президент посетил Москву в понедельник."]
    raw.train_from_iterator(ENGLISH_SENTENCES + russian * 5, trainer)
    tokenizer = PreTrainedTokenizerFast(tokenizer_object=raw, eos_token="<|endoftext|>")
    kept = set(latin_token_ids(tokenizer))
    vocab = tokenizer.get_vocab()
    assert vocab["<|endoftext|>"] in kept
    for sentence in ENGLISH_SENTENCES:
        assert set(tokenizer(sentence)["input_ids"]) <= kept
    cyrillic = set(tokenizer("Москва является столицей")["input_ids"])
    assert not cyrillic <= kept
    assert len(kept) < len(vocab)


def test_env_setting_is_read_per_call(monkeypatch):
    from app.core.engines.vocab import restriction_enabled

    monkeypatch.delenv(RESTRICT_ENV, raising=False)
    assert restriction_enabled(None)
    assert not restriction_enabled(SimpleNamespace(restrict_vocabulary=False))
    monkeypatch.setenv(RESTRICT_ENV, "off")
    assert not restriction_enabled(None)
    assert os.environ[RESTRICT_ENV] == "off"
