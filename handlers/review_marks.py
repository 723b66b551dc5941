"""The marks beside a reported value wherever one is shown: ✔ verified, ↩ returned (with the
reason, short), 📎N files behind it; and the legend line that explains the marks shown. Words
come from review_marks.po; the reason is what a planner typed, so it is escaped for chat."""

from __future__ import annotations

from collections.abc import Iterable

from handlers.formatting import esc, shorten
from handlers.i18n import Translator
from plan_data.review import ReviewMark, ReviewState

REASON_SHOWN = 60  # characters of a return reason beside a value


def mark_text(_: Translator, mark: ReviewMark) -> str:
    """The marks of a value (✔ 📎2, or ↩ and the reason), "" when there is nothing to mark.
    Escaped for chat; a card's plain() turns it back into what was typed."""
    parts = []
    if mark.state is ReviewState.VERIFIED:
        parts.append(_("mark_verified"))
    elif mark.state is ReviewState.RETURNED:
        reason = shorten(mark.reason, REASON_SHOWN)
        parts.append(_("mark_returned", reason=esc(reason)).strip())
    if mark.evidence > 0:
        parts.append(_("mark_evidence", count=mark.evidence))
    return " ".join(parts)


def legend(_: Translator, marks: Iterable[ReviewMark]) -> str:
    """One line naming the marks that appear, or "" when none does."""
    shown = [m for m in marks if m.shown]
    words = []
    if any(m.state is ReviewState.VERIFIED for m in shown):
        words.append(_("marks_legend_verified"))
    if any(m.state is ReviewState.RETURNED for m in shown):
        words.append(_("marks_legend_returned"))
    if any(m.evidence > 0 for m in shown):
        words.append(_("marks_legend_evidence"))
    return _("marks_legend", marks=" · ".join(words)) if words else ""
