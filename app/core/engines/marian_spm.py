"""An opus-mt (Marian) tokenizer on SentencePiece alone, for the CTranslate2 engine.

``transformers.MarianTokenizer`` is two SentencePiece models and a JSON vocabulary, but
importing transformers pulls in torch: 2-3 s of a cold start on a laptop-class CPU (8 s on a
loaded 2-core machine, measured), all of it before the first paragraph of an article can be
translated. CTranslate2 itself needs neither, so the CTranslate2 backend tokenizes Marian models
with this class instead: the same pieces, ids and text as ``MarianTokenizer`` (transformers
5.x; tested against it), in ~20 ms.

Only the plain opus-mt layout is handled (one joint vocabulary, no target-language codes); any
other Marian model (``separate_vocabs``, ``>>xx<<`` codes, a tokenizer.json) goes through
transformers. :func:`plain_opus_mt` says which.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

SPIECE_UNDERLINE = "\u2581"
_FILES = ("source.spm", "target.spm", "vocab.json", "tokenizer_config.json")


def plain_opus_mt(model_path: Path) -> bool:
    """True when the model's tokenizer is a plain opus-mt ``MarianTokenizer``."""
    path = Path(model_path)
    if not all((path / name).is_file() for name in _FILES):
        return False
    try:
        config = json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
        vocab = json.loads((path / "vocab.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return (
        config.get("tokenizer_class") == "MarianTokenizer"
        and not config.get("separate_vocabs", False)
        and not config.get("sp_model_kwargs")
        and isinstance(vocab, dict)
        and not any(k.startswith(">>") and k.endswith("<<") for k in vocab)
    )


class MarianSentencePieceTokenizer:
    """The parts of the ``MarianTokenizer`` interface the CTranslate2 backend uses."""

    def __init__(self, model_path: Path) -> None:
        import sentencepiece as spm  # lazily: a C extension, loaded with the model

        path = Path(model_path)
        config = json.loads((path / "tokenizer_config.json").read_text(encoding="utf-8"))
        self.encoder: dict[str, int] = json.loads((path / "vocab.json").read_text("utf-8"))
        self.decoder = {i: t for t, i in self.encoder.items()}
        self.spm_source = spm.SentencePieceProcessor(model_file=str(path / "source.spm"))
        self.spm_target = spm.SentencePieceProcessor(model_file=str(path / "target.spm"))
        self.unk_token = config.get("unk_token", "<unk>")
        self.eos_token = config.get("eos_token", "</s>")
        self.pad_token = config.get("pad_token", "<pad>")
        self.model_max_length = int(config.get("model_max_length", 512))
        added = config.get("added_tokens_decoder") or {}
        self.added_tokens_decoder = {int(i): entry.get("content") for i, entry in added.items()}
        specials = {self.unk_token, self.eos_token, self.pad_token}
        specials.update(t for t in self.added_tokens_decoder.values() if t)
        self.all_special_tokens = sorted(t for t in specials if t in self.encoder)
        self.all_special_ids = sorted(self.encoder[t] for t in self.all_special_tokens)
        self.unk_token_id = self.encoder[self.unk_token]
        self.eos_token_id = self.encoder[self.eos_token]
        self.pad_token_id = self.encoder.get(self.pad_token)
        # Special tokens written in the text are tokens of their own, as in transformers.
        self._special_re = re.compile(
            "(" + "|".join(re.escape(t) for t in sorted(specials, key=len, reverse=True)) + ")"
        )

    # --- encoding ----------------------------------------------------------------------------

    def tokenize(self, text: str) -> list[str]:
        tokens: list[str] = []
        for part in self._special_re.split(text):
            if not part:
                continue
            if part in self.encoder and self._special_re.fullmatch(part):
                tokens.append(part)
            else:
                if part.startswith(">>") and (end := part.find("<<")) != -1:
                    tokens.append(part[: end + 2])  # a language code: one (unknown) token
                    part = part[end + 2 :]
                tokens.extend(self.spm_source.encode(part, out_type=str))
        return tokens

    def convert_tokens_to_ids(self, tokens: Any) -> Any:
        if isinstance(tokens, str):
            return self.encoder.get(tokens, self.unk_token_id)
        return [self.encoder.get(t, self.unk_token_id) for t in tokens]

    def convert_ids_to_tokens(self, ids: Any) -> Any:
        if isinstance(ids, int):
            return self._token(ids)
        return [self._token(i) for i in ids]

    def _token(self, index: int) -> str:
        if index in self.decoder:
            return self.decoder[index]
        piece = self.spm_target.IdToPiece(index) if index < self.spm_target.get_piece_size() else ""
        return piece or self.unk_token

    def __call__(self, texts: Any) -> dict[str, Any]:
        """``{"input_ids": ...}`` for one text or a list: pieces, then ``</s>``."""
        if isinstance(texts, str):
            return {"input_ids": self._encode(texts)}
        return {"input_ids": [self._encode(t) for t in texts]}

    def _encode(self, text: str) -> list[int]:
        return self.convert_tokens_to_ids(self.tokenize(text)) + [self.eos_token_id]

    def get_vocab(self) -> dict[str, int]:
        return dict(self.encoder)

    # --- decoding ----------------------------------------------------------------------------

    def convert_tokens_to_string(self, tokens: list[str]) -> str:
        # transformers 5 decodes a joint-vocabulary model's output with the source model.
        specials = set(self.all_special_tokens)
        out = ""
        current: list[str] = []
        for token in tokens:
            if token in specials:
                out += self.spm_source.decode_pieces(current) + token + " "
                current = []
            else:
                current.append(token)
        out += self.spm_source.decode_pieces(current)
        return out.replace(SPIECE_UNDERLINE, " ").strip()

    def decode(self, ids: list[int], skip_special_tokens: bool = False) -> str:
        if skip_special_tokens:
            special = set(self.all_special_ids)
            ids = [i for i in ids if i not in special]
        return self.convert_tokens_to_string(self.convert_ids_to_tokens(list(ids)))

    def batch_decode(self, sequences: list[list[int]], skip_special_tokens: bool = False):
        return [self.decode(ids, skip_special_tokens=skip_special_tokens) for ids in sequences]
