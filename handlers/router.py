"""The router: which command, button or guided flow answers what. It is filled in one place,
`handlers.wiring.build_router`, never by importing a module for its side effects."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from handlers.buttons import ButtonData
from handlers.context import Context, MemberContext
from handlers.flows import Flow
from handlers.request import Reply
from plan_data.roles import REGISTERED, Role

Handler = Callable[[Any, list[str], str], list[Reply]]  # (Context or MemberContext, args, rest)
ButtonHandler = Callable[[Any, Any], list[Reply]]  # (MemberContext, one ButtonData type)
FlowHandler = Callable[[Any, Any, str], list[Reply]]  # (MemberContext, one Flow type, text)

MENU_ORDER = ("status", "update", "spend", "budget", "projects", "find", "history", "undo", "due",
              "evidence", "late", "review", "summary", "dashboard", "chart", "export", "report", "invite", "link", "lang", "help", "start")  # fmt: skip


@dataclass(frozen=True)
class CommandSpec:
    name: str
    handler: Handler
    roles: frozenset[Role] | None  # None: anyone, registered or not
    in_menu: bool = True
    in_groups: bool = True  # False: a group is told to use a private chat instead

    def allows(self, role: Role | None) -> bool:
        return self.roles is None or (role is not None and role in self.roles)


@dataclass
class Router:
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    buttons: dict[type, ButtonHandler] = field(default_factory=dict)
    flows: dict[type, FlowHandler] = field(default_factory=dict)

    def command(
        self,
        name: str,
        handler: Handler,
        roles: frozenset[Role] | None = REGISTERED,
        *,
        in_menu: bool = True,
        in_groups: bool = True,
    ) -> None:
        self.commands[name] = CommandSpec(name, handler, roles, in_menu, in_groups)

    def button(self, kind: type[ButtonData], handler: ButtonHandler) -> None:
        self.buttons[kind] = handler

    def flow(self, kind: type[Flow], handler: FlowHandler) -> None:
        """What a typed message answers while this person's flow of `kind` waits for one."""
        self.flows[kind] = handler

    def run(self, ctx: Context, name: str, args: list[str], rest: str) -> list[Reply]:
        """Command `name` with its arguments, after the role check: the one path a typed
        command, a plain-language question (handlers.intents) and a RunCommand button share."""
        spec = self.commands[name]
        if spec.roles is not None:
            if not isinstance(ctx, MemberContext):
                return [Reply(ctx._("not_registered"))]
            if not spec.allows(ctx.member_role):
                return [Reply(ctx._("not_allowed_command", command=spec.name))]
        return spec.handler(ctx, args, rest)

    def menu(self, role: Role | None = None, *, everyone: bool = False) -> list[CommandSpec]:
        """The commands to list, most used first: all of them, or those `role` may use."""
        rank = {name: i for i, name in enumerate(MENU_ORDER)}
        specs = sorted(self.commands.values(), key=lambda s: rank.get(s.name, len(rank)))
        return [s for s in specs if s.in_menu and (everyone or s.allows(role))]

    def group_menu(self) -> list[CommandSpec]:
        """The commands a group's menu lists: those every member may run in a group (a menu is
        the same for everyone there, so nothing a member would be refused)."""
        return [
            s for s in self.menu(everyone=True) if s.in_groups and all(s.allows(r) for r in Role)
        ]


__all__ = ["ButtonHandler", "CommandSpec", "Context", "FlowHandler", "Handler", "Router"]
