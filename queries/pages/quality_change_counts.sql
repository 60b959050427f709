-- purpose: how many cases were added, left scope, went backwards in status or changed officer since the previous snapshot
-- grain: one row (the changes table is written at ingest against the previous snapshot)
-- params: none
-- access: quality
select
    (select previous_as_of from manifest) as previous_as_of,
    count(*) filter (where change = 'added') as added,
    count(*) filter (where change = 'removed') as left_scope,
    count(*) filter (where change = 'status_backwards') as status_backwards,
    count(*) filter (where change = 'reassigned') as reassigned
from changes;
