"""The Qt-free view state: what each event and result means for the screen."""

from __future__ import annotations

from app.core.analysis.view_state import Phase, TranslationMode, ViewState, state_of
from app.core.base.results import (
    AnalysisResult,
    ArticleLoaded,
    EntityResult,
    NoticeCause,
    ParagraphTranslated,
    StepFinished,
    StepNotice,
    StepSkipped,
    StepStarted,
    Summary,
    Translation,
)
from app.core.base.steps import Step, step_title
from app.core.reading.document import Article


def _article(language: str = "id", texts=("Satu.", "Dua.", "Tiga.")) -> Article:
    return Article.from_texts(
        list(texts), title="Judul", source_path=None, format="txt", language=language
    )


def test_a_new_article_waits_for_every_step_and_a_paragraph_fills_in():
    state = ViewState()
    state.begin()
    assert state.loading
    assert state.apply(ArticleLoaded(_article())) is True
    assert not state.loading
    assert all(view.phase == Phase.WAITING for view in state.steps.values())
    assert state.translation_mode() == TranslationMode.TEXT
    assert state.pending_paragraphs() == {0, 1, 2}
    state.apply(StepStarted(Step.TRANSLATE, 3))
    state.apply(ParagraphTranslated(1, "Two."))
    assert state.steps[Step.TRANSLATE].phase == Phase.RUNNING
    assert state.translation == [None, "Two.", None]
    state.apply(StepFinished(Step.TRANSLATE, 0.1, from_cache=True))
    assert state.steps[Step.TRANSLATE].phase == Phase.DONE
    assert state.steps[Step.TRANSLATE].from_cache


def test_the_same_text_again_keeps_what_is_on_screen():
    state = ViewState()
    state.apply(ArticleLoaded(_article()))
    result = AnalysisResult(
        state.article,
        Translation(["One.", "Two.", "Three."], "id", "model", "opus"),
        Summary("Sum.", "abstractive", "mt5"),
        None,
    )
    state.finish(result)
    assert state.apply(ArticleLoaded(_article())) is False  # a re-analysis: no redraw
    assert state.translation == ["One.", "Two.", "Three."] and state.pending_paragraphs() == set()
    assert state.summary.text == "Sum."
    assert state.apply(ArticleLoaded(_article(texts=("Lain.",)))) is True
    assert state.translation == [None] and state.summary is None


def test_no_translator_shows_a_notice_that_offers_an_install():
    state = ViewState()
    state.apply(ArticleLoaded(_article()))
    notice = StepNotice(Step.TRANSLATE, "no translator", "ringkas models install x")
    state.apply(StepSkipped(Step.TRANSLATE, notice))
    assert state.translation_mode() == TranslationMode.NOTICE
    assert state.notice(Step.TRANSLATE).offers_install
    assert notice.cause == NoticeCause.NO_MODEL


def test_english_hides_the_translation_and_a_failed_step_offers_no_install():
    state = ViewState()
    state.apply(ArticleLoaded(_article("en")))
    assert state.translation_mode() == TranslationMode.HIDDEN
    failed = StepNotice(Step.SUMMARIZE, "out of memory", None, NoticeCause.STEP_FAILED)
    result = AnalysisResult(
        state.article,
        Translation(["Satu.", "Dua.", "Tiga."], "en", "identity"),
        Summary("Satu.", "extractive", None),
        EntityResult([], "unclassified"),
        [failed],
    )
    state.finish(result)
    assert state.translation_mode() == TranslationMode.HIDDEN
    assert not state.summary_offers_install()
    assert state.summary_note() == "out of memory"
    assert state_of(result).notice(Step.SUMMARIZE) is failed


def test_an_extractive_summary_for_want_of_a_model_offers_an_install():
    article = _article()
    no_model = StepNotice(Step.SUMMARIZE, "no summariser", "ringkas models install y")
    info = StepNotice(Step.SUMMARIZE, "in Indonesian", "hint", NoticeCause.INFO)
    result = AnalysisResult(
        article,
        Translation(["", "", ""], "id", "none"),
        Summary("Satu.", "extractive", None),
        None,
        [info, no_model],
    )
    state = state_of(result)
    assert state.summary_offers_install() and state.summary_note() == ""
    assert state.notice(Step.SUMMARIZE) is no_model  # INFO never explains a missing result
    assert state.translation_mode() == TranslationMode.NOTICE


def test_cancel_marks_unfinished_steps():
    state = ViewState()
    state.apply(ArticleLoaded(_article()))
    state.apply(StepStarted(Step.TRANSLATE, 3))
    state.apply(StepFinished(Step.TRANSLATE, 0.1))
    state.cancel()
    assert state.steps[Step.TRANSLATE].phase == Phase.DONE
    assert state.steps[Step.SUMMARIZE].phase == Phase.CANCELLED


def test_one_table_of_step_titles():
    assert step_title(Step.TRANSLATE).noun == "Translation"
    assert step_title("summarize").doing == "Summarising"
    assert step_title("entities").noun == "Names"


def test_a_step_turned_off_by_the_options_says_so():
    result = AnalysisResult(_article(), None, Summary("Satu.", "extractive", None), None)
    state = state_of(result)
    notice = state.notice(Step.TRANSLATE)
    assert notice.cause == NoticeCause.SKIPPED_BY_OPTION and not notice.offers_install
    assert state.steps[Step.ENTITIES].phase == Phase.SKIPPED
    assert state.translation_mode() == TranslationMode.NOTICE
