"""What a reported indicator value or a spent amount may be: the bounds every write of one is
checked against, before anything reaches a database (so SQLite and PostgreSQL refuse alike)."""

from __future__ import annotations

from decimal import Context, Decimal, Inexact

from plan_data.errors import Refusal
from plan_data.model import Indicator

MAX_VALUE = Decimal(10) ** 12
VALUE_PLACES = 4  # decimals a reported value may have (they are kept as typed)
SUSPICIOUS_MULTIPLE = 10  # a value this many times the target is more likely a typo
_EXACT = Context(prec=200, traps=[Inexact])  # arithmetic on typed numbers is never rounded

# Units that count whole things: a reported 2.5 of these is a fraction of a person, of a report.
# The units of the shipped plans, and a few more that planners use; a unit not listed here
# (percent, level, hours, months, man-days, million baht, none) may have decimals.
COUNT_UNITS = frozenset(
    {
        "คน",
        "ราย",
        "ครั้ง",
        "ฉบับ",
        "ระบบ",
        "เรื่อง",
        "ชุด",
        "ชุดข้อมูล",
        "งาน",
        "รายงาน",
        "มาตรฐาน",
        "แบรนด์",
        "รายการ",
        "ตัวอย่าง",
        "หน่วยงาน",
        "ชิ้น",
        "ชิ้นงาน",
        "บริการ",
        "เทคนิค",
        "แบบวาด",
        "สื่อ",
        "ใบรับรอง",
        "ตลาด",
        "กลุ่มประเทศ",
        "ประเทศ",
        "เม็ด",
        "บริษัท",
        "โครงการ",
        "หลักสูตร",
        "ผลงาน",
        "ผลิตภัณฑ์",
        "แห่ง",
        "เล่ม",
        "กลุ่ม",
        "องค์กร",
        "ร้าน",
        "เครื่อง",
    }
)


def decimal_places(number: Decimal) -> int:
    """The decimals written: 1.50 has two, 250000 and 2.5E+5 none."""
    exponent = number.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def whole_exponent(number: Decimal) -> Decimal:
    """2.5E+5 as 250000, so every value is stored as plain digits."""
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent > 0:
        return number.quantize(Decimal(1), context=_EXACT)
    return number


def counts_whole(unit: str) -> bool:
    return unit.strip() in COUNT_UNITS


def check_value(
    indicator: Indicator, value: Decimal, *, typed: str = "", percent: bool = False
) -> Decimal:
    """The value, or a Refusal naming what is wrong with it. `percent`: typed with a % sign."""
    shown = typed or str(value)
    if not value.is_finite():
        raise Refusal("value_unreasonable", value=shown)
    if value < 0 or value.is_signed():  # -0 too
        raise Refusal("negative_value")
    percent = percent or shown.strip().endswith("%")
    if (indicator.unit == "percent" or percent) and value > 100:
        raise Refusal("percent_over_100", value=shown)
    if indicator.unit == "level" and value > 5:
        raise Refusal("level_over_5", value=shown)
    if value >= MAX_VALUE:
        raise Refusal("value_unreasonable", value=shown)
    if decimal_places(value) > VALUE_PLACES:
        raise Refusal("too_many_decimals", value=shown, places=VALUE_PLACES)
    if counts_whole(indicator.unit) and value != value.to_integral_value():
        raise Refusal("fraction_of_count", value=shown, unit=indicator.unit)
    return whole_exponent(value)


def share_of_target(indicator: Indicator, percent: Decimal) -> Decimal | None:
    """`percent`% of the indicator's target, exactly (80% of 150 คน is 120), or None when the
    indicator has no target to take a share of."""
    if not indicator.target:
        return None
    share = _EXACT.multiply(indicator.target, percent).scaleb(-2, _EXACT)
    return whole_exponent(share.normalize(_EXACT))


def far_above_target(indicator: Indicator, value: Decimal) -> bool:
    return bool(
        indicator.target
        and indicator.direction != "at_most"
        and value >= indicator.target * SUSPICIOUS_MULTIPLE  # from exactly 10× on
    )


MAX_AMOUNT = Decimal(1_000_000_000)  # more than the institute's whole budget: a typo
BAHT_PLACES = 2  # satang


def check_amount(amount: Decimal) -> Decimal:
    """Baht spent, or a Refusal: negative, zero, absurdly large, or fractions of a satang."""
    if not amount.is_finite():
        raise Refusal("absurd_amount")
    if amount < 0 or amount.is_signed():
        raise Refusal("negative_amount")
    if amount == 0:
        raise Refusal("zero_amount")
    if amount > MAX_AMOUNT:
        raise Refusal("absurd_amount")
    if decimal_places(amount) > BAHT_PLACES:
        raise Refusal("satang")
    return amount
