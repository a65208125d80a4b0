"""Full-size random-weight copies of the catalogue's default models, built once and converted.

The builders are the tests' own (``tests.tinymodels.build_marian`` / ``build_mt5`` /
``build_xlmr_ner``: one copy of the code), called here with the real models' dimensions
(from their config.json) instead of the tiny ones. Tokenizers are trained on the sample article
and their vocabularies filled up to the real size with placeholder pieces, so every embedding
and output layer has its real size.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from app.core.engines.vocab import is_latin_text

from .common import BenchModel, sample_text

#: Helsinki-NLP/opus-mt-id-en config.json (MarianMTModel); the vocabulary size is the builder's
MARIAN_VOCAB = 54796
MARIAN_DIMS = dict(
    d_model=512,
    encoder_layers=6,
    decoder_layers=6,
    encoder_attention_heads=8,
    decoder_attention_heads=8,
    encoder_ffn_dim=2048,
    decoder_ffn_dim=2048,
    activation_function="swish",
    static_position_embeddings=True,
    normalize_before=False,
    bos_token_id=0,
)
#: Pieces of opus-mt-id-en's target.spm (English): the only pieces its output can use (the
#: issue's figure, "about 32k"; the standard opus-mt SentencePiece size). The benchmark's
#: target.spm has the trained pieces plus placeholders up to this size; the joint vocabulary's
#: other pieces are source-only.
MARIAN_TARGET_PIECES = 32000
#: csebuetnlp/mT5_multilingual_XLSum config.json (mT5-base, untied lm_head)
MT5_VOCAB = 250112
MT5_DIMS = dict(
    d_model=768,
    d_kv=64,
    d_ff=2048,
    num_layers=12,
    num_decoder_layers=12,
    num_heads=12,
    relative_attention_num_buckets=32,
    relative_attention_max_distance=128,
)
#: Share of Latin-script pieces among the placeholders that fill the benchmark's mT5 vocabulary.
#: An ASSUMPTION (the real spiece.model was not available offline to count): mT5's 250k pieces
#: cover 101 languages in many scripts; half Latin is meant to err on the side of keeping more.
#: The kept share of a real model is counted when it is converted (ringkas-ct2.json).
MT5_LATIN_SHARE = 0.5
#: XLM-RoBERTa base token classifier (9 BIO labels)
XLMR_VOCAB = 250002
XLMR_DIMS = dict(
    hidden_size=768,
    num_hidden_layers=12,
    num_attention_heads=12,
    intermediate_size=3072,
    layer_norm_eps=1e-5,
)
MAX_TOKENS = 512
#: Like a trained opus-mt model, the benchmark's never prefers a piece target.spm cannot
#: produce (pushed down through final_logits_bias): the restricted and unrestricted outputs
#: can then be compared at full size. An mT5's pieces of other scripts likewise (zero lm_head
#: rows). Neither changes the amount of computation.
SOURCE_ONLY_BIAS = -1e4

#: BPE SentencePiece size trained on the sample: gives 1.40 subwords per Indonesian word on the
#: article, like the real opus-mt / mT5 / XLM-R tokenizers (1.3-1.5).
SPM_PIECES = 1000

#: letters of each non-Latin script the mT5 placeholders are drawn from (first, last code point)
_OTHER_SCRIPTS = [
    (0x0410, 0x044F),  # Cyrillic
    (0x0621, 0x064A),  # Arabic
    (0x0905, 0x0939),  # Devanagari
    (0x4E00, 0x4FFF),  # CJK
    (0xAC00, 0xADFF),  # Hangul
    (0x0E01, 0x0E2E),  # Thai
    (0x0391, 0x03A9),  # Greek
    (0x05D0, 0x05EA),  # Hebrew
    (0x0985, 0x09B9),  # Bengali
]
_LATIN_EXTENDED = (0x0100, 0x024F)  # letters the article never uses: the pieces stay unused


def _spm(vocab_size: int = SPM_PIECES, **special: int) -> bytes:
    from tests.tinymodels import INDONESIAN_SENTENCES, train_sentencepiece

    lines = [line for line in sample_text().splitlines() if line.strip()] + INDONESIAN_SENTENCES
    return train_sentencepiece(lines, vocab_size, "bpe", **special)


def _script_piece(index: int, first: int, last: int) -> str:
    """A distinct placeholder piece of one script: ``index`` written in its letters."""
    base, letters = last - first + 1, []
    while True:
        index, digit = divmod(index, base)
        letters.append(chr(first + digit))
        if index == 0:
            break
    return "\u2581" + "".join(reversed(letters))


def script_filler(count: int, latin_share: float = MT5_LATIN_SHARE) -> list[str]:
    """``count`` placeholder pieces, ``latin_share`` of them Latin-script, the rest spread over
    nine other scripts."""
    latin = round(count * latin_share)
    pieces = [_script_piece(i, *_LATIN_EXTENDED) for i in range(latin)]
    others = count - latin
    for k, (first, last) in enumerate(_OTHER_SCRIPTS):
        n = others // len(_OTHER_SCRIPTS) + (1 if k < others % len(_OTHER_SCRIPTS) else 0)
        pieces += [_script_piece(i, first, last) for i in range(n)]
    return pieces


def pad_sentencepiece(model: bytes, pieces: int, prefix: str = "<target") -> bytes:
    """``model`` with placeholder pieces appended until it has ``pieces`` pieces (never produced
    when encoding: no merge leads to them)."""
    from sentencepiece import sentencepiece_model_pb2

    proto = sentencepiece_model_pb2.ModelProto()
    proto.ParseFromString(model)
    for i in range(pieces - len(proto.pieces)):
        piece = proto.pieces.add()
        piece.piece = f"{prefix}{i}>"
        piece.score = -1000.0
        piece.type = sentencepiece_model_pb2.ModelProto.SentencePiece.NORMAL
    return proto.SerializeToString()


def build_marian(dest: Path) -> Path:
    from tests.tinymodels import build_marian as build

    source = _spm(unk_id=1, eos_id=0, bos_id=-1, pad_id=-1)
    target = pad_sentencepiece(source, MARIAN_TARGET_PIECES)
    return build(
        dest,
        source,
        target,
        vocab_size=MARIAN_VOCAB,
        max_tokens=MAX_TOKENS,
        num_beams=4,
        source_only_bias=SOURCE_ONLY_BIAS,
        **MARIAN_DIMS,
    )


def build_mt5(dest: Path) -> Path:
    from tests.tinymodels import build_mt5 as build
    from tests.tinymodels import sentencepiece_pieces

    model = _spm(pad_id=0, eos_id=1, unk_id=2, bos_id=-1)
    filler = script_filler(MT5_VOCAB - 3 - len(sentencepiece_pieces(model)))
    return build(
        dest,
        model,
        extra_pieces=filler,
        never_pieces={piece for piece in filler if not is_latin_text(piece)},
        max_tokens=MAX_TOKENS,
        max_length=84,
        num_beams=4,
        **MT5_DIMS,
    )


def build_ner(dest: Path) -> Path:
    from tests.tinymodels import build_xlmr_ner

    model = _spm(unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1)
    return build_xlmr_ner(dest, model, vocab_size=XLMR_VOCAB, max_tokens=MAX_TOKENS, **XLMR_DIMS)


#: task -> (name, family, builder)
SPECS = {
    "translate": ("opus-mt-id-en", "marian", build_marian),
    "summarize": ("mT5_multilingual_XLSum", "mt5", build_mt5),
    "entities": ("xlm-roberta-base-ner", "xlm-roberta", build_ner),
}
#: bump when the builders change, so an old build in --work is rebuilt
BUILD_VERSION = "3"


def build_models(work: Path, log) -> dict[str, BenchModel]:
    """Full-size models in ``work`` (built once, reused), each with its CTranslate2 copy."""
    from app.core.engines.ct2 import convert_model, ct2_dir, is_converted

    models = {}
    for task, (name, family, build) in SPECS.items():
        path = work / name
        stamp = path / "bench-build.txt"
        if not (path / "model.safetensors").is_file() or not (
            stamp.is_file() and stamp.read_text() == BUILD_VERSION
        ):
            shutil.rmtree(path, ignore_errors=True)
            start = time.perf_counter()
            build(path)
            stamp.write_text(BUILD_VERSION)
            log(f"built {name} ({family}) in {time.perf_counter() - start:.1f} s")
        if task != "entities" and not is_converted(path):
            start = time.perf_counter()
            convert_model(path, ct2_dir(path))
            log(f"converted {name} to CTranslate2 int8 in {time.perf_counter() - start:.1f} s")
        models[task] = BenchModel(name, task, family, path)
    return models
