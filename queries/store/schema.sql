-- purpose: the saved-scenarios table in the planner's small DuckDB file (settings().scenario_db), made on first use
-- grain: one row per saved scenario; names are unique ignoring case and surrounding spaces
-- params: none
create table if not exists scenarios (
    name_key varchar primary key,
    name varchar not null,
    inputs varchar not null,
    as_of date not null,
    saved_at timestamp not null,
    saved_by varchar not null
);
