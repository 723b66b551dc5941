"""A division's short names and the planning flag, as the plan states them (no database)."""

from __future__ import annotations

from plan_data.model import Division, division_by_alias, planning_division

IT = Division("it", "ฝ่ายเทคโนโลยีสารสนเทศ", "Information Technology Division", ("ไอที", "IT dept"))
PLANNING = Division("planning", "ฝ่ายนโยบายและแผน", "Policy and Planning Division", plans=True)
LEGAL = Division("legal", "งานกฎหมาย", "Legal Affairs Unit", ("กฎหมาย",))


def test_a_division_is_found_by_any_of_its_aliases_as_people_type_them() -> None:
    divisions = (PLANNING, IT, LEGAL)
    assert division_by_alias(divisions, "ไอที") == IT
    assert division_by_alias(divisions, "กฎหมาย") == LEGAL
    assert division_by_alias(divisions, "it Dept") == IT  # case aside
    assert division_by_alias(divisions, "itdept") == IT  # spaces aside
    assert division_by_alias(divisions, "it") is None  # a key is no alias
    assert division_by_alias(divisions, "ฝ่ายนโยบายและแผน") is None  # nor is a name


def test_the_planning_division_is_the_one_flagged_and_may_be_none() -> None:
    assert planning_division((IT, PLANNING, LEGAL)) == PLANNING
    assert planning_division((IT, LEGAL)) is None
    assert Division("x", "x", "x") == Division("x", "x", "x", (), plans=False)
