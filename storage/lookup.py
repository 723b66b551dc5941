"""Finding projects the way people type them: forgiving codes and words in Thai or English."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import bindparam, func, or_, select
from sqlalchemy.orm import Session

from storage.db.models import FiscalYear, Project

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_CODE_SHAPE = re.compile(r"^([A-Z]{2,6})(\d{2,4})(_\d+)?(?:/(\d{2}|\d{4}))?$")


@dataclass(frozen=True)
class CodeLookup:
    code: str | None  # the project's exact code, when one matches
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True)
class ProjectHit:
    code: str
    name_th: str
    name_en: str


def normalize_code(text: str, default_suffix: str | None) -> str:
    """`str 114/64`, `STR114`, `str114/2564`, `STR๑๑๔/๖๔` -> `STR114/64`."""
    compact = re.sub(r"\s+", "", text.translate(THAI_DIGITS)).upper().replace("\\", "/")
    match = _CODE_SHAPE.match(compact)
    if not match:
        return compact
    letters, digits, sub, year = match.groups()
    if year and len(year) == 4:
        year = year[2:]
    suffix = f"/{year}" if year else (default_suffix or "")
    return f"{letters}{digits}{sub or ''}{suffix}"


_NEWEST_YEAR = select(func.max(FiscalYear.year))
_LIVE_CODE = select(Project.code).where(
    Project.code == bindparam("code"), Project.retired.is_(False)
)


def _current_suffix(session: Session) -> str | None:
    year = session.scalar(_NEWEST_YEAR)
    return f"/{year % 100:02d}" if year else None


def resolve_code(session: Session, text: str, limit: int = 3) -> CodeLookup:
    wanted = normalize_code(text, _current_suffix(session))
    if session.scalar(_LIVE_CODE, {"code": wanted}) is not None:
        return CodeLookup(wanted)  # the usual case: one indexed lookup, whatever the plan's size
    codes = list(session.scalars(select(Project.code).where(Project.retired.is_(False))))
    # A code without its year that exists only under another year (e.g. HRD111/63).
    stem = wanted.split("/")[0]
    same_stem = [c for c in codes if c.split("/")[0] == stem]
    if len(same_stem) == 1 and "/" not in normalize_code(text, None):
        return CodeLookup(same_stem[0])
    return CodeLookup(None, nearest_codes(wanted, codes, limit))


def _numbers(code: str) -> tuple[int, int]:
    match = _CODE_SHAPE.match(code)
    if not match:
        return 0, 0
    return int(match.group(2)), int((match.group(3) or "_0")[1:])


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

    letters = re.match(r"^[A-Z]*", wanted).group(0)  # type: ignore[union-attr]
    candidates = [
        c
        for c in codes
        if (len(letters) >= 2 and c.startswith(letters))
        or difflib.SequenceMatcher(None, wanted, c).ratio() >= 0.6
    ]
    return tuple(sorted(candidates, key=rank)[:limit])


def search_projects(session: Session, words: str, limit: int = 10) -> list[ProjectHit]:
    """Projects whose Thai or English name or activities contain every word typed."""
    terms = [w for w in words.translate(THAI_DIGITS).split() if w][:8]
    if not terms:
        return []
    query = select(Project).where(Project.retired.is_(False))
    for term in terms:
        needle = term.lower()
        query = query.where(
            or_(
                func.lower(Project.name_th).contains(needle, autoescape=True),
                func.lower(Project.name_en).contains(needle, autoescape=True),
                func.lower(Project.code).contains(needle, autoescape=True),
            )
        )
    rows = session.scalars(query.order_by(Project.position).limit(limit))
    return [ProjectHit(p.code, p.name_th, p.name_en) for p in rows]
