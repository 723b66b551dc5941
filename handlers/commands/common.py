"""What several commands share: who may report on a project or read in a group, and the
replies that refuse."""

from __future__ import annotations

from handlers.context import Context
from handlers.formatting import esc
from handlers.naming import name_of
from handlers.request import Reply
from plan_data.model import Project
from plan_data.roles import Role, group_may_show
from plan_data.roles import may_report as role_may_report

KIND_KEYS = {"outcome": "kind_outcome", "output": "kind_output"}


def may_report(ctx: Context, code: str) -> bool:
    person = ctx.person
    found = ctx.plans().find(code)
    if person is None or found is None:
        return False
    plan, project = found
    return role_may_report(Role(person.role), person.division_key, plan, project)


def refused_write(ctx: Context, code: str) -> Reply:
    person = ctx.person
    division = (
        (person.division_name_th if ctx.language == "th" else person.division_name_en)
        if person
        else ""
    )
    return Reply(ctx._("not_your_project", code=esc(code), division=esc(division or "-")))


def group_refusal(
    ctx: Context, *, division: str | None = None, project: Project | None = None
) -> Reply | None:
    """In a group chat, figures are shown only for the division the group is linked to: the
    reply that says so, or None where the figures may be shown (always in a private chat).
    Ask with the division asked about, the project asked about, or neither (a whole-plan
    view, never shown in a group)."""
    if not ctx.request.is_group:
        return None
    linked = ctx.chat_division
    if linked is None:
        return Reply(ctx._("group_not_linked"))
    found = ctx.plans().find(project.code) if project is not None else None
    if group_may_show(linked, division, found[0] if found else None, project):
        return None
    named = ctx.plans().division(linked)
    name = name_of(ctx, named.name_th, named.name_en) if named else esc(linked)
    return Reply(ctx._("group_only_division", division=name))
