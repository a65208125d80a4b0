"""Builders of tiny random-weight models of the real architectures Ringkas runs.

Each builder trains a small SentencePiece model on a few dozen Indonesian and English news
sentences, builds a model of the real architecture (Marian, mT5, XLM-RoBERTa) with a handful
of small layers and random weights, and saves it in the Hugging Face layout the model store
expects (``config.json``, ``model.safetensors``, tokenizer files, ``generation_config.json``).

The weights are random, so the output is gibberish: tests use these models to check
structure, order, offsets, progress, caching and errors, never quality. Builds are
deterministic (fixed seeds) and take about a second each; each model is well under 1 MB.
"""

from __future__ import annotations

import io
import json
import shutil
from pathlib import Path

#: Longest input, in tokens, of every tiny model: small, so tests can exercise the splitting
#: of long inputs, but realistic (opus-mt models accept 512).
TINY_MAX_TOKENS = 128

#: The labels of the tiny token-classification model (the CoNLL-2003 / WikiANN scheme).
NER_LABELS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]

INDONESIAN_SENTENCES = [
    "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.",
    "Bank Indonesia menaikkan suku bunga acuan menjadi enam persen.",
    "Banjir besar melanda Semarang setelah hujan deras selama tiga hari.",
    "Menteri Keuangan Sri Mulyani menyampaikan laporan anggaran di Bandung.",
    "Pemerintah akan membangun jalan tol baru di Sumatera Utara.",
    "Harga beras naik di pasar tradisional Surabaya minggu ini.",
    "Tim nasional Indonesia menang dua kosong melawan Malaysia.",
    "Gunung Merapi kembali mengeluarkan awan panas pada pagi hari.",
    "Komisi Pemberantasan Korupsi menahan seorang pejabat daerah.",
    "Universitas Gadjah Mada membuka program beasiswa untuk mahasiswa baru.",
    "Warga Yogyakarta merayakan ulang tahun kota dengan pawai budaya.",
    "Perusahaan Garuda Indonesia menambah penerbangan ke Bali.",
    "Gempa bumi berkekuatan lima skala Richter mengguncang Lombok.",
    "Para nelayan di Makassar tidak melaut karena gelombang tinggi.",
    "Kementerian Kesehatan meluncurkan program vaksinasi nasional.",
    "Pasar saham di Jakarta ditutup menguat pada perdagangan hari ini.",
    "Wali kota Medan meresmikan rumah sakit baru di pusat kota.",
    "Petani kopi di Aceh mengeluhkan harga yang terus turun.",
    "Polisi menangkap tiga tersangka pencurian di Palembang.",
    "Sekolah di Papua menerima bantuan buku dari pemerintah pusat.",
    "Dewan Perwakilan Rakyat membahas rancangan undang-undang baru.",
    "Kereta cepat Jakarta Bandung mulai beroperasi tahun ini.",
]

ENGLISH_SENTENCES = [
    "President Joko Widodo visited Jakarta on Monday.",
    "Bank Indonesia raised its benchmark interest rate to six percent.",
    "Heavy floods hit Semarang after three days of heavy rain.",
    "Finance Minister Sri Mulyani presented the budget report in Bandung.",
    "The government will build a new toll road in North Sumatra.",
    "The price of rice rose in the traditional markets of Surabaya this week.",
    "The Indonesian national team beat Malaysia two nil.",
    "Mount Merapi released hot clouds again in the morning.",
    "The Corruption Eradication Commission detained a regional official.",
    "Gadjah Mada University opened a scholarship programme for new students.",
    "Residents of Yogyakarta celebrated the city's birthday with a cultural parade.",
    "Garuda Indonesia added flights to Bali.",
    "An earthquake of magnitude five shook Lombok.",
    "Fishermen in Makassar did not go to sea because of high waves.",
    "The Ministry of Health launched a national vaccination programme.",
    "The stock market in Jakarta closed higher in trading today.",
    "The mayor of Medan opened a new hospital in the city centre.",
    "Coffee farmers in Aceh complain that prices keep falling.",
    "Police arrested three theft suspects in Palembang.",
    "Schools in Papua received books from the central government.",
    "The House of Representatives discussed a new bill.",
    "The Jakarta Bandung high-speed train starts operating this year.",
]


def train_sentencepiece(
    sentences: list[str], vocab_size: int, model_type: str = "unigram", **special_ids: int
) -> bytes:
    """Train a SentencePiece model (``unigram`` or ``bpe``) in memory; returns it serialized.

    Also used by benchmarks/run.py for the full-size models' tokenizers.
    """
    import sentencepiece as spm

    options = {"seed_sentencepiece_size": 10000} if model_type == "unigram" else {}
    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences),
        model_writer=model,
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=1.0,
        hard_vocab_limit=False,
        num_threads=1,
        minloglevel=2,
        **options,
        **special_ids,
    )
    return model.getvalue()


def sentencepiece_pieces(model: bytes, score: float | None = None) -> list[tuple[str, float]]:
    """The (piece, score) pairs of a serialized SentencePiece model, without its control pieces;
    every score set to ``score`` when given (a Unigram tokenizer then picks the fewest pieces)."""
    import sentencepiece as spm

    processor = spm.SentencePieceProcessor(model_proto=model)
    return [
        (processor.id_to_piece(i), processor.get_score(i) if score is None else score)
        for i in range(processor.get_piece_size())
        if not (processor.is_control(i) or processor.is_unknown(i))
    ]


def _fresh_dir(dest: Path) -> Path:
    dest = Path(dest)
    if dest.exists():
        shutil.rmtree(dest)
    dest.mkdir(parents=True)
    return dest


# --- one builder per architecture: tiny dimensions here, full-size ones in benchmarks/ ----------
#
# Each builder takes trained SentencePiece models and the architecture's dimensions (``dims``,
# passed to the transformers config), fills the vocabulary up to ``vocab_size`` with unused
# placeholder pieces when asked, and saves the model in the layout the model store expects. The
# tiny builders below call them with a few small layers; benchmarks/ringkas_bench/models.py calls
# the same functions with the catalogue defaults' real dimensions.


def filler_pieces(count: int, prefix: str = "<unused", start: int = 0) -> list[str]:
    """``count`` placeholder pieces (``<unused0>``, ...): no text ever tokenizes into one."""
    return [f"{prefix}{i}>" for i in range(start, start + count)]


def marian_vocab(
    source_pieces: list[str], target_pieces: list[str], vocab_size: int | None = None
) -> dict[str, int]:
    """The opus-mt joint vocabulary: ``</s>``=0, ``<unk>``=1, source then target pieces, filler
    up to ``vocab_size`` (when given), ``<pad>`` last."""
    vocab = {"</s>": 0, "<unk>": 1}
    for piece in [*source_pieces, *target_pieces]:
        vocab.setdefault(piece, len(vocab))
    if vocab_size is not None:
        for piece in filler_pieces(vocab_size - 1 - len(vocab)):
            vocab[piece] = len(vocab)
    vocab["<pad>"] = len(vocab)
    return vocab


def build_marian(
    dest: Path,
    source_spm: bytes,
    target_spm: bytes,
    *,
    vocab_size: int | None = None,
    max_tokens: int = TINY_MAX_TOKENS,
    num_beams: int = 1,
    source_only_bias: float = 0.0,
    seed: int = 0,
    **dims,
) -> Path:
    """An Indonesian->English MarianMTModel with an opus-mt style tokenizer (two SentencePiece
    models, one joint vocabulary). ``dims``: MarianConfig dimensions.

    ``source_only_bias`` (e.g. -1e4) is added through ``final_logits_bias`` to every piece that
    ``target.spm`` cannot produce (and ``<unk>``), so the model never prefers one: a trained
    opus-mt model never emits source-only pieces, a random one happily does.
    """
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    dest = _fresh_dir(dest)
    (dest / "source.spm").write_bytes(source_spm)
    (dest / "target.spm").write_bytes(target_spm)
    target_pieces = [p for p, _ in sentencepiece_pieces(target_spm)]
    vocab = marian_vocab(
        [p for p, _ in sentencepiece_pieces(source_spm)], target_pieces, vocab_size
    )
    (dest / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), "utf-8")
    pad_id = vocab["<pad>"]

    tokenizer = MarianTokenizer(
        source_spm=str(dest / "source.spm"),
        target_spm=str(dest / "target.spm"),
        vocab=str(dest / "vocab.json"),
        source_lang="id",
        target_lang="en",
        model_max_length=max_tokens,
    )
    config = MarianConfig(
        vocab_size=len(vocab),
        max_position_embeddings=max_tokens,
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        architectures=["MarianMTModel"],
        **dims,
    )
    torch.manual_seed(seed)
    model = MarianMTModel(config).eval()
    if source_only_bias:
        allowed = {vocab[p] for p in target_pieces} | {0, pad_id}
        with torch.no_grad():
            for index in vocab.values():
                if index not in allowed:
                    model.final_logits_bias[0, index] = source_only_bias
    model.generation_config = GenerationConfig(
        decoder_start_token_id=pad_id,
        pad_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        bad_words_ids=[[pad_id]],
        max_length=max_tokens,
        num_beams=num_beams,
    )
    model.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


def build_mt5(
    dest: Path,
    spm_model: bytes,
    *,
    extra_pieces: list[str] = (),
    vocab_size: int | None = None,
    max_tokens: int = TINY_MAX_TOKENS,
    max_length: int = 64,
    num_beams: int = 1,
    never_pieces: set[str] = frozenset(),
    seed: int = 0,
    **dims,
) -> Path:
    """A multilingual MT5ForConditionalGeneration summariser with a T5 tokenizer: ``<pad>``,
    ``</s>``, ``<unk>``, the trained pieces, ``extra_pieces``, then unused filler up to
    ``vocab_size`` (when given). ``dims``: MT5Config dimensions.

    ``never_pieces``: pieces the model can never prefer (their ``lm_head`` rows zeroed, logit
    0, while one kept piece's row is the negation of another's, so the best kept logit is
    always at least 0), for equivalence tests of a restricted output vocabulary.
    """
    import torch
    from transformers import GenerationConfig, MT5Config, MT5ForConditionalGeneration, T5Tokenizer

    dest = _fresh_dir(dest)
    # spiece.model is what the real mT5 repositories ship; tokenizer.json (written below by
    # save_pretrained) is what transformers 5 loads first.
    (dest / "spiece.model").write_bytes(spm_model)
    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), *sentencepiece_pieces(spm_model)]
    vocab += [(piece, -100.0) for piece in extra_pieces]
    if vocab_size is not None:
        vocab += [(piece, -100.0) for piece in filler_pieces(vocab_size - len(vocab))]
    tokenizer = T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=max_tokens)

    config = MT5Config(
        vocab_size=len(vocab),
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        architectures=["MT5ForConditionalGeneration"],
        **dims,
    )
    torch.manual_seed(seed)
    model = MT5ForConditionalGeneration(config).eval()
    with torch.no_grad():
        # A trained model never predicts <pad>; a random one often does, every step, which
        # decodes to "". A zero row gives <pad> a logit of 0, below the best of ~300 random ones.
        model.lm_head.weight[config.pad_token_id].zero_()
        if never_pieces:
            kept = [i for i, (p, _) in enumerate(vocab) if p not in never_pieces and i > 2]
            model.lm_head.weight[kept[1]] = -model.lm_head.weight[kept[0]]
            for i, (piece, _) in enumerate(vocab):
                if piece in never_pieces:
                    model.lm_head.weight[i].zero_()
    model.generation_config = GenerationConfig(
        decoder_start_token_id=0,
        pad_token_id=0,
        eos_token_id=1,
        max_length=max_length,
        num_beams=num_beams,
    )
    model.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


def build_xlmr_ner(
    dest: Path,
    spm_model: bytes,
    *,
    vocab_size: int | None = None,
    max_tokens: int = TINY_MAX_TOKENS,
    seed: int = 0,
    **dims,
) -> Path:
    """An XLMRobertaForTokenClassification with the O/PER/ORG/LOC/MISC BIO labels: ``<s>``,
    ``<pad>``, ``</s>``, ``<unk>``, the trained pieces, filler up to ``vocab_size`` (when
    given), ``<mask>`` last. ``dims``: XLMRobertaConfig dimensions."""
    import torch
    from transformers import (
        XLMRobertaConfig,
        XLMRobertaForTokenClassification,
        XLMRobertaTokenizer,
    )

    dest = _fresh_dir(dest)
    # XLM-R layout: <s>=0, <pad>=1, </s>=2, <unk>=3, the pieces, <mask> last.
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += sentencepiece_pieces(spm_model)
    if vocab_size is not None:
        vocab += [(piece, -100.0) for piece in filler_pieces(vocab_size - 1 - len(vocab))]
    vocab += [("<mask>", 0.0)]
    tokenizer = XLMRobertaTokenizer(vocab=vocab, model_max_length=max_tokens)

    config = XLMRobertaConfig(
        vocab_size=len(vocab),
        # RoBERTa positions start after the padding index (1), hence the +2.
        max_position_embeddings=max_tokens + 2,
        type_vocab_size=1,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        id2label=dict(enumerate(NER_LABELS)),
        label2id={label: i for i, label in enumerate(NER_LABELS)},
        architectures=["XLMRobertaForTokenClassification"],
        **dims,
    )
    torch.manual_seed(seed)
    model = XLMRobertaForTokenClassification(config).eval()
    model.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


# --- the tiny models -----------------------------------------------------------------------------

#: small layers of each architecture (the rest as the real configs)
TINY_MARIAN_DIMS = dict(
    d_model=32,
    encoder_layers=2,
    decoder_layers=2,
    encoder_attention_heads=2,
    decoder_attention_heads=2,
    encoder_ffn_dim=64,
    decoder_ffn_dim=64,
)
TINY_MT5_DIMS = dict(
    d_model=32,
    d_kv=8,
    d_ff=64,
    num_layers=2,
    num_decoder_layers=2,
    num_heads=4,
    relative_attention_num_buckets=8,
    relative_attention_max_distance=32,
)
TINY_XLMR_DIMS = dict(
    hidden_size=32, num_hidden_layers=2, num_attention_heads=2, intermediate_size=64
)
_MARIAN_SPECIAL = {"unk_id": 1, "eos_id": 0, "bos_id": -1, "pad_id": -1}


def build_tiny_marian(dest: Path, *, source_only_bias: float = 0.0) -> Path:
    """A tiny Indonesian->English MarianMTModel with an opus-mt style tokenizer."""
    return build_marian(
        dest,
        train_sentencepiece(INDONESIAN_SENTENCES, 200, **_MARIAN_SPECIAL),
        train_sentencepiece(ENGLISH_SENTENCES, 200, **_MARIAN_SPECIAL),
        source_only_bias=source_only_bias,
        **TINY_MARIAN_DIMS,
    )


def build_tiny_mt5(
    dest: Path, *, extra_pieces: list[str] = (), never_pieces: set[str] = frozenset()
) -> Path:
    """A tiny multilingual MT5ForConditionalGeneration summariser with a T5 tokenizer."""
    spm_model = train_sentencepiece(
        INDONESIAN_SENTENCES + ENGLISH_SENTENCES, 300, pad_id=0, eos_id=1, unk_id=2, bos_id=-1
    )
    return build_mt5(
        dest, spm_model, extra_pieces=extra_pieces, never_pieces=never_pieces, **TINY_MT5_DIMS
    )


def build_tiny_ner(dest: Path) -> Path:
    """A tiny XLMRobertaForTokenClassification with the O/PER/ORG/LOC/MISC BIO labels."""
    spm_model = train_sentencepiece(
        INDONESIAN_SENTENCES + ENGLISH_SENTENCES, 300, unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1
    )
    return build_xlmr_ner(dest, spm_model, **TINY_XLMR_DIMS)


#: task -> builder, as the ``tiny_model_dirs`` fixture uses them
BUILDERS = {
    "translate": build_tiny_marian,
    "summarize": build_tiny_mt5,
    "entities": build_tiny_ner,
}

#: store names the tiny models are installed under by :func:`install_tiny_models`
TINY_MODEL_NAMES = {
    "translate": "tiny-opus-mt-id-en",
    "summarize": "tiny-mt5-xlsum",
    "entities": "tiny-xlmr-ner",
}
#: languages each tiny model is registered for, like its real counterpart
TINY_MODEL_LANGUAGES = {"translate": ["id"], "summarize": ["*"], "entities": ["*"]}


def install_tiny_models(store, tiny_dirs: dict[str, Path], *tasks: str) -> dict:
    """Install some (default: all) tiny models into ``store`` with the real ``ModelStore.add``.

    Returns {task: InstalledModel}.
    """
    return {
        task: store.add(
            tiny_dirs[task],
            name=TINY_MODEL_NAMES[task],
            task=task,
            languages=TINY_MODEL_LANGUAGES[task],
        )
        for task in (tasks or tuple(TINY_MODEL_NAMES))
    }


#: The ChatML template of Qwen2.5-Instruct without its tool-calling branches: a system turn
#: (Qwen's default one when the messages bring none), the turns, then the assistant's opening.
QWEN_CHAT_TEMPLATE = (
    "{%- if messages[0]['role'] == 'system' %}"
    "{{- '<|im_start|>system\\n' + messages[0]['content'] + '<|im_end|>\\n' }}"
    "{%- else %}"
    "{{- '<|im_start|>system\\nYou are Qwen, created by Alibaba Cloud. "
    "You are a helpful assistant.<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- for message in messages %}"
    "{%- if message.role == 'user' or message.role == 'assistant' %}"
    "{{- '<|im_start|>' + message.role + '\\n' + message.content + '<|im_end|>\\n' }}"
    "{%- endif %}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)


def build_qwen2(
    dest: Path,
    sentences: list[str],
    *,
    bpe_pieces: int = 500,
    vocab_size: int | None = None,
    max_tokens: int = TINY_MAX_TOKENS * 4,
    ends_turn_at_once: bool = False,
    dtype: str = "float32",
    seed: int = 0,
    **dims,
) -> Path:
    """A Qwen2ForCausalLM chat model laid out like Qwen2.5-Instruct: a byte-level BPE tokenizer
    (``bpe_pieces`` pieces trained on ``sentences``) with ``<|endoftext|>`` (pad),
    ``<|im_start|>`` and ``<|im_end|>`` (eos, the end of a turn), the ChatML ``chat_template``
    in tokenizer_config.json, a generation config with both end tokens. ``dims``: Qwen2Config
    dimensions; ``vocab_size`` (default: the tokenizer's) sizes the embedding and output layers.

    A random model would often pick a special token; a trained one ends its turn with
    <|im_end|> and never writes <|endoftext|> or <|im_start|>: their output rows are zero.
    ``ends_turn_at_once`` makes ``<|im_end|>`` the likeliest token at every step (a model whose
    answer is empty).
    """
    import torch
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import (
        GenerationConfig,
        PreTrainedTokenizerFast,
        Qwen2Config,
        Qwen2ForCausalLM,
    )

    dest = _fresh_dir(dest)
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    bpe = Tokenizer(models.BPE())
    bpe.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    bpe.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=bpe_pieces,
        special_tokens=specials,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet(),
        show_progress=False,
    )
    bpe.train_from_iterator(sentences, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=bpe,
        eos_token="<|im_end|>",
        pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>", "<|im_end|>"],
        model_max_length=max_tokens,
        chat_template=QWEN_CHAT_TEMPLATE,
        clean_up_tokenization_spaces=False,
    )
    pad_id, end_id = bpe.token_to_id("<|endoftext|>"), bpe.token_to_id("<|im_end|>")
    config = Qwen2Config(
        vocab_size=vocab_size or bpe.get_vocab_size(),
        max_position_embeddings=max_tokens,
        bos_token_id=pad_id,
        eos_token_id=end_id,
        pad_token_id=pad_id,
        architectures=["Qwen2ForCausalLM"],
        **dims,
    )
    torch.manual_seed(seed)
    default_dtype = torch.get_default_dtype()
    torch.set_default_dtype(getattr(torch, dtype))  # a 1.5B model: initialised in bf16, 3 GB
    try:
        model = Qwen2ForCausalLM(config).eval()
    finally:
        torch.set_default_dtype(default_dtype)
    with torch.no_grad():
        for special in specials:
            model.lm_head.weight[bpe.token_to_id(special)].zero_()
        if ends_turn_at_once:
            # Residual dimension 0 is 1 in every embedding and no layer writes to it; the final
            # norm keeps only that dimension, so every logit is 0 except <|im_end|>'s.
            model.model.embed_tokens.weight[:, 0] = 1.0
            for layer in model.model.layers:
                layer.self_attn.o_proj.weight[0].zero_()
                layer.mlp.down_proj.weight[0].zero_()
            model.model.norm.weight.zero_()
            model.model.norm.weight[0] = 1.0
            model.lm_head.weight[:, 0] = 0.0
            model.lm_head.weight[end_id, 0] = 10.0
    model.generation_config = GenerationConfig(
        bos_token_id=pad_id,
        eos_token_id=[end_id, pad_id],
        pad_token_id=pad_id,
        do_sample=False,
        repetition_penalty=1.1,
    )
    model.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    # The Qwen2.5 repositories keep the template in tokenizer_config.json (transformers 5 writes
    # chat_template.jinja) and name the Qwen2 tokenizer class.
    (dest / "chat_template.jinja").unlink(missing_ok=True)
    tokenizer_config = json.loads((dest / "tokenizer_config.json").read_text("utf-8"))
    tokenizer_config.update(chat_template=QWEN_CHAT_TEMPLATE, tokenizer_class="Qwen2Tokenizer")
    (dest / "tokenizer_config.json").write_text(json.dumps(tokenizer_config, indent=2), "utf-8")
    return dest


#: The tiny Qwen2 chat models' dimensions (two small layers, Qwen2's attention layout).
TINY_QWEN2_DIMS = dict(
    hidden_size=32,
    intermediate_size=64,
    num_hidden_layers=2,
    num_attention_heads=4,
    num_key_value_heads=2,
    rope_theta=1000000.0,
    rms_norm_eps=1e-6,
)


def build_tiny_qwen2(dest: Path, *, ends_turn_at_once: bool = False) -> Path:
    """A tiny Qwen2ForCausalLM chat model (:func:`build_qwen2` with two small layers)."""
    return build_qwen2(
        dest,
        INDONESIAN_SENTENCES + ENGLISH_SENTENCES,
        ends_turn_at_once=ends_turn_at_once,
        tie_word_embeddings=False,
        **TINY_QWEN2_DIMS,
    )
