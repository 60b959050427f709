-- purpose: the headline figures of a snapshot: scope, assessed and the stage every case is at
-- grain: one row
-- params: none
-- access: aggregate
-- counts: in_scope, assessed, awaiting_allocation, allocated, in_assessment, awaiting_qa, qa_signed_off, high_priority_awaiting
select
    count(*) as in_scope,
    count(*) filter (where completed_date is not null) as assessed,
    count(*) filter (where status = 'awaiting_allocation') as awaiting_allocation,
    count(*) filter (where status = 'allocated') as allocated,
    count(*) filter (where status = 'in_assessment') as in_assessment,
    count(*) filter (where status = 'awaiting_qa') as awaiting_qa,
    count(*) filter (where status = 'assessed') as qa_signed_off,
    count(*) filter (where status = 'awaiting_allocation' and priority = 'high') as high_priority_awaiting
from cases;
