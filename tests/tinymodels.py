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


def build_tiny_marian(dest: Path) -> Path:
    """A tiny Indonesian->English MarianMTModel with an opus-mt style tokenizer."""
    import torch
    from transformers import GenerationConfig, MarianConfig, MarianMTModel, MarianTokenizer

    dest = _fresh_dir(dest)
    special = {"unk_id": 1, "eos_id": 0, "bos_id": -1, "pad_id": -1}
    source_spm = train_sentencepiece(INDONESIAN_SENTENCES, 200, **special)
    target_spm = train_sentencepiece(ENGLISH_SENTENCES, 200, **special)
    (dest / "source.spm").write_bytes(source_spm)
    (dest / "target.spm").write_bytes(target_spm)

    # opus-mt layout: one joint vocabulary, </s>=0, <unk>=1, ..., <pad> last.
    vocab = {"</s>": 0, "<unk>": 1}
    for piece, _ in sentencepiece_pieces(source_spm) + sentencepiece_pieces(target_spm):
        vocab.setdefault(piece, len(vocab))
    vocab["<pad>"] = len(vocab)
    (dest / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False, indent=1), "utf-8")
    pad_id = vocab["<pad>"]

    tokenizer = MarianTokenizer(
        source_spm=str(dest / "source.spm"),
        target_spm=str(dest / "target.spm"),
        vocab=str(dest / "vocab.json"),
        source_lang="id",
        target_lang="en",
        model_max_length=TINY_MAX_TOKENS,
    )
    config = MarianConfig(
        vocab_size=len(vocab),
        d_model=32,
        encoder_layers=2,
        decoder_layers=2,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=64,
        decoder_ffn_dim=64,
        max_position_embeddings=TINY_MAX_TOKENS,
        pad_token_id=pad_id,
        eos_token_id=0,
        decoder_start_token_id=pad_id,
        forced_eos_token_id=0,
        scale_embedding=True,
        share_encoder_decoder_embeddings=True,
        architectures=["MarianMTModel"],
    )
    torch.manual_seed(0)
    model = MarianMTModel(config).eval()
    model.generation_config = GenerationConfig(
        decoder_start_token_id=pad_id,
        pad_token_id=pad_id,
        eos_token_id=0,
        forced_eos_token_id=0,
        bad_words_ids=[[pad_id]],
        max_length=TINY_MAX_TOKENS,
        num_beams=1,
    )
    model.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


def build_tiny_mt5(dest: Path) -> Path:
    """A tiny multilingual MT5ForConditionalGeneration summariser with a T5 tokenizer."""
    import torch
    from transformers import GenerationConfig, MT5Config, MT5ForConditionalGeneration, T5Tokenizer

    dest = _fresh_dir(dest)
    spm_model = train_sentencepiece(
        INDONESIAN_SENTENCES + ENGLISH_SENTENCES, 300, pad_id=0, eos_id=1, unk_id=2, bos_id=-1
    )
    # spiece.model is what the real mT5 repositories ship; tokenizer.json (written below by
    # save_pretrained) is what transformers 5 loads first.
    (dest / "spiece.model").write_bytes(spm_model)
    vocab = [("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0), *sentencepiece_pieces(spm_model)]
    tokenizer = T5Tokenizer(vocab=vocab, extra_ids=0, model_max_length=TINY_MAX_TOKENS)

    config = MT5Config(
        vocab_size=len(vocab),
        d_model=32,
        d_kv=8,
        d_ff=64,
        num_layers=2,
        num_decoder_layers=2,
        num_heads=4,
        relative_attention_num_buckets=8,
        relative_attention_max_distance=32,
        feed_forward_proj="gated-gelu",
        tie_word_embeddings=False,
        pad_token_id=0,
        eos_token_id=1,
        decoder_start_token_id=0,
        architectures=["MT5ForConditionalGeneration"],
    )
    torch.manual_seed(0)
    model = MT5ForConditionalGeneration(config).eval()
    with torch.no_grad():
        # A trained model never predicts <pad>; a random one often does, every step, which
        # decodes to "". A zero row gives <pad> a logit of 0, below the best of ~300 random ones.
        model.lm_head.weight[config.pad_token_id].zero_()
    model.generation_config = GenerationConfig(
        decoder_start_token_id=0, pad_token_id=0, eos_token_id=1, max_length=64, num_beams=1
    )
    model.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


def build_tiny_ner(dest: Path) -> Path:
    """A tiny XLMRobertaForTokenClassification with the O/PER/ORG/LOC/MISC BIO labels."""
    import torch
    from transformers import (
        XLMRobertaConfig,
        XLMRobertaForTokenClassification,
        XLMRobertaTokenizer,
    )

    dest = _fresh_dir(dest)
    spm_model = train_sentencepiece(
        INDONESIAN_SENTENCES + ENGLISH_SENTENCES, 300, unk_id=0, bos_id=-1, eos_id=-1, pad_id=-1
    )
    # XLM-R layout: <s>=0, <pad>=1, </s>=2, <unk>=3, the pieces, <mask> last.
    vocab = [("<s>", 0.0), ("<pad>", 0.0), ("</s>", 0.0), ("<unk>", 0.0)]
    vocab += sentencepiece_pieces(spm_model) + [("<mask>", 0.0)]
    tokenizer = XLMRobertaTokenizer(vocab=vocab, model_max_length=TINY_MAX_TOKENS)

    config = XLMRobertaConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        # RoBERTa positions start after the padding index (1), hence the +2.
        max_position_embeddings=TINY_MAX_TOKENS + 2,
        type_vocab_size=1,
        pad_token_id=1,
        bos_token_id=0,
        eos_token_id=2,
        id2label=dict(enumerate(NER_LABELS)),
        label2id={label: i for i, label in enumerate(NER_LABELS)},
        architectures=["XLMRobertaForTokenClassification"],
    )
    torch.manual_seed(0)
    model = XLMRobertaForTokenClassification(config).eval()
    model.save_pretrained(dest, safe_serialization=True)
    tokenizer.save_pretrained(dest)
    return dest


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
