"""Evidence through the dispatcher: a file sent with a command, in reply to a confirmation,
after pressing 📎, or offered to the newest entry; /evidence sends them back."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import func, select

from bot.channels import TELEGRAM
from handlers.buttons import EvidenceAnswer, EvidenceFor, decode
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Reply, Request
from plan_data.evidence import IncomingFile
from storage.db.models import EvidenceFile, EvidenceLink, IndicatorReport
from tests.support.catalog import contains, matches, th
from tests.support.handler_helpers import ask, register

PNG = b"\x89PNG\r\n\x1a\n" + b"event photo" * 40
PDF = b"%PDF-1.5\n" + b"attendance" * 40


def _file(content: bytes = PNG, name: str = "photo.png", kind: str = "image/png") -> IncomingFile:
    return IncomingFile(name, kind, len(content), content, is_photo=kind.startswith("image/"))


def send(
    services: Services,
    user: str,
    incoming: IncomingFile,
    caption: str = "",
    reply_to: tuple[str, ...] = (),
    minutes: int = 0,
    group: bool = False,
) -> list[Reply]:
    request = Request(
        "telegram",
        user,
        f"-{user}" if group else user,
        text=caption,
        language="th",
        is_group=group,
        attachment=incoming,
        reply_to=reply_to,
        at=services.clock() + timedelta(minutes=minutes),
    )
    return dispatch(request, services)


def _counts(services: Services) -> tuple[int, int]:
    with services.db.session() as session:
        files = session.scalar(select(func.count()).select_from(EvidenceFile))
        links = session.scalar(select(func.count()).select_from(EvidenceLink))
    return int(files or 0), int(links or 0)


def _setup(services: Services) -> None:
    register(services, "1", "head", "research", "Somchai")
    register(services, "2", "planner", "planning", "Malee")
    register(services, "3", "head", "training", "Wichai")


def test_a_photo_captioned_with_update_is_kept_with_the_value(services: Services) -> None:
    _setup(services)
    [reply] = send(services, "1", _file(), caption="/update STR114/64 2 130")
    assert contains(reply.text, "update_recorded", code="STR114/64", number=2)
    assert contains(
        reply.text,
        "evidence_attached",
        name="photo.png",
        entry=th("evidence_entry_value", code="STR114/64", seq=2),
        count=1,
    )
    assert _counts(services) == (1, 1)
    [listing] = ask(services, "2", "/evidence STR114/64 2")
    assert contains(listing.text, "evidence_header", count=1)
    assert [(f.filename, f.content, f.mime_type) for f in listing.files] == [
        ("photo.png", PNG, "image/png")
    ]


def test_a_refused_file_keeps_the_value_and_says_why(services: Services) -> None:
    _setup(services)
    program = IncomingFile("setup.exe", "application/x-msdownload", 8, b"MZ\x90\x00abcd")
    [reply] = send(services, "1", program, caption="/update STR114/64 2 130")
    assert contains(reply.text, "update_recorded", code="STR114/64", number=2)
    assert contains(reply.text, "evidence_type", kind="application/x-msdownload")
    assert _counts(services) == (0, 0)
    with services.db.session() as session:
        assert session.scalar(select(func.count()).select_from(IndicatorReport)) == 1


def test_a_file_over_the_limit_is_refused_in_one_sentence(services: Services) -> None:
    _setup(services)
    small = replace(services, evidence_max_bytes=100)
    ask(services, "1", "/update STR114/64 2 130")
    [reply] = send(small, "1", _file(PDF, "minutes.pdf", "application/pdf"))
    assert matches(reply.text, "evidence_too_large", limit="1 KB")  # never "0.0 MB"
    assert _counts(services) == (0, 0)


def test_a_file_in_reply_to_a_confirmation_goes_with_that_entry(services: Services) -> None:
    _setup(services)
    [confirmation] = ask(services, "1", "/spend STR114/64 25000 Q1")
    [[button]] = confirmation.buttons
    assert button.label == th("evidence_button")
    assert isinstance(decode(button.data), EvidenceFor)
    ask(services, "1", "/update STR114/64 2 130")  # a newer entry: the reply still wins
    [reply] = send(
        services, "1", _file(PDF, "receipt.pdf", "application/pdf"), reply_to=(button.data,)
    )
    assert contains(reply.text, "evidence_attached", name="receipt.pdf", count=1)
    assert "25,000" in reply.text
    [listing] = ask(services, "2", "/evidence STR114/64")
    assert [f.filename for f in listing.files] == ["receipt.pdf"]


def test_a_file_after_pressing_attach_goes_with_that_entry(services: Services) -> None:
    _setup(services)
    [confirmation] = ask(services, "1", "/update STR114/64 2 130")
    [pressed] = ask(services, "1", button=confirmation.buttons[0][0].data)
    assert matches(
        pressed.text, "evidence_send_now", entry=th("evidence_entry_value", code="STR114/64", seq=2)
    )
    [reply] = send(services, "1", _file(), minutes=3)
    assert contains(reply.text, "evidence_attached", name="photo.png", count=1)


def test_a_file_soon_after_an_entry_is_offered_to_it(services: Services) -> None:
    _setup(services)
    ask(services, "1", "/update STR114/64 2 130")
    [question] = send(services, "1", _file(), minutes=9)
    assert matches(
        question.text,
        "evidence_ask",
        name="photo.png",
        entry=th("evidence_entry_value", code="STR114/64", seq=2),
    )
    yes, no = question.buttons[0]
    assert (yes.label, no.label) == (th("evidence_yes"), th("evidence_no"))
    assert isinstance(decode(yes.data), EvidenceAnswer)
    [someone_else] = ask(services, "3", button=yes.data)  # not the sender's to answer
    assert someone_else.text == th("evidence_offer_gone")
    [answered] = ask(services, "1", button=yes.data)
    assert contains(answered.text, "evidence_attached", name="photo.png", count=1)
    assert _counts(services) == (1, 1)


def test_a_declined_offer_keeps_nothing(services: Services) -> None:
    _setup(services)
    ask(services, "1", "/update STR114/64 2 130")
    [question] = send(services, "1", _file(), minutes=1)
    [answered] = ask(services, "1", button=question.buttons[0][1].data)
    assert answered.text == th("evidence_declined")
    assert _counts(services) == (0, 0)


def test_a_file_with_no_entry_near_is_not_kept(services: Services) -> None:
    _setup(services)
    ask(services, "1", "/update STR114/64 2 130")
    [reply] = send(services, "1", _file(), minutes=11)
    assert reply.text == th("evidence_no_entry")
    assert _counts(services) == (0, 0)
    assert send(services, "1", _file(), minutes=11, group=True) == []  # pictures among people


def test_evidence_is_for_planners_and_the_projects_divisions(services: Services) -> None:
    _setup(services)
    send(services, "1", _file(), caption="/update STR114/64 2 130")
    [refused] = ask(services, "3", "/evidence STR114/64 2")
    assert matches(refused.text, "evidence_not_allowed", code="STR114/64")
    assert refused.files == ()
    [own] = ask(services, "1", "/evidence STR114/64")
    assert [f.content for f in own.files] == [PNG]
    [none] = ask(services, "2", "/evidence STR114/64 1")
    assert none.text == th(
        "evidence_none", what=th("evidence_entry_value", code="STR114/64", seq=1)
    )
    [usage] = ask(services, "2", "/evidence")
    assert usage.text == th("evidence_usage")


def test_an_undone_entry_takes_its_evidence_out_of_view(services: Services) -> None:
    _setup(services)
    send(services, "1", _file(), caption="/update STR114/64 2 130")
    ask(services, "1", "/undo")
    [reply] = ask(services, "2", "/evidence STR114/64 2")
    assert reply.files == ()


def test_help_says_how_to_attach_evidence(services: Services) -> None:
    _setup(services)
    [shown] = ask(services, "1", "/help")
    assert th("help_evidence") in shown.text
    assert "/evidence" in shown.text


def test_evidence_past_ten_files_pages_with_a_button_until_every_file_is_sent(
    services: Services,
) -> None:
    _setup(services)
    [confirmation] = ask(services, "1", "/update STR114/64 2 130")
    marker = confirmation.buttons[0][0].data
    for number in range(12):
        picture = PNG + str(number).encode()
        send(services, "1", _file(picture, f"p{number}.png"), reply_to=(marker,))
    [reply] = ask(services, "2", "/evidence STR114/64 2")
    assert [f.filename for f in reply.files] == [f"p{n}.png" for n in range(10)]
    assert contains(reply.text, "evidence_header", count=12)
    assert contains(reply.text, "evidence_sent_range", first=1, last=10, count=12)
    assert contains(reply.text, "evidence_line", number=12, name="p11.png")
    assert th("evidence_more", shown=10, count=12) not in reply.text  # an indicator was named
    [[more]] = reply.buttons
    assert more.label == th("evidence_next_button", first=11, last=12)
    [rest] = ask(services, "2", button=more.data)
    assert [f.filename for f in rest.files] == ["p10.png", "p11.png"]
    assert contains(rest.text, "evidence_sent_range", first=11, last=12, count=12)
    assert rest.buttons == ()
    [whole] = ask(services, "2", "/evidence STR114/64")  # the project: the same files, paged too
    assert len(whole.files) == 10 and whole.buttons


def test_in_a_telegram_group_attach_says_to_reply(services: Services) -> None:
    _setup(services)
    [confirmation] = ask(services, "1", "/update STR114/64 2 130", group=True)
    data = confirmation.buttons[0][0].data
    [pressed] = ask(services, "1", button=data, group=True, traits=TELEGRAM.traits)
    assert matches(
        pressed.text,
        "evidence_send_by_reply",
        entry=th("evidence_entry_value", code="STR114/64", seq=2),
    )
    # A group that hands the bot every file (LINE's, with the bot mentioned) is told to send it.
    [elsewhere] = ask(services, "1", button=data, group=True)
    entry = th("evidence_entry_value", code="STR114/64", seq=2)
    assert matches(elsewhere.text, "evidence_send_now", entry=entry)


def test_yes_after_the_entry_was_undone_says_so_and_keeps_nothing(services: Services) -> None:
    _setup(services)
    ask(services, "1", "/update STR114/64 2 130")
    [question] = send(services, "1", _file(), minutes=2)
    ask(services, "1", "/undo")
    [answered] = ask(services, "1", button=question.buttons[0][0].data)
    assert answered.text == th("evidence_entry_gone")
    assert _counts(services) == (0, 0)
