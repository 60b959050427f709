-- purpose: cases in scope for every pair of values of two dimensions, within the filter bar (pivoted in pandas)
-- grain: one row per ($rows value, $cols value) pair that has at least one case
-- params: $rows text, $cols text, $categories text[], $bcus text[], $priorities text[], $year_from int, $year_to int
-- access: aggregate
-- counts: in_scope
with
-- include: filter_bar
,
keyed as (
    select
        -- include: dimension with $dimension = $rows
        as row_value,
        -- include: dimension with $dimension = $cols
        as col_value
    from filtered
)

select
    row_value,
    col_value,
    count(*) as in_scope
from keyed
group by row_value, col_value
order by row_value, col_value;
