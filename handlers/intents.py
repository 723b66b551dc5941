"""Questions in plain Thai or English, answered like the command they mean.

"งบ STR114 เหลือเท่าไหร่" is /budget STR114/64, "ใครยังไม่รายงาน" is /late, "หาโครงการอบรม" is
/find อบรม. A sentence is read in steps:

1. normalised: Thai digits, case, apostrophes, spacing, a few common misspellings;
2. what a command takes is found and taken out: a project code (only with the letters of a code
   in the plan), a strategy (`ยุทธศาสตร์ที่ 3`, `S3`), then, among the words, a division
   (`ฝ่ายวิจัย`, `งานกฎหมาย`, `training division`), the whole plan (`ทั้งหมด`) or "mine";
3. the rest is cut into words with pythainlp (Thai is written without spaces) and matched
   against INTENTS, the table of the phrases that ask for each command: longer phrases claim
   their words first, and the command whose phrases claim the most words is meant.

Questions only read. A sentence that reads like a report, spending or an undo (`รายงาน STR114
ข้อ 2 ได้ 130`, `ใช้เงินไป 5000`) is never run: it gets the command to type and the closest read
commands. When the words do not point at one command that can be run with what was found, the
2-3 closest read commands are offered as buttons (RunCommand), which run through the same path
as typed commands, so the role checks apply.

The dispatcher asks here only for text that is no command (`typed_as_command`), in a private
chat or in a group message that mentions the bot, and only when no guided flow took it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache
from typing import Literal

from handlers.buttons import RunCommand, encode, fits
from handlers.commands.common import find_division, join_split_code
from handlers.context import Context, MemberContext
from handlers.parsing import split_command, starts_with_number
from handlers.request import Button, Reply
from handlers.router import Router
from handlers.scope import read_scope
from handlers.text_fit import fit
from plan_data import codes
from plan_data.model import Division
from plan_data.roles import reads_everything

Needs = Literal["none", "code", "division", "group", "scope", "words"]


@dataclass(frozen=True)
class Intent:
    """A command and the phrases that ask for it. A phrase is words separated by spaces; the
    same words typed without spaces (as Thai is) match too. `needs` is what the command is run
    with: a project code, a division (else the person's own), a scope for /budget and /chart
    (code, strategy, division, all, else the person's own), search words, or nothing."""

    command: str
    phrases: tuple[str, ...]
    needs: Needs = "none"
    writes: bool = False  # never run from a sentence: the command's usage is shown instead


# fmt: off
INTENTS: tuple[Intent, ...] = (
    Intent("budget", ("งบ", "งบประมาณ", "เงิน", "เหลือ", "คงเหลือ", "เหลือ เท่าไหร่",
                      "เหลือ เท่าไร", "เหลือ เท่าใด", "ไป เท่าไหร่", "ไป เท่าไร", "ใช้ ไป กี่ บาท",
                      "budget", "money", "left", "remaining", "how much", "balance", "spending"),
           needs="scope"),
    Intent("status", ("สถานะ", "ความคืบหน้า", "คืบหน้า", "เป็น ยังไง", "เป็น อย่างไร",
                      "ไป ถึง ไหน", "ตัวชี้วัด", "ผล การ ดำเนินงาน", "status", "progress",
                      "doing", "going", "on track", "indicators", "card"),
           needs="code"),
    Intent("history", ("ประวัติ", "ใคร รายงาน", "ใคร บันทึก", "รายการ ย้อนหลัง", "history",
                       "log", "changes", "who reported", "entries"),
           needs="code"),
    Intent("late", ("ใคร ยัง ไม่ รายงาน", "ยัง ไม่ รายงาน", "ยัง ไม่ ได้ รายงาน", "ยัง ไม่ ส่ง",
                    "ใคร ยัง ไม่ ส่ง", "ฝ่าย ไหน ยัง ไม่", "ล่าช้า", "ส่ง ช้า",
                    "who hasnt reported", "hasnt reported", "havent reported", "not reported",
                    "not reported yet", "who is late", "late", "behind")),
    Intent("due", ("ค้าง", "ค้าง ส่ง", "ค้าง อะไร", "ยัง ค้าง", "ต้อง รายงาน", "ต้อง ส่ง",
                   "กำหนด ส่ง", "ส่ง เมื่อไหร่", "ส่ง เมื่อไร", "ยัง ไม่ รายงาน อะไร",
                   "ยัง ไม่ ได้ รายงาน อะไร", "ยัง ไม่ ส่ง อะไร", "due", "owe", "still owe",
                   "deadline", "missing", "to report", "must report"),
           needs="division"),
    Intent("chart", ("กราฟ", "แผนภูมิ", "รูป", "ภาพ", "chart", "graph", "picture", "plot",
                     "กราฟ งบ", "กราฟ งบประมาณ", "กราฟ เงิน", "รูป กราฟ", "ขอ กราฟ", "ภาพรวม เป็น กราฟ",
                     "แผนภาพ", "ไดอะแกรม", "budget chart", "chart of"),
           needs="scope"),
    Intent("export", ("สเปรดชีต", "สเปรดชีท", "ไฟล์ excel", "excel", "เอ็กเซล", "เอ็กเซล์", "xlsx",
                      "ส่งออก", "ดาวน์โหลด", "ขอ ไฟล์", "ไฟล์ ข้อมูล", "ตาราง ข้อมูล", "spreadsheet",
                      "export", "download", "sheet")),
    Intent("report", ("รายงาน ไตรมาส", "รายงาน ประจำ ไตรมาส", "รายงาน ผล ไตรมาส", "ไฟล์ word",
                      "word", "docx", "เอกสาร รายงาน", "รายงาน ผู้บริหาร", "รายงาน บอร์ด",
                      "สรุป ผู้บริหาร", "quarterly report", "report document", "board report")),
    Intent("summary", ("สรุป", "สรุป ผล", "summary", "summarise", "summarize", "overview")),
    Intent("dashboard", ("แดชบอร์ด", "แดช บอร์ด", "dashboard", "หน้า ภาพรวม", "เปิด ภาพรวม")),
    Intent("projects", ("โครงการ ของ", "มี โครงการ", "โครงการ อะไร", "โครงการ ไหน",
                        "รายการ โครงการ", "รายชื่อ โครงการ", "projects of", "projects for",
                        "list projects", "which projects", "what projects", "projects does",
                        "projects do"),
           needs="group"),
    Intent("find", ("หา", "ค้นหา", "ค้น", "หา โครงการ", "ค้นหา โครงการ", "เกี่ยวกับ", "find",
                    "search", "search for", "look for", "look up", "projects about",
                    "projects with"),
           needs="words"),
    Intent("help", ("ช่วยเหลือ", "วิธีใช้", "ใช้ ยังไง", "ใช้ งาน ยังไง", "ใช้งาน ยังไง", "ทำ อะไร ได้", "คำสั่ง",
                    "help", "what can you do", "commands", "how to use")),
    # Writes: recognised so that they are never guessed; answered with how to type them.
    Intent("update", ("รายงาน", "รายงาน ผล", "อัปเดต", "อัพเดต", "อัพเดท", "บันทึก", "ส่ง ผล",
                      "report", "update", "record"),
           needs="code", writes=True),
    Intent("spend", ("ใช้ เงิน", "ใช้ จ่าย", "ใช้จ่าย", "เบิก", "เบิก จ่าย", "เบิกจ่าย", "เบิกเงิน",
                     "จ่าย", "จ่าย เงิน", "ใช้ งบ", "spend", "spent", "paid", "pay"),
           needs="code", writes=True),
    Intent("undo", ("ย้อนกลับ", "ยกเลิก", "ลบ", "แก้", "แก้ไข", "undo", "cancel", "delete",
                    "revert", "take back"),
           writes=True),
)
# fmt: on

READ_COMMANDS = frozenset(i.command for i in INTENTS if not i.writes)
FILE_COMMANDS = frozenset(("chart", "export", "report"))  # a picture, a spreadsheet, a document
WRITE_USAGE = {"update": "update_usage", "spend": "spend_usage", "undo": "intent_undo_usage"}

# Words that make a sentence a question (or a request to see something): a question only reads,
# so a write's phrases do not count in it ("ใช้งบไปเท่าไหร่" asks about the budget).
QUESTION_WORDS = frozenset((
    "?", "เท่าไหร่", "เท่าไร", "เท่าใด", "ไหม", "มั้ย", "หรือยัง", "อะไร", "ยังไง", "อย่างไร",
    "ใคร", "ไหน", "เมื่อไหร่", "เมื่อไร", "บ้าง", "ขอ", "ดู", "ขอดู", "เช็ค", "เช็ก", "กี่",
    "how", "what", "who", "whos", "which", "when", "where", "show", "is", "are", "any", "list",
    "tell", "can", "see", "check",
))  # fmt: skip
GREETINGS = ("สวัสดี", "หวัดดี", "ขอบคุณ", "hello", "hi", "hey", "good morning", "thanks",
             "thank you")  # fmt: skip
EVERYTHING = ("ทั้งหมด", "ทั้ง แผน", "ภาพรวม", "ทั้ง สถาบัน", "all", "overall", "whole plan",
              "everything")  # fmt: skip
MINE = ("ฝ่าย เรา", "ฝ่าย ฉัน", "ฝ่าย ผม", "ฝ่าย ของ ฉัน", "ฝ่าย ของ เรา", "ของ ฉัน", "ของ เรา",
        "my division", "our division", "mine")  # fmt: skip
# Left out of the words a search is made of: particles, and the words around a search.
FILLER = frozenset((
    "ครับ", "ค่ะ", "คะ", "นะ", "จ้า", "จ้ะ", "หน่อย", "ด้วย", "ที่", "ของ", "เรื่อง", "ชื่อ", "มี",
    "โครงการ", "ไหม", "มั้ย", "บ้าง", "อะไร", "ให้", "ขอ", "ดู", "the", "a", "an", "for", "about",
    "with", "named", "me", "please", "project", "projects", "any", "on", "of", "some", "in",
    "ฝ่าย", "division",
))  # fmt: skip
DIVISION_WORDS_TH = ("ฝ่าย",)  # a division's name follows
DIVISION_WORDS_EN = ("division", "unit", "dept", "department", "team")  # a name comes before
NICKNAMES = {"ไอที": "it", "กฎหมาย": "legal", "พีอาร์": "pr", "ตรวจสอบภายใน": "internal_audit"}
# Words the tokenizer's dictionary would glue to the next syllables (โครง|การอบรม, โครงการวิจัย,
# ประวัติการ): always words of their own.
PERIOD_WORD = re.compile(r"^(?:[0-9]{4}-)?[QqMm][0-9]{1,2}$")
ANCHORS = re.compile("(โครงการ|ฝ่าย|ประวัติ|ตัวชี้วัด)")
SPELLING = ((re.compile("เท่าไหร(?!่)"), "เท่าไหร่"), (re.compile("เท่าหร่"), "เท่าไหร่"))
CODE = re.compile(r"(?<![a-z0-9])([a-z]{2,6})\s?([0-9]{2,4}(?:_[0-9]+)*(?:/(?:[0-9]{4}|[0-9]{2}))?)"
                  r"(?![0-9])")  # fmt: skip
INDICATOR = re.compile(r"(?:(ตัวชี้วัด)\s*(?:ที่|ข้อ)?\s*|ข้อ\s*(?:ที่)?\s*|(indicator)\s*(?:no\.?|#)?\s*)"
                       r"([0-9]{1,2})(?![0-9])")  # fmt: skip
STRATEGY = re.compile(r"(?:ยุทธศาสตร์\s*(?:ที่)?\s*|strategy\s*|(?<![a-z0-9])s)([1-9])(?![0-9])")
MAX_NAME_WORDS = 6
SUGGESTIONS = 3


@dataclass(frozen=True)
class Run:
    """The command a sentence asks for, with its arguments."""

    command: str
    args: tuple[str, ...] = ()

    @property
    def text(self) -> str:
        return " ".join((self.command, *self.args))


@dataclass(frozen=True)
class Suggest:
    """Not sure: the closest read commands, most likely first; `write` when the sentence read
    like that write (its usage is shown, nothing is run)."""

    runs: tuple[Run, ...]
    write: str | None = None
    greeting: bool = False


@dataclass(frozen=True)
class Found:
    """What a sentence names besides its command words."""

    code: str | None = None
    strategy: str | None = None
    division: Division | None = None
    everything: bool = False
    words: str = ""  # for a search: the words no phrase claimed, as typed (spacing kept)
    seq: int | None = None  # an indicator's number (ตัวชี้วัดที่ 2): one indicator is asked about


# The dispatcher's side ------------------------------------------------------------------------


def typed_as_command(ctx: Context, name: str, args: list[str]) -> bool:
    """Whether the words after a command word (typed without the slash) are that command's
    arguments, so it runs as typed (`สถานะ STR114/64`, `ใช้จ่าย STR114/64 1000`), or whether the
    message is a sentence that happens to begin with the word (`งบ STR114 เหลือเท่าไหร่`,
    `รายงาน STR114 ข้อ 2 ได้ 130`), read here instead. Commands not listed take anything."""
    shape = ARGUMENTS.get(name)
    return shape is None or shape(ctx, args)


def answer(ctx: MemberContext, router: Router, text: str) -> list[Reply]:
    """A registered person's plain sentence: the command it means, run like the typed command,
    or the closest read commands as buttons."""
    reading = read(ctx, text)
    role = ctx.member_role
    barred = frozenset(c for c in FILE_COMMANDS if not router.commands[c].allows(role))
    if isinstance(reading, Run) and reading.command in barred:  # not theirs: read it without
        reading = read(ctx, text, without=barred)
    if isinstance(reading, Run):
        return _run(ctx, router, reading.text)
    if reading.write is not None:
        from handlers.suggested import offer

        offered = offer(ctx, text, reading.write)
        if offered is not None:
            return [offered]
    return [suggestion(ctx, router, reading)]


def run_button(ctx: MemberContext, data: RunCommand) -> list[Reply]:
    """A suggested command's button: run it like the typed command, if it only reads."""
    from handlers.wiring import build_router  # the router is built from this module's wiring

    return _run(ctx, build_router(), data.text)


def _run(ctx: MemberContext, router: Router, text: str) -> list[Reply]:
    """`budget STR114/64` exactly as `/budget STR114/64` would run; a write never."""
    parsed = split_command(text, {})
    if parsed is None or parsed.name not in READ_COMMANDS:
        return [Reply(ctx._("button_expired"))]
    if parsed.name == "late" and not router.commands["late"].allows(ctx.member_role):
        return _own_division_instead(ctx, router)
    return router.run(ctx, parsed.name, parsed.args, parsed.rest)


def _own_division_instead(ctx: MemberContext, router: Router) -> list[Reply]:
    """Who is late is the planners' list: a head or member asking gets their own division's
    state, with a sentence saying whose the institute-wide list is."""
    said = ctx._("late_own_division_instead")
    if not ctx.person.division_key:
        return [Reply(said)]
    replies = router.run(ctx, "due", [], "")
    if not replies:
        return [Reply(said)]
    first = replies[0]
    return [replace(first, text=said + "\n\n" + first.text), *replies[1:]]


def suggestion(ctx: MemberContext, router: Router, suggest: Suggest) -> Reply:
    role = ctx.member_role
    runs = [r for r in suggest.runs if router.commands[r.command].allows(role)]
    runs += [r for r in _defaults(ctx) if r not in runs]
    buttons: list[tuple[Button, ...]] = []
    for run in runs:
        data = RunCommand(run.text)
        if fits(data) and len(buttons) < SUGGESTIONS:
            buttons.append((Button("/" + run.text, encode(data)),))
    if suggest.write is not None:
        text = ctx._("intent_not_saved") + "\n" + ctx._(WRITE_USAGE[suggest.write])
    elif suggest.greeting:
        text = ctx._("intent_hello")
    else:
        text = ctx._("intent_suggest")
    return Reply(text, buttons=tuple(buttons))


def _defaults(ctx: MemberContext) -> list[Run]:
    if reads_everything(ctx.member_role):
        return [Run("summary"), Run("late"), Run("help")]
    return [Run("due"), Run("projects"), Run("help")]


# Reading a sentence ---------------------------------------------------------------------------


def read(ctx: Context, text: str, without: frozenset[str] = frozenset()) -> Run | Suggest:
    """The command a sentence asks for, or the closest ones to offer (never one `without`)."""
    plain = normalise(text)
    code, plain = _take_code(ctx, plain)
    seq, plain = _take_indicator(plain) if code else (None, plain)
    strategy, plain = _take_strategy(plain)
    chunks = _words(plain)
    tokens = [t for chunk in chunks for t in chunk]
    chunk_of = [i for i, chunk in enumerate(chunks) for _ in chunk]
    taken: set[int] = set()
    division, named = _take_division(ctx, tokens)
    taken |= named
    everything = bool(_claim(tokens, taken, _table(EVERYTHING)))
    _claim(tokens, taken, _table(MINE))
    asks = any(t in QUESTION_WORDS for t in tokens)
    intents = [i for i in INTENTS if not (asks and i.writes) and i.command not in without]
    claimed: set[int] = set()
    scores: dict[str, int] = {}
    for intent, phrase, start in _matches(tokens, taken, intents):  # longest phrases first
        span = set(range(start, start + len(phrase)))
        if not claimed & span:
            claimed |= span
            scores[intent.command] = scores.get(intent.command, 0) + len(phrase)
    words = _leftover_words(tokens, chunk_of, claimed | (taken - named))  # ฝึกอบรม: a word too
    found = Found(code, strategy, division, everything, words, seq)
    greeting = _claim(tokens, set(), _table(GREETINGS)) > 0
    return _decide(found, scores, greeting)


def _decide(found: Found, scores: dict[str, int], greeting: bool) -> Run | Suggest:
    """Run the one command whose phrases claimed the most words, when it has what it needs;
    otherwise offer the closest. A write among the best is never run: its usage is shown."""
    by_command = {i.command: i for i in INTENTS}
    ranked = sorted(scores, key=lambda c: -scores[c])
    reads = [by_command[c] for c in ranked if not by_command[c].writes]
    formed_reads = [_formed(intent, found) for intent in reads]
    closest = _unique([*(r for r in formed_reads if r is not None), *_related(found)])
    if not ranked and found.code and found.seq is not None and not greeting:
        return Run("status", (found.code, str(found.seq)))  # "STR114 ข้อ 2 ได้เท่าไหร่"
    if not ranked:
        return Suggest(closest, greeting=greeting)
    best = [by_command[c] for c in ranked if scores[c] == scores[ranked[0]]]
    write = next((i.command for i in best if i.writes), None)
    if write is not None:
        return Suggest(closest, write=write)
    formed = _formed(best[0], found)
    if len(best) > 1 or formed is None:
        return Suggest(closest)
    return formed


def _formed(intent: Intent, found: Found) -> Run | None:
    """The intent's command with what the sentence named, or None when it lacks what it needs."""
    name = intent.command
    division = found.division.key if found.division else None
    if intent.needs == "code" and name == "status" and found.code and found.seq:
        return Run(name, (found.code, str(found.seq)))  # one indicator, in three lines
    if intent.needs == "code":
        return Run(name, (found.code,)) if found.code else None
    if intent.needs == "division":
        return Run(name, (division,) if division else ())
    if intent.needs == "group":  # a strategy's projects, a division's, or mine
        group = found.strategy or division
        return Run(name, (group,) if group else ())
    if intent.needs == "scope":
        scope = found.code or found.strategy or division or ("all" if found.everything else "")
        return Run(name, (scope,) if scope else ())
    if intent.needs == "words":
        words = found.words or found.code
        return Run(name, (words,)) if words else None
    return Run(name)


def _related(found: Found) -> list[Run]:
    """Read commands about what the sentence named, for the buttons."""
    runs = []
    if found.code and found.seq is not None:
        runs.append(Run("status", (found.code, str(found.seq))))
    if found.code:
        runs += [Run(c, (found.code,)) for c in ("status", "budget", "history")]
    if found.division:
        runs += [Run(c, (found.division.key,)) for c in ("due", "projects", "budget")]
    if found.strategy:
        runs += [Run(c, (found.strategy,)) for c in ("budget", "chart")]
    if found.everything:
        runs += [Run("summary"), Run("budget", ("all",)), Run("chart", ("all",))]
    return runs


def _unique(runs: Iterable[Run]) -> tuple[Run, ...]:
    return tuple(dict.fromkeys(runs))


def normalise(text: str) -> str:
    """Lower case, Thai digits as 0-9, no apostrophes (`hasn't` is `hasnt`), `?` a word of its
    own, punctuation other than `/ . _` as spaces, common misspellings corrected."""
    s = unicodedata.normalize("NFC", text).translate(codes.THAI_DIGITS).lower()
    s = re.sub("['’`]", "", s)
    for wrong, right in SPELLING:
        s = wrong.sub(right, s)
    s = re.sub("[?？]", " ? ", s)
    s = re.sub(r"[!,;:()\[\]\"“”«»]", " ", s)
    return " ".join(s.split())


def take_code(ctx: Context, text: str) -> tuple[str | None, str]:
    """The first project code in normalised text, and the text without it."""
    return _take_code(ctx, text)


def _take_code(ctx: Context, text: str) -> tuple[str | None, str]:
    """The first project code in the text (letters of a code in the plan, then its number),
    exact when it exists, else as typed (the command then says what exists instead)."""
    library = ctx.plans()
    known = library.codes()
    prefixes = {match.group(0) for c in known if (match := re.match("[A-Z]+", c))}
    for match in CODE.finditer(text):
        if match.group(1).upper() not in prefixes:
            continue
        plan = ctx.plan()
        typed = match.group(1) + match.group(2)
        found = codes.resolve_code(typed, known, plan.fiscal_year if plan else None)
        code = found.code or codes.normalize_code(typed, None)
        return code, text[: match.start()] + " " + text[match.end() :]
    return None, text


def _take_indicator(text: str) -> tuple[int | None, str]:
    """An indicator's number (`ตัวชี้วัดที่ 2`, `ข้อ 2`, `indicator 2`); the word ตัวชี้วัด stays,
    so that the sentence still reads as a question about indicators."""
    match = INDICATOR.search(text)
    if match is None:
        return None, text
    kept = match.group(1) or match.group(2) or ""
    return int(match.group(3)), text[: match.start()] + f" {kept} " + text[match.end() :]


def _take_strategy(text: str) -> tuple[str | None, str]:
    match = STRATEGY.search(text)
    if match is None:
        return None, text
    return f"S{match.group(1)}", text[: match.start()] + " " + text[match.end() :]


def _words(text: str) -> list[list[str]]:
    """The words of each space-separated chunk; Thai cut into words by pythainlp."""
    tokenize = _tokenizer()
    spaced = ANCHORS.sub(r" \1 ", text)
    return [[t for t in tokenize(chunk) if t.strip()] for chunk in spaced.split()]


def _tokenizer() -> Callable[[str], list[str]]:
    from handlers.words import tokenizer

    return tokenizer()


@cache
def _table(phrases: tuple[str, ...]) -> tuple[tuple[str, ...], ...]:
    """Each phrase as the words the tokenizer makes of it, longest first."""
    words = (tuple(t for chunk in _words(normalise(p)) for t in chunk) for p in phrases)
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


@cache
def _intent_table(intents: tuple[Intent, ...]) -> tuple[tuple[Intent, tuple[str, ...]], ...]:
    pairs = [(intent, phrase) for intent in intents for phrase in _table(intent.phrases)]
    return tuple(sorted(pairs, key=lambda pair: len(pair[1]), reverse=True))


def _matches(
    tokens: list[str], taken: set[int], intents: list[Intent]
) -> list[tuple[Intent, tuple[str, ...], int]]:
    """Every place a phrase occurs among the words not taken, longest phrases first."""
    found = []
    for intent, phrase in _intent_table(tuple(intents)):
        n = len(phrase)
        for start in range(len(tokens) - n + 1):
            span = range(start, start + n)
            if tuple(tokens[start : start + n]) == phrase and not taken.intersection(span):
                found.append((intent, phrase, start))
    return found


def _claim(tokens: list[str], taken: set[int], phrases: tuple[tuple[str, ...], ...]) -> int:
    """Mark the words of each occurrence of the phrases as taken; how many occurrences."""
    count = 0
    for phrase in phrases:
        n = len(phrase)
        for start in range(len(tokens) - n + 1):
            span = set(range(start, start + n))
            if tuple(tokens[start : start + n]) == phrase and not taken & span:
                taken |= span
                count += 1
    return count


def _take_division(ctx: Context, tokens: list[str]) -> tuple[Division | None, set[int]]:
    """A division named in the words, and where: `ฝ่าย` and a name (`ฝ่ายวิจัย`), a Thai name in
    full (`งานกฎหมาย`, `ฝึกอบรม`), a name before `division` (`training division`), a nickname
    (`ไอที`) or an English key (`research`)."""
    n = len(tokens)
    for i, token in enumerate(tokens):
        if token in DIVISION_WORDS_TH:
            for end in range(min(n, i + 1 + MAX_NAME_WORDS), i + 1, -1):
                division = _named(ctx, "".join(tokens[i + 1 : end]))
                if division is not None:
                    return division, set(range(i, end))
        if token in DIVISION_WORDS_EN:
            for start in range(max(0, i - MAX_NAME_WORDS), i):
                division = _named(ctx, " ".join(tokens[start:i]))
                if division is not None:
                    return division, set(range(start, i + 1))
    names = {}
    for d in ctx.plans().divisions:
        names[d.name_th.lower()] = d
        names[d.name_th.lower().removeprefix("ฝ่าย")] = d
        if len(d.key) >= 5:
            names[d.key] = d
    for nickname, key in NICKNAMES.items():
        division = ctx.plans().division(key)
        if division is not None:
            names[nickname] = division
    for start in range(n):
        for end in range(min(n, start + MAX_NAME_WORDS), start, -1):
            division = names.get("".join(tokens[start:end]))
            if division is not None:
                return division, set(range(start, end))
    return None, set()


def _named(ctx: Context, name: str) -> Division | None:
    if len(name) < 2 or name in FILLER or name in QUESTION_WORDS:
        return None
    nickname = NICKNAMES.get(name)
    return ctx.plans().division(nickname) if nickname else find_division(ctx, name)


def _leftover_words(tokens: list[str], chunk_of: list[int], used: set[int]) -> str:
    """The words left for a search, those of one typed chunk joined as typed."""
    chunks: dict[int, list[str]] = {}
    for i, token in enumerate(tokens):
        if i in used or token in FILLER or token in QUESTION_WORDS:
            continue
        chunks.setdefault(chunk_of[i], []).append(token)
    return fit(" ".join("".join(words) for words in chunks.values()), 60, ellipsis="")


# The shapes of a command's arguments (typed_as_command) ---------------------------------------


def _one_code(ctx: Context, args: list[str]) -> bool:
    return len(join_split_code(args)) <= 1


def _code_and_number(ctx: Context, args: list[str]) -> bool:
    """`CODE`, or `CODE N` (one indicator)."""
    args = join_split_code(args)
    return len(args) <= 1 or (len(args) == 2 and args[1].translate(codes.THAI_DIGITS).isdigit())


def _scope(ctx: Context, args: list[str]) -> bool:
    rest = " ".join(args)
    return (
        len(join_split_code(args)) <= 1
        or read_scope(rest).kind in ("all", "strategy")
        or find_division(ctx, rest) is not None
    )


def _division_or_mine(ctx: Context, args: list[str]) -> bool:
    return len(args) <= 1 or find_division(ctx, " ".join(args)) is not None


def _group(ctx: Context, args: list[str]) -> bool:
    """A strategy (`S2`, `ยุทธศาสตร์ที่ 2`), a division, or nothing."""
    return _division_or_mine(ctx, args) or read_scope(" ".join(args)).kind == "strategy"


def _search_words(ctx: Context, args: list[str]) -> bool:
    """Words to search for; not a sentence about searching (`find projects about gems`)."""
    return not args or args[0].lower() not in FILLER


def _nothing(ctx: Context, args: list[str]) -> bool:
    return not args


def _period(ctx: Context, args: list[str]) -> bool:
    """Nothing, or one period key (`2564-Q1`, `Q1`)."""
    if not args:
        return True
    return len(args) == 1 and PERIOD_WORD.match(args[0].translate(codes.THAI_DIGITS)) is not None


def _update_args(ctx: Context, args: list[str]) -> bool:
    """`CODE`, `CODE N`, `CODE N VALUE [note]` (nothing: the guided update)."""
    args = join_split_code(args)
    if len(args) <= 1:
        return True
    number = args[1].translate(codes.THAI_DIGITS)
    return number.isdigit() and (len(args) == 2 or starts_with_number(args[2:]))


def _spend_args(ctx: Context, args: list[str]) -> bool:
    """`CODE AMOUNT [note]` (fewer words: the command's usage)."""
    args = join_split_code(args)
    return len(args) <= 1 or starts_with_number(args[1:], amount=True)


ARGUMENTS: dict[str, Callable[[Context, list[str]], bool]] = {
    "status": _code_and_number,
    "history": _one_code,
    "budget": _scope,
    "chart": _scope,
    "projects": _group,
    "due": _division_or_mine,
    "find": _search_words,
    "late": _nothing,
    "summary": _nothing,
    "report": _period,
    "export": _nothing,
    "undo": _nothing,
    "update": _update_args,
    "spend": _spend_args,
}
