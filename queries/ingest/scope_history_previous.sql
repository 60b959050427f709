-- purpose: carry the previous snapshot's history (attached as prev: one row per snapshot up to it)
-- grain: one row per earlier snapshot
-- params: none
insert into scope_history by name
select * from prev.scope_history;
