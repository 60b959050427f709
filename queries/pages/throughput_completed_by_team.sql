-- purpose: assessments completed in each week, by the team of the officer each case is allocated to
-- grain: one row per team per week (zero weeks included); weeks end on the as-of date's weekday, as in weekly_flow
-- params: $as_of date, $weeks int
-- access: team
-- counts: completed
with
-- include: weeks
,
groups as (
    select distinct team as grp from officers
),
completions as (
    select o.team as grp, c.completed_date
    from cases as c
    inner join officers as o on o.officer_ref = c.officer_ref
    where c.completed_date > ($as_of - to_days(7 * $weeks))::date
        and c.completed_date <= $as_of
),
-- include: completed_by_group
select
    grp as team,
    week_starting,
    week_ending,
    completed
from completed_by_group
order by week_ending, team;
