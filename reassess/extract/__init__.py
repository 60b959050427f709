"""The extract: its contract, and reading and validating one (CSV folder or XLSX workbook).

No database of its own beyond DuckDB as a column engine, no Streamlit. ``contract`` names every
table, column and code; ``read`` checks the files, ``validate`` the cells (``columns``,
``cells``) and the rules across rows (``rules``, ``history``); ``issues`` words what is wrong
(file, spreadsheet row, column, value, fix); ``limits`` bounds one ingest's memory and time.
"""
