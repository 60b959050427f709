-- purpose: days from allocation and from start to completion (median and 85th percentile) for assessments completed in the last $weeks weeks
-- grain: one row for all cases, then one per category, then one per priority; no rows when nothing was completed
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: cases
with done as (
    select
        category,
        priority,
        date_diff('day', allocated_date, completed_date) as allocated_days,
        date_diff('day', started_date, completed_date) as started_days
    from cases
    where completed_date > ($as_of - to_days(7 * $weeks))::date
        and completed_date <= $as_of
),
grouped as (
    select
        case
            when grouping(category) = 0 then 'category'
            when grouping(priority) = 0 then 'priority'
            else 'all'
        end as dimension,
        coalesce(category, priority, 'all cases') as grp,
        count(*) as cases,
        quantile_cont(allocated_days, 0.5) as allocated_p50,
        quantile_cont(allocated_days, 0.85) as allocated_p85,
        quantile_cont(started_days, 0.5) as started_p50,
        quantile_cont(started_days, 0.85) as started_p85
    from done
    group by grouping sets ((), (category), (priority))
    having count(*) > 0
)
select dimension, grp, cases, allocated_p50, allocated_p85, started_p50, started_p85
from grouped
order by
    case dimension when 'all' then 0 when 'category' then 1 else 2 end,
    case grp when 'high' then 0 when 'medium' then 1 when 'low' then 2 else 3 end,
    grp;
