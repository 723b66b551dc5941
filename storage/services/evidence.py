"""Attaching files to entries. Each write checks the file (type, size, that its bytes are what
it claims), that the entry still counts, and that the person may report on its project, in the
request's transaction; a refusal stores nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select

from plan_data.errors import Refusal
from plan_data.evidence import ATTACH_WINDOW, PENDING_KEPT, IncomingFile, check_file
from plan_data.model import Indicator, Plan, Project
from plan_data.roles import Role, may_report
from storage.db.models import Indicator as IndicatorRow
from storage.db.models import IndicatorReport, SpendingEntry
from storage.db.models import Project as ProjectRow
from storage.repositories.evidence import EntryRef
from storage.repositories.people import PersonView
from storage.services.reporting import latest_entry
from storage.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class EntryInfo:
    """An entry as people know it: the project, and the indicator for a reported value."""

    entry: EntryRef
    plan: Plan
    project: Project
    indicator: Indicator | None
    person_id: int | None
    created_at: datetime
    amount: Decimal | None = None  # baht, for a spending entry


@dataclass(frozen=True)
class Attached:
    info: EntryInfo
    file_id: int
    added: bool  # False: this very file was attached to the entry already


@dataclass(frozen=True)
class Offered:
    """A file kept for a moment while its sender says whether it belongs to `info`'s entry."""

    info: EntryInfo
    link_id: int


def entry_info(uow: UnitOfWork, entry: EntryRef) -> EntryInfo | None:
    """The entry if it exists, is not a reversal and was not taken back."""
    session = uow._session
    row: IndicatorReport | SpendingEntry | None
    if entry.kind == "value":
        row = session.get(IndicatorReport, entry.id)
        indicator_row = session.get(IndicatorRow, row.indicator_id) if row else None
        project_id = indicator_row.project_id if indicator_row else None
        reversal = IndicatorReport.reverses_id
    else:
        row = session.get(SpendingEntry, entry.id)
        project_id = row.project_id if row else None
        reversal = SpendingEntry.reverses_id
    if row is None or project_id is None or row.reverses_id is not None:
        return None
    taken_back = session.execute(select(reversal).where(reversal == entry.id)).first()
    project_row = session.get(ProjectRow, project_id)
    found = uow.plans().find(project_row.code) if project_row else None
    if taken_back is not None or found is None:
        return None
    plan, project = found
    indicator = None
    if isinstance(row, IndicatorReport):
        indicator = next((i for i in project.indicators if i.id == row.indicator_id), None)
    amount = row.amount if isinstance(row, SpendingEntry) else None
    return EntryInfo(entry, plan, project, indicator, row.person_id, row.created_at, amount)


def _may_attach(person: PersonView, info: EntryInfo) -> bool:
    return info.person_id == person.id or may_report(
        Role(person.role), person.division_key, info.plan, info.project
    )


def attach(
    uow: UnitOfWork,
    person: PersonView,
    incoming: IncomingFile,
    entry: EntryRef,
    *,
    channel: str,
    at: datetime,
    max_bytes: int,
) -> Attached:
    content_type = check_file(incoming, max_bytes)
    info = entry_info(uow, entry)
    if info is None:
        raise Refusal("evidence_entry_gone")
    if not _may_attach(person, info):
        raise Refusal(
            "not_your_project", code=info.project.code, division=person.division_name_th or "-"
        )
    assert incoming.content is not None  # check_file refuses a file not downloaded
    file_id = uow.evidence.keep(incoming.content, content_type, at)
    link = uow.evidence.attach(
        file_id, entry, filename=incoming.filename, person_id=person.id, channel=channel, at=at
    )
    return Attached(info, file_id, link is not None)


def recent_entry(uow: UnitOfWork, person: PersonView, at: datetime) -> EntryInfo | None:
    """The person's newest entry if it was made in the last ten minutes and they may still
    attach to it: where a file sent now without a word belongs."""
    newest = latest_entry(uow, person.id)
    if newest is None:
        return None
    entry = EntryRef("value" if newest[1] == "indicator" else "spending", newest[0])
    info = entry_info(uow, entry)
    if info is None or at - info.created_at > ATTACH_WINDOW or not _may_attach(person, info):
        return None
    return info


def offer(
    uow: UnitOfWork,
    person: PersonView,
    incoming: IncomingFile,
    *,
    channel: str,
    at: datetime,
    max_bytes: int,
) -> Offered | None:
    """Keep the file for the person's newest entry of the last ten minutes, until they answer
    whether it belongs there. None (and nothing kept) when there is no such entry."""
    info = recent_entry(uow, person, at)
    if info is None:
        return None
    content_type = check_file(incoming, max_bytes)
    uow.evidence.drop_stale_offers(at - PENDING_KEPT)
    assert incoming.content is not None
    file_id = uow.evidence.keep(incoming.content, content_type, at)
    link = uow.evidence.attach(
        file_id, None, filename=incoming.filename, person_id=person.id, channel=channel, at=at
    )
    assert link is not None  # an offer is never "attached already"
    return Offered(info, link)


def answer_offer(
    uow: UnitOfWork, person: PersonView, link_id: int, entry: EntryRef, *, accept: bool
) -> tuple[str, EntryInfo | None]:
    """Attach the offered file (accept) or drop it; only its sender may answer. The outcome:
    `gone` (answered already, or too old), `declined`, `entry_gone` (the entry was taken back,
    or is no longer theirs to attach to: the file is dropped) or `attached`."""
    pending = uow.evidence.pending(link_id)
    if pending is None or pending.person_id != person.id:
        return "gone", None
    info = entry_info(uow, entry)
    if not accept:
        uow.evidence.settle(link_id, None)
        return "declined", info
    if info is None or not _may_attach(person, info):
        uow.evidence.settle(link_id, None)
        return "entry_gone", info
    uow.evidence.settle(link_id, entry)
    return "attached", info
