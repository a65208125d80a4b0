"""The analysis service with an instruction-tuned chat summariser installed: it is chosen for
the English summary and reads the original article (no translation in between)."""

from __future__ import annotations

from app.core.analysis.cache import ResultCache
from app.core.analysis.service import AnalysisService
from app.core.base.results import AnalysisOptions
from app.core.reading.document import Article
from app.core.runners.instruct_summarizer import InstructSummarizer, build_messages

ONE_THREAD = AnalysisOptions(threads=1)


def _article() -> Article:
    texts = [
        "Presiden Joko Widodo mengunjungi Jakarta pada hari Senin.",
        "Bank Indonesia menaikkan suku bunga acuan menjadi enam persen.",
    ]
    return Article.from_texts(texts, title="Berita", source_path=None, format="txt", language="id")


def test_a_chat_model_summarises_the_original_into_english(
    install_tiny, model_store, tiny_chat_dirs
):
    install_tiny()  # tiny translator, mT5 summariser and NER
    chat = model_store.add(tiny_chat_dirs["chat"], name="tiny-qwen-instruct")
    service = AnalysisService(model_store, ResultCache())
    article = _article()

    plan = service.plan(article, ONE_THREAD)
    assert plan.summarize.name == chat.name
    assert (plan.summary_input, plan.summary_language) == ("original", "en")

    result = service.analyze(article, ONE_THREAD)
    assert result.summary.model == chat.name and result.summary.language == "en"
    runner = service._runner("summarize", chat, ONE_THREAD)
    assert isinstance(runner, InstructSummarizer) and runner.backend.name == "ctranslate2"
    # the prompt held the original Indonesian text, not the translation
    original = "\n".join(p.text for p in article.paragraphs)
    translated = "\n".join(result.translation.paragraphs)
    expected = len(runner.backend.prompt_ids(build_messages(original, "medium")))
    assert expected != len(runner.backend.prompt_ids(build_messages(translated, "medium")))
    assert runner.last_outputs[-1].prompt_tokens == expected

    # Asked for a summary in the article's own language, the multilingual seq2seq model runs.
    source = AnalysisOptions(threads=1, summary_language="source")
    assert service.plan(article, source).summarize.name == "tiny-mt5-xlsum"


def test_without_a_chat_model_the_plan_is_unchanged(install_tiny, model_store):
    install_tiny()
    service = AnalysisService(model_store, ResultCache())
    plan = service.plan(_article(), ONE_THREAD)
    assert plan.summarize.name == "tiny-mt5-xlsum" and plan.summary_input == "translation"
