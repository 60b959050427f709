-- purpose: assessments completed in each week, by the team of the officer each case is allocated to
-- grain: one row per team per week (zero weeks included); weeks end on the as-of date's weekday, as in weekly_flow
-- params: $as_of date, $weeks int
-- access: team
-- counts: completed
with
-- include: weeks
,
teams as (
    select distinct team from officers
),
completions as (
    select o.team, c.completed_date
    from cases as c
    inner join officers as o on o.officer_ref = c.officer_ref
    where c.completed_date > ($as_of - to_days(7 * $weeks))::date
        and c.completed_date <= $as_of
)
select
    t.team,
    w.week_starting,
    w.week_ending,
    count(d.completed_date) as completed
from weeks as w
cross join teams as t
left join completions as d
    on d.team = t.team and d.completed_date between w.week_starting and w.week_ending
group by t.team, w.week_starting, w.week_ending
order by w.week_ending, t.team;
