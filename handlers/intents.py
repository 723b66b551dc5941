"""Questions in plain Thai or English, answered like the command they mean.

"งบ STR114 เหลือเท่าไหร่" is /budget STR114/64, "ใครยังไม่รายงาน" is /late, "หาโครงการอบรม" is
/find อบรม. A sentence is read in steps:

1. normalised: Thai digits, case, apostrophes, spacing, a few common misspellings;
2. what a command takes is found and taken out: a project code (only with the letters of a code
   in the plan), a strategy (`ยุทธศาสตร์ที่ 3`, `S3`), then, among the words, a division
   (`ฝ่ายวิจัย`, `งานกฎหมาย`, `training division`), the whole plan (`ทั้งหมด`) or "mine";
3. the rest is cut into words with pythainlp (Thai is written without spaces) and matched
   against the intent table: the phrases that ask for each command, given with the command's
   declaration in handlers.wiring (`Asked`). Longer phrases claim their words first, and the
   command whose phrases claim the most words is meant.

Questions only read. A sentence that reads like a report, spending or an undo (`รายงาน STR114
ข้อ 2 ได้ 130`, `ใช้เงินไป 5000`) is never run: it gets the command to type and the closest read
commands. When the words do not point at one command that can be run with what was found, the
2-3 closest read commands are offered as buttons (RunCommand), which run through the same path
as typed commands, so the role checks apply.

The dispatcher asks here only for text that is no command (`CommandSpec.takes_as_arguments`), in a private
chat or in a group message that mentions the bot, and only when no guided flow took it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from functools import cache

from handlers.buttons import RunCommand, encode, fits
from handlers.context import Context, MemberContext
from handlers.lookup import find_division
from handlers.parsing import split_command
from handlers.request import Button, Reply
from handlers.router import Intent, Router
from handlers.sentence import normalise, take_code
from handlers.suggested import offer
from handlers.text_fit import fit
from handlers.words import tokenizer
from plan_data.model import Division, folded
from plan_data.roles import reads_everything


def _phrases(text: str) -> tuple[str, ...]:
    """Phrases separated by commas; a phrase's words by spaces."""
    return tuple(phrase.strip() for phrase in text.split(","))


def _word_set(text: str) -> frozenset[str]:
    """Single words separated by spaces."""
    return frozenset(text.split())


# Words that make a sentence a question (or a request to see something): a question only reads,
# so a write's phrases do not count in it ("ใช้งบไปเท่าไหร่" asks about the budget).
QUESTION_WORDS = _word_set(
    "? เท่าไหร่ เท่าไร เท่าใด ไหม มั้ย หรือยัง อะไร ยังไง อย่างไร ใคร ไหน เมื่อไหร่ เมื่อไร "
    "บ้าง ขอ ดู ขอดู เช็ค เช็ก กี่ how what who whos which when where show is are any list tell "
    "can see check"
)
GREETINGS = _phrases("สวัสดี, หวัดดี, ขอบคุณ, hello, hi, hey, good morning, thanks, thank you")
EVERYTHING = _phrases("ทั้งหมด, ทั้ง แผน, ภาพรวม, ทั้ง สถาบัน, all, overall, whole plan, everything")
MINE = _phrases(
    "ฝ่าย เรา, ฝ่าย ฉัน, ฝ่าย ผม, ฝ่าย ของ ฉัน, ฝ่าย ของ เรา, ของ ฉัน, ของ เรา, my division, "
    "our division, mine"
)
# Left out of the words a search is made of: particles, and the words around a search.
FILLER = _word_set(
    "ครับ ค่ะ คะ นะ จ้า จ้ะ หน่อย ด้วย ที่ ของ เรื่อง ชื่อ มี โครงการ ไหม มั้ย บ้าง อะไร ให้ ขอ "
    "ดู the a an for about with named me please project projects any on of some in ฝ่าย "
    "division"
)
DIVISION_WORDS_TH = ("ฝ่าย",)  # a division's name follows
DIVISION_WORDS_EN = ("division", "unit", "dept", "department", "team")  # a name comes before
# Words the tokenizer's dictionary would glue to the next syllables (โครง|การอบรม, โครงการวิจัย,
# ประวัติการ): always words of their own.
ANCHORS = re.compile("(โครงการ|ฝ่าย|ประวัติ|ตัวชี้วัด)")
INDICATOR = re.compile(
    r"(?:(ตัวชี้วัด)\s*(?:ที่|ข้อ)?\s*|ข้อ\s*(?:ที่)?\s*|(indicator)\s*(?:no\.?|#)?\s*)"
    r"([0-9]{1,2})(?![0-9])"
)
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


def answer(ctx: MemberContext, router: Router, text: str) -> list[Reply]:
    """A registered person's plain sentence: the command it means, run like the typed command,
    or the closest read commands as buttons."""
    reading = read(ctx, router, text)
    role = ctx.member_role
    barred = frozenset(c for c in router.makes_file() if not router.commands[c].allows(role))
    if isinstance(reading, Run) and reading.command in barred:  # not theirs: read it without
        reading = read(ctx, router, text, without=barred)
    if isinstance(reading, Run):
        return _run(ctx, router, reading.text)
    if reading.write is not None:
        offered = offer(ctx, text, reading.write)
        if offered is not None:
            return [offered]
    return [suggestion(ctx, router, reading)]


def run_button(router: Router, ctx: MemberContext, data: RunCommand) -> list[Reply]:
    """A suggested command's button: run it like the typed command, if it only reads."""
    return _run(ctx, router, data.text)


def _run(ctx: MemberContext, router: Router, text: str) -> list[Reply]:
    """`budget STR114/64` exactly as `/budget STR114/64` would run; a write never."""
    parsed = split_command(text, {})
    spec = router.commands.get(parsed.name) if parsed is not None else None
    if parsed is None or spec is None or spec.writes or spec.asked is None:
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
        usage = router.commands[suggest.write].usage_key
        text = ctx._("intent_not_saved") + "\n" + ctx._(usage or "intent_suggest")
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


def read(
    ctx: Context, router: Router, text: str, without: frozenset[str] = frozenset()
) -> Run | Suggest:
    """The command a sentence asks for, or the closest ones to offer (never one `without`)."""
    plain = normalise(text)
    code, plain = take_code(ctx, plain)
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
    table = router.intents()
    intents = [i for i in table if not (asks and i.writes) and i.command not in without]
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
    return _decide(table, found, scores, greeting)


def _decide(
    table: tuple[Intent, ...], found: Found, scores: dict[str, int], greeting: bool
) -> Run | Suggest:
    """Run the one command whose phrases claimed the most words, when it has what it needs;
    otherwise offer the closest. A write among the best is never run: its usage is shown."""
    by_command = {i.command: i for i in table}
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
    full (`งานกฎหมาย`, `ฝึกอบรม`), a name before `division` (`training division`), an alias the
    plan gives it (`ไอที`) or an English key (`research`)."""
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
        for alias in d.aliases:
            names[folded(alias)] = d
    for start in range(n):
        for end in range(min(n, start + MAX_NAME_WORDS), start, -1):
            division = names.get("".join(tokens[start:end]))
            if division is not None:
                return division, set(range(start, end))
    return None, set()


def _named(ctx: Context, name: str) -> Division | None:
    if len(name) < 2 or name in FILLER or name in QUESTION_WORDS:
        return None
    return find_division(ctx, name)


def _leftover_words(tokens: list[str], chunk_of: list[int], used: set[int]) -> str:
    """The words left for a search, those of one typed chunk joined as typed."""
    chunks: dict[int, list[str]] = {}
    for i, token in enumerate(tokens):
        if i in used or token in FILLER or token in QUESTION_WORDS:
            continue
        chunks.setdefault(chunk_of[i], []).append(token)
    return fit(" ".join("".join(words) for words in chunks.values()), 60, ellipsis="")
