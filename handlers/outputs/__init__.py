"""The three files people download, in one place, each built the same way: what it says is
worked out in plan_data (`summary`, `chart`, `quarterly`) from figures read through the
request's unit of work, and drawn here in the reader's words (the catalogs).

- `board_report`: the quarterly report for the board (.docx, optionally PDF), with its parts
  (`board_parts`), styles (`board_style`) and number words (`board_text`);
- `chart`: the budget chart (.png);
- `sheet_words`: the planning spreadsheet's words; the sheet itself is written by
  `storage.reports.xlsx`, which streams the rows from the database (the 100x plan's million
  reports never sit in memory).

A command that sends one is declared with `makes_file=True` (handlers/wiring.py); the command
line reaches the same builders through bot/cli_report.py."""
