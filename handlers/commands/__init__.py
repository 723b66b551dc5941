"""The commands, one concern per module; handlers.wiring registers them."""
