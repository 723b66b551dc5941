"""Evidence: files attached to entries, and `/evidence CODE [N]` to get them back. A file finds
its entry in one of four ways, in this order: the command it was sent with (caption), the
confirmation it replies to, the "attach evidence" button pressed just before, or — asked with
buttons — the sender's newest entry of the last ten minutes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime

from handlers import flows
from handlers.buttons import EvidenceAnswer, EvidenceFor, EvidencePage, decode, encode
from handlers.context import Context, MemberContext, Services
from handlers.flows import EvidencePress, Flow
from handlers.formatting import baht_exact, esc, shorten
from handlers.lookup import join_split_code, resolve
from handlers.request import Attachment, Button, Reply
from handlers.texts import input_error
from plan_data.errors import Refusal
from plan_data.evidence import ATTACH_WINDOW, IncomingFile, megabytes
from plan_data.roles import may_see_evidence
from storage.repositories.evidence import EntryRef, StoredFile
from storage.services import evidence as service
from storage.services.evidence import EntryInfo
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
# What one reply carries, its files together: a margin under the 50 MB a message takes. How many
# files go together is the channel's (Request.traits.messages.files: one album).
MAX_BYTES_SENT = 45 * 1024 * 1024


def entry_name(ctx: Context, info: EntryInfo) -> str:
    """`STR114/64 indicator 2`, or `spending on STR114/64, 25,000 baht`."""
    code = esc(info.project.code)
    if info.indicator is not None:
        return ctx._("evidence_entry_value", code=code, seq=info.indicator.seq)
    shown = baht_exact(info.amount, ctx.language) if info.amount is not None else "-"
    return ctx._("evidence_entry_spending", code=code, amount=shown)


def attach_button(ctx: Context, entry: EntryRef) -> tuple[tuple[Button, ...], ...]:
    """The 📎 button on the confirmation of an entry."""
    return ((Button(ctx._("evidence_button"), encode(EvidenceFor(entry.short()))),),)


# -- a file arrives --------------------------------------------------------------------------
def with_command(ctx: MemberContext, replies: list[Reply]) -> list[Reply]:
    """A file sent with a command (its caption): attach it to the entry the command recorded.
    The entry stands even when the file is refused; the refusal is one more line."""
    incoming = ctx.request.attachment
    assert incoming is not None
    if not ctx.uow.recorded:
        return [*replies, Reply(ctx._("evidence_not_kept_nothing_recorded"))]
    line = _attach_kept_apart(ctx, incoming, ctx.uow.recorded[-1])
    if not replies:
        return [Reply(line)]
    last = replies[-1]
    return [*replies[:-1], replace(last, text=last.text + "\n" + line)]


def _attach_kept_apart(ctx: MemberContext, incoming: IncomingFile, entry: EntryRef) -> str:
    """Attach in a savepoint: a refused file takes nothing else back with it."""
    try:
        with ctx.uow.savepoint():
            return _attached_line(ctx, _attach(ctx, incoming, entry))
    except Refusal as refusal:
        return input_error(ctx._, refusal)
    except Exception:  # the database refused the file: the entry still stands
        log.exception("a file sent with a command was not kept")
        return ctx._("evidence_not_kept_error")


def _attach(ctx: MemberContext, incoming: IncomingFile, entry: EntryRef) -> service.Attached:
    return service.attach(
        ctx.uow,
        ctx.person,
        incoming,
        entry,
        channel=ctx.request.channel,
        at=ctx.now,
        max_bytes=ctx.services.evidence_max_bytes,
    )


def _attached_line(ctx: MemberContext, done: service.Attached) -> str:
    name = entry_name(ctx, done.info)
    if not done.added:
        return ctx._("evidence_attached_before", entry=name)
    count = len(ctx.uow.evidence.files_of(done.info.entry))
    filename = esc(shorten(ctx.request.attachment.filename, 40)) if ctx.request.attachment else ""
    return ctx._("evidence_attached", name=filename, entry=name, count=count)


def without_command(ctx: Context) -> list[Reply]:
    """A file with no command: the confirmation it answers, the button pressed before it, or
    the sender's entry of the last ten minutes (asked first). In a group a file that finds no
    entry is people sharing pictures, and gets no answer."""
    incoming = ctx.request.attachment
    assert incoming is not None
    group = ctx.request.is_group
    if not isinstance(ctx, MemberContext):
        return [] if group else [Reply(ctx._("not_registered"))]
    entry = _replied_entry(ctx) or _pressed_entry(ctx)
    if entry is not None:
        flows.drop(ctx)
        return [Reply(_attached_line(ctx, _attach(ctx, incoming, entry)))]
    offered = service.offer(
        ctx.uow,
        ctx.person,
        incoming,
        channel=ctx.request.channel,
        at=ctx.now,
        max_bytes=ctx.services.evidence_max_bytes,
    )
    if offered is None:
        return [] if group else [Reply(ctx._("evidence_no_entry"))]
    short = offered.info.entry.short()
    buttons = (
        (
            Button(ctx._("evidence_yes"), encode(EvidenceAnswer(offered.link_id, short, True))),
            Button(ctx._("evidence_no"), encode(EvidenceAnswer(offered.link_id, short, False))),
        ),
    )
    text = ctx._(
        "evidence_ask",
        name=esc(shorten(incoming.filename, 40)),
        entry=entry_name(ctx, offered.info),
    )
    return [Reply(text, buttons=buttons)]


def expects_file(services: Services, channel: str, user_id: str, chat_id: str) -> bool:
    """Whether a file this person sends in this group now could find an entry (📎 pressed here,
    or an entry of the last ten minutes). A channel that must fetch a group's every picture
    (LINE) asks first, so pictures people share among themselves are not even downloaded."""
    with UnitOfWork(services.db) as uow:
        person = uow.people.find(channel, user_id)
        if person is None:
            return False
        at = services.clock()
        flow = flows.decode(uow.flows.get(person.id))
        if flow is not None and _pressed_here(flow, f"{channel}:{chat_id}", at) is not None:
            return True
        return service.recent_entry(uow, person, at) is not None


def _replied_entry(ctx: MemberContext) -> EntryRef | None:
    for data in ctx.request.reply_to:
        pressed = decode(data)
        if isinstance(pressed, EvidenceFor):
            return EntryRef.parse(pressed.entry)
    return None


def _pressed_entry(ctx: MemberContext) -> EntryRef | None:
    """The entry whose 📎 button this person pressed in this chat in the last ten minutes."""
    flow = flows.current(ctx)
    if flow is None:
        return None
    return _pressed_here(flow, flows.chat_of(ctx), ctx.now)


def _pressed_here(flow: Flow, chat: str, at: datetime) -> EntryRef | None:
    if not isinstance(flow, EvidencePress) or flow.chat != chat:
        return None
    pressed_at = flow.pressed_at()
    if pressed_at is None or at - pressed_at > ATTACH_WINDOW:
        return None
    return EntryRef.parse(flow.entry)


# -- buttons ---------------------------------------------------------------------------------
def evidence_for_button(ctx: MemberContext, data: EvidenceFor) -> list[Reply]:
    """📎 pressed on a confirmation: the next file in this chat belongs to that entry."""
    entry = EntryRef.parse(data.entry)
    info = service.entry_info(ctx.uow, entry) if entry else None
    if entry is None or info is None:
        return [Reply(ctx._("evidence_entry_gone"))]
    flows.expect(
        ctx,
        EvidencePress(flows.chat_of(ctx), flows.new_nonce(), entry.short(), ctx.now.isoformat()),
    )
    if ctx.request.is_group and ctx.request.traits.group_files_need_reply:
        # The group hands the bot only files that reply to it or carry a command.
        return [Reply(ctx._("evidence_send_by_reply", entry=entry_name(ctx, info)))]
    return [Reply(ctx._("evidence_send_now", entry=entry_name(ctx, info)))]


def answer_button(ctx: MemberContext, data: EvidenceAnswer) -> list[Reply]:
    entry = EntryRef.parse(data.entry)
    if entry is None:
        return [Reply(ctx._("button_expired"))]
    outcome, info = service.answer_offer(ctx.uow, ctx.person, data.link, entry, accept=data.accept)
    if outcome != "attached" or info is None:
        said = {"gone": "evidence_offer_gone", "declined": "evidence_declined"}
        return [Reply(ctx._(said.get(outcome, "evidence_entry_gone")), edit=True)]
    files = ctx.uow.evidence.files_of(entry)
    name = esc(shorten(files[-1].filename, 40)) if files else ""
    text = ctx._("evidence_attached", name=name, entry=entry_name(ctx, info), count=len(files))
    return [Reply(text, edit=True)]


# -- /evidence CODE [N] ----------------------------------------------------------------------
def evidence(ctx: MemberContext, args: list[str], rest: str) -> list[Reply]:
    args = join_split_code(args)
    if not args or len(args) > 2:
        return [Reply(ctx._("evidence_usage"))]
    found = resolve(ctx, args[0])
    if isinstance(found, Reply):
        return [found]
    return [_listed(ctx, found, args[1] if len(args) == 2 else None, 0)]


def evidence_page_button(ctx: MemberContext, data: EvidencePage) -> list[Reply]:
    """The next files of a long /evidence list."""
    if ctx.plans().find(data.code) is None:
        return [Reply(ctx._("button_expired"))]
    return [_listed(ctx, data.code, str(data.seq) if data.seq else None, data.start)]


def _listed(ctx: MemberContext, found: str, seq: str | None, start: int) -> Reply:
    """The files of project `found` (or of its indicator `seq`), from file number `start`."""
    located = ctx.plans().find(found)
    assert located is not None
    plan, project = located
    if not may_see_evidence(ctx.member_role, ctx.person.division_key, plan, project):
        return Reply(ctx._("evidence_not_allowed", code=esc(project.code)))
    code = esc(project.code)
    if seq is not None:
        indicator = next((i for i in project.indicators if str(i.seq) == seq), None)
        if indicator is None:
            if not project.indicators:
                return Reply(ctx._("project_has_no_indicators", code=code))
            return Reply(
                ctx._(
                    "indicator_out_of_range",
                    number=esc(shorten(seq, 10)),
                    code=code,
                    count=len(project.indicators),
                )
            )
        files = ctx.uow.evidence.files_for([indicator.id])
        what = ctx._("evidence_entry_value", code=code, seq=indicator.seq)
        number = indicator.seq
    else:
        subtree = list(plan.subtree(project))
        indicator_ids = [i.id for p in subtree for i in p.indicators]
        files = ctx.uow.evidence.files_for(indicator_ids, [p.id for p in subtree])
        what, number = code, 0
    return files_reply(
        ctx, files, what, start=start, page=lambda at: EvidencePage(project.code, number, at)
    )


def files_reply(
    ctx: Context,
    files: list[StoredFile],
    what: str,
    *,
    start: int = 0,
    page: Callable[[int], EvidencePage] | None = None,
) -> Reply:
    """The list of the files with the files themselves, from number `start`: as many as one
    reply carries, and a button for the next ones (`page`), so every file can be reached."""
    if not files:
        return Reply(ctx._("evidence_none", what=what))
    start = min(max(start, 0), len(files) - 1)
    together = ctx.request.traits.messages.files
    most_bytes = min(MAX_BYTES_SENT, ctx.request.traits.messages.file_bytes)
    sent: list[StoredFile] = []
    total = 0
    for stored in files[start:]:
        if sent and (len(sent) == together or total + stored.size > most_bytes):
            break
        sent.append(stored)
        total += stored.size
    lines = [ctx._("evidence_header", what=what, count=len(files))]
    if start == 0:
        for number, stored in enumerate(files, start=1):
            lines.append(
                ctx._(
                    "evidence_line",
                    number=number,
                    size=megabytes(stored.size),
                    name=esc(shorten(stored.filename, 40)),
                    entry=_where(ctx, stored),
                )
            )
    after = start + len(sent)
    buttons: tuple[tuple[Button, ...], ...] = ()
    if start or after < len(files):
        lines.append(ctx._("evidence_sent_range", first=start + 1, last=after, count=len(files)))
    if after < len(files) and page is not None:
        label = ctx._(
            "evidence_next_button", first=after + 1, last=min(after + together, len(files))
        )
        buttons = ((Button(label, encode(page(after))),),)
    elif after < len(files):
        lines.append(ctx._("evidence_more", shown=len(sent), count=len(files)))
    contents = ctx.uow.evidence.contents([f.file_id for f in sent])
    attachments = tuple(
        Attachment(
            f.filename or f"evidence_{f.file_id}", contents[f.file_id], f.content_type, f.sha256
        )
        for f in sent
    )
    return Reply("\n".join(lines), files=attachments, buttons=buttons)


def _where(ctx: Context, stored: StoredFile) -> str:
    if stored.entry is None:
        return ""
    info = service.entry_info(ctx.uow, stored.entry)
    return entry_name(ctx, info) if info else ""
