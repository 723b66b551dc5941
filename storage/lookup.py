"""Finding projects the way people type them: forgiving codes and words in Thai or English."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from storage.models import FiscalYear, Project

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


def _current_suffix(session: Session) -> str | None:
    year = session.scalar(select(func.max(FiscalYear.year)))
    return f"/{year % 100:02d}" if year else None


def resolve_code(session: Session, text: str, limit: int = 3) -> CodeLookup:
    wanted = normalize_code(text, _current_suffix(session))
    codes = list(session.scalars(select(Project.code).where(Project.retired.is_(False))))
    if wanted in codes:
        return CodeLookup(wanted)
    # A code without its year that exists only under another year (e.g. HRD111/63).
    stem = wanted.split("/")[0]
    same_stem = [c for c in codes if c.split("/")[0] == stem]
    if len(same_stem) == 1 and "/" not in normalize_code(text, None):
        return CodeLookup(same_stem[0])
    close = difflib.get_close_matches(wanted, codes, n=limit, cutoff=0.6)
    if len(close) < limit:
        prefixed = [c for c in sorted(codes) if c.startswith(stem[:5]) and c not in close]
        close += prefixed[: limit - len(close)]
    return CodeLookup(None, tuple(close))


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
