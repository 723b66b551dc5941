"""Bad input gets one clear sentence and writes nothing; forgiving input is read right.
All through the dispatcher on a real SQLite file with the FY2564 plan."""

from __future__ import annotations

from decimal import Decimal

import pytest

from handlers.context import Services
from handlers.parsing import parse_amount
from plan_data.errors import Refusal
from storage.unit_of_work import UnitOfWork
from tests.support.catalog import contains, fields, matches, starts_with, th
from tests.support.handler_helpers import ask, register, say, writes
from tests.support.project_status import project_status

Q1 = th("period_quarter", quarter=1, year=2564)


@pytest.fixture
def member(services: Services) -> Services:
    register(services, "1", "member", "research")
    return services


def one_sentence_nothing_written(
    services: Services, typed: str, message_id: str, /, **values: object
) -> str:
    before = writes(services)
    reply = say(services, "1", typed)
    assert writes(services) == before, f"{typed!r} wrote something"
    assert matches(reply, message_id, **values), reply
    assert reply.count("\n") == 0, reply  # one sentence, not a wall
    return reply


def remaining(services: Services, code: str = "STR114/64") -> Decimal:
    with services.db.session() as session:
        card = project_status(session, code)
    assert card is not None
    return card.budget.remaining


@pytest.mark.parametrize(
    ("text", "message_id", "values"),
    [
        ("/spend XX1/64 100", "unknown_code", {"code": "XX1/64"}),
        (
            "/update STR114/64 9 5",
            "indicator_out_of_range",
            {"code": "STR114/64", "count": 3, "number": 9},
        ),
        ("/update STR114/64 0 5", "indicator_out_of_range", {"number": 0}),
        ("/update STR114/64 two 5", "indicator_not_number", {"text": "two"}),
        ("/update STR114/64 2 many", "not_a_number", {"text": "many"}),
        ("/update STR114/64 1 120", "percent_over_100", {"value": "120"}),
        ("/update STR114/64 2 150%%", "not_a_number", {"text": "150%%"}),
        ("/update STR114/64 2 -3", "negative_value", {}),
        ("/spend STR114/64 -5", "negative_amount", {}),
        ("/spend STR114/64 0", "zero_amount", {}),
        ("/spend STR114/64 5000000000", "absurd_amount", {}),
        ("/spend STR114/64 12.345", "satang", {}),
        ("/spend STR114/64 lots", "not_an_amount", {"text": "lots"}),
        ("/spend STR114/64", "spend_usage", {}),
        ("/status", "status_pick_project", {}),  # with my division's projects as buttons
        ("/", "empty_command", {}),
        ("/frobnicate", "unknown_command", {"command": "frobnicate"}),
        (
            "/status STR114/64 please",
            "extra_arguments",
            {"command": "status", "example": "/status STR114/64"},
        ),
        (
            "/history STR114/64 now",
            "extra_arguments",
            {"command": "history", "example": "/history STR114/64"},
        ),
        ("/undo everything", "extra_arguments", {"command": "undo", "example": "/undo"}),
        ("/lang fr", "lang_usage", {}),
        ("/spend STR114/64 100 " + "ก" * 400, "note_too_long", {}),
        ("/status " + "x" * 2000, "too_long", {}),
        ("/spend STR114/64 100 \x00\x01\x02", "unreadable", {}),
        ("\ufffe\u0007binary", "unreadable", {}),
    ],
)
def test_bad_input_gets_one_sentence_and_writes_nothing(
    member: Services, text: str, message_id: str, values: dict[str, object]
) -> None:
    one_sentence_nothing_written(member, text, message_id, **values)


def test_an_unknown_code_is_one_sentence_with_suggestions(member: Services) -> None:
    reply = one_sentence_nothing_written(
        member, "/status STR999/64", "unknown_code_suggest", code="STR999/64"
    )
    assert "STR1" in fields(reply, "unknown_code_suggest")["suggestions"]


def test_unknown_code_suggests_the_nearest(member: Services) -> None:
    reply = say(member, "1", "/status STR141/64")
    assert matches(reply, "unknown_code_suggest", code="STR141/64"), reply
    assert "STR114/64" in fields(reply, "unknown_code_suggest")["suggestions"]


@pytest.mark.parametrize(
    "typed", ["250000", "250,000", "0.25ล้าน", "0.25 ล้าน", "๒๕๐,๐๐๐", "250,000 บาท", "฿250000"]
)
def test_amounts_people_type_are_read_as_baht(member: Services, typed: str) -> None:
    reply = say(member, "1", f"/spend STR114/64 {typed} Q1 ค่ามัดจำ")
    assert contains(reply, "spend_recorded", amount="250,000 บาท", code="STR114/64"), reply
    assert remaining(member) == Decimal(4_750_000)


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("-1", "negative_amount"),
        ("0", "zero_amount"),
        ("1e9", "number_exponent"),
        ("2,000,000,000", "absurd_amount"),
        ("๑.๐๐๑", "satang"),
        ("ล้าน", "not_an_amount"),
    ],
)
def test_parse_amount_refuses(typed: str, error: str) -> None:
    with pytest.raises(Refusal) as caught:
        parse_amount(typed)
    assert caught.value.key == error


@pytest.mark.parametrize("code", ["str114/64", "STR114", "STR 114/64", "str๑๑๔/๖๔", "STR114/2564"])
def test_codes_are_forgiving(member: Services, code: str) -> None:
    assert say(member, "1", f"/status {code}").startswith("<b>STR114/64</b>")


def test_markup_in_a_note_is_escaped_everywhere(member: Services) -> None:
    say(member, "1", "/update STR114/64 2 150 <b>ครบ</b> & <script>")
    history = say(member, "1", "/history STR114/64")
    assert "&lt;b&gt;ครบ&lt;/b&gt; &amp; &lt;script&gt;" in history
    assert "<script>" not in history


def test_old_button_is_expired(member: Services) -> None:
    before = writes(member)
    for data in ("upd:p:NOPE/64", "zzz:1", "upd"):
        [reply] = ask(member, "1", button=data)
        assert reply.text == th("button_expired"), data
    for data in ("upd:ok:0badc0de", "upd:no:0badc0de", "spd:ok:0badc0de", "wk:skip:0badc0de"):
        [reply] = ask(member, "1", button=data)  # a nonce that no flow holds: used or old
        assert reply.text == th("button_used"), data
    assert writes(member) == before


def guided_until_confirm(services: Services, user: str, value: str) -> str:
    """/update STR114/64 2, then type a value: returns the confirm button's data."""
    [ask_value] = ask(services, user, "/update STR114/64 2")
    assert matches(ask_value.text, "update_ask_value", code="STR114/64", number=2), ask_value.text
    [confirm] = ask(services, user, value)
    return confirm.buttons[0][0].data


def test_pressing_confirm_twice_records_once(member: Services) -> None:
    ok = guided_until_confirm(member, "1", "150")
    [first] = ask(member, "1", button=ok)
    assert starts_with(first.text, "update_recorded", value="150 คน") and first.edit
    [second] = ask(member, "1", button=ok)
    assert second.text == th("button_used")
    assert writes(member) == (1, 0)


def test_second_user_racing_the_same_update_is_told_and_nothing_written(
    member: Services,
) -> None:
    register(member, "2", "head", "research", name="Prasert")
    ok_somchai = guided_until_confirm(member, "1", "150")
    ok_prasert = guided_until_confirm(member, "2", "140")
    [first] = ask(member, "2", button=ok_prasert)
    assert starts_with(first.text, "update_recorded", value="140 คน")
    [raced] = ask(member, "1", button=ok_somchai)
    assert matches(raced.text, "update_changed_meanwhile", by="Prasert", value="140 คน"), raced.text
    assert writes(member) == (1, 0)
    [again] = ask(member, "1", button=raced.buttons[0][0].data)  # yes, mine replaces it
    assert starts_with(again.text, "update_recorded", value="150 คน")
    assert contains(again.text, "update_replaces", previous="140 คน")
    assert writes(member) == (2, 0)


def test_a_bad_value_in_the_guided_flow_lets_the_person_try_again(member: Services) -> None:
    [_] = ask(member, "1", "/update STR114/64 1")
    assert matches(say(member, "1", "120"), "percent_over_100", value="120")
    [confirm] = ask(member, "1", "95 เกือบเสร็จ")
    assert contains(confirm.text, "update_confirm", value="95%", number=1, code="STR114/64")
    [cancelled] = ask(member, "1", button=confirm.buttons[0][1].data)
    assert cancelled.text == th("update_cancelled")
    assert writes(member) == (0, 0)


def test_undo_takes_back_by_writing_a_reversal(member: Services) -> None:
    say(member, "1", "/spend STR114/64 250000 Q1")
    undone = say(member, "1", "/undo")
    assert matches(undone, "undo_spending", amount="250,000 บาท", code="STR114/64"), undone
    assert remaining(member) == Decimal(5_000_000)
    assert writes(member) == (0, 2)  # nothing deleted
    assert say(member, "1", "/undo") == th("undo_nothing")


def test_a_value_far_above_the_target_is_asked_about_not_recorded(services: Services) -> None:
    from handlers.dispatch import dispatch
    from handlers.request import Request

    with UnitOfWork(services.db) as uow:
        uow.people.add("telegram", "501", "member", "research", "Typo")
    replies = dispatch(
        Request("telegram", "501", "501", text="/update STR114/64 2 15000"), services
    )
    text = "\n".join(r.text for r in replies)
    assert contains(text, "update_confirm", value="15,000 คน")
    assert contains(text, "update_confirm_large", multiple=10) and replies[0].buttons
    assert writes(services) == (0, 0)  # tests/handlers/test_numbers.py presses the buttons
    plain = dispatch(Request("telegram", "501", "501", text="/update STR114/64 3 120"), services)
    recorded = th("update_recorded", value="120 คน", number=3, code="STR114/64", period=Q1)
    assert plain[0].text == recorded + "\n" + th("update_progress", percent="80%", target="150 คน")
