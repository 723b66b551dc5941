"""The plan as data: the fiscal-year plans the bot ships with and their reporting calendars."""

from pathlib import Path

PLAN_DATA_DIR = Path(__file__).parent
DEFAULT_PLAN = PLAN_DATA_DIR / "fy2564.yaml"
