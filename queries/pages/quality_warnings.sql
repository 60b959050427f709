-- purpose: the validation warnings stored with the snapshot at ingest, with case refs withheld
-- grain: one row per warning; a case ref (a case_ref value, or "case <ref>" opening a message) is withheld
-- params: none
-- access: quality
select
    code,
    file,
    row_number as "row",
    column_name as "column",
    case when column_name = 'case_ref' then '(withheld)' else value end as value,
    regexp_replace(message, '^case [A-Za-z0-9/_-]+', 'case (ref withheld)') as message
from warnings
order by code, file, row_number nulls last, value;
