-- purpose: save a new scenario; fails on the primary key when the name is taken
-- grain: one row written
-- params: $name_key text, $name text, $inputs text, $as_of date, $saved_at timestamp, $saved_by text
insert into scenarios (name_key, name, inputs, as_of, saved_at, saved_by)
values ($name_key, $name, $inputs, $as_of, $saved_at, $saved_by);
