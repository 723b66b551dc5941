"""Settings from the environment, read once at start-up.

This is the only module that reads the process environment: `Settings.from_env()` is called once
by the `planbot` command line and the values are passed down from there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from plan_data.evidence import DEFAULT_MAX_BYTES
from plan_data.quarterly import DEFAULT_OPTIONS, ReportOptions, Signer

DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"
DEFAULT_LINE_API = "https://api.line.me"
DEFAULT_LINE_DATA_API = "https://api-data.line.me"  # LINE's host for uploads (rich menu image)
DEFAULT_DATA_DIR = Path("data")
DEFAULT_WEEKLY_REMINDER = "mon 09:00"
DEFAULT_DAILY_REMINDER = "09:00"


class ConfigError(ValueError):
    """A setting that cannot be used; its message is one sentence for the person running us."""


@dataclass(frozen=True)
class Settings:
    database_url: str | None
    telegram_token: str | None
    telegram_api_base_url: str
    telegram_webhook_secret: str | None
    line_channel_secret: str | None
    line_channel_access_token: str | None
    line_api_base_url: str
    public_url: str | None
    port: int
    host: str  # the address webhook mode listens on
    first_admin: str | None  # e.g. telegram:123456
    clock: str | None = None  # PLANBOT_CLOCK: a fixed "now", e.g. 2021-01-11T09:00+07:00
    weekly_reminder: str = DEFAULT_WEEKLY_REMINDER  # "mon 09:00" (Bangkok) or "off"
    daily_reminder: str = DEFAULT_DAILY_REMINDER  # "09:00" (Bangkok) or "off"
    data_dir: Path = DEFAULT_DATA_DIR  # where the default SQLite file lives
    line_api_data_base_url: str = DEFAULT_LINE_DATA_API
    # Where Telegram serves files for download; derived from the API base (…/file/bot) if unset.
    telegram_api_file_url: str | None = None
    evidence_max_bytes: int = DEFAULT_MAX_BYTES  # PLANBOT_EVIDENCE_MAX_MB
    # The quarterly report's closing block (PLANBOT_REPORT_PREPARER, …_POSITION, …) and digits.
    report: ReportOptions = DEFAULT_OPTIONS
    # Signs the dashboard's personal links and sessions; made and kept in data_dir if unset.
    dashboard_secret: str | None = None  # PLANBOT_DASHBOARD_SECRET
    inbox_workers: int = 4  # PLANBOT_INBOX_WORKERS: webhook events handled at once (other chats)
    inbox_lease_seconds: float = 60.0  # PLANBOT_INBOX_LEASE: a dead worker's row waits this long
    # PLANBOT_TEST_INBOX_HOLD, for tests only: while this file exists, a taken inbox row waits
    # before it is handled (so a test can kill the process mid-row).
    inbox_hold_file: str | None = None

    @property
    def telegram_file_url(self) -> str:
        return self.telegram_api_file_url or self.telegram_api_base_url.replace(
            "/bot", "/file/bot", 1
        )

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or DEFAULT_TELEGRAM_API,
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            line_channel_secret=env.get("LINE_CHANNEL_SECRET") or None,
            line_channel_access_token=env.get("LINE_CHANNEL_ACCESS_TOKEN") or None,
            line_api_base_url=env.get("LINE_API_BASE_URL") or DEFAULT_LINE_API,
            public_url=env.get("PUBLIC_URL") or None,
            port=_port(env.get("PORT") or "8080"),
            host=env.get("HOST") or "0.0.0.0",
            first_admin=env.get("PLANBOT_ADMIN") or None,
            clock=env.get("PLANBOT_CLOCK") or None,
            weekly_reminder=env.get("PLANBOT_WEEKLY_REMINDER") or DEFAULT_WEEKLY_REMINDER,
            daily_reminder=env.get("PLANBOT_DAILY_REMINDER") or DEFAULT_DAILY_REMINDER,
            data_dir=Path(env.get("PLANBOT_DATA_DIR") or DEFAULT_DATA_DIR),
            line_api_data_base_url=env.get("LINE_API_DATA_BASE_URL") or DEFAULT_LINE_DATA_API,
            telegram_api_file_url=env.get("TELEGRAM_API_FILE_URL") or None,
            evidence_max_bytes=_megabytes(env.get("PLANBOT_EVIDENCE_MAX_MB")),
            report=_report_options(env),
            dashboard_secret=env.get("PLANBOT_DASHBOARD_SECRET") or None,
            inbox_workers=int(_number("PLANBOT_INBOX_WORKERS", env, 4, 1, 64)),
            inbox_lease_seconds=_number("PLANBOT_INBOX_LEASE", env, 60.0, 1, 3600),
            inbox_hold_file=env.get("PLANBOT_TEST_INBOX_HOLD") or None,
        )


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        port = -1
    if not 0 <= port < 65536:
        raise ConfigError(f"PORT={text!r} is not a port number (0-65535)")
    return port


def _megabytes(text: str | None) -> int:
    """PLANBOT_EVIDENCE_MAX_MB as bytes; the default when unset."""
    if not text:
        return DEFAULT_MAX_BYTES
    try:
        value = float(text)
    except ValueError:
        value = -1
    if not 0 < value <= 2000:
        raise ConfigError(f"PLANBOT_EVIDENCE_MAX_MB={text!r} is not a size in megabytes (0-2000)")
    return int(value * 1024 * 1024)


def _flag(text: str | None) -> bool:
    """PLANBOT_REPORT_THAI_DIGITS: 1/true/yes/on, or 0/false/no/off (unset: off)."""
    if not text:
        return False
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("0", "false", "no", "off"):
        return False
    raise ConfigError(f"PLANBOT_REPORT_THAI_DIGITS={text!r} is not 1/true/yes/on or 0/false/no/off")


def _report_options(env: Mapping[str, str]) -> ReportOptions:
    """PLANBOT_REPORT_PREPARER, _REVIEWER, _APPROVER (each with _POSITION): who signs the
    quarterly report (unset: a dotted line); PLANBOT_REPORT_THAI_DIGITS: Thai digits in it."""
    preparer, reviewer, approver = (
        Signer(
            env.get(f"PLANBOT_REPORT_{role}", "").strip(),
            env.get(f"PLANBOT_REPORT_{role}_POSITION", "").strip(),
        )
        for role in ("PREPARER", "REVIEWER", "APPROVER")
    )
    return ReportOptions(
        preparer, reviewer, approver, thai_digits=_flag(env.get("PLANBOT_REPORT_THAI_DIGITS"))
    )


def _number(name: str, env: Mapping[str, str], default: float, low: float, high: float) -> float:
    """A number setting within [low, high]; the default when unset."""
    text = env.get(name)
    if not text:
        return default
    try:
        value = float(text)
    except ValueError:
        value = low - 1
    if not low <= value <= high:
        raise ConfigError(f"{name}={text!r} is not a number from {low:g} to {high:g}")
    return value
