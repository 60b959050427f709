-- purpose: save a scenario over one of the same name (the caller asked to overwrite)
-- grain: one row written
-- params: $name_key text, $name text, $inputs text, $as_of date, $saved_at timestamp, $saved_by text
insert or replace into scenarios (name_key, name, inputs, as_of, saved_at, saved_by)
values ($name_key, $name, $inputs, $as_of, $saved_at, $saved_by);
