"""Review marks wherever reported values show, through the dispatcher: /status and its card,
/summary. A verified value gets ✔, a returned one ↩ and the (escaped) reason, files 📎N; the
legend only when a mark is shown."""

from __future__ import annotations

from handlers.context import Services
from handlers.formatting import esc
from tests.support.catalog import contains, th
from tests.support.handler_helpers import ask
from tests.support.planning_scenario import PLANNER
from tests.support.reviews import RETURN_REASON, review_scenario


def _status(services: Services, code: str) -> tuple[str, list[str], list[str]]:
    [reply] = ask(services, PLANNER, f"/status {code}")
    assert reply.card is not None
    return reply.text, [r.value for r in reply.card.rows], list(reply.card.notes)


def _indicator_block(text: str, seq: int) -> str:
    """The lines of indicator `seq` in a /status text: from its number to the next one (or
    to the legend or the blank line after the last)."""
    start = text.index(f"\n{seq}. (")
    ends = [text.find(end, start + 1) for end in (f"\n{seq + 1}. (", "\n<i>", "\n\n")]
    return text[start : min([e for e in ends if e > 0] or [len(text)])]


def test_status_without_reviews_or_files_shows_no_marks(filled: Services) -> None:
    text, values, notes = _status(filled, "STR114/64")
    for mark in ("✔", "↩", "📎"):
        assert mark not in text and not any(mark in v for v in values)
    assert not contains(text, "marks_legend")
    assert not any("✔" in n for n in notes)


def test_status_marks_verified_returned_and_files(filled: Services) -> None:
    review_scenario(filled)
    text, values, notes = _status(filled, "STR111/64")
    first, second = _indicator_block(text, 1), _indicator_block(text, 2)
    assert th("mark_verified") in first and th("mark_evidence", count=1) in first
    assert th("mark_returned", reason=esc(RETURN_REASON)) in second
    assert "<b>ทั้งหมด</b>" not in text  # the reason is what someone typed: escaped
    for seq in (3, 4):  # waiting for review, no files: nothing after the value
        block = _indicator_block(text, seq)
        assert not any(mark in block for mark in ("✔", "↩", "📎"))
    legend = th(
        "marks_legend",
        marks=" · ".join(
            th(k)
            for k in ("marks_legend_verified", "marks_legend_returned", "marks_legend_evidence")
        ),
    )
    assert legend in text
    # the card (LINE's Flex bubble): the same marks as plain text, the legend in the notes
    by_malee = th(
        "card_latest", value="96%", period=th("period_quarter", quarter=1, year=2564), by="Malee"
    )
    assert f"{by_malee} {th('mark_verified')} {th('mark_evidence', count=1)}" in values[0]
    assert th("mark_returned", reason=RETURN_REASON) in values[1]
    assert "📎" not in values[2] and "✔" not in values[3]
    assert any("✔" in n and "↩" in n for n in notes)


def test_status_legend_names_only_the_marks_shown(filled: Services) -> None:
    review_scenario(filled)
    text, values, _notes = _status(filled, "STR114/64")
    assert (
        _indicator_block(text, 2)
        .rstrip()
        .endswith(th("verdict_on_track", period=th("period_quarter", quarter=1, year=2564)))
    )
    assert th("mark_evidence", count=2) in _indicator_block(text, 2)
    assert th("mark_verified") in _indicator_block(text, 1)
    legend = th(
        "marks_legend", marks=th("marks_legend_verified") + " · " + th("marks_legend_evidence")
    )
    assert legend in text
    assert th("mark_evidence", count=2) in values[1]


def test_summary_counts_reviews_of_the_period(filled: Services) -> None:
    review_scenario(filled)
    [reply] = ask(filled, PLANNER, "/summary")
    # Q1 values: STR111/64 1-4 and STR114/64 1-2; verified 2, returned 1, waiting 3
    assert th("summary_reviews", verified=2, returned=1, waiting=3) in reply.text
    assert th("summary_line_reviews", verified=1, returned=1) in reply.text  # S1
    assert th("summary_line_reviews", verified=1, returned=0) in reply.text  # S2
