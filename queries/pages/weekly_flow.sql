-- purpose: assessments started and completed in each week up to the as-of date
-- grain: one row per week; weeks end on the as-of date's weekday, the last one on the as-of date
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: started, completed
with
-- include: weeks
,
flows as (
    select
        w.week_ending,
        w.week_starting,
        count(*) filter (where c.started_date between w.week_starting and w.week_ending) as started,
        count(*) filter (where c.completed_date between w.week_starting and w.week_ending) as completed
    from weeks as w
    cross join cases as c
    group by w.week_ending, w.week_starting
)
select week_starting, week_ending, started, completed
from flows
order by week_ending;
