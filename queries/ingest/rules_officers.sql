-- purpose: the cross-row and cross-field rules of officers (DATA-CONTRACT), on the valid rows
-- grain: one row per rule a row of t_officers breaks, in the order a reader meets them
-- params: as_of date, room integer (how many to return at most)
with o as not materialized (
    select o.*, d.first_row
    from t_officers as o
    left join (
        select officer_ref, min(_row) as first_row from t_officers group by officer_ref
    ) as d on o.officer_ref = d.officer_ref
)
select _row, seq, rule, column_name, value, a1
from (
    select _row, 1 as seq, 'duplicate_officer' as rule, 'officer_ref' as column_name,
        officer_ref as value, first_row::varchar as a1
    from o where _row > first_row
    union all
    select _row, 2, 'started_after_as_of', 'start_date', start_date::varchar, null
    from o where start_date > $as_of
    union all
    select _row, 3, 'ends_before_start', 'end_date', end_date::varchar, start_date::varchar
    from o where end_date < start_date
)
order by _row, seq
limit $room;
