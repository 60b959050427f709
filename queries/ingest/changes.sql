-- purpose: what changed between the previous snapshot (attached as prev) and this one
-- grain: one row per case that was added, removed, went backwards in status, or changed officer
-- params: none
insert into changes
with cur as (select case_ref, status, officer_ref from cases),
old as (select case_ref, status, officer_ref from prev.cases),
joined as (
    select
        coalesce(cur.case_ref, old.case_ref) as case_ref,
        old.status as previous_status,
        cur.status as status,
        old.officer_ref as previous_officer_ref,
        cur.officer_ref as officer_ref
    from cur
    full outer join old on cur.case_ref = old.case_ref
)
select case_ref, 'added', previous_status, status, previous_officer_ref, officer_ref
from joined where previous_status is null
union all
select case_ref, 'removed', previous_status, status, previous_officer_ref, officer_ref
from joined where status is null
union all
select case_ref, 'status_backwards', previous_status, status, previous_officer_ref, officer_ref
from joined
where status is not null and previous_status is not null
    and list_position(
        ['awaiting_allocation', 'allocated', 'in_assessment', 'awaiting_qa', 'assessed'], status
    ) < list_position(
        ['awaiting_allocation', 'allocated', 'in_assessment', 'awaiting_qa', 'assessed'],
        previous_status
    )
union all
select case_ref, 'reassigned', previous_status, status, previous_officer_ref, officer_ref
from joined
where previous_officer_ref is not null and officer_ref is not null
    and previous_officer_ref <> officer_ref;
