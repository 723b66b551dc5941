"""The rows of the planning division's spreadsheet, one generator per sheet, streamed from the
database so a plan with a million reports does not have to fit in memory at once."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from plan_data.figures import Figures
from plan_data.fiscal import BANGKOK, quarters
from plan_data.model import Plan
from plan_data.money import Budget
from plan_data.rollup import RECURRING, plan_total, project_budget, responsible, strategy_key
from plan_data.summary import IndicatorVerdict
from storage.db.models import Indicator, IndicatorReport, Person, Project, SpendingEntry
from storage.repositories.figures import counting_reports

Row = tuple[object, ...]
STREAM_CHUNK = 5000
KIND_TH = {"outcome": "ผลลัพธ์", "output": "ผลผลิต"}
DIRECTION_TH = {"at_least": "ไม่น้อยกว่า", "at_most": "ไม่เกิน", "milestone": "เป้าหมาย"}
UNIT_TH = {"percent": "ร้อยละ", "level": "ระดับ"}
VERDICT_TH = {
    "done": "บรรลุเป้าหมาย",
    "on_track": "ตามเป้า",
    "behind": "ต่ำกว่าเป้า",
    "not_reported": "ยังไม่รายงาน",
}
CHANNEL_TH = {"telegram": "Telegram", "line": "LINE", "console": "คอนโซล"}


def local(at: datetime) -> datetime:
    """Bangkok wall-clock time without a zone: spreadsheets have no time zones."""
    return at.astimezone(BANGKOK).replace(tzinfo=None)


def period_label(key: str) -> str:
    year, _, rest = key.partition("-")
    if rest.startswith("Q"):
        return f"ไตรมาส {rest[1:]}/{year}"
    if rest.startswith("M"):
        return f"เดือนที่ {int(rest[1:])}/{year}"
    return key


def _percent(budget: Budget) -> Decimal | None:
    return budget.spent / budget.allocated if budget.allocated else None


def project_rows(plan: Plan, figures: Figures) -> tuple[list[Row], Row]:
    """Every project and sub-activity in plan order, and the whole plan's total row.

    Each row shows the project rolled up over its sub-activities (plan_data.rollup), as
    /status does; the total adds the top-level projects only, so nothing is counted twice."""
    rows: list[Row] = []
    for project in plan.projects:
        budget = project_budget(plan, project, figures)
        strategy = strategy_key(plan, project)
        rows.append(
            (
                project.code,
                project.name_th,
                plan.recurring_name_th if strategy == RECURRING else int(strategy[1:]),
                plan.top(project).tactic_number or "",
                project.parent_code or "",
                ", ".join(
                    d.name_th
                    for d in (plan.division(k) for k in responsible(plan, project))
                    if d is not None
                ),
                budget.allocated_gov,
                budget.allocated_own,
                budget.allocated,
                budget.spent,
                budget.remaining,
                _percent(budget),
            )
        )
    total = plan_total(plan, figures)
    total_row: Row = (
        "รวมทั้งแผน", "", "", "", "", "", total.allocated_gov, total.allocated_own,
        total.allocated, total.spent, total.remaining, _percent(total),
    )  # fmt: skip
    return rows, total_row


def report_periods(session: Session, fiscal_year: int) -> list[str]:
    """The year's quarters, plus any other period keys reported for it (e.g. months)."""
    keys = {q.key for q in quarters(fiscal_year)}
    prefix = f"{fiscal_year}-"
    for (key,) in session.execute(
        select(IndicatorReport.period).where(IndicatorReport.period.like(prefix + "%")).distinct()
    ):
        keys.add(key)
    return sorted(keys, key=lambda k: (k.partition("-")[2][1:].zfill(3), k))


def period_values(session: Session) -> dict[tuple[int, str], Decimal | None]:
    """(indicator id, period) -> the newest value that counts for it."""
    active = counting_reports().subquery()
    newest = select(func.max(active.c.id)).group_by(active.c.indicator_id, active.c.period)
    return {
        (ind_id, period): value
        for ind_id, period, value in session.execute(
            select(IndicatorReport.indicator_id, IndicatorReport.period, IndicatorReport.value)
            .where(IndicatorReport.id.in_(newest))
        )
    }  # fmt: skip


def indicator_rows(
    plan: Plan,
    judged: list[IndicatorVerdict],
    values: dict[tuple[int, str], Decimal | None],
    periods: list[str],
) -> list[Row]:
    """Each indicator with its target, the newest value of each period, and its verdict for
    the frame's period."""
    rows: list[Row] = []
    for item in judged:
        ind = item.indicator
        rows.append(
            (
                item.project.code,
                ind.seq,
                KIND_TH.get(ind.kind, ind.kind),
                ind.text,
                UNIT_TH.get(ind.unit, ind.unit),
                DIRECTION_TH.get(ind.direction, ind.direction),
                ind.target,
                *(values.get((ind.id, key)) for key in periods),
                VERDICT_TH[item.verdict.value],
            )
        )
    return rows


def _spending_query():  # type: ignore[no-untyped-def]
    return (
        select(SpendingEntry, Project.code, Person.display_name)
        .join(Project, Project.id == SpendingEntry.project_id)
        .outerjoin(Person, Person.id == SpendingEntry.person_id)
        .order_by(SpendingEntry.created_at, SpendingEntry.id)
        .execution_options(yield_per=STREAM_CHUNK)
    )


def spending_rows(session: Session) -> Iterator[Row]:
    """The spending log, oldest first; an undo is its own (negative) line naming what it undoes."""
    for entry, code, name in session.execute(_spending_query()):
        yield (
            entry.id,
            local(entry.created_at),
            code,
            period_label(entry.period),
            entry.amount,
            entry.note,
            name or "",
            CHANNEL_TH.get(entry.channel, entry.channel),
            entry.reverses_id,
        )


def history_rows(session: Session) -> Iterator[Row]:
    """Every entry of either kind, oldest first, with who, when and through which channel."""
    reports = (
        select(IndicatorReport, Indicator.seq, Project.code, Person.display_name, Indicator.unit)
        .join(Indicator, Indicator.id == IndicatorReport.indicator_id)
        .join(Project, Project.id == Indicator.project_id)
        .outerjoin(Person, Person.id == IndicatorReport.person_id)
        .order_by(IndicatorReport.created_at, IndicatorReport.id)
        .execution_options(yield_per=STREAM_CHUNK)
    )

    def report_stream() -> Iterator[tuple[datetime, int, Row]]:
        for report, seq, code, name, unit in session.execute(reports):
            undo = report.reverses_id is not None
            yield (
                report.created_at,
                0,
                (
                    local(report.created_at),
                    "ยกเลิกค่าตัวชี้วัด" if undo else "รายงานตัวชี้วัด",
                    code,
                    seq,
                    period_label(report.period),
                    report.value,
                    UNIT_TH.get(unit, unit) if report.value is not None else "",
                    None,
                    "" if undo else report.note,
                    name or "",
                    CHANNEL_TH.get(report.channel, report.channel),
                ),
            )

    def spending_stream() -> Iterator[tuple[datetime, int, Row]]:
        for entry, code, name in session.execute(_spending_query()):
            undo = entry.reverses_id is not None
            yield (
                entry.created_at,
                1,
                (
                    local(entry.created_at),
                    "ยกเลิกการใช้จ่าย" if undo else "บันทึกการใช้จ่าย",
                    code,
                    None,
                    period_label(entry.period),
                    None,
                    "",
                    entry.amount,
                    "" if undo else entry.note,
                    name or "",
                    CHANNEL_TH.get(entry.channel, entry.channel),
                ),
            )

    for _at, _kind, row in heapq.merge(
        report_stream(), spending_stream(), key=lambda item: (item[0], item[1])
    ):
        yield row
