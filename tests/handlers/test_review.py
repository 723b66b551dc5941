"""The review flow through the dispatcher: submit, return with a reason (the reporter is told),
report again, verify; nobody reviews their own report."""

from __future__ import annotations

from sqlalchemy import select

from handlers.buttons import PickIndicator, ReviewReturn, ReviewVerify, decode, encode
from handlers.context import Services
from storage.db.models import OutboxMessage
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, matches, th
from tests.support.handler_helpers import ask, register


def _notices(services: Services) -> list[OutboxMessage]:
    with services.db.session() as session:
        rows = session.scalars(select(OutboxMessage).where(OutboxMessage.key.like("returned:%")))
        return list(rows)


def test_submit_return_report_again_verify(services: Services) -> None:
    register(services, "1", "head", "research", "Somchai")
    register(services, "2", "planner", "planning", "Malee")
    ask(services, "1", "/start")  # the reporter's private chat is known
    ask(services, "1", "/link research", group=True)  # and the division's group
    ask(services, "1", "/update STR114/64 2 130")

    header, item = ask(services, "2", "/review research")
    assert matches(
        header.text, "review_header", count=1, scope=th("review_scope", name="ฝ่ายวิจัยและพัฒนา")
    )
    assert contains(item.text, "review_item", code="STR114/64", seq=2, who="Somchai", files=0)
    assert item.card is not None and item.card.buttons == item.buttons[0]  # LINE: a bubble each
    assert item.card.title.startswith("STR114/64") and "<b>" not in item.card.title
    verify, give_back = item.buttons[0]
    assert isinstance(decode(verify.data), ReviewVerify)
    assert isinstance(decode(give_back.data), ReviewReturn)

    [own] = ask(services, "1", button=verify.data)
    assert own.text == th("review_not_allowed")

    [asked] = ask(services, "2", button=give_back.data)
    assert matches(
        asked.text, "review_ask_reason", entry=th("evidence_entry_value", code="STR114/64", seq=2)
    )
    [done] = ask(services, "2", "ขอรายชื่อผู้เข้าร่วมประชุม")
    assert contains(done.text, "review_returned_done", reason="ขอรายชื่อผู้เข้าร่วมประชุม")

    notices = _notices(services)
    assert sorted(n.chat_external_id for n in notices) == ["-1", "1"]
    notice = next(n for n in notices if n.chat_external_id == "1")
    assert contains(
        notice.text, "review_returned_notice", reason="ขอรายชื่อผู้เข้าร่วมประชุม", value="130 คน"
    )
    group = next(n for n in notices if n.chat_external_id == "-1")
    assert contains(group.text, "review_returned_notice", reason="ขอรายชื่อผู้เข้าร่วมประชุม")
    assert contains(group.text, "review_report_again_typed", code="STR114/64", seq=2)
    assert "buttons" not in group.payload
    [[label, data]] = notice.payload["buttons"]
    assert label == th("review_report_again")
    assert decode(data) == PickIndicator("STR114/64", 2)

    [nothing] = ask(services, "2", "/review research")
    assert nothing.text == th("review_none", scope=th("review_scope", name="ฝ่ายวิจัยและพัฒนา"))

    ask(services, "1", "/update STR114/64 2 150")  # reported again: waiting once more
    _header, again = ask(services, "2", "/review STR114/64")
    assert contains(again.text, "review_item", code="STR114/64", seq=2, value="150 คน")
    [verified] = ask(services, "2", button=again.buttons[0][0].data)
    assert matches(
        verified.text,
        "review_verified_done",
        value="150 คน",
        entry=th("evidence_entry_value", code="STR114/64", seq=2),
    )
    [twice] = ask(services, "2", button=again.buttons[0][0].data)
    assert matches(twice.text, "review_already_verified_by", by="Malee")
    [late_return] = ask(services, "2", button=again.buttons[0][1].data)  # no reason asked
    assert matches(late_return.text, "review_already_verified_by", by="Malee")


def test_nobody_reviews_their_own_report(services: Services) -> None:
    register(services, "2", "planner", "planning", "Malee")
    ask(services, "2", "/update STR114/64 2 130")
    _header, item = ask(services, "2", "/review")
    [refused] = ask(services, "2", button=item.buttons[0][0].data)
    assert refused.text == th("review_own_report")


def test_review_is_for_planners_in_private(services: Services) -> None:
    register(services, "1", "head", "research", "Somchai")
    register(services, "2", "planner", "planning", "Malee")
    [head] = ask(services, "1", "/review")
    assert head.text == th("not_allowed_command", command="review")
    [group] = ask(services, "2", "/review", group=True)
    assert group.text == th("review_private_only")
    [unknown] = ask(services, "2", "/review nowhere")
    assert matches(unknown.text, "review_scope_unknown", typed="nowhere")


def test_in_line_every_listed_report_has_its_own_buttons(services: Services) -> None:
    """LINE shows quick replies under the last message only: each item is a bubble instead."""
    from bot.line_render import render

    register(services, "1", "head", "research", "Somchai")
    register(services, "2", "planner", "planning", "Malee")
    for seq, value in ((1, "50%"), (2, "130"), (3, "20")):
        ask(services, "1", f"/update STR114/64 {seq} {value}")
    replies = ask(services, "2", "/review")
    messages = render(replies, None, "th")
    bubbles = [m for m in messages if m["type"] == "flex"]
    assert len(bubbles) == 3
    for bubble in bubbles:
        footer = bubble["contents"]["footer"]["contents"]
        labels = [button["action"]["label"] for button in footer]
        assert labels == [th("review_verify"), th("review_return")]


def test_a_reason_of_invisible_characters_or_a_report_past_any_id_is_refused(
    services: Services,
) -> None:
    register(services, "1", "head", "research", "Somchai")
    register(services, "2", "planner", "planning", "Malee")
    ask(services, "1", "/update STR114/64 2 130")
    _header, item = ask(services, "2", "/review research")
    _verify, give_back = item.buttons[0]
    ask(services, "2", button=give_back.data)
    [empty] = ask(services, "2", "\u200b\u200b \u200d\ufeff")  # zero-width spaces only
    assert empty.text == th("review_reason_needed")
    assert _notices(services) == []
    [done] = ask(services, "2", "ขอ\u200bรายชื่อ")  # the reason still waits, and counts
    assert contains(done.text, "review_returned_done", reason="ขอรายชื่อ")
    for data in ("rv:ok:99999999999999999999999", "rv:ret:9223372036854775808"):
        [gone] = ask(services, "2", button=data)
        assert gone.text == th("review_gone"), data
    for data in ("rv:ok:²", "his:STR114/64:١", "dl:research:99999999999999999999999"):
        [old] = ask(services, "2", button=data)
        assert old.text == th("button_expired"), data


def test_report_again_keeps_the_notice_and_repeats_the_reason_and_old_value(
    services: Services,
) -> None:
    """ "✏️ รายงานใหม่" under a return notice answers in a new message (the notice is not
    edited away) that says why the value was returned and what it was."""
    register(services, "1", "head", "research", "Somchai")
    register(services, "2", "planner", "planning", "Malee")
    ask(services, "1", "/start")
    ask(services, "1", "/update STR114/64 2 130")
    _header, item = ask(services, "2", "/review research")
    ask(services, "2", button=item.buttons[0][1].data)
    ask(services, "2", "ขอรายชื่อผู้เข้าร่วมประชุม")
    notice = next(n for n in _notices(services) if n.chat_external_id == "1")
    [[_label, data]] = notice.payload["buttons"]
    [prompt] = ask(services, "1", button=data)
    assert not prompt.edit
    assert prompt.text.startswith(
        th("update_returned_before", value="130 คน", reason="ขอรายชื่อผู้เข้าร่วมประชุม")
    )
    assert contains(prompt.text, "update_ask_value", code="STR114/64", number=2)
    # the guided chooser still edits its own message in place
    [chooser] = ask(services, "1", button=encode(PickIndicator("STR114/64", 1)))
    assert chooser.edit and not contains(chooser.text, "update_returned_before")


def test_review_card_and_status_count_the_same_files_after_a_value_is_replaced(
    services: Services,
) -> None:
    from tests.support.reviews import PNG, attach

    register(services, "1", "head", "research", "Somchai")
    register(services, "2", "planner", "planning", "Malee")
    ask(services, "1", "/update STR114/64 2 130")
    with UnitOfWork(services.db) as uow:
        head = uow.people.find("telegram", "1")
    assert head is not None
    attach(services, head, "STR114/64", 2, PNG, "photo.png", "image/png")
    ask(services, "1", "/update STR114/64 2 150")  # replaces 130; the photo stays behind it
    [status] = ask(services, "2", "/status STR114/64")
    assert th("mark_evidence", count=1) in status.text
    _header, item = ask(services, "2", "/review research")
    assert contains(item.text, "review_item", code="STR114/64", seq=2, value="150 คน", files=1)
