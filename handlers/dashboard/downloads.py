"""The period's files on the dashboard: the very replies /export and /report give in chat, so
the spreadsheet and the quarterly report cannot differ from what the chat sends."""

from __future__ import annotations

from handlers.commands import planning, report
from handlers.context import MemberContext
from handlers.request import Attachment


def period_file(ctx: MemberContext, what: str) -> Attachment | None:
    """`xlsx`: the plan's figures (/export); `report`: the quarterly report (/report). None when
    the command answers without a file (no plan, too large)."""
    command = planning.export if what == "xlsx" else report.report
    for reply in command(ctx, [], ""):
        if reply.document is not None:
            return reply.document
    return None
