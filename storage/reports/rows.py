"""The rows of the planning division's spreadsheet, one generator per sheet, streamed from the
database so a plan with a million reports does not have to fit in memory at once."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from storage.db.models import (
    Indicator,
    IndicatorReport,
    Person,
    Project,
    SpendingEntry,
    Tactic,
)
from storage.periods import BANGKOK, quarters
from storage.status import Budget, active_reports
from storage.summary import TimeFrame, indicator_verdicts, load_plan, strategy_key

Row = tuple[object, ...]
STREAM_CHUNK = 5000
KIND_TH = {"outcome": "ผลลัพธ์", "output": "ผลผลิต"}
DIRECTION_TH = {"at_least": "ไม่น้อยกว่า", "at_most": "ไม่เกิน", "milestone": "เป้าหมาย"}
UNIT_TH = {"percent": "ร้อยละ", "level": "ระดับ"}
VERDICT_TH = {"on_track": "ตามเป้า", "behind": "ต่ำกว่าเป้า", "not_reported": "ยังไม่รายงาน"}
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


def project_rows(session: Session) -> tuple[list[Row], Row]:
    """Every project and sub-activity in plan order, and the whole plan's total row.

    A top-level project shows its folded money (its own figure, else its sub-activities' sum,
    and their spending), as /status does; a sub-activity shows its own; the total adds the
    top-level rows only, so nothing is counted twice."""
    plan = load_plan(session)
    tactics = {t.id: t.number for t in session.scalars(select(Tactic))}
    spent_by_id = dict(
        session.execute(
            select(SpendingEntry.project_id, func.sum(SpendingEntry.amount)).group_by(
                SpendingEntry.project_id
            )
        ).all()
    )
    children: dict[int, list[Project]] = defaultdict(list)
    for project in plan.projects:
        if project.parent_id is not None:
            children[project.parent_id].append(project)
    rows: list[Row] = []
    tops = [p for p in plan.projects if plan.top_of[p.id] is p]

    def add(project: Project, budget: Budget, parent: str) -> None:
        top = plan.top_of[project.id]
        strategy = strategy_key(plan, top)
        rows.append(
            (
                project.code,
                project.name_th,
                "ค่าใช้จ่ายประจำพื้นฐาน" if strategy == "recurring" else int(strategy[1:]),
                tactics.get(top.tactic_id or -1, ""),
                parent,
                ", ".join(d.name_th for d in plan.divisions_of.get(project.id, ())),
                budget.allocated_gov,
                budget.allocated_own,
                budget.allocated,
                budget.spent,
                budget.remaining,
                _percent(budget),
            )
        )
        for child in children.get(project.id, ()):
            own = Budget(
                child.budget_gov, child.budget_own, spent_by_id.get(child.id) or Decimal(0)
            )
            add(child, own, project.code)

    for top in tops:
        add(top, plan.money[top.id], "")
    total = Budget(None, None, Decimal(0))
    for top in tops:
        b = plan.money[top.id]
        total = Budget(
            _add(total.allocated_gov, b.allocated_gov),
            _add(total.allocated_own, b.allocated_own),
            total.spent + b.spent,
        )
    total_row: Row = (
        "รวมทั้งแผน", "", "", "", "", "", total.allocated_gov, total.allocated_own,
        total.allocated, total.spent, total.remaining, _percent(total),
    )  # fmt: skip
    return rows, total_row


def _add(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    return None if a is None and b is None else (a or Decimal(0)) + (b or Decimal(0))


def report_periods(session: Session, fiscal_year: int) -> list[str]:
    """The year's quarters, plus any other period keys reported for it (e.g. months)."""
    keys = {p.key for p in quarters(fiscal_year)}
    prefix = f"{fiscal_year}-"
    for (key,) in session.execute(
        select(IndicatorReport.period).where(IndicatorReport.period.like(prefix + "%")).distinct()
    ):
        keys.add(key)
    return sorted(keys, key=lambda k: (k.partition("-")[2][1:].zfill(3), k))


def indicator_rows(session: Session, frame: TimeFrame, periods: list[str]) -> list[Row]:
    """Each indicator with its target, the newest active value of each period, and its state
    for the frame's period."""
    plan = load_plan(session)
    verdicts = indicator_verdicts(session, frame, plan)
    active = active_reports().subquery()
    newest = select(func.max(active.c.id)).group_by(active.c.indicator_id, active.c.period)
    values: dict[tuple[int, str], Decimal | None] = {
        (ind_id, period): value
        for ind_id, period, value in session.execute(
            select(IndicatorReport.indicator_id, IndicatorReport.period, IndicatorReport.value)
            .where(IndicatorReport.id.in_(newest))
        )
    }  # fmt: skip
    codes = {p.id: p.code for p in plan.projects}
    rows: list[Row] = []
    for ind, verdict in zip(plan.indicators, verdicts, strict=True):
        rows.append(
            (
                codes[ind.project_id],
                ind.seq,
                KIND_TH.get(ind.kind, ind.kind),
                ind.text,
                UNIT_TH.get(ind.unit, ind.unit),
                DIRECTION_TH.get(ind.direction, ind.direction),
                ind.target,
                *(values.get((ind.id, key)) for key in periods),
                VERDICT_TH[verdict.verdict],
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
