-- purpose: what the snapshot listing needs from one snapshot file (read once per file version)
-- grain: one row
-- params: none
select
    m.as_of,
    m.synthetic,
    m.warning_count,
    m.ingested_at,
    m.contract_version,
    m.case_rows,
    m.officer_rows,
    s.in_scope,
    s.assessed
from manifest as m
cross join summary as s;
