"""Small hand-made plans for the domain's unit tests (no database)."""

from __future__ import annotations

from decimal import Decimal

from plan_data.model import Division, Indicator, Plan, Project, Strategy, Tactic

DIVISIONS = (
    Division("alpha", "ฝ่ายอัลฟา", "Alpha"),
    Division("beta", "ฝ่ายเบตา", "Beta"),
    Division("gamma", "ฝ่ายแกมมา", "Gamma"),
    Division("legal", "งานกฎหมาย", "Legal unit"),
)


def project(
    pid: int,
    code: str,
    *,
    parent: str | None = None,
    gov: str | None = None,
    own: str | None = None,
    divisions: tuple[str, ...] = (),
    strategy: int | None = 1,
    tactic: str | None = "1.1",
    indicators: tuple[Indicator, ...] = (),
) -> Project:
    return Project(
        pid,
        code,
        f"โครงการ {code}",
        f"Project {code}",
        2564,
        strategy,
        tactic if strategy is not None else None,
        parent,
        Decimal(gov) if gov is not None else None,
        Decimal(own) if own is not None else None,
        divisions,
        indicators,
    )


def indicator(
    iid: int,
    code: str,
    seq: int = 1,
    *,
    target: str | None = "100",
    unit: str = "คน",
    direction: str = "at_least",
) -> Indicator:
    return Indicator(
        iid,
        code,
        seq,
        "output",
        seq,
        f"indicator {seq}",
        Decimal(target) if target is not None else None,
        unit,
        direction,
    )


def nested_plan() -> Plan:
    """P (alpha, no budget of its own) with C1 (beta) holding G (gamma), and C2 (no division);
    Q (alpha and beta, own budget) in strategy 2; R in the recurring block (legal)."""
    projects = (
        project(1, "AAA111/64", divisions=("alpha",), indicators=(indicator(1, "AAA111/64"),)),
        project(
            2,
            "AAA111_1/64",
            parent="AAA111/64",
            gov="1000",
            divisions=("beta",),
            indicators=(indicator(2, "AAA111_1/64"),),
        ),
        project(
            3,
            "AAA111_1_1/64",
            parent="AAA111_1/64",
            own="500",
            divisions=("gamma",),
            indicators=(indicator(3, "AAA111_1_1/64", target="50", unit="percent"),),
        ),
        project(4, "AAA111_2/64", parent="AAA111/64", gov="2000", own="300"),
        project(5, "BBB211/64", gov="4000", divisions=("alpha", "beta"), strategy=2, tactic="2.1"),
        project(6, "REV122/64", own="700", divisions=("legal",), strategy=None),
    )
    return Plan(
        2564,
        projects,
        strategies=(Strategy(1, "ยุทธศาสตร์ 1", "Strategy 1"), Strategy(2, "ยุทธศาสตร์ 2", "S2")),
        tactics=(Tactic("1.1", 1, "กลยุทธ์ 1.1", "T1.1"), Tactic("2.1", 2, "กลยุทธ์ 2.1", "T2.1")),
        divisions=DIVISIONS,
        recurring_name_th="ค่าใช้จ่ายประจำพื้นฐาน",
        recurring_name_en="Recurring expenses",
    )
