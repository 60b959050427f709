-- purpose: append cells to the release ledger; a cell already recorded is kept as it was (append-only)
-- grain: one row per new cell of the registered frame `incoming`
-- params: none
insert or ignore into release_cells (release, table_name, cell, shown, protection, lo, hi, base)
select release, table_name, cell, shown, protection, lo, hi, base
from incoming;
