"""Helpers the tests share: setting up people, plans, reports and scenarios, and asking the bot."""
