-- purpose: whether every case in scope has been assessed, and the day the last assessment was completed
-- grain: one row
-- params: none
-- access: aggregate
-- counts: in_scope, remaining
select
    count(*) as in_scope,
    count(*) filter (where completed_date is null) as remaining,
    max(completed_date) as last_completed
from cases;
