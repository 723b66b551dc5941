"""Dates and quantities are written by one function each (handlers/formatting.py), which chat,
the Word report and the spreadsheet all call."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from handlers.formatting import day, month_name, quantity


def test_a_day_in_the_buddhist_era_in_thai_and_gregorian_in_english() -> None:
    assert day(date(2021, 1, 11), "th") == "11 ม.ค. 2564"
    assert day(date(2021, 1, 11), "th", full=True) == "11 มกราคม 2564"
    assert day(date(2020, 10, 1), "en") == "1 Oct 2020"
    assert day(date(2020, 10, 1), "en", full=True) == "1 October 2020"


def test_a_time_is_read_in_bangkok() -> None:
    utc = datetime.fromisoformat("2021-01-10T20:30:00+00:00")  # 03:30 the next day in Bangkok
    assert day(utc, "th", with_time=True) == "11 ม.ค. 2564 03:30"
    assert day(utc, "en", with_time=True, full=True) == "11 January 2021 03:30"
    assert day(utc, "th") == "11 ม.ค. 2564"


def test_month_names() -> None:
    assert (month_name(10, "th"), month_name(10, "th", short=True)) == ("ตุลาคม", "ต.ค.")
    assert (month_name(2, "en"), month_name(2, "en", short=True)) == ("February", "Feb")


def test_a_quantity_with_its_unit_for_chat_and_for_a_document() -> None:
    assert quantity(Decimal("95.5"), "percent", "th") == "95.5%"
    assert quantity(Decimal(4), "level", "th") == "ระดับ 4"
    assert quantity(Decimal(1800), "ราย", "th") == "1,800 ราย"
    assert quantity(Decimal(3), "<ชิ้น>", "th") == "3 &lt;ชิ้น&gt;"  # chat HTML
    assert quantity(Decimal(3), "<ชิ้น>", "th", html=False) == "3 <ชิ้น>"  # Word, a cell
