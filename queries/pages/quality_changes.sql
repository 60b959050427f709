-- purpose: the cases that went backwards in status or left scope since the previous snapshot, for a commander
-- grain: one row per case and change (refs and statuses only)
-- params: none
-- access: case
select
    case_ref,
    change,
    previous_status,
    status
from changes
where change in ('status_backwards', 'removed')
order by change, case_ref;
