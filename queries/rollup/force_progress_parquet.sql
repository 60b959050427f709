-- purpose: every force's progress for a national roll-up, read from per-force Parquet exports of the cases table (one file per force, named after it)
-- grain: one row per force (per Parquet file)
-- params: $files text[], $as_of date, $weeks int
-- access: aggregate
-- counts: in_scope, assessed, awaiting_allocation, in_progress, completed_recent
with cases as (
    select
        regexp_extract(filename, '([^/]+)\.parquet$', 1) as force,
        completed_date,
        status
    from read_parquet($files, filename = true)
)

select
    force,
    $as_of::date as as_of,
    count(*) as in_scope,
    count(*) filter (where completed_date is not null) as assessed,
    count(*) filter (where status = 'awaiting_allocation') as awaiting_allocation,
    count(*) filter (where status in ('allocated', 'in_assessment')) as in_progress,
    count(*) filter (where completed_date > $as_of - to_days(7 * $weeks)) as completed_recent
from cases
group by force
order by force;
