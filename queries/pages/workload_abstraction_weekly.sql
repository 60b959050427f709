-- purpose: FTE working days lost to abstraction in each week, by reason, beside the FTE working days in post
-- grain: one row per week per reason (zero rows included); weeks as in weekly_flow; Monday to Friday only
-- params: $as_of date, $weeks int
-- access: team
-- a day covered by abstractions of two reasons counts once, under the first reason in alphabetical order
with
-- include: weeks
,
reasons(reason_order, reason) as (
    values
        (1, 'annual_leave'),
        (2, 'sickness'),
        (3, 'training'),
        (4, 'operational_abstraction'),
        (5, 'other')
),
-- include: weekdays
,
officer_days as (
    select
        o.officer_ref,
        o.fte,
        w.day,
        min(a.reason) as reason
    from officers as o
    inner join weekdays as w
        on w.day >= o.start_date and (o.end_date is null or w.day <= o.end_date)
    left join abstractions as a
        on a.officer_ref = o.officer_ref and w.day between a.from_date and a.to_date
    group by o.officer_ref, o.fte, w.day
),
in_post as (
    select wk.week_ending, coalesce(sum(d.fte), 0) as fte_days_in_post
    from weeks as wk
    left join officer_days as d on d.day between wk.week_starting and wk.week_ending
    group by wk.week_ending
)
select
    wk.week_starting,
    wk.week_ending,
    r.reason,
    coalesce(sum(d.fte), 0) as fte_days,
    count(d.day) as officer_days,
    any_value(p.fte_days_in_post) as fte_days_in_post
from weeks as wk
cross join reasons as r
inner join in_post as p on p.week_ending = wk.week_ending
left join officer_days as d
    on d.reason = r.reason and d.day between wk.week_starting and wk.week_ending
group by wk.week_starting, wk.week_ending, r.reason_order, r.reason
order by wk.week_ending, r.reason_order;
