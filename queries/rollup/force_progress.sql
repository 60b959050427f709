-- purpose: one force's progress for a national roll-up, read from that force's snapshot (attached read-only and made the default catalog); the caller unions the rows of every force
-- grain: one row per force snapshot
-- params: $force text, $weeks int
-- access: aggregate
-- counts: in_scope, assessed, awaiting_allocation, in_progress, completed_recent
with snapshot as (
    select as_of from manifest
)

select
    $force as force,
    s.as_of,
    count(*) as in_scope,
    count(*) filter (where c.completed_date is not null) as assessed,
    count(*) filter (where c.status = 'awaiting_allocation') as awaiting_allocation,
    count(*) filter (where c.status in ('allocated', 'in_assessment')) as in_progress,
    count(*) filter (
        where c.completed_date > s.as_of - to_days(7 * $weeks)
    ) as completed_recent
from cases as c
cross join snapshot as s
group by s.as_of;
