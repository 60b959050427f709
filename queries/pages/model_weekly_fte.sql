-- purpose: assessment officers (workstream assessment) in post and FTE available in each week, net of recorded abstraction, for the planning model
-- grain: one row per week; weeks as in weekly_flow (the last ends on the as-of date); Monday to Friday only
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: officers
-- only officers of the assessment workstream (contract v2 officers.workstream; absent: assessment)
-- available_fte = sum over officers of fte * (weekdays in post and not abstracted) / 5, so a full
-- week in post with d abstracted days gives fte * (1 - d / 5); a day covered by two abstractions counts once
with
-- include: weeks
,
-- include: weekdays
,
officer_days as (
    select
        o.officer_ref,
        o.fte,
        w.day,
        count(a.officer_ref) > 0 as abstracted
    from officers as o
    inner join weekdays as w
        on w.day >= o.start_date and (o.end_date is null or w.day <= o.end_date)
        and coalesce(o.workstream, 'assessment') = 'assessment'
    left join abstractions as a
        on a.officer_ref = o.officer_ref and w.day between a.from_date and a.to_date
    group by o.officer_ref, o.fte, w.day
)
select
    wk.week_starting,
    wk.week_ending,
    count(distinct d.officer_ref) as officers,
    coalesce(sum(d.fte), 0) / 5.0 as fte_in_post,
    coalesce(sum(d.fte) filter (where d.abstracted), 0) / 5.0 as fte_abstracted,
    coalesce(sum(d.fte) filter (where not d.abstracted), 0) / 5.0 as available_fte
from weeks as wk
left join officer_days as d on d.day between wk.week_starting and wk.week_ending
group by wk.week_starting, wk.week_ending
order by wk.week_ending;
