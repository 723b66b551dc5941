"""Replies in LINE's terms: plain text, LINE's size limits, attachments by URL or a notice."""

from __future__ import annotations

from bot.line_render import MediaStore, batches, chunks, fit, plain, render
from handlers.request import Attachment, Button, Reply
from handlers.text_fit import graphemes
from tests.support.catalog import fields, th
from tests.support.line_models import validated


def _dicts(
    replies: list[Reply], media: MediaStore | None = None, language: str = "th"
) -> list[dict]:
    return [validated(m) for m in render(replies, media, language)]


def test_html_lite_becomes_plain_text() -> None:
    assert plain("<b>STR114/64</b> <i>ok</i> <code>/spend A&amp;B &lt;1&gt;</code>") == (
        "STR114/64 ok /spend A&B <1>"
    )


def test_quick_replies_keep_lines_limits() -> None:
    rows = [
        (Button(f"{i}. ผู้เข้าร่วมงาน GIT 2021 จำนวน 150 คน", f"upd:i:STR114/64:{i}"),)
        for i in range(1, 17)
    ]
    buttons = (*rows, (Button("too long", "x" * 301),))
    [message] = _dicts([Reply("เลือกตัวชี้วัด", buttons=buttons)])
    items = message["quickReply"]["items"]
    assert len(items) == 13
    assert items[0]["action"]["label"] == "1. ผู้เข้าร่วมงาน GIT…"  # 20 graphemes, at a word
    assert all(graphemes(i["action"]["label"]) <= 20 for i in items)
    assert items[0]["action"]["data"] == "upd:i:STR114/64:1"
    assert items[0]["action"]["displayText"].startswith("1. ผู้เข้าร่วมงาน GIT 2021")
    assert all(len(i["action"]["data"]) <= 300 for i in items)


def test_fit_counts_utf16_like_line() -> None:
    assert fit("สถานะ", 20) == "สถานะ"
    assert fit("📊" * 15, 20) == "📊" * 9 + "…"  # each emoji is two UTF-16 units


def test_long_text_is_cut_at_line_ends_and_batched_by_five() -> None:
    text = "\n".join(f"บรรทัด {i} " + "ข" * 200 for i in range(200))
    pieces = chunks(text)
    assert all(len(p) <= 5000 for p in pieces) and "\n".join(pieces) == text
    messages = render([Reply(text)], None, "th")
    assert len(pieces) == len(messages) == 9
    assert [len(b) for b in batches(messages)] == [5, 4]


def test_chart_without_public_url_is_explained_in_text() -> None:
    chart = Attachment("budget.png", b"\x89PNG...", "image/png")
    [message] = _dicts([Reply("<b>งบประมาณ</b>", image=chart)])
    assert message["type"] == "text"
    assert message["text"] == "งบประมาณ\n\n" + th("line_no_public_url", filename="budget.png")


def test_chart_and_file_with_public_url_go_by_link() -> None:
    media = MediaStore("https://planbot.example.org")
    chart = Attachment("budget.png", b"\x89PNG...", "image/png")
    sheet = Attachment("plan 2564.xlsx", b"PK..", "application/vnd.ms-excel")
    text, image, export = _dicts(
        [Reply("งบประมาณ", image=chart), Reply("ส่งออก", document=sheet)], media, "en"
    )
    assert text["text"] == "งบประมาณ" and image["type"] == "image"
    url = image["originalContentUrl"]
    assert url.startswith("https://planbot.example.org/media/") and url.endswith("/budget.png")
    token = url.split("/")[-2]
    assert media.get(token) == chart
    caption, link = export["text"].split("\n\n")
    assert caption == "ส่งออก"
    url = fields(link, "line_file_link", "en", filename="plan 2564.xlsx")["url"]
    assert url.startswith("https://planbot.example.org/media/")
    assert url.endswith("/plan_2564.xlsx")


def _card_with(
    buttons: int, rows: int = 1, label: str = "ตัวชี้วัด", value: str = "ยังไม่รายงาน"
) -> Reply:
    from handlers.request import Card, CardRow

    card = Card(
        "กิจกรรมที่ค้างรายงาน",
        "ฝ่ายวิชาการ",
        "ค้างรายงาน",
        rows=tuple(CardRow(f"{n}. {label}", value=value) for n in range(rows)),
        buttons=tuple(Button(f"BAS11{n}/64 รายงาน", f"upd:s:BAS11{n}/64") for n in range(buttons)),
    )
    return Reply("ข้อความ", buttons=(card.buttons,), card=card)


def test_a_cards_fifth_button_is_a_quick_reply_never_dropped() -> None:
    [flex] = _dicts([_card_with(6)])
    footer = [b["action"]["data"] for b in flex["contents"]["footer"]["contents"]]
    quick = [i["action"]["data"] for i in flex["quickReply"]["items"]]
    assert footer == [f"upd:s:BAS11{n}/64" for n in range(4)]
    assert quick == ["upd:s:BAS114/64", "upd:s:BAS115/64"]


def test_a_card_is_measured_as_it_is_sent() -> None:
    """Thai posted unescaped weighs 3 bytes a character, not the 6 of \\uXXXX: a card of 20 KB
    as sent is shown whole (it would be 40 KB escaped), and what is sent is under 30 KB."""
    import json

    from bot.line_render import MAX_BUBBLE_BYTES, sent_size

    thai = "ผู้ประกอบการได้รับการพัฒนา"  # 25 characters
    reply = _card_with(2, rows=12, label=thai * 15, value=thai * 10)
    [flex, *rest] = _dicts([reply])
    bubble = flex["contents"]
    assert sent_size(bubble) <= MAX_BUBBLE_BYTES < len(json.dumps(bubble).encode())
    assert len(bubble["body"]["contents"]) >= 12 and rest == []
