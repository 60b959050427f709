-- purpose: leave and other abstractions already booked for the weeks after the as-of date, for the planning model
-- grain: one row per future week (weeks end on the as-of weekday, the first a week after $as_of); Monday to Friday only
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: officers
-- officers of the assessment workstream only (contract v2 officers.workstream; absent: assessment)
-- fte_days = sum over officers in post of fte x weekdays abstracted in the week (a day covered by
-- two abstractions counts once); weeks with none booked are included with 0
with
future_weeks as (
    select
        ($as_of + to_days(7 * i))::date as week_ending,
        ($as_of + to_days(7 * i - 6))::date as week_starting
    from range(1, $weeks + 1) as t(i)
),
future_days as (
    select d::date as day
    from generate_series(($as_of + to_days(1))::date, ($as_of + to_days(7 * $weeks))::date, interval 1 day) as t(d)
    where isodow(d) <= 5
),
booked as (
    select
        o.officer_ref,
        o.fte,
        f.day
    from officers as o
    inner join future_days as f
        on f.day >= o.start_date and (o.end_date is null or f.day <= o.end_date)
        and coalesce(o.workstream, 'assessment') = 'assessment'
    inner join abstractions as a
        on a.officer_ref = o.officer_ref and f.day between a.from_date and a.to_date
    group by o.officer_ref, o.fte, f.day
)
select
    w.week_ending,
    count(distinct b.officer_ref) as officers,
    coalesce(sum(b.fte), 0) as fte_days
from future_weeks as w
left join booked as b on b.day between w.week_starting and w.week_ending
group by w.week_ending
order by w.week_ending;
