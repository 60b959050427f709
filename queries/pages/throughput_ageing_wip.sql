-- purpose: work in progress (in assessment or awaiting QA) by age since the assessment started, to the as-of date
-- grain: one row per age band per status (zero bands included); a band includes its lower bound
-- params: $as_of date
-- access: aggregate
-- counts: cases
with bands(band_order, band, min_days, max_days) as (
    values
        (1, 'under 2 weeks', 0, 13),
        (2, '2-4 weeks', 14, 27),
        (3, '4-8 weeks', 28, 55),
        (4, '8-13 weeks', 56, 90),
        (5, '13 weeks or more', 91, null)
),
statuses(status_order, status) as (
    values (1, 'in_assessment'), (2, 'awaiting_qa')
),
wip as (
    select status, date_diff('day', started_date, $as_of) as age_days
    from cases
    where status in ('in_assessment', 'awaiting_qa')
)
select
    b.band_order,
    b.band,
    s.status,
    count(w.age_days) as cases
from bands as b
cross join statuses as s
left join wip as w
    on w.status = s.status
    and w.age_days >= b.min_days
    and (b.max_days is null or w.age_days <= b.max_days)
group by b.band_order, b.band, s.status_order, s.status
order by b.band_order, s.status_order;
