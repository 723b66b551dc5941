"""Where a person's guided flow stands, and the one way to consume it.

A flow is stored with the nonce of the buttons it shows (`kind:nonce`). `take` deletes the row
only where that nonce still stands, in the request's transaction, and the row count decides: of
two presses of one button (a double tap, a replay, two instances) exactly one gets the flow, and
the other gets nothing and writes nothing. A write that is refused rolls back, so its flow stands
again for the next try."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import bindparam, delete, select

from storage.db.models import ConversationState
from storage.db.types import UTCDateTime
from storage.repositories.base import Repository, insert_for

_UPSERTS: dict[str, Any] = {}
_TAKE = (
    delete(ConversationState)
    .where(
        ConversationState.person_id == bindparam("person_id"),
        ConversationState.nonce == bindparam("nonce"),
    )
    .returning(ConversationState.state)
)
_DROP = delete(ConversationState).where(ConversationState.person_id == bindparam("person_id"))
_GET = select(ConversationState.state).where(ConversationState.person_id == bindparam("person_id"))


def _upsert(dialect: str) -> Any:
    """INSERT … ON CONFLICT (person) DO UPDATE, built once per dialect."""
    if dialect not in _UPSERTS:
        statement = insert_for(dialect)(ConversationState).values(
            person_id=bindparam("person_id"),
            state=bindparam("state", type_=ConversationState.state.type),
            nonce=bindparam("nonce"),
            updated_at=bindparam("updated_at", type_=UTCDateTime()),
        )
        _UPSERTS[dialect] = statement.on_conflict_do_update(
            index_elements=["person_id"],
            set_={
                "state": statement.excluded.state,
                "nonce": statement.excluded.nonce,
                "updated_at": statement.excluded.updated_at,
            },
        )
    return _UPSERTS[dialect]


class FlowsRepository(Repository):
    """A person's flow as a plain dict (its kind under "flow"); handlers.flows types it."""

    def get(self, person_id: int) -> dict[str, Any] | None:
        state = self._run(_GET, {"person_id": person_id}).scalar()
        return dict(state) if state else None

    def put(self, person_id: int, nonce: str, state: dict[str, Any]) -> None:
        """Expect this flow next, replacing whatever the person had."""
        self._run(
            _upsert(self._dialect),
            {
                "person_id": person_id,
                "state": state,
                "nonce": nonce,
                "updated_at": datetime.now(UTC),
            },
        )
        self._wrote()

    def take(self, person_id: int, nonce: str) -> dict[str, Any] | None:
        """The flow if `nonce` still stands, deleted in this transaction; None when the button
        was used already (by this press's twin, too) or belongs to an older message."""
        found = self._run(_TAKE, {"person_id": person_id, "nonce": nonce}).scalar()
        if found is None:
            return None
        self._wrote()
        return dict(found)

    def drop(self, person_id: int) -> None:
        result = self._run(_DROP, {"person_id": person_id})
        if result.rowcount:
            self._wrote()
