-- purpose: cases in scope for each borough and category, pivoted and protected as a two-way table (protect_table) by reassess/briefing/tables.py
-- grain: one row per (borough, category) pair with at least one case in scope
-- params: none
-- access: aggregate
-- counts: in_scope
select
    borough,
    category,
    count(*) as in_scope
from cases
group by borough, category
order by borough, category;
