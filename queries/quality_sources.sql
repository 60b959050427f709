-- purpose: one snapshot's manifest and the source files it was built from, with their SHA-256
-- grain: one row per source file (one row with empty file columns if none was recorded)
-- params: none
-- access: quality
select
    m.as_of,
    m.ingested_at,
    m.contract_version,
    m.software_version,
    m.source_form,
    m.case_rows,
    m.officer_rows,
    m.abstraction_rows,
    m.warning_count,
    s.file,
    s.sha256,
    s.bytes
from manifest as m
left join sources as s on true
order by s.file;
