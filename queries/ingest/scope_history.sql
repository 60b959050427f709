-- purpose: the headline counts of every snapshot up to this one, carried in each snapshot
-- grain: one row per snapshot as-of date (earlier snapshots read at ingest, plus this one)
-- params: none (earlier rows are inserted by ingest from their own summary tables)
create table scope_history as
select * from summary;
