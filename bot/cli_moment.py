"""The moments people type on the command line, read the same way everywhere: `--at` of
`planbot remind preview|send` and `planbot report xlsx`, and PLANBOT_CLOCK.

    2021-01-11                 a day (what it means is the command's: see `Moment.on`)
    2021-01-11T09:00           a moment, Bangkok time (also with a space, or with seconds)
    2021-01-11T09:00+07:00     a moment in the zone given (Z for UTC)
    2564-01-11, 2564-01-11T09:00, ๒๕๖๔-๐๑-๑๑
                               the same with a Buddhist-era year (any year above 2400), in
                               Arabic or Thai digits
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from plan_data.fiscal import BANGKOK, BUDDHIST_ERA_OFFSET

BUDDHIST_ERA_FROM = 2400  # a year above this is Buddhist era (2564 BE = 2021 CE)
THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
LEADING_YEAR = re.compile(r"^(\d{4})(?=-)")


class BadMoment(ValueError):
    """A moment that cannot be read; its message is one sentence naming what was typed."""


@dataclass(frozen=True)
class Moment:
    """What was typed: a moment (aware), or a day alone (`moment` is its Bangkok midnight)."""

    moment: datetime
    has_time: bool

    def on(self, day_time: time) -> datetime:
        """The moment; a day alone at `day_time` (Bangkok) that day."""
        if self.has_time:
            return self.moment
        return datetime.combine(self.moment.date(), day_time, tzinfo=BANGKOK)


def parse_moment(text: str, *, label: str = "--at ") -> Moment:
    """Read a day or a moment (see the module's documentation); BadMoment says what is wrong,
    starting with `label` and what was typed (`--at '...'`, `PLANBOT_CLOCK='...'`)."""
    typed = text.strip().translate(THAI_DIGITS)
    found = LEADING_YEAR.match(typed)
    if found and int(found.group(1)) > BUDDHIST_ERA_FROM:
        year = int(found.group(1)) - BUDDHIST_ERA_OFFSET
        typed = f"{year:04d}{typed[found.end() :]}"
    try:
        day = date.fromisoformat(typed)
    except ValueError:
        pass
    else:
        return Moment(datetime.combine(day, time(0, 0), tzinfo=BANGKOK), has_time=False)
    try:
        moment = datetime.fromisoformat(typed)
    except ValueError:
        raise BadMoment(
            f"{label}{text!r} is not a moment like 2021-01-11T09:00+07:00, 2021-01-11T09:00 "
            "(Bangkok time) or 2021-01-11, in the Buddhist era too (2564-01-11T09:00)"
        ) from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=BANGKOK)
    return Moment(moment, has_time=True)
