-- purpose: how many validation warnings of each kind the snapshot carries
-- grain: one row per warning code present in the snapshot
-- params: none
-- access: quality
select
    code,
    count(*) as warnings
from warnings
group by code
order by code;
