-- purpose: what changed between the compare snapshot (cmp) and this one
-- grain: one row
-- params: $compare_as_of date
-- access: aggregate
-- counts: added, removed, completed, newly_allocated, reassigned, high_priority_awaiting
with cur as (select * from cases),
old as (select case_ref, status, officer_ref from cmp.cases)
select
    (select count(*) from cur anti join old using (case_ref)) as added,
    (select count(*) from old anti join cur using (case_ref)) as removed,
    (select count(*) from cur where completed_date > $compare_as_of) as completed,
    (select count(*) from cur where allocated_date > $compare_as_of) as newly_allocated,
    (
        select count(*) from cur join old using (case_ref)
        where old.officer_ref is not null and cur.officer_ref is not null
            and old.officer_ref <> cur.officer_ref
    ) as reassigned,
    (
        select count(*) from cur
        where status = 'awaiting_allocation' and priority = 'high'
    ) as high_priority_awaiting;
