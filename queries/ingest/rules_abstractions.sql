-- purpose: the rules of abstractions (DATA-CONTRACT): a known officer, dates in order
-- grain: one row per rule a row of t_abstractions breaks, in the order a reader meets them
-- params: room integer (how many to return at most)
with officer_refs as (
    select officer_ref as ref from t_officers
    union
    select key from failed_officers
)
select _row, seq, rule, column_name, value, a1
from (
    select _row, 1 as seq, 'unknown_officer' as rule, 'officer_ref' as column_name,
        officer_ref as value, null as a1
    from t_abstractions where officer_ref not in (select ref from officer_refs)
    union all
    select _row, 2, 'ends_before_from', 'to_date', to_date::varchar, from_date::varchar
    from t_abstractions where to_date < from_date
)
order by _row, seq
limit $room;
