-- purpose: high-priority cases awaiting allocation now that were already in scope and awaiting allocation at an earlier snapshot (attached as cmp), for the unallocated alert
-- grain: one row
-- params: none
-- access: aggregate
-- counts: awaiting_now, waiting_since_then
with now_waiting as (
    select case_ref
    from cases
    where status = 'awaiting_allocation' and priority = 'high'
),
then_waiting as (
    select case_ref
    from cmp.cases
    where status = 'awaiting_allocation'
)
select
    (select count(*) from now_waiting) as awaiting_now,
    (select count(*) from now_waiting semi join then_waiting using (case_ref)) as waiting_since_then;
