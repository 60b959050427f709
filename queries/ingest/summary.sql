-- purpose: the headline counts of this snapshot, stored at ingest so listings and history are cheap
-- grain: one row
-- params: as_of date
create table summary as
with officer_now as (
    select count(*) as officers_active, coalesce(sum(fte), 0) as fte_active
    from officers
    where start_date <= $as_of and (end_date is null or end_date >= $as_of)
)
select
    $as_of::date as as_of,
    count(*) as in_scope,
    count(*) filter (where status = 'awaiting_allocation') as awaiting_allocation,
    count(*) filter (where status = 'allocated') as allocated,
    count(*) filter (where status = 'in_assessment') as in_assessment,
    count(*) filter (where status = 'awaiting_qa') as awaiting_qa,
    count(*) filter (where status = 'assessed') as qa_signed_off,
    count(*) filter (where completed_date is not null) as assessed,
    any_value(o.officers_active) as officers_active,
    any_value(o.fte_active) as fte_active
from cases
cross join officer_now as o;
