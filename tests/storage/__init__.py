"""Storage functions against a real SQLite file and PostgreSQL: plans, queries, claims, outbox, due."""
