"""The database schema. Plan rows are replaced on reload; entries are append-only."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from storage.db.types import Baht, ExactDecimal, UTCDateTime

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class FiscalYear(Base):
    __tablename__ = "fiscal_years"

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer, unique=True)  # Buddhist era, e.g. 2564
    source: Mapped[str] = mapped_column(Text, default="")
    recurring_name_th: Mapped[str] = mapped_column(Text, default="")
    recurring_name_en: Mapped[str] = mapped_column(Text, default="")
    recurring_declared_gov: Mapped[Decimal | None] = mapped_column(Baht)
    recurring_declared_own: Mapped[Decimal | None] = mapped_column(Baht)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Moves whenever a load changes the plan, so cached plan models know to rebuild.
    revision: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class Division(Base):
    __tablename__ = "divisions"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(40), unique=True)
    name_th: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text)
    # The short names people type for it (ไอที); unique across divisions (the plan file's check).
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list, server_default="[]")
    # The division that plans: it hears the institute-wide late summary. At most one.
    plans: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())


class Strategy(Base):
    __tablename__ = "strategies"
    __table_args__ = (UniqueConstraint("fiscal_year_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"))
    number: Mapped[int] = mapped_column(Integer)
    name_th: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text, default="")
    declared_gov: Mapped[Decimal | None] = mapped_column(Baht)
    declared_own: Mapped[Decimal | None] = mapped_column(Baht)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)


class Tactic(Base):
    __tablename__ = "tactics"
    __table_args__ = (UniqueConstraint("strategy_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    strategy_id: Mapped[int] = mapped_column(ForeignKey("strategies.id"))
    number: Mapped[str] = mapped_column(String(10))
    name_th: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text, default="")
    declared_gov: Mapped[Decimal | None] = mapped_column(Baht)
    declared_own: Mapped[Decimal | None] = mapped_column(Baht)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)

    strategy: Mapped[Strategy] = relationship()


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    fiscal_year_id: Mapped[int] = mapped_column(ForeignKey("fiscal_years.id"), index=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    strategy_id: Mapped[int | None] = mapped_column(ForeignKey("strategies.id"))
    tactic_id: Mapped[int | None] = mapped_column(ForeignKey("tactics.id"))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_th: Mapped[str] = mapped_column(Text)
    name_en: Mapped[str] = mapped_column(Text, default="")
    activities: Mapped[list[str]] = mapped_column(JSON, default=list)
    budget_gov: Mapped[Decimal | None] = mapped_column(Baht)
    budget_own: Mapped[Decimal | None] = mapped_column(Baht)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    # A project taken out of a reloaded plan keeps its reports; it is only hidden.
    retired: Mapped[bool] = mapped_column(Boolean, default=False)

    strategy: Mapped[Strategy | None] = relationship()
    tactic: Mapped[Tactic | None] = relationship()
    parent: Mapped[Project | None] = relationship(remote_side=[id])
    division_links: Mapped[list[ProjectDivision]] = relationship(
        order_by="ProjectDivision.position", cascade="all, delete-orphan"
    )
    indicators: Mapped[list[Indicator]] = relationship(order_by="Indicator.seq")


class ProjectDivision(Base):
    __tablename__ = "project_divisions"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    division_id: Mapped[int] = mapped_column(ForeignKey("divisions.id"), primary_key=True)
    position: Mapped[int] = mapped_column(Integer, default=0)  # 0 is the lead division

    division: Mapped[Division] = relationship()


class Indicator(Base):
    __tablename__ = "indicators"
    __table_args__ = (UniqueConstraint("project_id", "kind", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(10))  # outcome | output
    number: Mapped[int] = mapped_column(Integer)  # within its kind, as the plan numbers it
    seq: Mapped[int] = mapped_column(Integer)  # 1..n across the project, as /status lists it
    text: Mapped[str] = mapped_column(Text)
    target: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    unit: Mapped[str] = mapped_column(String(40))
    direction: Mapped[str] = mapped_column(String(12))  # at_least | at_most | milestone
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    notes: Mapped[list[str]] = mapped_column(JSON, default=list)
    retired: Mapped[bool] = mapped_column(Boolean, default=False)


class Person(Base):
    __tablename__ = "people"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))  # telegram | line | console
    external_id: Mapped[str] = mapped_column(String(64))
    display_name: Mapped[str] = mapped_column(Text, default="")
    role: Mapped[str] = mapped_column(String(12))  # member | head | planner | admin
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"))
    language: Mapped[str | None] = mapped_column(String(5))  # their /lang choice
    # The language their chat app is set to (Telegram's language_code, LINE's profile), as it
    # last came: reminders follow it as replies do when they never chose one with /lang.
    platform_language: Mapped[str | None] = mapped_column(String(35))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # How many entries this person has recorded: each entry takes the next number, which is
    # the order /undo goes back in (clocks can tie; this cannot).
    entries_recorded: Mapped[int] = mapped_column(Integer, default=0, server_default="0")

    division: Mapped[Division | None] = relationship()


class Chat(Base):
    __tablename__ = "chats"
    __table_args__ = (UniqueConstraint("channel", "external_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    is_group: Mapped[bool] = mapped_column(Boolean, default=False)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    linked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    blocked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Invite(Base):
    __tablename__ = "invites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"))
    role: Mapped[str] = mapped_column(String(12))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    used_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    division: Mapped[Division | None] = relationship()


class InviteAttempt(Base):
    """A wrong invite code someone typed: a few an hour are allowed, then they must wait."""

    __tablename__ = "invite_attempts"
    __table_args__ = (Index("ix_invite_attempts_who", "channel", "external_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    external_id: Mapped[str] = mapped_column(String(64))
    at: Mapped[datetime] = mapped_column(UTCDateTime)


class IndicatorReport(Base):
    """A reported value. Never updated: a correction is a new row, an undo a reversal row."""

    __tablename__ = "indicator_reports"
    __table_args__ = (Index("ix_indicator_reports_latest", "indicator_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id"))
    period: Mapped[str] = mapped_column(String(16))  # e.g. 2564-Q1
    value: Mapped[Decimal | None] = mapped_column(ExactDecimal)
    note: Mapped[str] = mapped_column(Text, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Unique: an entry is reversed at most once, even by simultaneous /undo.
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("indicator_reports.id"), index=True, unique=True
    )
    person_seq: Mapped[int | None] = mapped_column(Integer)  # see Person.entries_recorded
    # Recorded for a period whose report deadline had passed (by the planning division)
    late: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    person: Mapped[Person | None] = relationship()


class SpendingEntry(Base):
    """Money spent, in baht. Append-only; an undo is a negative entry that reverses another."""

    __tablename__ = "spending_entries"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    amount: Mapped[Decimal] = mapped_column(Baht)
    period: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    reverses_id: Mapped[int | None] = mapped_column(
        ForeignKey("spending_entries.id"), index=True, unique=True
    )
    person_seq: Mapped[int | None] = mapped_column(Integer)  # see Person.entries_recorded

    person: Mapped[Person | None] = relationship()


class EvidenceFile(Base):
    """The bytes of a file kept as evidence, once however many entries it is attached to: the
    database holds them, so every instance on one PostgreSQL sees the same files."""

    __tablename__ = "evidence_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    content_type: Mapped[str] = mapped_column(String(120))
    size: Mapped[int] = mapped_column(Integer)
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class EvidenceLink(Base):
    """A file attached to one entry (a reported value or a spending entry), under the name it
    was sent with. With neither, it is a file offered to the person's latest entry and waiting
    for their answer (see plan_data.evidence.PENDING_KEPT)."""

    __tablename__ = "evidence_links"
    __table_args__ = (
        UniqueConstraint("file_id", "report_id", name="uq_evidence_links_report_file"),
        UniqueConstraint("file_id", "spending_id", name="uq_evidence_links_spending_file"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    file_id: Mapped[int] = mapped_column(ForeignKey("evidence_files.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("indicator_reports.id"), index=True)
    spending_id: Mapped[int | None] = mapped_column(ForeignKey("spending_entries.id"), index=True)
    filename: Mapped[str] = mapped_column(Text, default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ReportReview(Base):
    """A planner's verdict on a reported value: verified, or returned with a reason. Append-only;
    the newest row is the report's state, and a report with none is submitted."""

    __tablename__ = "report_reviews"
    __table_args__ = (
        Index("ix_report_reviews_report", "report_id", "id"),
        # One verdict stands per report: a second judge's insert finds this key taken.
        Index("uq_report_reviews_report", "report_id", unique=True),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("indicator_reports.id"))
    state: Mapped[str] = mapped_column(String(12))  # verified | returned
    reason: Mapped[str] = mapped_column(Text, default="")
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ConversationState(Base):
    """Where a guided flow stands for a person, so a restart does not lose it."""

    __tablename__ = "conversation_states"

    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    state: Mapped[dict[str, Any]] = mapped_column(JSON)
    # The nonce of the buttons now shown; taking the flow deletes the row only where it matches.
    nonce: Mapped[str] = mapped_column(String(32), default="", server_default="")
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OutboxMessage(Base):
    """A message to deliver. Written before sending, keyed so it is never written twice."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    chat_external_id: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ProcessedEvent(Base):
    """Webhook events and updates already handled, so a redelivery is not handled twice."""

    __tablename__ = "processed_events"
    __table_args__ = (UniqueConstraint("channel", "event_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class InboxEvent(Base):
    """A webhook event answered 200 and not yet (or already) handled: see storage/inbox.py."""

    __tablename__ = "inbox"
    __table_args__ = (
        UniqueConstraint("channel", "event_id"),
        Index("ix_inbox_waiting", "status", "chat_key", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[str] = mapped_column(String(16))
    event_id: Mapped[str] = mapped_column(String(128))  # the platform's id: the unique key
    chat_key: Mapped[str] = mapped_column(String(100))  # one chat's rows are handled in order
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # the event as the platform sent it
    status: Mapped[str] = mapped_column(String(12), default="received")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    lease_token: Mapped[str | None] = mapped_column(String(32))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SchedulerRun(Base):
    """The last moment a scheduled job ran, so a run missed while down is caught up once."""

    __tablename__ = "scheduler_runs"

    job: Mapped[str] = mapped_column(String(64), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(UTCDateTime)
