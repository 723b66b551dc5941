"""The router: which command, button or guided flow answers what. It is filled in one place,
`handlers.wiring.build_router`, never by importing a module for its side effects.

A command is declared once (`Router.command` for members, `Router.open_command` for anyone):
its name, handler, who may use it, the words that run it without a slash, the shape of its
arguments, the phrases of a question that asks for it, and whether it makes a file. Its rank in
the menus is the order of declaration; its menu line is the catalog entry `cmd_<name>`. Routing,
the Telegram menus, LINE's words, /help and the intent table are all derived from it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from handlers.buttons import ButtonData
from handlers.context import Context, MemberContext
from handlers.flows import Flow
from handlers.request import Reply
from plan_data.roles import REGISTERED, Role

OpenHandler = Callable[[Context, list[str], str], list[Reply]]
MemberHandler = Callable[[MemberContext, list[str], str], list[Reply]]
ButtonHandler = Callable[[MemberContext, Any], list[Reply]]  # Any: the one ButtonData type
FlowHandler = Callable[[MemberContext, Any, str], list[Reply]]  # Any: the one Flow type
ArgumentShape = Callable[[Context, list[str]], bool]

# What a question's answer is run with: a project code, a division (else the person's own), a
# strategy or division (`group`), a scope for /budget and /chart (code, strategy, division,
# all, else the person's own), search words, or nothing.
Needs = Literal["none", "code", "division", "group", "scope", "words"]


@dataclass(frozen=True)
class Asked:
    """The phrases of a plain-language question that asks for a command (handlers.intents),
    separated by commas. A phrase is words separated by spaces; the same words typed without
    spaces match too."""

    phrases_text: str
    needs: Needs = "none"

    @property
    def phrases(self) -> tuple[str, ...]:
        return tuple(p.strip() for p in self.phrases_text.split(",") if p.strip())


@dataclass(frozen=True)
class Intent:
    """A command as the intent table sees it. A write is never run from a sentence: its usage
    (`usage_key`) is shown instead."""

    command: str
    phrases: tuple[str, ...]
    needs: Needs = "none"
    writes: bool = False


@dataclass(frozen=True)
class CommandSpec:
    """One command, declared once."""

    name: str
    roles: frozenset[Role] | None  # None: anyone, registered or not
    words: tuple[str, ...] = ()  # typed without a slash (`งบ STR114/64`), Thai and English
    takes: ArgumentShape | None = None  # the words after a command word are its arguments
    asked: Asked | None = None  # the question that asks for it
    usage_key: str | None = None  # a write: the catalog entry saying how to type it
    makes_file: bool = False  # a picture or document: slow, and a channel may say so first
    in_groups: bool = True  # False: a group is told to use a private chat instead

    @property
    def catalog_key(self) -> str:
        """The menu's and /help's line for this command."""
        return f"cmd_{self.name}"

    @property
    def on_its_way_key(self) -> str:
        """A file command's "on its way" sentence, said first where a channel can (slow.py)."""
        return f"on_its_way_{self.name}"

    @property
    def writes(self) -> bool:
        return self.usage_key is not None

    def allows(self, role: Role | None) -> bool:
        return self.roles is None or (role is not None and role in self.roles)

    def takes_as_arguments(self, ctx: Context, args: list[str]) -> bool:
        """Whether the words after the command word (typed without the slash) are its
        arguments (`สถานะ STR114/64`) or the message is a sentence that begins with the word
        (`งบ STR114 เหลือเท่าไหร่`), read as a question instead. No shape: anything goes."""
        return self.takes is None or self.takes(ctx, args)

    def run(self, ctx: Context, args: list[str], rest: str) -> list[Reply]:
        raise NotImplementedError


@dataclass(frozen=True)
class OpenCommand(CommandSpec):
    """A command anyone may run, registered or not: its handler gets a plain Context."""

    handler: OpenHandler | None = None

    def run(self, ctx: Context, args: list[str], rest: str) -> list[Reply]:
        assert self.handler is not None
        return self.handler(ctx, args, rest)


@dataclass(frozen=True)
class MemberCommand(CommandSpec):
    """A command for registered people in `roles`: its handler gets a MemberContext."""

    handler: MemberHandler | None = None

    def run(self, ctx: Context, args: list[str], rest: str) -> list[Reply]:
        assert self.handler is not None
        if not isinstance(ctx, MemberContext):
            return [Reply(ctx._("not_registered"))]
        if not self.allows(ctx.member_role):
            return [Reply(ctx._("not_allowed_command", command=self.name))]
        return self.handler(ctx, args, rest)


@dataclass
class Router:
    commands: dict[str, CommandSpec] = field(default_factory=dict)
    buttons: dict[type, ButtonHandler] = field(default_factory=dict)
    flows: dict[type, FlowHandler] = field(default_factory=dict)
    words: dict[str, str] = field(default_factory=dict)  # a word typed without a slash -> name

    def command(
        self,
        name: str,
        handler: MemberHandler,
        roles: frozenset[Role] = REGISTERED,
        *,
        words: tuple[str, ...] = (),
        takes: ArgumentShape | None = None,
        asked: Asked | None = None,
        usage_key: str | None = None,
        makes_file: bool = False,
        in_groups: bool = True,
    ) -> None:
        """Declare a command for registered people in `roles`."""
        self._declare(
            MemberCommand(
                name, roles, words, takes, asked, usage_key, makes_file, in_groups, handler
            )
        )

    def open_command(
        self,
        name: str,
        handler: OpenHandler,
        *,
        words: tuple[str, ...] = (),
        asked: Asked | None = None,
        in_groups: bool = True,
    ) -> None:
        """Declare a command anyone may run, registered or not."""
        self._declare(OpenCommand(name, None, words, None, asked, None, False, in_groups, handler))

    def _declare(self, spec: CommandSpec) -> None:
        clash = [word for word in spec.words if word in self.words or word in self.commands]
        if spec.name in self.commands or clash:
            raise ValueError(f"/{spec.name} declared twice, or its words are taken: {clash}")
        self.commands[spec.name] = spec
        self.words.update(dict.fromkeys(spec.words, spec.name))

    def button(self, kind: type[ButtonData], handler: ButtonHandler) -> None:
        self.buttons[kind] = handler

    def flow(self, kind: type[Flow], handler: FlowHandler) -> None:
        """What a typed message answers while this person's flow of `kind` waits for one."""
        self.flows[kind] = handler

    def run(self, ctx: Context, name: str, args: list[str], rest: str) -> list[Reply]:
        """Command `name` with its arguments, after the role check: the one path a typed
        command, a plain-language question (handlers.intents) and a RunCommand button share."""
        return self.commands[name].run(ctx, args, rest)

    def intents(self) -> tuple[Intent, ...]:
        """The intent table: every command a question may ask for, in menu order."""
        return tuple(
            Intent(spec.name, spec.asked.phrases, spec.asked.needs, spec.writes)
            for spec in self.commands.values()
            if spec.asked is not None
        )

    def makes_file(self) -> frozenset[str]:
        return frozenset(name for name, spec in self.commands.items() if spec.makes_file)

    def menu(self, role: Role | None = None, *, everyone: bool = False) -> list[CommandSpec]:
        """The commands to list, in the order they were declared: all, or those `role` may use."""
        return [s for s in self.commands.values() if everyone or s.allows(role)]

    def group_menu(self) -> list[CommandSpec]:
        """The commands a group's menu lists: those every member may run in a group (a menu is
        the same for everyone there, so nothing a member would be refused)."""
        return [
            s for s in self.menu(everyone=True) if s.in_groups and all(s.allows(r) for r in Role)
        ]


__all__ = [
    "Asked",
    "ButtonHandler",
    "CommandSpec",
    "Context",
    "FlowHandler",
    "Intent",
    "MemberCommand",
    "MemberHandler",
    "OpenCommand",
    "OpenHandler",
    "Router",
]
