-- purpose: the cases behind one figure of the categories page (a breakdown row or a cross-tab cell), for a commander
-- grain: one row per case in scope that matches the filter bar and the chosen value(s); no free text
-- params: $rows text, $row_value text, $cols text, $col_value text, $categories text[], $bcus text[], $priorities text[], $year_from int, $year_to int
-- access: case
with
-- include: filter_bar
,
keyed as (
    select
        -- include: dimension with $dimension = $rows
        as row_value,
        -- include: dimension with $dimension = $cols
        as col_value,
        *
    from filtered
)

select
    case_ref,
    reported_date,
    category,
    bcu,
    borough,
    original_outcome,
    victims,
    suspects,
    suspect_ethnicity_recorded,
    priority,
    status,
    officer_ref,
    allocated_date,
    started_date,
    completed_date,
    qa_date,
    outcome,
    victim_support,
    hours_spent
from keyed
where row_value = $row_value
    and ($cols is null or col_value = $col_value)
order by case_ref;
