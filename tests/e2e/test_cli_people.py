"""`planbot user add` refuses an id the channel could never send and a member or head without a
division; `planbot invite` reads the time from PLANBOT_CLOCK, as `planbot chat` does."""

from __future__ import annotations

import pytest

from bot.cli import main
from handlers.context import Services
from storage.unit_of_work import UnitOfWork


def _added(services: Services) -> list[str]:
    with UnitOfWork(services.db) as uow:
        return [f"{p.channel}:{p.external_id}" for p in uow.people.everyone()]


def test_an_id_the_channel_never_sends_is_refused(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    for who in ("telegram:abc", "telegram:12ab", "line:Ubad", "line:abc"):
        code = main(["--database-url", services.db.url, "user", "add", who, "--role", "admin"])
        assert code == 2, who
        assert f"'{who}' is not channel:id" in capsys.readouterr().err
    assert _added(services) == []
    assert (
        main(
            ["--database-url", services.db.url, "user", "add", "telegram:123456", "--role", "admin"]
        )
        == 0
    )
    assert _added(services) == ["telegram:123456"]


def test_a_head_or_member_without_a_division_is_refused(
    services: Services, capsys: pytest.CaptureFixture[str]
) -> None:
    for role in ("head", "member"):
        code = main(
            ["--database-url", services.db.url, "user", "add", "telegram:77", "--role", role]
        )
        assert code == 2
        assert f"a {role} reports for a division: add --division KEY" in capsys.readouterr().err
    assert _added(services) == []


def test_invite_expiry_follows_planbot_clock(
    services: Services, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANBOT_CLOCK", "2021-01-11T09:00+07:00")
    assert main(["--database-url", services.db.url, "invite", "research"]) == 0
    assert "valid until 2021-01-25" in capsys.readouterr().out  # 14 days from the clock
