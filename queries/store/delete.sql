-- purpose: delete one saved scenario by name, returning its name if it was there
-- grain: zero or one row
-- params: $name_key text
delete from scenarios
where name_key = $name_key
returning name;
