"""Arbitrary text and button data thrown at the parser and the dispatcher, as a registered and an
unregistered person: nothing escapes, every private message is answered within Telegram's limit,
and a write happens only for a valid write command (and then the reply says so)."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from handlers.context import Services
from handlers.parsing import InputError, clean_text, parse_amount, parse_number, split_command
from handlers.wiring import build_router
from tests.fakes.telegram_api import html_problem
from tests.support.catalog import starts_with
from tests.support.handler_helpers import ask, register, writes

WRITE_COMMANDS = {"update", "spend", "undo"}
# a write is always answered by one of these
SAID_SO = ("update_recorded", "spend_recorded", "undo_indicator", "undo_spending")
CODES = st.sampled_from(["STR114/64", "str 114/64", "SME111_5/64", "STR999/64", "ADM", ""])
WORDS = st.one_of(
    st.text(max_size=30),
    st.sampled_from(
        [
            "2",
            "150",
            "0",
            "-1",
            "๑๕๐",
            "95%",
            "250,000",
            "0.25ล้าน",
            "<b>",
            "&amp;",
            "1e9",
            "NaN",
            "∞",
            "ล้าน",
            "\u200b",
            "9" * 30,
            "\x00",
        ]
    ),
)
COMMAND_WORDS = st.sampled_from(
    [
        "/status",
        "/update",
        "/spend",
        "/budget",
        "/history",
        "/undo",
        "/find",
        "/projects",
        "/start",
        "/help",
        "/lang",
        "/invite",
        "/link",
        "สถานะ",
        "ใช้จ่าย",
        "/",
        "/x@bot",
        "",
    ]
)
MESSAGES = st.one_of(
    st.text(max_size=200),
    st.builds(
        lambda c, code, w: " ".join([c, code, *w]),
        COMMAND_WORDS,
        CODES,
        st.lists(WORDS, max_size=4),
    ),
    st.binary(max_size=40).map(lambda b: b.decode("latin-1")),
)
BUTTONS = st.one_of(
    st.text(max_size=64),
    st.builds(
        lambda p, rest: f"{p}:{rest}",
        st.sampled_from(["upd", "his", "sta", "x"]),
        st.text(max_size=30),
    ),
    st.sampled_from(
        [
            "upd:ok:",
            "upd:p:STR114/64",
            "upd:i:STR114/64:2",
            "his:STR114/64:0",
            "his:STR114/64:-1",
            "sta:STR114/64",
            "upd:i:STR114/64:99",
            "upd:s:",
        ]
    ),
)
PROPERTY = settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def write_command(text: str) -> bool:
    try:
        parsed = split_command(clean_text(text), build_router().words)
    except InputError:
        return False
    return parsed is not None and parsed.name in WRITE_COMMANDS


def check_replies(services: Services, user: str, text: str = "", button: str | None = None) -> bool:
    """Ask; check every reply; say whether something was written."""
    before = writes(services)
    replies = ask(services, user, text, button=button)
    assert replies, f"no reply to {text!r} / {button!r}"
    for reply in replies:
        assert reply.text.strip(), f"empty reply to {text!r}"
        assert len(reply.text) < 4096
        assert html_problem(reply.text) is None, reply.text  # Telegram would accept it
    wrote = writes(services) != before
    assert not wrote or any(starts_with(r.text, m) for r in replies for m in SAID_SO), replies
    return wrote


REGISTERED: set[int] = set()  # services whose user 1 is registered (hypothesis reuses them)


@PROPERTY
@given(text=MESSAGES)
def test_text_never_escapes_and_always_gets_a_reply(services: Services, text: str) -> None:
    if id(services) not in REGISTERED:
        register(services, "1", "member", "research")
        REGISTERED.add(id(services))
    for user in ("1", "2"):  # "2" is not registered
        wrote = check_replies(services, user, text)
        assert not wrote or (user == "1" and write_command(text)), text


@PROPERTY
@given(data=BUTTONS)
def test_buttons_never_escape_and_never_write(services: Services, data: str) -> None:
    if id(services) not in REGISTERED:
        register(services, "1", "planner", "planning")
        REGISTERED.add(id(services))
    for user in ("1", "2"):
        assert not check_replies(services, user, button=data), data


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=60))
def test_parsers_raise_nothing_but_input_error(text: str) -> None:
    for parse in (parse_number, parse_amount, clean_text):
        try:
            parse(text)
        except InputError as error:
            assert error.key
    parsed = split_command(text, build_router().words)
    assert parsed is None or parsed.name == parsed.name.lower()
