-- purpose: the releases the ledger holds (a release is recorded once, whole)
-- grain: one row per release
-- params: none
select distinct release from release_cells where not base order by release;
