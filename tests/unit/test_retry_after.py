"""Telegram's 429 wait reaches delivery in seconds whether python-telegram-bot hands it over as a
timedelta (the PTB_TIMEDELTA behaviour bot/__init__.py opts in to) or as int seconds, and reading
it raises no deprecation warning."""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from telegram.error import RetryAfter

import bot  # noqa: F401  (sets PTB_TIMEDELTA)
from bot.telegram_sender import _seconds


def test_bot_opts_in_to_timedelta_periods() -> None:
    assert os.environ["PTB_TIMEDELTA"].lower() in ("1", "true")


def test_retry_after_as_timedelta_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        error = RetryAfter(timedelta(seconds=2.5))
        assert error.retry_after == timedelta(seconds=2.5)
        assert _seconds(error) == 2.5


def test_retry_after_as_int_seconds() -> None:
    old_style: Any = SimpleNamespace(retry_after=7)  # PTB without PTB_TIMEDELTA
    assert _seconds(old_style) == 7.0
