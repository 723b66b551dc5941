"""Names of plan things in the reader's language: a reporting period (ไตรมาส 1/2564, ตุลาคม
2564), and a division's or project's Thai or English name, escaped for chat HTML."""

from __future__ import annotations

from handlers.context import Context
from handlers.formatting import esc, month_name
from handlers.i18n import Translator
from plan_data.calendar import parse_period_key


def period_name(_: Translator, period_key: str) -> str:
    """ไตรมาส 1/2564, or ตุลาคม 2564 for a monthly period; the key itself when unknown."""
    name = parse_period_key(period_key)
    if name is None:
        return esc(period_key)
    if name.month is None:
        return _("period_quarter", quarter=name.quarter, year=name.fiscal_year)
    return _("period_month", month=month_name(name.month, _.language), year=name.fiscal_year)


def period_label(ctx: Context, period_key: str) -> str:
    return period_name(ctx._, period_key)


def name_of(ctx: Context, name_th: str, name_en: str) -> str:
    return esc(name_en if ctx.language == "en" and name_en else name_th)
