"""handlers/text_fit: Thai is never cut inside a character cluster, every cut fits the way the
platform counts, and HTML stays balanced (properties checked with hypothesis on Thai text)."""

from __future__ import annotations

import unicodedata

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from handlers.text_fit import (
    ELLIPSIS,
    fit,
    fit_html,
    fit_label,
    graphemes,
    split,
    utf16,
    visible,
    visible_utf16,
)
from tests.fakes.telegram_api import html_problem

CONSONANTS = "กขคฆงจฉชซญฎฏฐฑฒณดตถทธนบปผพฟภมยรลวศษสหฬอฮ"
LEADING = "เแโใไ"
ABOVE = "ิีึืั็"
BELOW = "ุู"
TONES = "่้๊๋"
AFTER = "ะาำ"
DANGLING = set(ABOVE + BELOW + TONES + "ำ์")


@st.composite
def syllable(draw: st.DrawFn) -> str:
    """A well-formed Thai syllable: leading vowel?, consonant, mark above or below?, tone?,
    vowel after?, final consonant?"""
    parts = [draw(st.sampled_from(["", *LEADING]))]
    parts.append(draw(st.sampled_from(CONSONANTS)))
    parts.append(draw(st.sampled_from(["", *ABOVE, *BELOW])))
    parts.append(draw(st.sampled_from(["", *TONES])))
    parts.append(draw(st.sampled_from(["", *AFTER])))
    parts.append(draw(st.sampled_from(["", "", *CONSONANTS])))
    return "".join(parts)


WORDS = [
    "พื้นที่",
    "ประสิทธิภาพ",
    "อีกครั้ง",
    "ของผู้ประกอบการ",
    "หลักเกณฑ์",
    "การให้คำปรึกษา",
    "แนะนำ",
    "วิจัยและพัฒนา",
    "ด้าน",
    "เทคโนโลยี",
    "กิจกรรมที่ 3",
    "STR114/64",
    "95%",
    "👍🏽",
    "👨‍👩‍👧",
    "café",
    "(ร้อยละ",
    "ไตรมาส",
    "โครงการ",
    "ใน",
    "ไม่",
]
thai_text = st.lists(
    st.one_of(syllable(), st.sampled_from(WORDS), st.sampled_from([" ", " ", ", "])),
    min_size=1,
    max_size=60,
).map("".join)
any_thai = st.text(alphabet=st.characters(min_codepoint=0x0E01, max_codepoint=0x0E5B), max_size=80)


def assert_clean_cut(original: str, shown: str) -> None:
    """`shown` ends in … after a start of `original` (spaces collapsed) that is cut between
    clusters: no mark left behind without its consonant, no leading vowel without it."""
    assert shown.endswith(ELLIPSIS)
    head = shown[: -len(ELLIPSIS)]
    text = " ".join(original.split())
    assert text.startswith(head)
    rest = text[len(head) :]
    if head:
        assert head[-1] not in LEADING, (original, shown)
    if rest:
        assert rest[0] not in DANGLING, (original, shown)
        assert unicodedata.category(rest[0]) not in ("Mn", "Mc", "Me"), (original, shown)
        assert rest[0] != "\u200d" and (not head or head[-1] != "\u200d")


@settings(max_examples=120, deadline=None)
@given(thai_text, st.integers(min_value=1, max_value=40))
def test_a_label_fits_in_graphemes_and_is_cut_between_clusters(text: str, limit: int) -> None:
    shown = fit(text, limit, graphemes)
    assert graphemes(shown) <= limit
    if shown != " ".join(text.split()):
        assert_clean_cut(text, shown)


@settings(max_examples=120, deadline=None)
@given(thai_text, st.integers(min_value=2, max_value=120))
def test_a_text_fits_in_utf16_units_and_is_cut_between_clusters(text: str, limit: int) -> None:
    shown = fit(text, limit, utf16)
    assert utf16(shown) <= limit
    if shown != " ".join(text.split()):
        assert_clean_cut(text, shown)


@settings(max_examples=80, deadline=None)
@given(any_thai, st.integers(min_value=1, max_value=30))
def test_any_thai_characters_at_all_still_fit(text: str, limit: int) -> None:
    assert graphemes(fit(text, limit, graphemes)) <= limit
    assert utf16(fit(text, limit)) <= limit


@settings(max_examples=80, deadline=None)
@given(thai_text, thai_text, st.integers(min_value=2, max_value=80))
def test_html_is_cut_in_visible_units_and_left_balanced(a: str, b: str, limit: int) -> None:
    markup = f"<b>{a}</b> &amp; <i>{b} &lt;ok&gt;</i>"
    shown = fit_html(markup, limit)
    assert visible_utf16(shown) <= limit
    assert html_problem(shown) is None or not visible(shown).strip()
    if shown != markup:
        assert visible(shown).endswith(ELLIPSIS)


@settings(max_examples=60, deadline=None)
@given(st.lists(thai_text, min_size=1, max_size=12), st.integers(min_value=20, max_value=200))
def test_split_parts_fit_balance_and_keep_every_word(lines: list[str], limit: int) -> None:
    markup = "\n".join(f"<b>{line}</b>" if i % 2 else line for i, line in enumerate(lines))
    assume(visible(markup).strip())
    parts = split(markup, limit)
    for part in parts:
        assert visible_utf16(part) <= limit
        assert html_problem(part) is None
    assert "".join(visible("".join(parts)).split()) == "".join(visible(markup).split())


def test_plain_split_for_line_keeps_clusters_whole() -> None:
    text = "ผู้ประกอบการ" * 500
    parts = split(text, 5000, markup=False)
    assert "".join(parts) == text
    assert all(utf16(p) <= 5000 and p[0] not in DANGLING for p in parts)


def test_the_reported_cuts_are_gone() -> None:
    """The cuts found in the sessions of issue 22, cut again."""
    assert fit("พื้นที่ดำเนินการ", 6) in ("พื้…", "พื้น…")  # a whole cluster, never "พื้นที…"
    assert not fit("ประสิทธิภาพการดำเนินงาน", 9).startswith("ประสิทธ…")
    assert fit("การให้คำปรึกษาแนะนำด้านการวิจัย", 14, graphemes) == "การให้คำปรึกษา…"
    assert fit("ของผู้ประกอบการ", 5, graphemes) == "ของผู้…"


def test_a_label_keeps_the_code_and_the_activitys_own_name() -> None:
    label = fit_label("SME111_4/64", "กิจกรรมที่ 3 การอบรมเชิงปฏิบัติการ", 20, graphemes)
    assert label.startswith("SME111_4/64 การอบรม")
    assert graphemes(label) <= 20
    assert fit_label("STR114/64", "วิจัย", 20, graphemes) == "STR114/64 วิจัย"
