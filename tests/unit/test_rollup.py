"""Roll-up and attribution over any depth: one rule, the same figure from every view."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from plan_data.figures import Figures
from plan_data.model import Plan
from plan_data.money import Budget
from plan_data.progress import TimeFrame
from plan_data.rollup import (
    accountable_projects,
    answerable,
    division_lines,
    plan_lines,
    project_budget,
    responsible,
    strategy_lines,
)
from plan_data.summary import plan_summary
from tests.unit.plan_builder import nested_plan, project

SPENT = Figures(spent={2: Decimal(100), 3: Decimal(40), 4: Decimal(7), 5: Decimal(1)})
FRAME = TimeFrame(
    2564, "2564-Q1", __import__("datetime").date(2020, 12, 31), Decimal("0.25"), Decimal(32)
)


def test_a_parent_without_a_figure_adds_up_its_sub_activities_at_any_depth() -> None:
    plan = nested_plan()
    parent = plan.project("AAA111/64")
    assert parent is not None
    budget = project_budget(plan, parent, SPENT)
    assert budget == Budget(Decimal(3000), Decimal(800), Decimal(147))


def test_a_sub_activity_with_no_division_is_its_parents() -> None:
    plan = nested_plan()
    orphan = plan.project("AAA111_2/64")
    grandchild = plan.project("AAA111_1_1/64")
    assert orphan is not None and grandchild is not None
    assert responsible(plan, orphan) == ("alpha",)
    assert responsible(plan, grandchild) == ("gamma",)
    assert answerable(plan, grandchild, "alpha") and answerable(plan, grandchild, "beta")
    assert not answerable(plan, orphan, "beta")


def test_each_division_counts_the_highest_projects_it_is_responsible_for() -> None:
    plan = nested_plan()
    codes = {
        key: [p.code for p in accountable_projects(plan, key)]
        for key in ("alpha", "beta", "gamma", "legal")
    }
    assert codes == {
        "alpha": ["AAA111/64", "BBB211/64"],
        "beta": ["AAA111_1/64", "BBB211/64"],
        "gamma": ["AAA111_1_1/64"],
        "legal": ["REV122/64"],
    }
    beta = division_lines(plan, "beta", SPENT)
    assert beta is not None
    assert beta[-1].budget == Budget(Decimal(5000), Decimal(500), Decimal(141))


def test_budget_and_summary_agree_for_every_division_and_strategy() -> None:
    plan = nested_plan()
    summary = plan_summary(plan, SPENT, FRAME)
    for line in summary.divisions:
        lines = division_lines(plan, line.key, SPENT)
        assert lines is not None and lines[-1].budget == line.budget
    by_key = {line.key: line.budget for line in plan_lines(plan, SPENT)}
    for line in summary.strategies:
        assert by_key[line.key] == line.budget
    assert by_key["total"] == summary.total.budget
    s1 = strategy_lines(plan, 1, SPENT)
    assert s1 is not None and s1[-1].budget == by_key["S1"]
    assert strategy_lines(plan, 9, SPENT) is None


def test_a_unit_is_a_responsible_party_of_its_own() -> None:
    plan = nested_plan()
    summary = plan_summary(plan, SPENT, FRAME)
    assert [line.key for line in summary.divisions].count("legal") == 1
    lines = plan_lines(plan, SPENT)
    assert lines[-2].key == "recurring" and lines[-2].budget.allocated == Decimal(700)


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=0, max_value=30),  # parent index (resolved below)
            st.one_of(st.none(), st.integers(min_value=0, max_value=10**6)),
            st.integers(min_value=0, max_value=10**5),  # spent
        ),
        min_size=1,
        max_size=30,
    )
)
def test_the_plan_total_spends_every_baht_exactly_once(
    rows: list[tuple[int, int | None, int]],
) -> None:
    projects = []
    spent = {}
    for index, (parent_pick, gov, amount) in enumerate(rows):
        parent = None if index == 0 or parent_pick % 3 == 0 else f"P{parent_pick % index}/64"
        projects.append(
            project(index, f"P{index}/64", parent=parent, gov=None if gov is None else str(gov))
        )
        spent[index] = Decimal(amount)
    plan = Plan(2564, tuple(projects))
    total = plan_lines(plan, Figures(spent=spent))[-1].budget
    assert total.spent == sum(spent.values())
