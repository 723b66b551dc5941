"""A bad plan file is refused with the file, the record and the field named, and the database
keeps exactly what it had."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from plan_data import DEFAULT_PLAN
from storage.db.database import Database
from storage.plan_io.loader import load_plan_file, read_plan_file
from tests.support.plan_support import dump, find_project, shipped_plan, write_yaml

Change = Callable[[dict[str, Any]], None]


def _set(target: str, **fields: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        find_project(data, target).update(fields)

    return change


def _drop(code: str, name: str) -> Change:
    def change(data: dict[str, Any]) -> None:
        del find_project(data, code)[name]

    return change


def _indicator(code: str, **fields: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        find_project(data, code)["indicators"][0].update(fields)

    return change


def _division(key: str, **fields: Any) -> Change:
    def change(data: dict[str, Any]) -> None:
        next(d for d in data["divisions"] if d["key"] == key).update(fields)

    return change


def _divisions(*changes: Change) -> Change:
    def change(data: dict[str, Any]) -> None:
        for each in changes:
            each(data)

    return change


# (name, change, record, field, words the message must contain)
BAD: list[tuple[str, Change, str, str, str]] = [
    (
        "missing field",
        _drop("STR114/64", "budget_gov"),
        "project STR114/64",
        "budget_gov",
        "missing",
    ),
    (
        "duplicate code",
        _set("STR115/64", code="STR114/64"),
        "project STR114/64",
        "code",
        "appears twice",
    ),
    (
        "unknown division",
        _set("STR114/64", divisions=["reserch"]),
        "project STR114/64",
        "divisions",
        "unknown division 'reserch'",
    ),
    (
        "negative budget",
        _set("SME111_2/64", budget_gov="-0.5000"),
        "project SME111_2/64",
        "budget_gov",
        "must not be negative",
    ),
    (
        "wrong type",
        _set("STR111/64", budget_gov="five"),
        "project STR111/64",
        "budget_gov",
        "must be a number, got 'five'",
    ),
    (
        "wrong type of indicator number",
        _indicator("STR111/64", number="one"),
        "project STR111/64 indicator #1",
        "number",
        "must be a whole number",
    ),
    (
        "unknown field",
        _set("STR114/64", budjet_gov="5.0000"),
        "project STR114/64",
        "budjet_gov",
        "unknown field",
    ),
    (
        "bad direction",
        _indicator("STR114/64", direction="more_than"),
        "project STR114/64 indicator #1",
        "direction",
        "must be one of at_least, at_most, milestone",
    ),
    (
        "bad kind",
        _indicator("STR114/64", kind="impact"),
        "project STR114/64 indicator #1",
        "kind",
        "must be one of outcome, output",
    ),
    (
        "an alias of two divisions",
        _divisions(_division("it", aliases=["ไอที"]), _division("research", aliases=["ไอที"])),
        "division it",
        "aliases",
        "'ไอที' is also an alias of division research",
    ),
    (
        "an alias that is another division's name",
        _division("research", aliases=["ฝึกอบรม"]),
        "division research",
        "aliases",
        "'ฝึกอบรม' is the Thai name of division training",
    ),
    (
        "an alias that is another division's key",
        _division("research", aliases=["Legal"]),
        "division research",
        "aliases",
        "'Legal' is the key of division legal",
    ),
    (
        "an empty alias",
        _division("research", aliases=[" "]),
        "division research",
        "aliases",
        "an alias must not be empty",
    ),
    (
        "two planning divisions",
        _divisions(_division("planning", plans=True), _division("admin", plans=True)),
        "division admin",
        "plans",
        "only one division may plan; division planning already does",
    ),
    (
        "a planning flag that is no yes or no",
        _division("admin", plans="yes"),
        "division admin",
        "plans",
        "must be true or false, got 'yes'",
    ),
]


def _bad_file(directory: Path, change: Change) -> Path:
    data = shipped_plan()
    change(data)
    return write_yaml(directory, data, "bad.yaml")


@pytest.mark.parametrize(
    ("name", "change", "record", "field", "words"), BAD, ids=[b[0] for b in BAD]
)
def test_bad_file_names_file_record_and_field(
    tmp_path: Path, name: str, change: Change, record: str, field: str, words: str
) -> None:
    path = _bad_file(tmp_path, change)
    plan, check = read_plan_file(path)
    assert plan is None
    matching = [p for p in check.errors if p.record == record and p.field == field]
    assert matching, [str(p) for p in check.errors]
    assert words in matching[0].message
    assert str(matching[0]).startswith(f"error: {path}: {record}, field '{field}': ")


def test_an_alias_given_to_two_divisions_is_refused_naming_both(tmp_path: Path) -> None:
    path = _bad_file(
        tmp_path,
        _divisions(_division("research", aliases=["วิจัย", "ไอที"]), _division("it", aliases=["ไอที"])),
    )
    plan, check = read_plan_file(path)
    assert plan is None
    assert [str(p) for p in check.errors] == [
        f"error: {path}: division it, field 'aliases': 'ไอที' is also an alias of division research"
    ]


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    text = DEFAULT_PLAN.read_text(encoding="utf-8").replace(
        "- code: STR114/64", "- code: [STR114/64", 1
    )
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    line = text[: text.index("[STR114/64")].count("\n") + 1
    plan, check = read_plan_file(path)
    assert plan is None
    assert len(check.errors) == 1
    message = str(check.errors[0])
    assert message.startswith(f"error: {path}: the file: is not valid YAML at line ")
    assert int(message.split("at line ")[1].split(",")[0]) >= line


def test_missing_file_is_an_error(tmp_path: Path) -> None:
    plan, check = read_plan_file(tmp_path / "nowhere.yaml")
    assert plan is None
    assert [str(p) for p in check.errors] == [
        f"error: {tmp_path / 'nowhere.yaml'}: the file: does not exist"
    ]


def test_every_bad_file_leaves_the_database_as_it_was(loaded: Database, tmp_path: Path) -> None:
    before = dump(loaded)
    assert len(before["projects"]) == 43
    broken = tmp_path / "broken.yaml"
    broken.write_text("fiscal_year: 2564\nstrategies: [\n", encoding="utf-8")
    paths = [broken]
    for number, (_name, change, *_rest) in enumerate(BAD):
        directory = tmp_path / str(number)
        directory.mkdir()
        paths.append(_bad_file(directory, change))
    for path in paths:
        result = load_plan_file(loaded, path)
        assert not result.written, path
        assert result.validation.errors, path
        assert dump(loaded) == before, path


def test_a_code_taken_by_another_year_is_refused_before_writing(
    loaded: Database, tmp_path: Path
) -> None:
    data = shipped_plan()
    data["fiscal_year"] = 2565
    before = dump(loaded)
    result = load_plan_file(loaded, write_yaml(tmp_path, data))
    assert not result.written
    taken = [p for p in result.validation.errors if p.record == "project STR114/64"]
    assert taken[0].field == "code"
    assert taken[0].message == "already belongs to the plan of fiscal year 2564"
    assert dump(loaded) == before
