-- purpose: the people on the review for the planning model, grouped by start date, end date and workstream (no officer reference leaves the query)
-- grain: one row per start date, end date (null: none) and workstream
-- params: none
-- access: team
-- counts: officers
-- workstream: contract v2 officers.workstream ('assessment' where the extract has none)
select
    o.start_date,
    o.end_date,
    coalesce(o.workstream, 'assessment') as workstream,
    count(*) as officers,
    sum(o.fte) as fte
from officers as o
group by o.start_date, o.end_date, coalesce(o.workstream, 'assessment')
order by o.start_date, o.end_date nulls last;
