-- purpose: every saved scenario, in name order
-- grain: one row per saved scenario
-- params: none
select name, inputs, as_of, saved_at, saved_by
from scenarios
order by name_key;
