"""Pure logic, no database: the plan_data domain model, parsing, the calendar, catalogs, LINE rendering."""
