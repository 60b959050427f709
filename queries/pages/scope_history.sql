-- purpose: scope and progress as each weekly snapshot up to this one recorded them
-- grain: one row per snapshot as-of date (carried into the snapshot at ingest)
-- params: none
-- access: aggregate
-- counts: in_scope, assessed, awaiting_allocation, allocated, in_assessment, awaiting_qa, qa_signed_off
select
    as_of,
    in_scope,
    assessed,
    awaiting_allocation,
    allocated,
    in_assessment,
    awaiting_qa,
    qa_signed_off,
    officers_active,
    fte_active
from scope_history
order by as_of;
