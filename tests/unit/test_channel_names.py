"""A channel is declared once (bot/channels.py): no other module names one, so adding a channel
never means finding the places that branch on `"line"` or key a dict by `"telegram"`. A
channel's own modules (`bot/<name>.py`, `bot/<name>_*.py`) may name it; everything else asks
the declaration (`LINE.name`, `CHANNELS`, a capability in `Request.traits`). Read from the
source, so a new `if request.channel == "telegram":` fails here before review."""

from __future__ import annotations

import ast
from pathlib import Path

from bot.channels import CHANNELS

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("bot", "handlers", "storage", "plan_data")

# (file, the name it may mention): why. Keep it short; each entry is a place a new channel
# would have to be thought of.
ALLOWED: dict[tuple[str, str], str] = {}


def _own(relative: str, name: str) -> bool:
    """The channel's own modules, and its declaration."""
    return relative in (
        "bot/channels.py",
        f"bot/{name}.py",
    ) or (relative.startswith(f"bot/{name}_") and relative.endswith(".py"))


def _mentions(node: ast.AST, names: set[str]) -> str | None:
    """The channel a string constant names: the name itself, or a `name:` prefix of a chat key
    (`"line:U…"`)."""
    if not isinstance(node, ast.Constant) or not isinstance(node.value, str):
        return None
    value = node.value
    if value in names:
        return value
    head = value.split(":", 1)[0]
    return head if ":" in value and head in names else None


def _docstrings(tree: ast.Module) -> set[int]:
    """The ids of the docstring constants (sentences may name a platform)."""
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def violations(root: Path, names: set[str]) -> list[str]:
    """Every string constant outside a channel's own modules that names a channel."""
    found = []
    for package in PACKAGES:
        for path in sorted((root / package).glob("**/*.py")):
            relative = path.relative_to(root).as_posix()
            tree = ast.parse(path.read_text(encoding="utf-8"))
            skip = _docstrings(tree)
            for node in ast.walk(tree):
                if id(node) in skip:
                    continue
                name = _mentions(node, names)
                if name is None or _own(relative, name) or (relative, name) in ALLOWED:
                    continue
                found.append(f"{relative}:{getattr(node, 'lineno', '?')}: {ast.unparse(node)}")
    return sorted(found)


def test_only_a_channels_own_modules_name_it() -> None:
    assert violations(ROOT, set(CHANNELS)) == []


def test_the_allowed_places_still_name_a_channel() -> None:
    """An allow-list entry that is no longer needed goes."""
    for (relative, name), _why in ALLOWED.items():
        tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
        assert any(_mentions(node, {name}) for node in ast.walk(tree)), relative


def test_the_check_sees_a_channel_named(tmp_path: Path) -> None:
    """The scan finds each way of naming a channel it is meant to refuse, and leaves a
    channel's own modules, docstrings and other words alone."""
    (tmp_path / "handlers").mkdir()
    (tmp_path / "bot").mkdir()
    (tmp_path / "handlers" / "bad.py").write_text(
        '"""Only in Telegram: a docstring may say "telegram"."""\n'
        "def one(request):\n"
        '    if request.channel == "telegram":\n'
        "        return 1\n"
        '    limits = {"line": 5000, "fax": 10}\n'
        '    chat = "line:" + request.chat_id\n'
        '    return request.channel in ("telegram", "console"), "pipeline", chat\n',
        encoding="utf-8",
    )
    (tmp_path / "bot" / "line_extra.py").write_text('NAME = "line"\n', encoding="utf-8")
    (tmp_path / "bot" / "fax.py").write_text('CHAT = "line:U1"\n', encoding="utf-8")
    assert violations(tmp_path, {"telegram", "line", "console"}) == [
        "bot/fax.py:1: 'line:U1'",
        "handlers/bad.py:3: 'telegram'",
        "handlers/bad.py:5: 'line'",
        "handlers/bad.py:6: 'line:'",
        "handlers/bad.py:7: 'console'",
        "handlers/bad.py:7: 'telegram'",
    ]
