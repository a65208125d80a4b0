"""Analysis > Summary as key points: the summary becomes a bullet list and back, the choice is
kept in the settings."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.gui

TIMEOUT = 90_000


def test_key_points_toggle_rewrites_the_summary(
    qtbot, make_window, short_article, installed_models
):
    window = make_window()
    action = window.key_points_action
    assert action in window.analysis_menu.actions()
    assert action.isCheckable() and not action.isChecked()
    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as blocker:
        window.open_path(short_article)
    prose = blocker.args[0].summary.text
    assert not prose.startswith("- ")

    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as blocker:
        action.trigger()  # checks it and re-runs the summary
    points = blocker.args[0].summary.text
    lines = points.splitlines()
    assert lines and all(line.startswith("- ") for line in lines)
    assert window.summary_card.body.toPlainText() == points
    assert window.settings.analysis_options().summary_format == "key-points"

    with qtbot.waitSignal(window.result_shown, timeout=TIMEOUT) as blocker:
        action.trigger()
    assert blocker.args[0].summary.text == prose
