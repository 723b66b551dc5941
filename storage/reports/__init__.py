"""Progress reports built from the database: the rows and the .xlsx workbook."""
