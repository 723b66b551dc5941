"""LINE through line-bot-sdk 3 (async): webhook events become Requests, Replies become messages.

The signature is checked over the raw body before anything is parsed (`LineWebhook.verify`);
the webhook writes each event to the inbox keyed by its webhookEventId (`inbox_events`), and an
inbox worker hands it to `LineBot.handle_row`; a write is also claimed in `processed_events` by
that id, so a redelivery is handled once. Replies use the event's reply token while it is fresh
(LINE's expire in about a minute and work once) and push messages otherwise; a slow answer (a
report, an export, a chart) first says it is on its way with the token, and follows by push.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import hmac
import json
import logging
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from linebot.v3.messaging import (
    AsyncMessagingApi,
    AsyncMessagingApiBlob,
)
from linebot.v3.messaging.exceptions import ApiException
from linebot.v3.webhooks import (
    Event,
    FollowEvent,
    GroupSource,
    JoinEvent,
    LeaveEvent,
    MessageEvent,
    PostbackEvent,
    RoomSource,
    TextMessageContent,
    UnfollowEvent,
    UserSource,
)

from bot.channels import LINE
from bot.line_files import DownloadFailed, incoming_file, is_file_message
from bot.line_render import MediaStore, Message, batches, render
from bot.line_sender import PUSH_PATH, REPLY_PATH, post_messages
from bot.webhook_body import BadBody, load_object
from handlers.commands.evidence import expects_file
from handlers.context import Services
from handlers.dispatch import answer
from handlers.i18n import Translator, pick_language
from handlers.request import Reply, Request
from handlers.slow import may_be_slow, on_its_way
from plan_data.evidence import IncomingFile
from storage.inbox import InboxItem, NewEvent
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
REPLY_WINDOW_SECONDS = 50.0  # LINE's reply tokens last about a minute; keep a margin
API_TIMEOUT_SECONDS = 10.0


class LineWebhook:
    """Checks X-Line-Signature (base64 HMAC-SHA256 of the raw body, keyed by the channel
    secret) and only then parses the events."""

    def __init__(self, channel_secret: str) -> None:
        self._secret = channel_secret.encode()

    def verify(self, body: bytes, signature: str | None) -> bool:
        if not signature:
            return False
        expected = base64.b64encode(hmac.new(self._secret, body, hashlib.sha256).digest())
        return hmac.compare_digest(expected, signature.encode("ascii", "replace"))

    @staticmethod
    def parse(body: bytes) -> list[Event]:
        """The events LINE sent; call only after `verify` (see `parse_raw`)."""
        return [event for _raw, event in LineWebhook.parse_raw(body)]

    @staticmethod
    def parse_raw(body: bytes) -> list[tuple[dict[str, Any], Event]]:
        """The events LINE sent, each as sent and as the SDK reads it; call only after `verify`.
        A body that is not an object with an `events` list of objects, each with a `type`, is a
        `BadBody` (nothing is handled). An event the SDK cannot read (a kind it does not know
        yet, a shape it does not expect) is dropped, and the others are handled: LINE adds event
        kinds and fields over time."""
        raw_events = load_object(body).get("events")
        if not isinstance(raw_events, list):
            raise BadBody("no list of events")
        for raw in raw_events:
            if not isinstance(raw, dict) or not isinstance(raw.get("type"), str) or not raw["type"]:
                raise BadBody("an event without a type")
        parsed: list[tuple[dict[str, Any], Event]] = []
        for raw in raw_events:
            try:
                parsed.append((raw, Event.from_dict(raw)))
            except Exception as error:  # the SDK's parsers raise ValueError, KeyError, TypeError...
                log.info(
                    "skipping a LINE event of an unknown shape: %.40r (%s)",
                    raw["type"],
                    type(error).__name__,
                )
        return parsed


@dataclass(frozen=True)
class Where:
    """Who wrote and where to answer."""

    user_id: str
    chat_id: str
    is_group: bool


def where(event: Event) -> Where | None:
    source = event.source
    if isinstance(source, GroupSource):
        return Where(source.user_id or "", source.group_id, True)
    if isinstance(source, RoomSource):
        return Where(source.user_id or "", source.room_id, True)
    if isinstance(source, UserSource) and source.user_id:
        return Where(source.user_id, source.user_id, False)
    return None


class ParsedEvents:
    """Events this process read at the webhook, kept (the newest `most`) for the worker that
    handles their inbox row, so the SDK does not read them a second time; a row written by
    another instance, or before a restart, is read from its payload."""

    def __init__(self, most: int = 1000) -> None:
        self._events: OrderedDict[str, Event] = OrderedDict()
        self._most = most

    def keep(self, event_id: str, event: Event) -> None:
        self._events[event_id] = event
        while len(self._events) > self._most:
            self._events.popitem(last=False)

    def take(self, event_id: str, payload: dict[str, Any]) -> Event:
        kept = self._events.pop(event_id, None)
        return kept if kept is not None else Event.from_dict(payload)


def inbox_events(
    parsed: list[tuple[dict[str, Any], Event]], keep: ParsedEvents | None = None
) -> list[NewEvent]:
    """The inbox rows for a webhook body's events, in order, each keyed by its webhookEventId
    and queued behind the earlier events of its chat; an event from nowhere is left out. The
    events read are kept in `keep` for the worker."""
    events = []
    for raw, event in parsed:
        place = where(event)
        if place is None:
            continue
        event_id = (
            getattr(event, "webhook_event_id", None)
            or hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest()
        )
        events.append(NewEvent(LINE.name, event_id, f"{LINE.name}:{place.chat_id}", raw))
        if keep is not None:
            keep.keep(event_id, event)
    return events


class LineBot:
    """Handles parsed webhook events with the platform-neutral handlers."""

    def __init__(
        self,
        services: Services,
        api: AsyncMessagingApi,
        *,
        media: MediaStore | None = None,
        blob: AsyncMessagingApiBlob | None = None,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.services, self.api, self.blob = services, api, blob
        self.media = media or MediaStore(None)
        self.wall_clock = wall_clock
        self._profiles: OrderedDict[str, tuple[str, str | None]] = OrderedDict()
        self.parsed = ParsedEvents()

    async def handle(self, event: Event) -> None:
        """One event: claimed once, answered; never raises (other events still run)."""
        try:
            await self._answer(event)
        except Exception:
            log.exception("LINE event %s failed", getattr(event, "webhook_event_id", "?"))

    async def handle_row(self, item: InboxItem) -> bool:
        """One event taken from the inbox; raises when it fails (the worker records why). True
        when dispatch settled the row in the request's own transaction."""
        return await self._answer(self.parsed.take(item.event_id, item.payload), item.lease)

    async def _answer(self, event: Event, lease: tuple[int, str] | None = None) -> bool:
        """Whether the event's inbox row (`lease`) was settled by dispatch."""
        place = where(event)
        if place is None:
            return False
        if isinstance(event, UnfollowEvent | LeaveEvent):
            await asyncio.to_thread(self._gone, place.chat_id)
            return False
        if isinstance(event, JoinEvent):
            _ = Translator("th")
            await self.send(event, place.chat_id, [Reply(_("line_join_group"))], "th")
            return False
        request = await self._request(event, place, lease)
        if request is None:
            return False
        token_used = False
        # A slow answer: say at once that it is on its way (asked only of a slow command).
        if self._fresh(event) and may_be_slow(request):
            early = await asyncio.to_thread(on_its_way, request, self.services)
            if early is not None:
                language = pick_language(None, request.language)
                await self.send(event, place.chat_id, [early], language)
                token_used = True
        answered = await asyncio.to_thread(answer, request, self.services)
        if answered.replies:
            await self.send(
                event, place.chat_id, answered.replies, answered.language, use_token=not token_used
            )
        return answered.settled

    def _gone(self, chat_id: str) -> None:
        """Blocked or removed: reminders stop going there (the chat's other people keep theirs)."""
        with UnitOfWork(self.services.db) as uow:
            uow.people.mark_chat_gone(LINE.name, chat_id)

    async def close(self) -> None:
        await self.api.api_client.close()
        if self.blob is not None:
            await self.blob.api_client.close()

    async def _request(
        self, event: Event, place: Where, lease: tuple[int, str] | None = None
    ) -> Request | None:
        text, button, addressed = "", None, False
        attachment: IncomingFile | None = None
        if isinstance(event, MessageEvent) and isinstance(event.message, TextMessageContent):
            text, addressed = without_my_mention(event.message)
        elif isinstance(event, MessageEvent) and is_file_message(event.message):
            attachment = await self._file(event, place)
            if attachment is None:
                return None
        elif isinstance(event, PostbackEvent):
            button = event.postback.data
        elif isinstance(event, FollowEvent):
            text = "/start"
        else:
            return None
        name, language = await self._profile(place)
        return Request(
            channel=LINE.name,
            user_id=place.user_id,
            chat_id=place.chat_id,
            text=text,
            button=button,
            language=language,
            display_name=name,
            is_group=place.is_group,
            claim=event.webhook_event_id,
            addressed=addressed,
            attachment=attachment,
            inbox_row=lease,
            traits=LINE.traits,
        )

    async def _file(self, event: MessageEvent, place: Where) -> IncomingFile | None:
        """The picture or file sent, fetched from LINE's data host; when that fails, a private
        chat is told so in one sentence (a group is not: it may not have been meant for us). In
        a group only a file that can find an entry is fetched (handlers' `expects_file`)."""
        if place.is_group and not await asyncio.to_thread(
            expects_file, self.services, LINE.name, place.user_id, place.chat_id
        ):
            return None  # pictures people share among themselves: not even fetched
        try:
            if self.blob is None:
                raise DownloadFailed("no client for LINE's data host")
            return await incoming_file(self.blob, event.message, self.services.evidence_max_bytes)
        except DownloadFailed:
            if not place.is_group:
                _name, language = await self._profile(place)
                lang = pick_language(None, language)
                reply = Reply(Translator(lang)("line_file_download_failed"))
                await self.send(event, place.chat_id, [reply], lang)
            return None

    async def _profile(self, place: Where) -> tuple[str, str | None]:
        """Display name and language, asked once per person per process (best effort)."""
        if not place.user_id:
            return "", None
        cached = self._profiles.get(place.user_id)
        if cached is not None:
            return cached
        try:
            if place.is_group:
                profile = await self.api.get_group_member_profile(
                    place.chat_id, place.user_id, _request_timeout=API_TIMEOUT_SECONDS
                )
                found: tuple[str, str | None] = (profile.display_name or "", None)
            else:
                profile = await self.api.get_profile(
                    place.user_id, _request_timeout=API_TIMEOUT_SECONDS
                )
                found = (profile.display_name or "", profile.language)
        except Exception as error:  # not a friend, network trouble: carry on without it
            log.info("no LINE profile for %s: %s", place.user_id, error)
            return "", None
        self._profiles[place.user_id] = found
        while len(self._profiles) > 10_000:
            self._profiles.popitem(last=False)
        return found

    def _fresh(self, event: Event) -> bool:
        if event.delivery_context.is_redelivery or not getattr(event, "reply_token", None):
            return False
        return self.wall_clock() * 1000 - event.timestamp < REPLY_WINDOW_SECONDS * 1000

    async def send(
        self,
        event: Event,
        chat_id: str,
        replies: list[Reply],
        language: str,
        *,
        use_token: bool = True,
    ) -> None:
        """Reply with the token while it is fresh (and not used yet); push what does not fit or
        comes too late."""
        groups = batches(render(replies, self.media, language))
        if not groups:
            return
        if use_token and self._fresh(event):
            try:
                body = {"replyToken": event.reply_token, "messages": groups[0]}
                await post_messages(self.api, REPLY_PATH, body, timeout=API_TIMEOUT_SECONDS)
                groups = groups[1:]
            except ApiException as error:  # expired or used token: push instead
                log.info("LINE reply refused (%s), pushing instead", error.status)
        for group in groups:
            await self.push(chat_id, group)

    async def push(self, chat_id: str, messages: list[Message]) -> None:
        body = {"to": chat_id, "messages": messages}
        try:
            await post_messages(self.api, PUSH_PATH, body, timeout=API_TIMEOUT_SECONDS)
        except ApiException as error:
            log.warning("LINE push to %s refused: %s %s", chat_id, error.status, error.reason)


def without_my_mention(message: TextMessageContent) -> tuple[str, bool]:
    """The text with the bot's own @mention taken out, and whether there was one: in a group,
    a message that mentions the bot is meant for it (`@planbot งบ STR114`)."""
    text = message.text
    mention = message.mention
    mine = [
        m
        for m in (mention.mentionees if mention else [])
        if getattr(m, "is_self", False) and m.index is not None and m.length is not None
    ]
    for m in sorted(mine, key=lambda m: m.index, reverse=True):
        text = text[: m.index] + text[m.index + m.length :]
    return " ".join(text.split()), bool(mine)
