-- purpose: cases in scope, assessed and awaiting allocation by Basic Command Unit (BCU), for the Mayor's office briefing
-- grain: one row per BCU with a case in scope
-- params: none
-- access: aggregate
-- counts: in_scope, assessed, awaiting_allocation
select
    bcu,
    count(*) as in_scope,
    count(*) filter (where completed_date is not null) as assessed,
    count(*) filter (where status = 'awaiting_allocation') as awaiting_allocation
from cases
group by bcu
order by bcu;
