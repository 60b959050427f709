-- purpose: assessments completed in each week, by the Basic Command Unit (BCU) the case belongs to
-- grain: one row per BCU per week (every BCU with a case in scope, zero weeks included); weeks as in weekly_flow
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: completed
with
-- include: weeks
,
groups as (
    select distinct bcu as grp from cases
),
completions as (
    select bcu as grp, completed_date
    from cases
    where completed_date > ($as_of - to_days(7 * $weeks))::date
        and completed_date <= $as_of
),
-- include: completed_by_group
select
    grp as bcu,
    week_starting,
    week_ending,
    completed
from completed_by_group
order by week_ending, bcu;
