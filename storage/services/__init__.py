"""The write services: every write checks its rules in the request's transaction."""
