"""Settings from the environment, read once at start-up."""

from __future__ import annotations

import os
from dataclasses import dataclass

DEFAULT_TELEGRAM_API = "https://api.telegram.org/bot"
DEFAULT_LINE_API = "https://api.line.me"


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

    @classmethod
    def from_env(cls) -> Settings:
        env = os.environ
        return cls(
            database_url=env.get("DATABASE_URL") or None,
            telegram_token=env.get("TELEGRAM_BOT_TOKEN") or None,
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL") or DEFAULT_TELEGRAM_API,
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET") or None,
            line_channel_secret=env.get("LINE_CHANNEL_SECRET") or None,
            line_channel_access_token=env.get("LINE_CHANNEL_ACCESS_TOKEN") or None,
            line_api_base_url=env.get("LINE_API_BASE_URL") or DEFAULT_LINE_API,
            public_url=env.get("PUBLIC_URL") or None,
            port=int(env.get("PORT") or 8080),
            host=env.get("HOST") or "0.0.0.0",
            first_admin=env.get("PLANBOT_ADMIN") or None,
        )
