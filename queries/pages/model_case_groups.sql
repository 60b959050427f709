-- purpose: cases by priority, category and the week their assessment was completed (or the queue they wait in), with recorded hours, for the planning model's work content
-- grain: one row per priority, category, completion week (null: not completed) and queue (0 allocated or in assessment, 1 awaiting allocation; null once completed)
-- params: $as_of date
-- access: aggregate
-- counts: cases, with_hours
-- week_ending is on the weekly grid that ends on the as-of date (as weekly_flow counts weeks)
with grouped as (
    select
        c.priority,
        c.category,
        case
            when c.completed_date is not null
                then ($as_of - to_days(7 * (($as_of - c.completed_date) // 7)))::date
        end as week_ending,
        case
            when c.completed_date is null then (c.status = 'awaiting_allocation')::integer
        end as queue,
        c.hours_spent
    from cases as c
)
select
    priority,
    category,
    week_ending,
    queue,
    count(*) as cases,
    coalesce(sum(hours_spent) filter (where week_ending is not null), 0) as hours,
    count(hours_spent) filter (where week_ending is not null) as with_hours
from grouped
group by priority, category, week_ending, queue
order by week_ending nulls last, queue, priority, category;
