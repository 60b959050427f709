-- purpose: cumulative assessments completed by the end of each week since the programme started
-- grain: one row per week ending (the as-of weekday), from the programme start to the as-of date
-- params: $as_of date, $programme_start date
-- access: aggregate
-- counts: assessed
with weeks as (
    select ($as_of - to_days(7 * i))::date as week_ending
    from range(0, (($as_of - $programme_start) // 7) + 1) as t(i)
)
select
    w.week_ending,
    count(c.case_ref) as assessed
from weeks as w
left join cases as c on c.completed_date <= w.week_ending
group by w.week_ending
order by w.week_ending;
