-- purpose: one saved scenario by name
-- grain: zero or one row
-- params: $name_key text
select name, inputs, as_of, saved_at, saved_by
from scenarios
where name_key = $name_key;
