-- purpose: carry an earlier snapshot's headline counts (attached as earlier) into this one's history
-- grain: one row per earlier snapshot
-- params: none
insert into scope_history by name
select * from earlier.summary;
