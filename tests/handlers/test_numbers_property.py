"""Any number, written as people write it — Thai or Arabic digits, thousands grouped by commas,
spaces or no-break spaces or not at all, a multiplier word (`2.5 แสน`), or written out in Thai
words — is read as exactly that number or refused; never as a different number. Checked on the
parser, on the words of a command (the number followed by a note), and through /spend."""

from __future__ import annotations

import re
from decimal import Decimal

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st
from pythainlp.util import num_to_thaiword
from sqlalchemy import select

from handlers.context import Services
from handlers.parsing import InputError, parse_amount, read_number, take_amount, take_number
from storage.db.models import SpendingEntry
from tests.support.handler_helpers import ask, register, writes

THAI = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")
SPOKEN_SHORT = re.compile("(ร้อย|พัน|หมื่น|แสน|ล้าน)(หนึ่ง|สอง|สาม|สี่|ห้า|หก|เจ็ด|แปด|เก้า)(ล้าน|$)")
SEPARATORS = ("", ",", " ", "\u00a0", "\u202f")
WORDS = {1: "สิบ", 2: "ร้อย", 3: "พัน", 4: "หมื่น", 5: "แสน", 6: "ล้าน"}


def grouped(digits: str, separator: str) -> str:
    if not separator:
        return digits
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return separator.join(groups)


@st.composite
def written_numbers(draw: st.DrawFn) -> tuple[Decimal, str, str]:
    """(the number, how someone wrote it). Digits grouped exactly, a multiplier, or words."""
    places = draw(st.integers(0, 4))
    value = Decimal(draw(st.integers(0, 10**13))).scaleb(-places)
    how = draw(st.sampled_from(["digits", "digits", "words", "multiplier"]))
    if how == "words":
        value = value.to_integral_value()
        assume(value > 0)
        text = num_to_thaiword(int(value))
    elif how == "multiplier":
        power = draw(st.sampled_from(sorted(WORDS)))
        coefficient = value.scaleb(-power)
        space = draw(st.sampled_from(["", " ", "\u00a0"]))
        text = f"{coefficient:f}{space}{WORDS[power]}"
    else:
        whole, _, fraction = f"{value:f}".partition(".")
        text = grouped(whole, draw(st.sampled_from(SEPARATORS)))
        text += "." + fraction if fraction else ""
    if draw(st.booleans()):
        text = text.translate(THAI)
    return value, text, how


def read_or_refused(text: str, amount: bool = False) -> Decimal | None:
    try:
        return read_number(text, amount=amount).value
    except InputError as refusal:
        assert refusal.key, text
        return None


@settings(max_examples=600, deadline=None)
@given(written=written_numbers())
@example((Decimal(250_000), "250 000", "digits"))
@example((Decimal(1_500_000), "1 500 000", "digits"))
@example((Decimal(250_000), "2.5 แสน", "multiplier"))
@example((Decimal(51_000_021), "ห้าสิบเอ็ดล้านยี่สิบเอ็ด", "words"))
@example((Decimal(200_005), "สองแสนห้า", "words"))  # 250,000 in speech: refused, not 200,005
@example((Decimal(1_005_000_000), "หนึ่งพันห้าล้าน", "words"))  # or 1,500 ล้าน: refused
def test_a_written_number_is_read_as_exactly_that_number_or_refused(
    written: tuple[Decimal, str, str],
) -> None:
    value, text, how = written
    read = read_or_refused(text)
    assert read is None or read == value, (text, read)
    if read is None:  # refused: only words that read two ways (แสนห้า: 150,000 or 100,005)
        assert how == "words" and SPOKEN_SHORT.search(text), text
    words, rest = take_number([*text.split(), "ค่าจ้าง", "๒", "งวด"])
    assert rest == ["ค่าจ้าง", "๒", "งวด"], (text, words, rest)  # the note is never the number
    assert read_or_refused(words) == read, (text, words)


@settings(max_examples=600, deadline=None)
@given(
    digits=st.text("0123456789", min_size=1, max_size=12).filter(lambda d: d[0] != "0"),
    cuts=st.lists(st.tuples(st.integers(0, 12), st.sampled_from(SEPARATORS[1:])), max_size=4),
    note=st.sampled_from(["", "ค่าจ้าง", "50", "๕ งวด"]),
)
def test_separators_anywhere_never_make_a_different_number(
    digits: str, cuts: list[tuple[int, str]], note: str
) -> None:
    """Whatever separators are put between the digits, the number read is those digits or
    nothing: `1 500 000` is never 1 with the note `500 000`, `1,2,3` never 123."""
    text = digits
    for at, separator in sorted(set(cuts), reverse=True):
        if 0 < at < len(text):
            text = text[:at] + separator + text[at:]
    words, _rest = take_number((text + " " + note).split())
    read = read_or_refused(words)
    assert read is None or read == Decimal(digits), (text, read)
    amount_words, _ = take_amount((text + " " + note).split())
    try:
        baht = parse_amount(amount_words)
    except InputError:
        return
    assert baht == Decimal(digits), (text, baht)


PROPERTY = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
REGISTERED: set[int] = set()


@PROPERTY
@given(written=written_numbers())
def test_spend_records_exactly_the_number_written_or_nothing(
    services: Services, written: tuple[Decimal, str]
) -> None:
    if id(services) not in REGISTERED:
        register(services, "1", "member", "research")
        REGISTERED.add(id(services))
    value, text, _how = written
    before = writes(services)
    replies = ask(services, "1", f"/spend STR114/64 {text} Q1 ค่าจ้าง")
    assert len(replies) == 1
    if writes(services) == before:
        return  # refused, or asked first (past the budget)
    with services.db.session() as session:
        entry = session.scalars(select(SpendingEntry).order_by(SpendingEntry.id.desc())).first()
        assert entry is not None
        assert (entry.amount, entry.note) == (value, "ค่าจ้าง"), (text, replies[0].text)
