"""`planbot chat`: the same conversation in a terminal, to try the bot with no token.

A picture or file a reply carries (/chart, /export, /evidence) is saved under the data
directory's `files/` folder (bot/cli_files.py) and its path printed, since a terminal cannot show
it. A line `@PATH [caption]` sends the file at PATH, as a chat app sends a photo or document."""

from __future__ import annotations

import html
import mimetypes
import re
import sys
from collections.abc import Callable, Iterable
from pathlib import Path

from bot.channels import CONSOLE
from bot.cli_files import save_new
from handlers.context import Services
from handlers.dispatch import dispatch
from handlers.request import Button, Reply, Request
from plan_data.evidence import IncomingFile
from storage.unit_of_work import UnitOfWork

TAG = re.compile(r"</?(b|i|code|u|s|pre)>")


def plain(text: str) -> str:
    """HTML-lite to terminal text."""
    return html.unescape(TAG.sub("", text))


def render(replies: Iterable[Reply], files: Path | None = None) -> tuple[str, list[Button]]:
    """The replies as terminal text, and their buttons numbered in order. With `files`, each
    attachment is saved there and its path shown after the reply's text."""
    out: list[str] = []
    buttons: list[Button] = []
    for reply in replies:
        out.append(plain(reply.text))
        for attachment in (reply.image, reply.document, *reply.files):
            if attachment is not None and files is not None:
                saved = save_new(files, attachment.filename, attachment.content)
                out.append(f"  saved {saved}")
        for row in reply.buttons:
            for choice in row:
                if choice.is_link:  # nothing to press in a terminal: the address
                    out.append(f"  {choice.label}: {choice.data}")
                    continue
                buttons.append(choice)
                out.append(f"  [{len(buttons)}] {choice.label}")
    return "\n".join(out), buttons


def run_console(
    services: Services,
    channel: str,
    user_id: str,
    *,
    lines: Iterable[str] | None = None,
    write: Callable[[str], object] = print,
    files: Path | None = None,
) -> None:
    interactive = lines is None
    source = lines if lines is not None else _stdin_lines()
    buttons: list[Button] = []
    if interactive:
        write(
            "planbot — type /help, a command such as /status STR114/64, or a button's number. Ctrl-D quits."
        )
    for line in source:
        text = line.strip()
        if not text:
            continue
        if text.isdigit() and buttons and 1 <= int(text) <= len(buttons):
            request = Request(
                channel,
                user_id,
                user_id,
                button=buttons[int(text) - 1].data,
                display_name="console",
                traits=CONSOLE.traits,
            )
        elif text.startswith("@"):
            sent = _file_request(channel, user_id, text[1:])
            if sent is None:
                write(f"no such file: {text[1:].split(maxsplit=1)[0] if text[1:] else '-'}")
                continue
            request = sent
        else:
            request = Request(
                channel, user_id, user_id, text=text, display_name="console", traits=CONSOLE.traits
            )
        shown, new_buttons = render(dispatch(request, services), files)
        noticed, notice_buttons = _notices(services, channel, user_id, len(new_buttons))
        if new_buttons or notice_buttons:
            buttons = new_buttons + notice_buttons
        write(shown + noticed)


def _notices(
    services: Services, channel: str, user_id: str, numbered: int
) -> tuple[str, list[Button]]:
    """Notices the bot addressed to the person at the terminal (a returned report, a group
    relinked): a chat app would show them as messages of their own, so they are printed here,
    their buttons numbered after the reply's."""
    with UnitOfWork(services.db) as uow:
        taken = uow.outbox.take_for_chat(channel, user_id, services.clock())
    out: list[str] = []
    buttons: list[Button] = []
    for text, choices in taken:
        out.append("\n📨 " + plain(text))
        for label, data in choices:
            buttons.append(Button(label, data))
            out.append(f"  [{numbered + len(buttons)}] {label}")
    return "\n".join(out), buttons


def _file_request(channel: str, user_id: str, line: str) -> Request | None:
    """`PATH [caption]`: the file at PATH sent with the caption, or None when there is none."""
    parts = line.split(maxsplit=1)
    path = Path(parts[0]).expanduser() if parts else None
    if path is None or not path.is_file():
        return None
    content = path.read_bytes()
    kind = mimetypes.guess_type(path.name)[0] or ""
    incoming = IncomingFile(path.name, kind, len(content), content)
    caption = parts[1] if len(parts) > 1 else ""
    return Request(
        channel,
        user_id,
        user_id,
        text=caption,
        display_name="console",
        attachment=incoming,
        traits=CONSOLE.traits,
    )


def _stdin_lines() -> Iterable[str]:
    while True:
        try:
            yield input("> ")
        except EOFError:
            sys.stdout.write("\n")
            return
