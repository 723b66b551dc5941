"""Joining from LINE: `planbot user add line:<userId>` and invite codes typed in LINE."""

from __future__ import annotations

from bot.cli import main
from handlers.context import Services
from tests.fakes.line_harness import line_harness
from tests.support.catalog import contains, starts_with, th

LINE_USER = "U4af4980629a1b2c3d4e5f60718293a4b"


async def test_user_added_from_the_command_line_can_use_the_bot_in_line(
    services: Services, capsys
) -> None:
    code = main(
        [
            "--database-url",
            services.db.url,
            "user",
            "add",
            f"line:{LINE_USER}",
            "--role",
            "head",
            "--division",
            "research",
            "--name",
            "Malee",
        ]
    )
    assert code == 0
    assert f"line:{LINE_USER} is head of research" in capsys.readouterr().out
    async with line_harness(services) as line:
        [text] = await line.say(LINE_USER, "/status STR114/64")
        assert text.startswith("STR114/64") and contains(text, "card_allocated", amount="5 ล้านบาท")
        [done] = await line.say(LINE_USER, "/link research", group="Cdivision")
        assert done == th("link_done", division="ฝ่ายวิจัยและพัฒนา")


async def test_invite_code_typed_with_slash_and_a_used_code_is_refused(services: Services) -> None:
    async with line_harness(services) as line:
        code = line.invite("research", "member")
        [joined] = await line.say("Ufirst", f"/start {code}")
        assert starts_with(joined, "joined", role=th("role_member"), division="ฝ่ายวิจัยและพัฒนา")
        [again] = await line.say("Usecond", f"/start {code}")
        assert again == th("invite_used", code=code)
        [refused] = await line.say("Usecond", "/status STR114/64")
        assert refused == th("not_registered")


async def test_invite_code_in_a_group_asks_to_join_privately(services: Services) -> None:
    async with line_harness(services) as line:
        code = line.invite("research")
        assert await line.say("Ufirst", f"start {code}", group="Cgroup") == []  # chatter
        [text] = await line.say("Ufirst", f"/start {code}", group="Cgroup")
        assert text == th("join_in_private")
        [still] = await line.say("Ufirst", "/status STR114/64")
        assert still == th("not_registered")
