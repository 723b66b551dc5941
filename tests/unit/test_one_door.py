"""One door to the database: handlers/ and bot/ reach it only through a unit of work and its
repositories (`uow.people`, `uow.dues`, `uow.outbox`, …), never with a session of their own.
Read from the source, so a new `db.session()` or a storage function handed a session fails
here before review (import-linter forbids importing sqlalchemy itself)."""

from __future__ import annotations

import ast
import importlib
import inspect
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# The session of `fit_menu` (a second one per private message) is removed by its own change;
# until it lands, it is the one known exception.
KNOWN: set[tuple[str, str]] = set()  # (file, function) allowed a session: none


def _dotted(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return f"{_dotted(node.value)}.{node.attr}"
    return ""


def _takes_session(module: str, name: str) -> bool:
    """Whether `module.name` is a storage function that wants a raw session."""
    try:
        found = getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError):
        return False
    if not inspect.isfunction(found):
        return False
    return "session" in inspect.signature(found).parameters


def _storage_names(tree: ast.Module) -> tuple[dict[str, str], dict[str, str]]:
    """Names bound to storage modules (alias -> module) and to storage functions (name -> module)."""
    modules, functions = {}, {}
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("storage"):
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                try:
                    importlib.import_module(full)
                    modules[alias.asname or alias.name] = full
                except ImportError:
                    functions[alias.asname or alias.name] = node.module or ""
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("storage") and alias.asname:
                    modules[alias.asname] = alias.name
    return modules, functions


def violations(root: Path) -> list[str]:
    """Every place in handlers/ and bot/ that holds a session or hands one to storage."""
    found = []
    for path in sorted([*root.glob("handlers/**/*.py"), *root.glob("bot/**/*.py")]):
        relative = path.relative_to(root).as_posix()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules, functions = _storage_names(tree)
        for function in [
            n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)
        ]:
            if (relative, function.name) in KNOWN:
                continue
            for node in ast.walk(function):
                where = f"{relative}:{getattr(node, 'lineno', '?')}"
                if isinstance(node, ast.Attribute) and node.attr in {
                    "session",
                    "_session",
                    "new_session",
                }:
                    owner = _dotted(node.value).rsplit(".", 1)[-1]
                    if owner in {"uow", "db", "_db"} or owner.endswith("uow"):
                        found.append(f"{where}: {_dotted(node)}")
                if not isinstance(node, ast.Call):
                    continue
                called = node.func
                if isinstance(called, ast.Name) and called.id in functions:
                    if _takes_session(functions[called.id], called.id):
                        found.append(f"{where}: {called.id}(session, …)")
                elif (
                    isinstance(called, ast.Attribute)
                    and isinstance(called.value, ast.Name)
                    and called.value.id in modules
                    and _takes_session(modules[called.value.id], called.attr)
                ):
                    found.append(f"{where}: {called.value.id}.{called.attr}(session, …)")
    return sorted(set(found))


def test_handlers_and_bot_never_hold_a_session() -> None:
    assert violations(ROOT) == []


def test_the_check_sees_a_session(tmp_path: Path) -> None:
    """The scan finds each way of holding a session it is meant to refuse."""
    (tmp_path / "handlers").mkdir()
    (tmp_path / "handlers" / "bad.py").write_text(
        "from storage import outbox\n"
        "from storage.repositories import plans\n"
        "from storage.repositories.dues import dues_at\n"
        "def one(ctx, services):\n"
        "    dues_at(ctx.uow.session, ctx.now)\n"
        "    plans.plan_library(ctx.uow.session)\n"
        "    with services.db.session() as s:\n"
        "        pass\n"
        "def fine(ctx):\n"
        "    ctx.uow.dues.at(ctx.now)\n"
        "    outbox.NewMessage('k', 'telegram', '1', 'text', {})\n",
        encoding="utf-8",
    )
    assert violations(tmp_path) == [
        "handlers/bad.py:5: ctx.uow.session",
        "handlers/bad.py:5: dues_at(session, …)",
        "handlers/bad.py:6: ctx.uow.session",
        "handlers/bad.py:6: plans.plan_library(session, …)",
        "handlers/bad.py:7: services.db.session",
    ]
