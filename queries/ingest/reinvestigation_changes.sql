-- purpose: reinvestigations added, gone, or gone back a stage since the previous snapshot (prev)
-- grain: one row per reinvestigation that changed so
-- params: none
insert into reinvestigation_changes
with cur as (select investigation_ref, stage from reinvestigations),
old as (select investigation_ref, stage from prev.reinvestigations),
stages as (
    select ['awaiting_contact', 'victim_engaged', 'investigating', 'charging_decision',
        'charged', 'closed'] as names
),
joined as (
    select
        coalesce(cur.investigation_ref, old.investigation_ref) as investigation_ref,
        old.stage as previous_stage,
        cur.stage as stage
    from cur
    full outer join old on cur.investigation_ref = old.investigation_ref
)
select investigation_ref, 'added', previous_stage, stage from joined where previous_stage is null
union all
select investigation_ref, 'removed', previous_stage, stage from joined where stage is null
union all
select investigation_ref, 'stage_backwards', previous_stage, stage
from joined, stages
where stage is not null and previous_stage is not null
    and list_position(names, stage) < list_position(names, previous_stage);
