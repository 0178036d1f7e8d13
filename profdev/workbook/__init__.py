"""The district workbook (`workbook.md`, version 3): one pipeline for the web and the commands.

- `sheets`: the format as data (sheets, columns, keys, parsers, row rules, the references a
  sheet defines or names, scope rules);
- `rules`: value parsers and record rules, shared with the data-entry forms;
- `labels`: records and values as a person reads them (the history, the upload preview);
- `importer`: `analyse_workbook`, `import_workbook`, in stages:
  `reader` (the `.xlsx` file → the format's sheets and rows, python-calamine) → `parse`
  (clean keyed rows) → `plan` (each row's step against the stored data, `stored`, and the
  user's reach, `reach`) → `persons` (the persons named with their own fields) → `apply`
  (each part's plan written as soon as it is made, in one transaction, with the history of
  personal records);
- `exporter`: `export_workbook`; `writer`: `write_workbook` (openpyxl, write-only).
"""
