"""Evidence files and what they are attached to. Files are kept once by sha256; a link ties one
to a reported value or a spending entry. Counts and lists leave out entries that no longer count
(reversed, or reversals themselves)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, exists, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased

from storage.db.models import EvidenceFile, EvidenceLink, IndicatorReport, SpendingEntry
from storage.repositories.base import Repository

_REPORT_REVERSAL = aliased(IndicatorReport)
_SPENDING_REVERSAL = aliased(SpendingEntry)
_REPORT_COUNTS = (
    IndicatorReport.reverses_id.is_(None),
    ~exists().where(_REPORT_REVERSAL.reverses_id == IndicatorReport.id),
)
_SPENDING_COUNTS = (
    SpendingEntry.reverses_id.is_(None),
    ~exists().where(_SPENDING_REVERSAL.reverses_id == SpendingEntry.id),
)
_LISTED = (EvidenceFile.id, EvidenceFile.content_type, EvidenceFile.size, EvidenceFile.sha256)
# Built once (asked on every /status): from the links, which are few, to the reports.
_FILES_PER_INDICATOR = (
    select(IndicatorReport.indicator_id, func.count(func.distinct(EvidenceLink.file_id)))
    .select_from(EvidenceLink)
    .join(IndicatorReport, IndicatorReport.id == EvidenceLink.report_id)
    .where(
        IndicatorReport.indicator_id.in_(bindparam("indicator_ids", expanding=True)),
        *_REPORT_COUNTS,
    )
    .group_by(IndicatorReport.indicator_id)
)


@dataclass(frozen=True)
class EntryRef:
    """One entry evidence can be attached to: a reported value or a spending entry."""

    kind: str  # value | spending
    id: int

    def short(self) -> str:
        return f"{self.kind[0]}{self.id}"

    @staticmethod
    def parse(text: str) -> EntryRef | None:
        kind = {"v": "value", "s": "spending"}.get(text[:1])
        return EntryRef(kind, int(text[1:])) if kind and text[1:].isdigit() else None


@dataclass(frozen=True)
class StoredFile:
    """A kept file as listed: its type, size and the name it came with. The bytes are read
    only for the files actually sent (`contents`), never for a whole list."""

    file_id: int
    filename: str
    content_type: str
    size: int
    sha256: str
    entry: EntryRef | None
    indicator_id: int | None  # for a reported value
    project_id: int | None  # for a spending entry


@dataclass(frozen=True)
class Pending:
    """A file offered to an entry, waiting for its sender's yes or no."""

    link_id: int
    file_id: int
    person_id: int | None
    created_at: datetime


class EvidenceRepository(Repository):
    def keep(self, content: bytes, content_type: str, at: datetime) -> int:
        """The id of the file with these bytes, stored now if no one has sent them before. Two
        instances storing the same bytes at once end with one row (the unique sha256)."""
        digest = hashlib.sha256(content).hexdigest()
        found = self._file_id(digest)
        if found is not None:
            return found
        try:
            with self._session.begin_nested():
                row = EvidenceFile(
                    sha256=digest,
                    content_type=content_type,
                    size=len(content),
                    content=content,
                    created_at=at,
                )
                self._session.add(row)
                self._session.flush()
                return row.id
        except IntegrityError:
            found = self._file_id(digest)
            assert found is not None
            return found

    def _file_id(self, digest: str) -> int | None:
        return self._session.execute(
            select(EvidenceFile.id).where(EvidenceFile.sha256 == digest)
        ).scalar_one_or_none()

    def attach(
        self,
        file_id: int,
        entry: EntryRef | None,
        *,
        filename: str,
        person_id: int,
        channel: str,
        at: datetime,
    ) -> int | None:
        """Tie the file to the entry (None: an offer waiting for an answer): the link's id, or
        None when it was attached to that entry already."""
        if entry is not None and self._linked(file_id, entry):
            return None
        link = EvidenceLink(
            file_id=file_id,
            report_id=entry.id if entry and entry.kind == "value" else None,
            spending_id=entry.id if entry and entry.kind == "spending" else None,
            filename=filename[:200],
            person_id=person_id,
            channel=channel,
            created_at=at,
        )
        self._session.add(link)
        self._session.flush()
        return link.id

    def _linked(self, file_id: int, entry: EntryRef) -> bool:
        column = EvidenceLink.report_id if entry.kind == "value" else EvidenceLink.spending_id
        return (
            self._session.execute(
                select(EvidenceLink.id).where(EvidenceLink.file_id == file_id, column == entry.id)
            ).first()
            is not None
        )

    def pending(self, link_id: int) -> Pending | None:
        row = self._session.execute(
            select(
                EvidenceLink.id,
                EvidenceLink.file_id,
                EvidenceLink.person_id,
                EvidenceLink.created_at,
            ).where(
                EvidenceLink.id == link_id,
                EvidenceLink.report_id.is_(None),
                EvidenceLink.spending_id.is_(None),
            )
        ).first()
        return None if row is None else Pending(*row)

    def settle(self, link_id: int, entry: EntryRef | None) -> bool:
        """Answer an offer: attach its file to `entry`, or drop it (None). The file itself goes
        when nothing holds it any more. False when the offer is gone or was attached already."""
        link = self._session.get(EvidenceLink, link_id)
        if link is None or link.report_id is not None or link.spending_id is not None:
            return False
        if entry is None or self._linked(link.file_id, entry):
            file_id = link.file_id
            self._session.delete(link)
            self._session.flush()
            self._drop_if_unused(file_id)
            return False
        if entry.kind == "value":
            link.report_id = entry.id
        else:
            link.spending_id = entry.id
        self._session.flush()
        return True

    def drop_stale_offers(self, before: datetime) -> int:
        """Forget offers nobody answered since `before`, and files nothing else holds."""
        stale = self._session.execute(
            select(EvidenceLink.id, EvidenceLink.file_id).where(
                EvidenceLink.report_id.is_(None),
                EvidenceLink.spending_id.is_(None),
                EvidenceLink.created_at < before,
            )
        ).all()
        if not stale:
            return 0
        self._session.execute(
            delete(EvidenceLink).where(EvidenceLink.id.in_([r[0] for r in stale]))
        )
        for file_id in {r[1] for r in stale}:
            self._drop_if_unused(file_id)
        return len(stale)

    def _drop_if_unused(self, file_id: int) -> None:
        used = self._session.execute(
            select(EvidenceLink.id).where(EvidenceLink.file_id == file_id).limit(1)
        ).first()
        if used is None:
            self._session.execute(delete(EvidenceFile).where(EvidenceFile.id == file_id))

    # -- reading ---------------------------------------------------------------------------
    def counts_by_indicator(self, indicator_ids: Collection[int]) -> dict[int, int]:
        """Indicator id -> how many distinct files are attached to its reports that count."""
        if not indicator_ids:
            return {}
        rows = self._run(_FILES_PER_INDICATOR, {"indicator_ids": list(indicator_ids)})
        return {int(indicator_id): int(count) for indicator_id, count in rows}

    def counts_by_project_spending(self, project_ids: Collection[int]) -> dict[int, int]:
        """Project id -> files attached to its spending entries that count."""
        if not project_ids:
            return {}
        rows = self._session.execute(
            select(SpendingEntry.project_id, func.count(func.distinct(EvidenceLink.file_id)))
            .join(EvidenceLink, EvidenceLink.spending_id == SpendingEntry.id)
            .where(SpendingEntry.project_id.in_(list(project_ids)), *_SPENDING_COUNTS)
            .group_by(SpendingEntry.project_id)
        ).all()
        return {int(project_id): int(count) for project_id, count in rows}

    def files_for(
        self, indicator_ids: Collection[int], project_ids: Collection[int] = ()
    ) -> list[StoredFile]:
        """The files attached to these indicators' reports and these projects' spending
        entries that count, each once, oldest first."""
        found: dict[int, StoredFile] = {}
        if indicator_ids:
            self._gather(
                found,
                "value",
                IndicatorReport.id,
                IndicatorReport.indicator_id,
                EvidenceLink.report_id,
                (IndicatorReport.indicator_id.in_(list(indicator_ids)), *_REPORT_COUNTS),
            )
        if project_ids:
            self._gather(
                found,
                "spending",
                SpendingEntry.id,
                SpendingEntry.project_id,
                EvidenceLink.spending_id,
                (SpendingEntry.project_id.in_(list(project_ids)), *_SPENDING_COUNTS),
            )
        return sorted(found.values(), key=lambda f: f.file_id)

    def _gather(
        self,
        found: dict[int, StoredFile],
        kind: str,
        entry_id: Any,
        owner_id: Any,
        link_column: Any,
        conditions: tuple[Any, ...],
    ) -> None:
        """Add the files linked to entries of one kind (value or spending) that meet
        `conditions`; the owner is the indicator of a value, the project of spending."""
        rows = self._session.execute(
            select(*_LISTED, EvidenceLink.filename, entry_id, owner_id)
            .join(EvidenceLink, EvidenceLink.file_id == EvidenceFile.id)
            .join(entry_id.class_, entry_id == link_column)
            .where(*conditions)
            .order_by(EvidenceLink.id)
        )
        for file_id, content_type, size, digest, name, entry, owner in rows:
            indicator, project = (owner, None) if kind == "value" else (None, owner)
            found.setdefault(
                file_id,
                StoredFile(
                    file_id,
                    name,
                    content_type,
                    size,
                    digest,
                    EntryRef(kind, entry),
                    indicator,
                    project,
                ),
            )

    def contents(self, file_ids: Collection[int]) -> dict[int, bytes]:
        """The bytes of these files (the ones a reply sends)."""
        if not file_ids:
            return {}
        rows = self._session.execute(
            select(EvidenceFile.id, EvidenceFile.content).where(EvidenceFile.id.in_(list(file_ids)))
        )
        return {int(file_id): bytes(content) for file_id, content in rows}

    def by_sha256(self, digest: str) -> tuple[str, bytes] | None:
        """(content type, bytes) of a kept file, for a channel that serves files by link."""
        row = self._session.execute(
            select(EvidenceFile.content_type, EvidenceFile.content).where(
                EvidenceFile.sha256 == digest
            )
        ).first()
        return None if row is None else (str(row[0]), bytes(row[1]))

    def files_of(self, entry: EntryRef) -> list[StoredFile]:
        column = EvidenceLink.report_id if entry.kind == "value" else EvidenceLink.spending_id
        rows = self._session.execute(
            select(*_LISTED, EvidenceLink.filename)
            .join(EvidenceLink, EvidenceLink.file_id == EvidenceFile.id)
            .where(column == entry.id)
            .order_by(EvidenceLink.id)
        ).all()
        return [
            StoredFile(file_id, name, content_type, size, digest, entry, None, None)
            for file_id, content_type, size, digest, name in rows
        ]
