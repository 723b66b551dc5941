"""Every declared total in a plan is checked against the sum of its items, per column."""

from __future__ import annotations

from pathlib import Path

import pytest

from storage.plan_io.document import parse_plan
from storage.plan_io.loader import read_plan_file
from tests.support.plan_support import small_plan, write_yaml

MATCHING = {
    "strategy_total": {"gov": "3.7500", "own": "0.5000"},
    "tactic_total": {"gov": "3.7500", "own": "0.5000"},
    "recurring_total": {"gov": None, "own": "3.0000"},
}


def _warnings(tmp_path: Path, **totals: dict[str, str | None]) -> list[str]:
    plan, check = read_plan_file(write_yaml(tmp_path, small_plan(**{**MATCHING, **totals})))
    assert plan is not None, check.errors
    return [str(p) for p in check.warnings]


def test_totals_that_match_give_no_warning(tmp_path: Path) -> None:
    assert _warnings(tmp_path) == []


@pytest.mark.parametrize(
    ("where", "total", "record", "field", "label", "stated", "summed"),
    [
        (
            "strategy_total",
            {"gov": "3.0000", "own": "0.5000"},
            "strategy 1",
            "gov",
            "government budget (งปม.)",
            "3.0000 million baht",
            "3.7500",
        ),
        (
            "strategy_total",
            {"gov": "3.7500", "own": "0.7000"},
            "strategy 1",
            "own",
            "own funds (เงินนอก)",
            "0.7000 million baht",
            "0.5000",
        ),
        (
            "tactic_total",
            {"gov": "3.7501", "own": "0.5000"},
            "tactic 1.1",
            "gov",
            "government budget (งปม.)",
            "3.7501 million baht",
            "3.7500",
        ),
        (
            "tactic_total",
            {"gov": "3.7500", "own": None},
            "tactic 1.1",
            "own",
            "own funds (เงินนอก)",
            "none (-)",
            "0.5000",
        ),
        (
            "recurring_total",
            {"gov": "1.0000", "own": "3.0000"},
            "recurring expenses",
            "gov",
            "government budget (งปม.)",
            "1.0000 million baht",
            "0",
        ),
        (
            "recurring_total",
            {"gov": None, "own": "2.9000"},
            "recurring expenses",
            "own",
            "own funds (เงินนอก)",
            "2.9000 million baht",
            "3.0000",
        ),
    ],
)
def test_each_mismatch_is_named_with_both_figures(
    tmp_path: Path,
    where: str,
    total: dict[str, str | None],
    record: str,
    field: str,
    label: str,
    stated: str,
    summed: str,
) -> None:
    warnings = _warnings(tmp_path, **{where: total})
    assert warnings == [
        f"warning: {tmp_path / 'plan.yaml'}: {record}, field 'declared_total.{field}': "
        f"declared total of {label} is {stated} but its items add up to {summed} million baht"
    ]


def test_mismatches_in_both_columns_and_every_level_are_all_reported() -> None:
    data = small_plan(
        strategy_total={"gov": "9.0000", "own": "9.0000"},
        tactic_total={"gov": "8.0000", "own": "8.0000"},
        recurring_total={"gov": "7.0000", "own": "7.0000"},
    )
    plan, check = parse_plan(data, "plan.yaml")
    assert plan is not None
    named = [(w.record, w.field) for w in check.warnings]
    assert named == [
        ("strategy 1", "declared_total.gov"),
        ("strategy 1", "declared_total.own"),
        ("tactic 1.1", "declared_total.gov"),
        ("tactic 1.1", "declared_total.own"),
        ("recurring expenses", "declared_total.gov"),
        ("recurring expenses", "declared_total.own"),
    ]
    assert "is 9.0000 million baht but its items add up to 3.7500" in check.warnings[0].message


def test_a_parent_with_its_own_figure_counts_that_not_its_children() -> None:
    data = small_plan(**MATCHING)
    parent = data["strategies"][0]["tactics"][0]["projects"][1]
    parent["budget_gov"] = "2.0000"  # differs from its children's 2.2500 on purpose
    _plan, check = parse_plan(data, "plan.yaml")
    messages = [w.message for w in check.warnings]
    assert len(messages) == 2  # strategy and tactic, both now 3.5000 against 3.7500
    assert all("is 3.7500 million baht but its items add up to 3.5000" in m for m in messages)


def test_no_declared_total_means_nothing_to_check() -> None:
    _plan, check = parse_plan(small_plan(), "plan.yaml")
    assert check.problems == []
