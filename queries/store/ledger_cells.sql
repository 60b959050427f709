-- purpose: every cell of the release ledger, for the intruder test and audits
-- grain: one row per release, table and cell
-- params: none
select release, table_name, cell, shown, protection, lo, hi, base
from release_cells
order by release, table_name, cell;
