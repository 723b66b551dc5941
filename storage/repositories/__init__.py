"""Reading what the database holds, in the domain's terms: callers ask, they never build SQL."""
