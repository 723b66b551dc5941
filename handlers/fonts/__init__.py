"""Fonts shipped with the bot so charts render Thai without any system font installed.

Laksaman (TLWG, GPL-2+ with the font exception; see LICENSE.md and GPL-2.md here)."""

from pathlib import Path

FONT_DIR = Path(__file__).parent
THAI_FONT = FONT_DIR / "Laksaman.ttf"
THAI_FONT_BOLD = FONT_DIR / "Laksaman-Bold.ttf"
