"""`planbot plan load|validate|export`."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bot.cli_files import files_dir, new_path
from bot.config import Settings
from bot.setup import database_url, open_database
from plan_data import DEFAULT_PLAN
from storage.plan_io.loader import load_plan_file, read_plan_file
from storage.unit_of_work import UnitOfWork


def register(subparsers: argparse._SubParsersAction) -> None:
    plan = subparsers.add_parser("plan", help="load, check or export the plan")
    actions = plan.add_subparsers(dest="plan_command", required=True)
    load = actions.add_parser("load", help="validate a plan file (.yaml or .xlsx) and write it")
    load.add_argument("file", nargs="?", type=Path, default=DEFAULT_PLAN)
    load.set_defaults(handler=load_command)
    validate = actions.add_parser(
        "validate", help="print every problem in a plan file; write nothing"
    )
    validate.add_argument("file", nargs="?", type=Path, default=DEFAULT_PLAN)
    validate.set_defaults(handler=validate_command)
    export = actions.add_parser("export", help="write the plan in the database as JSON or .xlsx")
    export.add_argument("--format", choices=("json", "xlsx"), default="json")
    export.add_argument(
        "--out",
        type=Path,
        help="file to write (JSON: standard output by default; xlsx: a new "
        "plan-fyYEAR.xlsx in files/ under the data directory)",
    )
    export.add_argument("--year", type=int, help="fiscal year (default: the newest loaded)")
    export.set_defaults(handler=export_command)


def _print_problems(problems: list) -> None:
    for problem in problems:
        print(problem, file=sys.stderr)


def validate_command(args: argparse.Namespace, settings: Settings) -> int:
    plan, check = read_plan_file(args.file)
    _print_problems(check.problems)
    if check.errors:
        print(
            f"{args.file}: {len(check.errors)} error(s), {len(check.warnings)} warning(s); not valid",
            file=sys.stderr,
        )
        return 1
    count = len(list(plan.all_projects())) if plan else 0
    print(f"{args.file}: valid — {count} projects, {len(check.warnings)} warning(s)")
    return 0


def load_command(args: argparse.Namespace, settings: Settings) -> int:
    db = open_database(database_url(settings), load_default_plan=False)
    result = load_plan_file(db, args.file)
    _print_problems(result.validation.problems)
    if not result.written:
        print(
            f"{args.file}: refused — {len(result.validation.errors)} error(s); the database is unchanged",
            file=sys.stderr,
        )
        return 1
    print(
        f"{args.file}: loaded {result.counts.get('projects', 0)} projects "
        f"({len(result.validation.warnings)} warning(s))"
    )
    return 0


def export_command(args: argparse.Namespace, settings: Settings) -> int:
    db = open_database(database_url(settings))
    with UnitOfWork(db) as uow:
        year = args.year or uow.plan_store.latest_year()
        plan = uow.plan_store.read(year) if year else None
    if plan is None:
        print("no plan in the database; run `planbot plan load` first", file=sys.stderr)
        return 1
    if args.format == "xlsx":
        from storage.plan_io.xlsx import write_plan_xlsx

        out = args.out or new_path(files_dir(settings), f"plan-fy{plan.fiscal_year}.xlsx")
        write_plan_xlsx(plan, out)
        print(f"wrote {out}")
        return 0
    from storage.plan_io.json_io import plan_to_json

    text = json.dumps(plan_to_json(plan), ensure_ascii=False, indent=2)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
        print(f"wrote {args.out}")
    else:
        print(text)
    return 0
