"""Who may do what. A `member` or `head` reports for their own division's projects; a
`planner` (the planning division) reads everything, reports for anyone and exports; an `admin`
also manages people and invites."""

from __future__ import annotations

import enum

from plan_data.model import Plan, Project
from plan_data.rollup import answerable


class Role(enum.StrEnum):
    MEMBER = "member"
    HEAD = "head"
    PLANNER = "planner"
    ADMIN = "admin"

    @classmethod
    def parse(cls, text: str) -> Role | None:
        try:
            return cls(text.strip().lower())
        except ValueError:
            return None


REGISTERED = frozenset(Role)
PLANNING = frozenset({Role.PLANNER, Role.ADMIN})
MANAGERS = frozenset({Role.ADMIN})
LINKERS = frozenset({Role.HEAD, Role.PLANNER, Role.ADMIN})


def reads_everything(role: Role) -> bool:
    """Planners and admins see every division's figures and the late summary."""
    return role in PLANNING


def group_may_show(
    linked_division: str, division: str | None, plan: Plan | None, project: Project | None
) -> bool:
    """A group chat linked to one division shows that division's figures and those of the
    projects it answers for; nothing else (the whole plan is for private chats)."""
    if division is not None and division == linked_division:
        return True
    return plan is not None and project is not None and answerable(plan, project, linked_division)


def may_report(role: Role, own_division: str | None, plan: Plan, project: Project) -> bool:
    """Planners and admins report for any project; members and heads for the projects their
    division answers for (a sub-activity's, or its parent's)."""
    if reads_everything(role):
        return True
    return own_division is not None and answerable(plan, project, own_division)


def may_record_late(role: Role) -> bool:
    """A value for a period whose deadline has passed is the planning division's to record
    (with the division's explanation); heads and members report the open periods only."""
    return reads_everything(role)


def may_see_evidence(role: Role, own_division: str | None, plan: Plan, project: Project) -> bool:
    """Evidence may hold names and signatures: it is for the planners and admins and for the
    divisions that answer for the project, the same people who may report on it."""
    return may_report(role, own_division, plan, project)


def may_manage_people(role: Role) -> bool:
    return role in MANAGERS


def may_link_group(role: Role, own_division: str | None, division_key: str) -> bool:
    """A head links a group to their own division; planners and admins to any."""
    if reads_everything(role):
        return True
    return role is Role.HEAD and own_division == division_key


def role_after_invite(current: Role | None, invited: Role) -> Role:
    """Opening an invite never demotes: planners and admins keep their role (their division
    may change); everyone else takes the invite's role."""
    if current is not None and reads_everything(current):
        return current
    return invited


INVITE_ATTEMPTS_PER_HOUR = 5  # wrong codes a person may try before being asked to wait
