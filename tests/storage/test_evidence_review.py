"""Evidence and review through the write services, on a real SQLite file and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from plan_data.errors import Refusal
from plan_data.evidence import IncomingFile
from plan_data.review import ReviewState
from storage.db.database import Database
from storage.db.models import EvidenceFile, EvidenceLink
from storage.repositories import people
from storage.repositories.evidence import EntryRef
from storage.services import evidence, reporting
from storage.services.review import review
from storage.unit_of_work import UnitOfWork

AT = datetime(2021, 1, 11, 3, 0, tzinfo=UTC)
PNG = b"\x89PNG\r\n\x1a\n" + b"picture" * 50
PDF = b"%PDF-1.4\n" + b"minutes" * 50


def _people(db: Database) -> tuple[people.PersonView, people.PersonView]:
    with UnitOfWork(db) as uow:
        head = uow.people.add("telegram", "1", "head", "research", "Somchai")
        planner = uow.people.add("telegram", "2", "planner", "planning", "Malee")
    return head, planner


def _report(db: Database, person: people.PersonView, value: str = "130") -> int:
    with UnitOfWork(db) as uow:
        done = reporting.record_value(
            uow, person, code="STR114/64", seq=2, value=Decimal(value), channel="telegram", at=AT
        )
        return done.report_id


def _photo(content: bytes = PNG, name: str = "photo.png", kind: str = "image/png") -> IncomingFile:
    return IncomingFile(name, kind, len(content), content)


def test_a_file_is_kept_once_however_often_it_is_attached(loaded: Database) -> None:
    head, _planner = _people(loaded)
    first, second = _report(loaded, head, "120"), _report(loaded, head, "130")
    with UnitOfWork(loaded) as uow:
        for report_id in (first, second, second):
            evidence.attach(
                uow,
                head,
                _photo(),
                EntryRef("value", report_id),
                channel="telegram",
                at=AT,
                max_bytes=10_000,
            )
        indicator = uow.plans().find("STR114/64")[1].indicators[1]
        counts = uow.evidence.counts_by_indicator([indicator.id])
        files = uow.evidence.files_for([indicator.id])
        contents = uow.evidence.contents([f.file_id for f in files])
    with loaded.session() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceFile)) == 1
        assert session.scalar(select(func.count()).select_from(EvidenceLink)) == 2
    assert counts == {indicator.id: 1}
    assert [(f.filename, contents[f.file_id], f.size) for f in files] == [
        ("photo.png", PNG, len(PNG))
    ]


@pytest.mark.parametrize(
    ("incoming", "key"),
    [
        (IncomingFile("run.exe", "application/x-msdownload", 10, b"MZ" * 5), "evidence_type"),
        (IncomingFile("big.pdf", "application/pdf", 20_000, None), "evidence_too_large"),
        (IncomingFile("fake.pdf", "application/pdf", 10, b"MZ" * 5), "evidence_not_what_it_says"),
        (IncomingFile("hostname", "", 10, b"planbot\n"), "evidence_type_unknown"),
    ],
)
def test_a_refused_file_stores_nothing(loaded: Database, incoming: IncomingFile, key: str) -> None:
    head, _planner = _people(loaded)
    report_id = _report(loaded, head)
    with UnitOfWork(loaded) as uow, pytest.raises(Refusal) as refused:
        evidence.attach(
            uow,
            head,
            incoming,
            EntryRef("value", report_id),
            channel="telegram",
            at=AT,
            max_bytes=10_000,
        )
    assert refused.value.key == key
    with loaded.session() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceFile)) == 0


def test_an_offer_is_for_the_newest_entry_within_ten_minutes(loaded: Database) -> None:
    head, _planner = _people(loaded)
    report_id = _report(loaded, head)
    with UnitOfWork(loaded) as uow:
        late = evidence.offer(
            uow,
            head,
            _photo(PDF, "m.pdf", "application/pdf"),
            channel="line",
            at=AT + timedelta(minutes=11),
            max_bytes=10_000,
        )
        offered = evidence.offer(
            uow,
            head,
            _photo(PDF, "m.pdf", "application/pdf"),
            channel="line",
            at=AT + timedelta(minutes=9),
            max_bytes=10_000,
        )
        assert late is None
        assert offered is not None and offered.info.entry == EntryRef("value", report_id)
        assert offered.info.indicator is not None and offered.info.indicator.seq == 2
        outcome, _info = evidence.answer_offer(
            uow, head, offered.link_id, offered.info.entry, accept=True
        )
        assert outcome == "attached"
        assert [f.filename for f in uow.evidence.files_of(offered.info.entry)] == ["m.pdf"]


def test_a_declined_offer_leaves_no_file(loaded: Database) -> None:
    head, _planner = _people(loaded)
    _report(loaded, head)
    with UnitOfWork(loaded) as uow:
        offered = evidence.offer(uow, head, _photo(), channel="line", at=AT, max_bytes=10_000)
        assert offered is not None
        evidence.answer_offer(uow, head, offered.link_id, offered.info.entry, accept=False)
    with loaded.session() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceFile)) == 0


def test_review_states_follow_the_reports(loaded: Database) -> None:
    head, planner = _people(loaded)
    first = _report(loaded, head, "120")
    with UnitOfWork(loaded) as uow, pytest.raises(Refusal) as own:
        review(uow, head, first, ReviewState.VERIFIED, at=AT)
    assert own.value.key == "review_not_allowed"
    with UnitOfWork(loaded) as uow:
        with pytest.raises(Refusal) as no_reason:
            review(uow, planner, first, ReviewState.RETURNED, reason="  ", at=AT)
        assert no_reason.value.key == "review_reason_needed"
        review(uow, planner, first, ReviewState.RETURNED, reason="ขอรายชื่อผู้เข้าร่วม", at=AT)
    with UnitOfWork(loaded) as uow:
        [returned] = uow.reviews.in_state(ReviewState.RETURNED)
        assert (returned.report_id, returned.reason) == (first, "ขอรายชื่อผู้เข้าร่วม")
    second = _report(loaded, head, "130")  # reported again: submitted, the old one leaves review
    with UnitOfWork(loaded) as uow:
        assert uow.reviews.in_state(ReviewState.RETURNED) == []
        [waiting] = uow.reviews.in_state(ReviewState.SUBMITTED)
        assert (waiting.report_id, waiting.value) == (second, Decimal("130"))
        with pytest.raises(Refusal) as gone:
            review(uow, planner, first, ReviewState.VERIFIED, at=AT)
        assert gone.value.key == "review_gone"
        review(uow, planner, second, ReviewState.VERIFIED, at=AT)
    with UnitOfWork(loaded) as uow:
        with pytest.raises(Refusal) as twice:
            review(uow, planner, second, ReviewState.RETURNED, reason="x", at=AT)
        assert twice.value.key == "review_already_verified_by"
        assert twice.value.values["by"] == planner.display_name
        [verified] = uow.reviews.in_state(ReviewState.VERIFIED)
        assert verified.report_id == second
    with UnitOfWork(loaded) as uow:  # a reversal removes the report from review
        assert reporting.undo_last(uow, head, channel="telegram", at=AT) is not None
    with UnitOfWork(loaded) as uow:
        states = uow.reviews.in_state(ReviewState.VERIFIED)
        assert second not in [r.report_id for r in states]


def test_nobody_reviews_their_own_report(loaded: Database) -> None:
    _head, planner = _people(loaded)
    mine = _report(loaded, planner)
    with UnitOfWork(loaded) as uow, pytest.raises(Refusal) as refused:
        review(uow, planner, mine, ReviewState.VERIFIED, at=AT)
    assert refused.value.key == "review_own_report"


def test_two_instances_share_the_files(postgres_url: str) -> None:
    """Two processes' worth of engines on one PostgreSQL: what one stores, the other sends."""
    from plan_data import DEFAULT_PLAN
    from storage.plan_io.loader import load_plan_file

    first, second = Database(postgres_url), Database(postgres_url)
    try:
        load_plan_file(first, DEFAULT_PLAN)
        head, _planner = _people(first)
        report_id = _report(first, head)
        with UnitOfWork(first) as uow:
            evidence.attach(
                uow,
                head,
                _photo(PDF, "list.pdf", "application/pdf"),
                EntryRef("value", report_id),
                channel="telegram",
                at=AT,
                max_bytes=10_000,
            )
        with UnitOfWork(second) as uow:
            [kept] = uow.evidence.files_of(EntryRef("value", report_id))
            content = uow.evidence.contents([kept.file_id])[kept.file_id]
        assert (kept.filename, kept.content_type, content) == ("list.pdf", "application/pdf", PDF)
    finally:
        first.dispose()
        second.dispose()


def test_a_file_sent_to_one_instance_comes_back_from_another(postgres_url: str) -> None:
    """Two bot instances (each its own engine and caches) on one PostgreSQL: the photo sent
    with /update to the first is what /evidence on the second sends back."""
    from handlers.context import Services
    from handlers.dispatch import dispatch
    from handlers.request import Request
    from plan_data import DEFAULT_PLAN
    from storage.plan_io.loader import load_plan_file

    first, second = Database(postgres_url), Database(postgres_url)
    try:
        load_plan_file(first, DEFAULT_PLAN)
        _people(first)
        one, two = (Services(db=db, clock=lambda: AT) for db in (first, second))
        photo = _photo(PNG, "event.png", "image/png")
        sent = Request("telegram", "1", "1", text="/update STR114/64 2 130", attachment=photo)
        [recorded] = dispatch(sent, one)
        assert "📎" in recorded.text
        [back] = dispatch(Request("telegram", "2", "2", text="/evidence STR114/64 2"), two)
        assert [(f.filename, f.content) for f in back.files] == [("event.png", PNG)]
    finally:
        first.dispose()
        second.dispose()
