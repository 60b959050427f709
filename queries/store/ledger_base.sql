-- purpose: the base cells of one ledger table as first published (a base cell never changes once shown)
-- grain: one row per cell of the table
-- params: $table_name text
select cell, arg_min(shown, release) as shown, arg_min(protection, release) as protection,
    arg_min(lo, release) as lo, arg_min(hi, release) as hi
from release_cells
where table_name = $table_name and base
group by cell;
