"""End to end: the real chat libraries against tests/fakes, the webhook server, real processes."""
