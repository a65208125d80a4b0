"""Output vocabularies smaller than the model's: decode only the pieces the output can use.

Every decoding step multiplies the decoder state by the whole output embedding (the output
layer), and much of a model's vocabulary can never appear in its output:

* **Marian (opus-mt)** shares one vocabulary between the source and the target pieces, but its
  output is detokenised by ``target.spm``: only ``target.spm``'s pieces (plus the special
  tokens) can ever be produced. Restricting the output to them is lossless
  (:func:`marian_target_tokens`, kind ``"target-spm"``).
* **Multilingual decoders** (mT5, decoder LLMs) cover 100+ languages and many scripts. An
  English or Indonesian text is written with Latin letters, digits, punctuation and
  whitespace (:func:`latin_token_ids`, kind ``"latin"``). The restriction is only used where
  it is harmless: when the output language is one of :data:`LATIN_SCRIPT_LANGUAGES`, and
  every piece of the source text stays allowed (a name quoted in another script can still be
  copied), as do the special tokens and byte-fallback pieces.

CTranslate2's ``Translator`` reads such a restriction as a *vocabulary map* (``vmap.txt`` in
the converted model, decoding with ``use_vmap=True``); :func:`write_vocabulary_map` writes it
when a model is converted. Its ``Generator`` (decoder-only chat models) has no vocabulary map:
a chat model with a "latin" plan gets a *pruned copy* instead (:mod:`app.core.engines.ct2_prune`:
a vocabulary, embeddings and output layer of the plan's ``kept_ids`` only), used for a prompt
whose every token is kept, the same rule as the map's "identity" entries.
``RINGKAS_RESTRICT_VOCABULARY=0`` (or ``GenerationSettings(restrict_vocabulary=False)``,
``ChatSettings(restrict_vocabulary=False)``) turns every restriction off.

No torch, transformers or sentencepiece at import time.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

#: File name of CTranslate2's vocabulary map inside a converted model.
VMAP_NAME = "vmap.txt"
#: Environment variable that turns every output-vocabulary restriction off ("0", "off", ...).
RESTRICT_ENV = "RINGKAS_RESTRICT_VOCABULARY"
#: Output languages written in the Latin script only (the "latin" restriction applies).
LATIN_SCRIPT_LANGUAGES = frozenset({"en", "id", "ms"})
#: A multilingual vocabulary gets a "latin" map only when it removes at least this share.
MIN_EXCLUDED_SHARE = 0.10

_BYTE_FALLBACK = re.compile(r"^<0x[0-9A-Fa-f]{2}>$")
#: Code-point ranges of Latin letters, digits, punctuation, symbols and whitespace: Basic
#: Latin to Combining Diacritical Marks (U+0000-U+036F), Latin Extended Additional (Vietnamese),
#: General Punctuation, currency symbols, letterlike symbols, and SentencePiece's "▁".
_LATIN_RANGES = (
    (0x0000, 0x036F),
    (0x1E00, 0x1EFF),
    (0x2000, 0x206F),
    (0x20A0, 0x20CF),
    (0x2100, 0x214F),
    (0x2581, 0x2581),
)


def restriction_enabled(settings: Any = None) -> bool:
    """False when :data:`RESTRICT_ENV` says off or ``settings.restrict_vocabulary`` is False."""
    if os.environ.get(RESTRICT_ENV, "").strip().lower() in ("0", "off", "false", "no"):
        return False
    return bool(getattr(settings, "restrict_vocabulary", True))


def is_latin_text(text: str) -> bool:
    """True when every character is a Latin letter, digit, punctuation, symbol or whitespace."""
    return all(any(lo <= ord(ch) <= hi for lo, hi in _LATIN_RANGES) for ch in text)


def _byte_decoder() -> dict[str, int]:
    """GPT-2's byte-level alphabet, inverted: the character a byte-level BPE uses -> the byte."""
    printable = (
        list(range(ord("!"), ord("~") + 1))
        + list(range(ord("¡"), ord("¬") + 1))
        + list(range(ord("®"), ord("ÿ") + 1))
    )
    chars, extra = {}, 0
    for byte in range(256):
        if byte in printable:
            chars[chr(byte)] = byte
        else:
            chars[chr(256 + extra)] = byte
            extra += 1
    return chars


def _is_byte_level(tokenizer: Any) -> bool:
    """True for byte-level BPE tokenizers (GPT-2, Qwen2, Llama 3), whose tokens spell bytes."""
    backend = getattr(tokenizer, "backend_tokenizer", None)
    if backend is None:
        return False
    try:
        decoder = json.loads(backend.to_str()).get("decoder") or {}
    except (ValueError, AttributeError):
        return False
    kinds = [decoder.get("type")] + [d.get("type") for d in decoder.get("decoders", []) or []]
    return "ByteLevel" in kinds


def is_latin_token(token: str, byte_level: bool = False, bytes_of: dict | None = None) -> bool:
    """Whether ``token`` (a vocabulary entry) can be part of a Latin-script text.

    SentencePiece pieces are checked character by character ("▁" is the space) and byte-
    fallback pieces (``<0x41>``) are kept. Byte-level BPE tokens are turned back into their
    bytes: kept when the bytes are Latin-script UTF-8 or a single byte (every text can still
    be spelled byte by byte).
    """
    if _BYTE_FALLBACK.match(token):
        return True
    if not byte_level:
        return is_latin_text(token)
    bytes_of = bytes_of or _byte_decoder()
    try:
        raw = bytes(bytes_of[ch] for ch in token)
    except KeyError:  # not a byte-level spelling (an added token): judge its characters
        return is_latin_text(token)
    if len(raw) == 1:
        return True
    try:
        return is_latin_text(raw.decode("utf-8"))
    except UnicodeDecodeError:
        return False


def special_token_ids(tokenizer: Any) -> set[int]:
    """Ids of the tokenizer's special and added tokens."""
    ids = set(getattr(tokenizer, "all_special_ids", []) or [])
    added = getattr(tokenizer, "added_tokens_decoder", None) or {}
    ids.update(int(i) for i in added)
    return ids


def latin_token_ids(tokenizer: Any) -> list[int]:
    """Ids of a Hugging Face tokenizer's Latin-script tokens, special tokens and byte pieces.

    For any multilingual decoder (mT5, decoder LLMs such as Qwen2): the allowed output set for
    an English or Indonesian text. Sorted.
    """
    byte_level = _is_byte_level(tokenizer)
    bytes_of = _byte_decoder() if byte_level else None
    vocab = tokenizer.get_vocab()
    keep = special_token_ids(tokenizer)
    keep.update(i for token, i in vocab.items() if is_latin_token(token, byte_level, bytes_of))
    return sorted(keep)


def marian_target_tokens(model_path: Path, tokenizer: Any) -> list[str]:
    """The vocabulary entries a Marian model's output can use: the pieces of ``target.spm``
    that are in the joint vocabulary, and the special tokens. Lossless."""
    import sentencepiece as spm  # lazily: heavy, only needed when a model is converted

    processor = spm.SentencePieceProcessor(model_file=str(Path(model_path) / "target.spm"))
    vocab = tokenizer.get_vocab()
    pieces = [processor.id_to_piece(i) for i in range(processor.get_piece_size())]
    specials = [tokenizer.convert_ids_to_tokens(i) for i in sorted(special_token_ids(tokenizer))]
    return list(dict.fromkeys(p for p in [*specials, *pieces] if p in vocab))


def _usable(token: str) -> bool:
    # A vocabulary map line separates tokens with spaces and its key with a tab.
    return bool(token) and " " not in token and "\t" not in token and "\n" not in token


def write_vocabulary_map(path: Path, always: Iterable[str], identity: Iterable[str] = ()) -> Path:
    """Write a CTranslate2 vocabulary map: ``always`` are candidates for every input; each
    token in ``identity`` is a candidate when the same token is in the source."""
    lines = ["\t" + " ".join(t for t in always if _usable(t))]
    lines += [f"{t}\t{t}" for t in identity if _usable(t)]
    path = Path(path)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def plan_vocabulary_map(model_path: Path, tokenizer: Any, family: str) -> dict | None:
    """What restriction suits a model, ``{"kind", "always", "identity", "size"}`` (a "latin"
    plan also has ``kept_ids``, the sorted ids of ``always``); None when none is worth it (a
    vocabulary that is almost all Latin already)."""
    vocab = tokenizer.get_vocab()
    size = len(vocab)
    if family == "marian" and (Path(model_path) / "target.spm").is_file():
        always = marian_target_tokens(model_path, tokenizer)
        return {"kind": "target-spm", "always": always, "identity": [], "size": size}
    kept_ids = set(latin_token_ids(tokenizer))
    if size - len(kept_ids) < MIN_EXCLUDED_SHARE * size:
        return None
    by_id = {i: t for t, i in vocab.items()}
    always = [by_id[i] for i in sorted(kept_ids) if i in by_id]
    identity = [t for t, i in sorted(vocab.items(), key=lambda kv: kv[1]) if i not in kept_ids]
    kept = sorted(i for i in kept_ids if i in by_id)
    return {
        "kind": "latin",
        "always": always,
        "identity": identity,
        "size": size,
        "kept_ids": kept,
    }


def restriction_applies(kind: str | None, output_language: str | None) -> bool:
    """Whether a model's ``kind`` of map is harmless for ``output_language``: a Marian
    ``target-spm`` map always (lossless), a ``latin`` map for Latin-script languages only."""
    if kind == "target-spm":
        return True
    if kind == "latin":
        return (output_language or "").lower() in LATIN_SCRIPT_LANGUAGES
    return False
