-- purpose: assessments completed in each week, by the Basic Command Unit (BCU) the case belongs to
-- grain: one row per BCU per week (every BCU with a case in scope, zero weeks included); weeks as in weekly_flow
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: completed
with
-- include: weeks
,
bcus as (
    select distinct bcu from cases
),
completions as (
    select bcu, completed_date
    from cases
    where completed_date > ($as_of - to_days(7 * $weeks))::date
        and completed_date <= $as_of
)
select
    b.bcu,
    w.week_starting,
    w.week_ending,
    count(d.completed_date) as completed
from weeks as w
cross join bcus as b
left join completions as d
    on d.bcu = b.bcu and d.completed_date between w.week_starting and w.week_ending
group by b.bcu, w.week_starting, w.week_ending
order by w.week_ending, b.bcu;
