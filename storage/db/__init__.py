"""The database itself: engine and migrations, the schema, its column types, and update claims."""
