"""The platform-neutral handlers, called through handlers.dispatch on a real SQLite file."""
