"""/status and /budget as Flex cards in LINE, end to end: signed webhooks, the real line-bot-sdk
sending to the fake Messaging API (which checks Flex messages the way LINE does), a real SQLite
file with the FY2564 plan."""

from __future__ import annotations

from typing import Any

import pytest
from linebot.v3.messaging import FlexContainer, FlexMessage, PushMessageRequest
from linebot.v3.messaging.exceptions import ApiException

from bot.line_render import MAX_CARD_ROWS, render
from handlers.context import Services
from handlers.request import BudgetBar, Button, Card, CardRow, Reply
from tests.fakes.line_api import card_buttons, flex_problem, flex_texts
from tests.fakes.line_harness import LineHarness, line_harness
from tests.support.catalog import contains, starts_with, th

Q1 = th("period_quarter", quarter=1, year=2564)


def _bars(node: Any) -> list[dict[str, Any]]:
    """Every progress bar in a Flex tree: a box with a fixed height holding filler boxes."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "box" and "height" in node:
            found.append(node)
        for key in ("header", "body", "footer", "contents"):
            found += _bars(node.get(key))
    elif isinstance(node, list):
        for item in node:
            found += _bars(item)
    return found


def _shares(bar: dict[str, Any]) -> list[tuple[int, str | None]]:
    """(flex, colour) of a bar's parts: the filled share first."""
    return [(part["flex"], part.get("backgroundColor")) for part in bar["contents"]]


def _filled(bar: dict[str, Any]) -> int:
    """Hundredths of the bar that are coloured in."""
    return sum(flex for flex, colour in _shares(bar) if colour)


async def _last_card(line: LineHarness, chat: str) -> dict[str, Any]:
    cards = line.fake.cards(chat)
    assert cards, line.fake.shown(chat)
    return cards[-1]


async def test_status_is_a_flex_card_with_budget_bar_indicators_and_buttons(
    services: Services,
) -> None:
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        await line.say("Uhead1", "/update STR114/64 1 85")
        await line.say("Uhead1", "/spend STR114/64 250000 Q1")
        before = len(line.fake.to("Uhead1"))
        await line.say("Uhead1", "สถานะ STR114/64")
        [delivered] = line.fake.to("Uhead1")[before:]
        assert delivered.kind == "reply" and [m["type"] for m in delivered.messages] == ["flex"]
        card = delivered.messages[0]
        assert flex_problem(card) is None
        assert "quickReply" not in card  # the choices are the card's own buttons
        assert card["altText"] == th(
            "card_alt_status",
            code="STR114/64",
            percent="5%",
            remaining="4,750,000 บาท",
            fine=1,
            total=3,
        )
        bubble = card["contents"]
        assert bubble["type"] == "bubble"
        title, name = flex_texts(bubble["header"])
        assert title == "STR114/64" and name.startswith("งานประชุมวิชาการนานาชาติ (GIT 2021)")

        body = flex_texts(bubble["body"])
        assert body[:3] == [
            th("card_allocated", amount="5 ล้านบาท"),
            th("card_spent", spent="250,000 บาท", percent="5%"),
            th("card_remaining", remaining="4,750,000 บาท"),
        ]
        budget_bar, *indicator_bars = _bars(bubble["body"])
        assert _shares(budget_bar) == [(5, "#1E88E5"), (95, None)]
        assert [_filled(b) for b in indicator_bars] == [85, 0, 0]

        assert th("card_indicators", period=Q1) in body
        first = body.index(next(t for t in body if t.startswith("1. (" + th("kind_outcome"))))
        assert body[first + 1] == th("card_verdict_on_track")
        latest = th("card_latest", value="85%", period=Q1, by="Somchai")
        assert body[first + 2] == latest + " · " + th("target_milestone", target="100%")
        assert body.count(th("card_verdict_not_reported")) == 2  # indicators 2 and 3
        assert any(starts_with(t, "status_overdue", period=Q1) for t in body)

        assert card_buttons(card) == [
            (th("button_update"), "upd:s:STR114/64"),
            (th("button_history"), "his:STR114/64:0"),
        ]


async def test_the_card_buttons_do_what_the_telegram_buttons_do(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        await line.say("Uhead1", "/spend STR114/64 250000 Q1 มัดจำ")
        await line.say("Uhead1", "/status STR114/64")
        report, history = card_buttons(await _last_card(line, "Uhead1"))

        [asked] = await line.press("Uhead1", report[1])
        assert "STR114/64" in asked
        choices = line.fake.to("Uhead1")[-1].quick_replies  # choices stay quick replies
        assert [data for _label, data in choices] == [
            "upd:i:STR114/64:1",
            "upd:i:STR114/64:2",
            "upd:i:STR114/64:3",
        ]

        [log] = await line.press("Uhead1", history[1])
        assert "250,000" in log and "มัดจำ" in log


async def test_an_overspent_project_card_says_over_budget_with_a_full_red_bar(
    services: Services,
) -> None:
    async with line_harness(services) as line:
        line.register("Uhead1", "head", "research")
        await line.say("Uhead1", "/spend STR114/64 5,100,000 Q1")
        confirm = next(
            data
            for _l, data in line.fake.to("Uhead1")[-1].quick_replies
            if data.startswith("spd:ok")
        )
        await line.press("Uhead1", confirm)
        await line.say("Uhead1", "/status STR114/64")
        card = await _last_card(line, "Uhead1")
        body = flex_texts(card["contents"]["body"])
        assert body[:4] == [
            th("card_allocated", amount="5 ล้านบาท"),
            th("card_verdict_overspent"),
            th("card_spent", spent="5,100,000 บาท", percent="102%"),
            th("card_overspent_by", amount="100,000 บาท"),
        ]
        budget_bar = _bars(card["contents"]["body"])[0]
        assert _shares(budget_bar) == [(100, "#C62828")]
        assert starts_with(
            card["altText"], "card_alt_status_overspent", code="STR114/64", amount="100,000 บาท"
        )


async def test_budget_is_a_flex_card_for_a_division_and_for_a_project(services: Services) -> None:
    async with line_harness(services) as line:
        line.register("Uresearch1", "member", "research")
        await line.say("Uresearch1", "/spend STR114/64 1,000,000 Q1")
        await line.say("Uresearch1", "งบ")
        division = await _last_card(line, "Uresearch1")
        assert flex_problem(division) is None
        assert division["altText"] == th(
            "card_alt_budget",
            title="ฝ่ายวิจัยและพัฒนา",
            spent="1 ล้านบาท",
            allocated="10.95 ล้านบาท",
            percent="9.1%",
        )
        assert flex_texts(division["contents"]["header"]) == ["ฝ่ายวิจัยและพัฒนา", "research"]
        body = flex_texts(division["contents"]["body"])
        assert body[0] == th("card_allocated", amount="10.95 ล้านบาท")
        assert th("card_spent_of", spent="1 ล้านบาท", allocated="5 ล้านบาท", percent="20%") in body
        total, *projects = _bars(division["contents"]["body"])
        assert _filled(total) == 9 and len(projects) == 6
        assert sorted(_filled(b) for b in projects) == [0, 0, 0, 0, 0, 20]  # STR114/64: a fifth
        assert card_buttons(division) == []

        await line.say("Uresearch1", "งบ STR114/64")
        project = await _last_card(line, "Uresearch1")
        assert flex_texts(project["contents"]["header"])[0] == "STR114/64"
        assert card_buttons(project) == [
            (th("button_status"), "sta:STR114/64"),
            (th("button_history"), "his:STR114/64:0"),
        ]
        [status] = await line.press("Uresearch1", "sta:STR114/64")
        assert status.startswith("STR114/64")
        assert contains(status, "card_remaining", remaining="4,000,000 บาท")


def _big_card(rows: int, label: str = "ตัวชี้วัด") -> Card:
    return Card(
        title="TST101/64",
        subtitle="โครงการทดสอบ",
        alt_text="TST101/64 " + "ยาวมาก " * 100,  # longer than LINE's 400
        budget=BudgetBar("งบประมาณ 1 ล้านบาท", "ใช้ไป 0 บาท (0%)", "คงเหลือ 1 ล้านบาท", 0.0, False),
        rows_title="ตัวชี้วัด",
        rows=tuple(
            CardRow(f"{i}. {label}", label, 0.5, "behind", "ต่ำกว่าเป้า") for i in range(1, rows + 1)
        ),
        buttons=(Button("รายงานตัวชี้วัด", "upd:s:TST101/64"),),
    )


@pytest.mark.parametrize(
    ("rows", "label", "shown"),
    [(15, "ตัวชี้วัด", MAX_CARD_ROWS), (12, "ยาวมาก" * 66, None)],
)
async def test_a_card_too_long_for_line_is_cut_and_the_text_follows(
    services: Services, rows: int, label: str, shown: int | None
) -> None:
    reply = Reply("<b>TST101/64</b> the whole text", card=_big_card(rows, label))
    more = Reply("the second part of the text", beside_card=True)
    messages = render([reply, more], None, "th")
    assert [m["type"] for m in messages] == ["flex", "text", "text"]
    async with line_harness(services) as line:
        await line.bot.push("Ucards", messages)
        [card] = line.fake.cards("Ucards")
        assert line.fake.rejected == []
        assert len(card["altText"]) <= 400 and card["altText"].endswith("…")
        body = flex_texts(card["contents"]["body"])
        counted = sum(t.endswith(label) and t[0].isdigit() for t in body)
        assert counted == shown if shown is not None else 0 < counted < rows
        assert body[-1] == th("line_card_more", count=rows - counted)
        assert line.fake.texts("Ucards") == [
            "TST101/64 the whole text",
            "the second part of the text",
        ]


async def test_a_whole_card_leaves_out_the_text_beside_it(services: Services) -> None:
    reply = Reply("<b>TST101/64</b> the whole text", card=_big_card(3))
    more = Reply("the second part of the text", beside_card=True)
    after = Reply("something else")
    assert [m["type"] for m in render([reply, more, after], None, "th")] == ["flex", "text"]


def _flex(body: dict[str, Any], alt: str = "x", block: str = "body") -> dict[str, Any]:
    return {"type": "flex", "altText": alt, "contents": {"type": "bubble", block: body}}


def _box(*contents: dict[str, Any], **style: Any) -> dict[str, Any]:
    return {"type": "box", "layout": "vertical", "contents": list(contents), **style}


async def test_the_fake_refuses_flex_messages_line_would_refuse(services: Services) -> None:
    ok = _box({"type": "text", "text": "ok"})
    too_long = {"type": "postback", "label": "ป" * 21, "data": "d"}
    refused = {
        "/altText": _flex(ok, alt="x" * 401),
        "/contents/type": {"type": "flex", "altText": "x", "contents": ok},
        "/body/type": _flex({"type": "text", "text": "a block must be a box"}),
        "/layout": _flex(_box(layout="diagonal")),
        "/text: required": _flex(_box({"type": "text", "text": ""})),
        "/flex": _flex(_box(flex=-1)),
        "/color": _flex(_box({"type": "text", "text": "x", "color": "red"})),
        "/label": _flex(_box({"type": "button", "action": too_long}), block="footer"),
        "/action: required": _flex(_box({"type": "button"}), block="footer"),
        "30 KB": _flex(_box(*[{"type": "text", "text": "ก" * 400}] * 40)),
    }
    assert flex_problem(_flex(ok)) is None
    for why, message in refused.items():
        problem = flex_problem(message)
        assert problem is not None and why in problem, (why, problem)
    async with line_harness(services) as line:
        bubble = FlexContainer.from_dict({"type": "bubble", "body": ok})
        flex = FlexMessage(altText="x" * 401, contents=bubble)
        with pytest.raises(ApiException) as error:
            await line.bot.api.push_message(PushMessageRequest(to="Ucards", messages=[flex]))
        assert error.value.status == 400 and "altText" in str(error.value.body)
        assert line.fake.delivered == []
