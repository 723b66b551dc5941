"""What bot/line_render builds, checked against line-bot-sdk's own models: the bot posts plain
JSON (no pydantic round trip per reply), so the tests are where every message is validated."""

from __future__ import annotations

from typing import Any

from linebot.v3.messaging import FlexContainer, Message


def validated(message: dict[str, Any]) -> dict[str, Any]:
    """`message` unchanged, after the SDK's models accepted it and serialised it back to the same
    JSON (so nothing we send is a field the SDK does not know or would spell otherwise)."""
    model = Message.from_dict(message)
    assert model is not None, message
    assert _clean(model.to_dict()) == _clean(message), message
    if message.get("type") == "flex":
        assert FlexContainer.from_dict(message["contents"]) is not None
    return message


def _clean(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value
