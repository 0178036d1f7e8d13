"""The district workbook (`workbook.md`, version 2): one pipeline for the web and the commands.

- `sheets`: the format as data (sheets, columns, keys, parsers, row rules, scope rules);
- `rules`: value parsers and record rules, shared with the data-entry forms;
- `reader`: the `.xlsx` file → the format's sheets and rows (python-calamine);
- `importer`: `analyse_workbook`, `apply_workbook`, `import_workbook`;
- `labels`: records and values as a person reads them (the history, the upload preview);
- `exporter`: `export_workbook`; `writer`: `write_workbook` (openpyxl, write-only).
"""
