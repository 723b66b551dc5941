"""Telegram through python-telegram-bot: updates become Requests, Replies become messages."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from io import BytesIO

from telegram import (
    BotCommand,
    BotCommandScopeAllGroupChats,
    BotCommandScopeChat,
    BotCommandScopeDefault,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    MenuButtonWebApp,
    Update,
    WebAppInfo,
)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, TelegramError
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bot.channels import TELEGRAM
from bot.inbox_worker import current_lease
from bot.telegram_files import (
    FileNotDownloaded,
    download_failed_text,
    is_chatter,
    send_files,
    with_attachment,
)
from bot.telegram_limits import caption, caption_fits, fits_as_photo
from bot.telegram_shape import shape_problem
from handlers.context import Services
from handlers.dashboard.signing import APP_PATH
from handlers.dispatch import answer, menu_commands
from handlers.formatting import esc, shorten
from handlers.i18n import Translator, pick_language
from handlers.request import Attachment, Button, Reply, Request
from handlers.text_fit import fit
from handlers.wiring import build_router
from storage.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
SERVICES_KEY = "planbot_services"
MENUS_KEY = "planbot_menus"  # private chat id -> the role whose menu it shows (set by this process)
MENU_LANGUAGES = ("th", "en")  # Thai first: the menu without a language code
RESEND_AFTER_SECONDS = 0.5
ALLOWED_UPDATES = ["message", "callback_query", "my_chat_member"]
RETRY_FIRST_SECONDS, RETRY_MOST_SECONDS = 1.0, 60.0
LABEL = TELEGRAM.messages.button_label


def build_application(
    token: str,
    services: Services,
    base_url: str,
    *,
    file_url: str | None = None,
    rate_limit: bool = True,
) -> Application:
    """The whole Telegram wiring in one place. `file_url` is where files are downloaded from
    (Settings.telegram_file_url); by default the API base with `/file/bot` for `/bot`."""
    builder = ApplicationBuilder().token(token).base_url(base_url).post_init(_post_init)
    builder = builder.base_file_url(file_url or base_url.replace("/bot", "/file/bot", 1))
    application = (
        builder.rate_limiter(AIORateLimiter(max_retries=3)).build()
        if rate_limit
        else builder.build()
    )
    application.bot_data[SERVICES_KEY] = services
    # Before every handler: an update whose fields have the wrong types is logged and skipped.
    application.add_handler(TypeHandler(Update, skip_misshapen), group=-1)
    for name in build_router().commands:
        # An edited message never runs a command again (it would record the money twice).
        application.add_handler(
            CommandHandler(name, on_message, filters=~filters.UpdateType.EDITED)
        )
    application.add_handler(MessageHandler(filters.TEXT & ~filters.UpdateType.EDITED, on_message))
    application.add_handler(
        MessageHandler((filters.PHOTO | filters.Document.ALL) & ~filters.UpdateType.EDITED, on_file)
    )
    application.add_handler(CallbackQueryHandler(on_button))
    application.add_handler(MessageHandler(filters.StatusUpdate.MIGRATE, on_migrate))
    application.add_error_handler(on_error)
    return application


def _menu(language: str, role: str | None = None, *, group: bool = False) -> list[BotCommand]:
    """The command menu `role` may use (None: an unregistered person), or a group's (what every
    member may run there), described in `language`."""
    _ = Translator(language)
    specs = menu_commands(role, group=group)
    return [BotCommand(s.name, fit(_(s.catalog_key), 256)) for s in specs]


def _language_code(language: str) -> str | None:
    """Thai is the menu without a language code (what every client falls back to)."""
    return None if language == MENU_LANGUAGES[0] else language


async def _post_init(application: Application) -> None:
    """Learn the bot's username (for invite links) and publish the command menus in both
    languages: the default one for people not registered yet (/start, /help, /lang), in groups
    what every member may run there. A registered person's private chat gets their role's menu when they
    write (`fit_menu`)."""
    services: Services = application.bot_data[SERVICES_KEY]
    me = await application.bot.get_me()
    services.bot_username = me.username
    for language in MENU_LANGUAGES:
        await application.bot.set_my_commands(
            _menu(language),
            scope=BotCommandScopeDefault(),
            language_code=_language_code(language),
        )
        await application.bot.set_my_commands(
            _menu(language, group=True),
            scope=BotCommandScopeAllGroupChats(),
            language_code=_language_code(language),
        )


async def fit_menu(context: ContextTypes.DEFAULT_TYPE, request: Request, role: str | None) -> None:
    """Give a registered person's private chat the menu of their `role` (as dispatch found it in
    the request's unit of work: a head sees no /late or /export), in both languages, when this
    process has not yet set that chat's menu for that role. Someone not (or no longer)
    registered gets the default menu back: their chat's own menu is deleted, once per process
    (a person an admin removed keeps no member's menu). Best effort: a failure is one log line
    and never touches the reply, which has been sent already."""
    chat_id = int(request.chat_id)
    try:
        services: Services = context.application.bot_data[SERVICES_KEY]
        shown: dict[int, str] = context.application.bot_data.setdefault(MENUS_KEY, {})
        if shown.get(chat_id) == (role or ""):
            return
        if role is None:
            for language in MENU_LANGUAGES:
                await context.bot.delete_my_commands(
                    scope=BotCommandScopeChat(chat_id), language_code=_language_code(language)
                )
            shown[chat_id] = ""
            return
        for language in MENU_LANGUAGES:
            await context.bot.set_my_commands(
                _menu(language, role),
                scope=BotCommandScopeChat(chat_id),
                language_code=_language_code(language),
            )
        await _dashboard_button(context, services, chat_id)
        shown[chat_id] = role
    except Exception as error:
        log.warning("could not set the command menu of chat %s: %s", chat_id, error)


async def _dashboard_button(
    context: ContextTypes.DEFAULT_TYPE, services: Services, chat_id: int
) -> None:
    """The chat's menu button opens the dashboard as a Mini App (Telegram takes https only)."""
    links = services.dashboard
    if links is None or not links.https:
        return
    label = Translator("th")("dashboard_open_app").removeprefix("📊 ")
    await context.bot.set_chat_menu_button(
        chat_id, MenuButtonWebApp(label, WebAppInfo(links.url(APP_PATH)))
    )


# -- start-up: Telegram may be unreachable, and the rest of the bot must not wait for it ---------
async def start_telegram(
    application: Application,
    *,
    polling: bool,
    webhook_url: str | None = None,
    secret: str | None = None,
) -> None:
    """One attempt at bringing Telegram up: getMe and the command menus (`post_init`), then long
    polling started, or the webhook registered at `webhook_url` (when given) with `secret`.
    Raises what the Bot API or the network raised; calling it again carries on where it failed."""
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    if polling:
        updater = application.updater
        assert updater is not None, "long polling needs the Application's Updater"
        if not updater.running:
            await updater.start_polling(allowed_updates=ALLOWED_UPDATES)
    elif webhook_url:
        await application.bot.set_webhook(
            webhook_url, secret_token=secret, allowed_updates=ALLOWED_UPDATES
        )
    if not application.running:
        await application.start()


async def keep_trying(
    attempt: Callable[[], Awaitable[None]],
    *,
    token: str | None,
    first: float = RETRY_FIRST_SECONDS,
    most: float = RETRY_MOST_SECONDS,
) -> int:
    """Await `attempt()` until it succeeds, waiting `first` seconds after the first failure and
    twice as long after each next one, at most `most`. Each failure is one log line, with the
    token taken out (PTB puts it in InvalidToken's message). Returns how many attempts failed."""
    failures, wait = 0, first
    while True:
        try:
            await attempt()
            return failures
        except Exception as error:  # the network, Telegram, a refused token: all worth retrying
            failures += 1
            reason = " ".join(f"{type(error).__name__}: {error}".split())
            if token:
                reason = reason.replace(token, "<token>")
            log.warning("Telegram is not reachable (%s); trying again in %g s", reason, wait)
            log.debug("the failure to reach Telegram in full", exc_info=True)
        await asyncio.sleep(wait)
        wait = min(wait * 2, most)


async def stop_telegram(application: Application) -> None:
    """Undo whatever `start_telegram` got done, however far it got. A step that fails is one
    log line, and the steps after it still run."""
    updater = application.updater
    steps = [
        updater.stop if updater is not None and updater.running else None,
        application.stop if application.running else None,
        application.shutdown,  # nothing to do when initialize never finished
        application.bot.shutdown,  # the HTTP clients a failed initialize left open
    ]
    for step in steps:
        if step is None:
            continue
        try:
            await step()
        except Exception as error:
            log.warning("stopping Telegram: %s: %s", type(error).__name__, error)


async def skip_misshapen(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    problem = shape_problem(update)
    if problem:
        log.warning("update %s skipped: %s", update.update_id, problem)
        raise ApplicationHandlerStop


def _request(update: Update, text: str | None = None, button: str | None = None) -> Request | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Request(
        channel=TELEGRAM.name,
        user_id=str(user.id),
        chat_id=str(chat.id),
        text=text or "",
        button=button,
        language=user.language_code,
        display_name=user.full_name,
        is_group=chat.type in (ChatType.GROUP, ChatType.SUPERGROUP),
        claim=str(update.update_id),
        inbox_row=current_lease(),  # webhook mode: the inbox row this update came in
        traits=TELEGRAM.traits,
    )


async def on_message(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    message = update.effective_message
    if message is None or message.text is None:
        return
    request = _request(update, text=message.text)
    if request is None:
        return
    await _answer(context, request)


async def on_file(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A photo or document, its caption as the text: downloaded and attached to the Request,
    unless it is group chatter (never downloaded). A failed download is one sentence."""
    message = update.effective_message
    request = _request(update, text=message.caption if message is not None else None)
    if message is None or request is None:
        return
    bot = context.bot
    if request.is_group and is_chatter(message, bot_id=bot.id, username=bot.username):
        return
    services: Services = context.application.bot_data[SERVICES_KEY]
    try:
        request = await with_attachment(bot, message, request, services.evidence_max_bytes)
    except FileNotDownloaded:
        text = await asyncio.to_thread(download_failed_text, services, request)
        await bot.send_message(int(request.chat_id), text)
        return
    await _answer(context, request)


async def _answer(context: ContextTypes.DEFAULT_TYPE, request: Request) -> None:
    services: Services = context.application.bot_data[SERVICES_KEY]
    answered = await asyncio.to_thread(answer, request, services)
    for reply in answered.replies:
        await deliver(context, int(request.chat_id), reply, answered.language)
    if not request.is_group:
        await fit_menu(context, request, answered.role)


async def deliver(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply, language: str | None = None
) -> None:
    """Send a reply: its words, then its files. The words are tried once more if Telegram fails;
    a reply to a committed write whose words still cannot be sent is replaced by a short plain
    note that it was saved — never by the generic error, which says nothing was saved. Files go
    after the words and never send them again: a file Telegram will not take is one sentence
    naming it (`language`: the person's), which says nothing about what was saved."""
    words_sent = False
    for attempt in (1, 2):
        try:
            words_sent = await send_words(context, chat_id, reply)
            break
        except TelegramError as error:
            if attempt == 2:
                if not reply.saved_note:
                    raise
                log.warning("a reply to a saved entry could not be sent; sending the short note")
                await context.bot.send_message(chat_id, reply.saved_note)
                return
            log.warning("sending a reply failed (%s); trying once more", type(error).__name__)
            await asyncio.sleep(RESEND_AFTER_SECONDS)
    failed = await send_attachments(context, chat_id, reply, with_words=not words_sent)
    if failed:
        _ = Translator(pick_language(None, language))
        names = ", ".join(esc(shorten(name, 40)) for name in failed)
        await context.bot.send_message(chat_id, _("telegram_file_not_sent", names=names))


async def on_migrate(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """A group became a supergroup (a new chat id): its division link and pending reminders move."""
    message = update.effective_message
    if message is None:
        return
    if message.migrate_to_chat_id:
        old, new = message.chat_id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id:
        old, new = message.migrate_from_chat_id, message.chat_id
    else:
        return
    services: Services = context.application.bot_data[SERVICES_KEY]
    await asyncio.to_thread(_move_chat, services, str(old), str(new))


def _move_chat(services: Services, old: str, new: str) -> None:
    with UnitOfWork(services.db) as uow:
        uow.outbox.move_chat(TELEGRAM.name, old, new)


async def on_button(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    query = update.callback_query
    if query is None:
        return
    request = _request(update, button=query.data or "")
    if request is None:
        return
    services: Services = context.application.bot_data[SERVICES_KEY]
    answered = await asyncio.to_thread(answer, request, services)
    await query.answer()
    for reply in answered.replies:
        plain = not (reply.image or reply.document or reply.files)
        if reply.edit and query.message is not None and plain:
            try:
                await query.edit_message_text(
                    reply.text, parse_mode=ParseMode.HTML, reply_markup=_keyboard(reply)
                )
                continue
            except BadRequest as error:  # e.g. the message is too old to edit
                log.info("could not edit, sending instead: %s", error)
        await deliver(context, int(request.chat_id), reply, answered.language)


def _keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    if not reply.buttons:
        return None
    return InlineKeyboardMarkup([[_button(b) for b in row] for row in reply.buttons])


def _button(choice: Button) -> InlineKeyboardButton:
    """A choice as Telegram draws it: callback data, a link, or a Mini App (web_app)."""
    if choice.kind == "web_app":
        return InlineKeyboardButton(fit(choice.label, LABEL), web_app=WebAppInfo(choice.data))
    if choice.kind == "url":
        return InlineKeyboardButton(fit(choice.label, LABEL), url=choice.data)
    return InlineKeyboardButton(fit(choice.label, LABEL), callback_data=choice.data)


def _single(reply: Reply) -> Attachment | None:
    return reply.image if reply.image is not None else reply.document


async def send_words(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply) -> bool:
    """The reply's text (and buttons) as a message, unless it rides as the caption of its one
    picture or document (a caption holds 1024 visible units): whether a message was sent."""
    single = _single(reply)
    if single is not None and caption_fits(reply.text):
        return False  # the words go as the file's caption
    if not reply.text.strip():
        return False
    await context.bot.send_message(
        chat_id, reply.text, parse_mode=ParseMode.HTML, reply_markup=_keyboard(reply)
    )
    return True


async def send_attachments(
    context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply, *, with_words: bool
) -> list[str]:
    """The reply's files (albums) or its one picture or document, with the words as caption when
    they were not sent as a message; each tried twice. The names of the files not sent."""
    bot = context.bot
    if reply.files:
        return await send_files(bot, chat_id, reply.files)
    single = _single(reply)
    if single is None:
        return []
    words = (
        {
            "caption": caption(reply.text),
            "parse_mode": ParseMode.HTML,
            "reply_markup": _keyboard(reply),
        }
        if with_words
        else {}
    )
    as_photo = reply.image is not None and fits_as_photo(single.content, single.mime_type)
    for attempt in (1, 2):
        try:
            if as_photo:
                await bot.send_photo(chat_id, photo=BytesIO(single.content), **words)  # type: ignore[arg-type]
            else:
                document = BytesIO(single.content)
                name = single.filename
                await bot.send_document(chat_id, document=document, filename=name, **words)  # type: ignore[arg-type]
            return []
        except TelegramError as error:
            log.warning("sending %s failed (attempt %d): %s", single.filename, attempt, error)
    return [single.filename]


async def send_reply(context: ContextTypes.DEFAULT_TYPE, chat_id: int, reply: Reply) -> None:
    """A reply's words then its files (no retries: `deliver` is the careful way)."""
    words_sent = await send_words(context, chat_id, reply)
    await send_attachments(context, chat_id, reply, with_words=not words_sent)


async def on_error(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Log it, tell the person politely, keep running."""
    log.error("error while handling an update", exc_info=context.error)
    if isinstance(update, Update) and update.effective_chat is not None:
        language = update.effective_user.language_code if update.effective_user else None
        try:
            await context.bot.send_message(
                update.effective_chat.id, Translator((language or "th")[:2])("error_generic")
            )
        except Exception:  # the network may be what failed
            log.warning("could not send the error notice", exc_info=True)
