"""Project codes the way people type them: `str 114/64`, `STR114`, `STR๑๑๔/๖๔` all mean
`STR114/64`; a code that does not exist gets the nearest ones as suggestions."""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from plan_data.model import Plan, Project

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")

# The one shape of a project code: 2–6 letters, 2–4 digits, a sub-activity's numbers at any
# depth (_5, _1_2) and the fiscal year's last two digits: STR114/64, SME111_5/64, STR114_1_2/64.
LETTERS = r"[A-Z]{2,6}"
NUMBER = r"\d{2,4}"
SUBS = r"(?:_\d+)*"
_CODE = re.compile(rf"{LETTERS}{NUMBER}{SUBS}/\d{{2}}")
# As people type one: any case, the year optional or in full (str114, STR114_1/2564)
_SHAPE_PARTS = re.compile(rf"^({LETTERS})({NUMBER})({SUBS})(?:/(\d{{2}}|\d{{4}}))?$")
_TYPED_HEAD = re.compile(r"[A-Za-z]{2,6}")
_TYPED_TAIL = re.compile(rf"{NUMBER}{SUBS}(?:/(?:\d{{2}}|\d{{4}}))?")


def is_code(text: str) -> bool:
    """A project code exactly as a plan writes it (the loader takes no other)."""
    return _CODE.fullmatch(text) is not None


def code_at_start(text: str) -> str | None:
    """The project code a label starts with (`STR114/64 โครงการ…`), if any."""
    match = _CODE.match(text)
    return match.group(0) if match else None


def is_split_code(head: str, tail: str) -> bool:
    """`STR` and `114/64` typed apart (Thai digits too) are one code: `STR 114/64`."""
    tail = tail.translate(THAI_DIGITS)
    return _TYPED_HEAD.fullmatch(head) is not None and _TYPED_TAIL.fullmatch(tail) is not None


@dataclass(frozen=True)
class CodeLookup:
    code: str | None  # the project's exact code, when one matches
    suggestions: tuple[str, ...] = ()


def year_suffix(fiscal_year: int | None) -> str | None:
    return f"/{fiscal_year % 100:02d}" if fiscal_year else None


def normalize_code(text: str, default_suffix: str | None) -> str:
    """`str 114/64`, `STR114`, `str114/2564`, `STR๑๑๔/๖๔` -> `STR114/64`."""
    compact = re.sub(r"\s+", "", text.translate(THAI_DIGITS)).upper().replace("\\", "/")
    match = _SHAPE_PARTS.match(compact)
    if not match:
        return compact
    letters, digits, sub, year = match.groups()
    if year and len(year) == 4:
        year = year[2:]
    suffix = f"/{year}" if year else (default_suffix or "")
    return f"{letters}{digits}{sub or ''}{suffix}"


def resolve_code(typed: str, codes: Collection[str], current_year: int | None) -> CodeLookup:
    """The exact code meant, or the nearest codes to suggest. `codes` is best a set: the usual
    case is one membership test, whatever the plan's size."""
    wanted = normalize_code(typed, year_suffix(current_year))
    if wanted in codes:
        return CodeLookup(wanted)
    known = sorted(codes)
    stem = wanted.split("/")[0]
    same_stem = [c for c in known if c.split("/")[0] == stem]
    if len(same_stem) == 1 and "/" not in normalize_code(typed, None):
        return CodeLookup(same_stem[0])  # a code without its year under another year (HRD111/63)
    return CodeLookup(None, nearest_codes(wanted, known))


def _numbers(code: str) -> tuple[int, int]:
    match = _SHAPE_PARTS.match(code)
    if not match:
        return 0, 0
    sub = match.group(3).split("_")[1] if match.group(3) else "0"
    return int(match.group(2)), int(sub)


def nearest_codes(wanted: str, codes: list[str], limit: int = 3) -> tuple[str, ...]:
    """The codes a person most likely meant: the same characters swapped (STR141 -> STR114)
    first, then the longest shared beginning (STR119/64 -> STR115/64, STR114/64 …, not
    STR211/64), then the most similar, then the nearest number."""
    number, sub = _numbers(wanted)

    def rank(code: str) -> tuple[bool, int, float, int, int, str]:
        swapped = sorted(code) == sorted(wanted)
        shared = next(
            (i for i, (a, b) in enumerate(zip(wanted, code, strict=False)) if a != b),
            min(len(wanted), len(code)),
        )
        ratio = difflib.SequenceMatcher(None, wanted, code).ratio()
        other, other_sub = _numbers(code)
        return (not swapped, -shared, -ratio, abs(number - other), abs(sub - other_sub), code)

    letters_match = re.match(r"^[A-Z]*", wanted)
    letters = letters_match.group(0) if letters_match else ""
    candidates = [
        c
        for c in codes
        if (len(letters) >= 2 and c.startswith(letters))
        or difflib.SequenceMatcher(None, wanted, c).ratio() >= 0.6
    ]
    return tuple(sorted(candidates, key=rank)[:limit])


def search_projects(
    plans: Iterable[Plan], words: str | Sequence[str], limit: int = 10
) -> list[Project]:
    """Projects whose code, Thai or English name hold the words typed (a string is split at
    spaces; pass words already cut for Thai written without spaces). Those holding every word
    come first, then those holding most; among equals, a match in the code, then nearer the
    start of the name, then plan order. When some hold every word only those are listed;
    otherwise one holding fewer than half the words is left out."""
    if isinstance(words, str):
        words = words.translate(THAI_DIGITS).split()
    terms = [w.lower() for w in words if w][:8]
    if not terms:
        return []
    ranked = []
    order = 0
    for plan in plans:
        for project in plan.projects:
            order += 1
            code = project.code.lower()
            name = " ".join((project.name_th, project.name_en)).lower()
            held = [t for t in terms if t in code or t in name]
            if not held or 2 * len(held) < len(terms):
                continue
            in_code = any(t in code for t in held)
            first = min((name.find(t) for t in held if t in name), default=0)
            ranked.append(((-len(held), not in_code, first, order), project))
    ranked.sort(key=lambda pair: pair[0])
    if ranked and ranked[0][0][0] == -len(terms):  # some hold every word: only those
        ranked = [pair for pair in ranked if pair[0][0] == -len(terms)]
    return [project for _, project in ranked[:limit]]
