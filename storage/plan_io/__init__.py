"""The plan as a document: parsing, validating, loading and exporting it (YAML, JSON, .xlsx)."""
