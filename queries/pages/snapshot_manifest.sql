-- purpose: the manifest of a snapshot: where it came from and when it was ingested
-- grain: one row
-- params: none
-- access: aggregate
-- counts: case_rows
select
    as_of,
    ingested_at,
    contract_version,
    software_version,
    synthetic,
    source_form,
    case_rows,
    officer_rows,
    abstraction_rows,
    warning_count,
    previous_as_of
from manifest;
