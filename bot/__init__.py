"""The runtime: the `planbot` command line, the Telegram and LINE adapters, reminders, delivery.

python-telegram-bot 22 gives time periods (such as `RetryAfter.retry_after`) as int seconds and
warns (PTBDeprecationWarning) that its next major version makes them `datetime.timedelta`. We opt
in to the timedelta behaviour now, here, before any module of bot/ imports telegram; PTB reads
the variable each time it hands out a period, and bot/telegram_sender accepts either form. A
PTB_TIMEDELTA already set in the environment is left as it is. This sets a library switch; the
settings that planbot itself reads come from the environment in bot/config.py.
"""

import os

os.environ.setdefault("PTB_TIMEDELTA", "1")
