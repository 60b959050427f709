-- purpose: the validation warnings stored with the snapshot at ingest, case refs included, for a commander
-- grain: one row per warning
-- params: none
-- access: case
select
    code,
    file,
    row_number as "row",
    column_name as "column",
    value,
    message
from warnings
order by code, file, row_number nulls last, value;
