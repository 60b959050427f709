-- purpose: the oldest cases in progress (in assessment or awaiting QA), by days since the assessment started; fields only, no free text
-- grain: one row per case, oldest first, at most $limit rows
-- params: $as_of date, $limit int
-- access: case
select
    c.case_ref,
    c.status,
    date_diff('day', c.started_date, $as_of) as age_days,
    c.category,
    c.priority,
    c.bcu,
    c.officer_ref,
    o.team,
    c.allocated_date,
    c.started_date,
    c.completed_date
from cases as c
left join officers as o on o.officer_ref = c.officer_ref
where c.status in ('in_assessment', 'awaiting_qa')
order by age_days desc, c.case_ref
limit $limit;
