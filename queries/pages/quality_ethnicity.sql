-- purpose: whether suspects' ethnicity is recorded (all, some, none, not applicable) by one dimension
-- grain: one row per value of $dimension (category, year or bcu; the categories page's allow-list)
-- params: $dimension text
-- access: aggregate
-- counts: cases, with_suspects, all_recorded, some_recorded, none_recorded, not_applicable
with keyed as (
    select
        -- include: dimension
        as dim_value,
        suspects,
        suspect_ethnicity_recorded as recorded
    from cases
)

select
    dim_value,
    count(*) as cases,
    count(*) filter (where suspects > 0) as with_suspects,
    count(*) filter (where recorded = 'all') as all_recorded,
    count(*) filter (where recorded = 'some') as some_recorded,
    count(*) filter (where recorded = 'none') as none_recorded,
    count(*) filter (where recorded = 'not_applicable') as not_applicable
from keyed
group by dim_value
order by dim_value;
