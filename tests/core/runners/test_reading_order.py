"""The translator shows the top of the page first: the first paragraph is translated on its
own, before the model sees the rest of the article."""

from __future__ import annotations

from types import SimpleNamespace

from app.core.runners.translator import Translator


class RecordingBackend:
    """A Seq2SeqBackend that upper-cases its input and logs every call and every emitted
    paragraph, in order."""

    name = "recording"
    max_input_tokens = 512

    def __init__(self, log: list) -> None:
        self.log = log

    def count_tokens(self, text: str) -> int:
        return len(text.split()) + 1

    def generate(self, texts, settings):
        self.log.append(("generate", list(texts)))
        return [t.upper() for t in texts]


def _article(paragraphs: int = 12, sentences: int = 4) -> list[str]:
    return [
        " ".join(
            f"Kalimat nomor {s} dari paragraf {p} ini cukup panjang." for s in range(sentences)
        )
        for p in range(paragraphs)
    ]


def test_first_paragraph_is_shown_before_the_rest_is_translated():
    log: list = []
    backend = RecordingBackend(log)
    model = SimpleNamespace(name="fake", family="marian", task="translate")
    translator = Translator(model, lambda _m: backend)
    paragraphs = [
        "",
        *_article(40),
    ]  # an empty line first: the first paragraph that needs the model
    result = translator.translate_paragraphs(
        paragraphs, "id", on_paragraph=lambda i, text: log.append(("shown", i))
    )
    assert result[1:] == [p.upper() for p in paragraphs[1:]]
    first_call = log.index(next(entry for entry in log if entry[0] == "generate"))
    assert log[first_call][1] and all("paragraf 0 " in t for t in log[first_call][1])
    shown_1 = log.index(("shown", 1))
    later = [
        e for e in log[:shown_1] if e[0] == "generate" and any("paragraf 1 " in t for t in e[1])
    ]
    assert not later  # nothing from the second paragraph on was decoded before the first showed
    assert [e[1] for e in log if e[0] == "shown"] == list(range(len(paragraphs)))
    # the rest still batches across paragraphs (up to max_batch sentences per call, not one
    # per paragraph)
    calls = [e for e in log if e[0] == "generate"]
    assert max(len(c[1]) for c in calls) == translator.max_batch
