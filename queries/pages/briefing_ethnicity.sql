-- purpose: cases with at least one suspect, by whether the suspects' ethnicity is recorded (a data-quality caveat in the briefing)
-- grain: one row
-- params: none
-- access: aggregate
-- counts: with_suspects, all_recorded, some_recorded, none_recorded
select
    count(*) filter (where suspects > 0) as with_suspects,
    count(*) filter (where suspects > 0 and suspect_ethnicity_recorded = 'all') as all_recorded,
    count(*) filter (where suspects > 0 and suspect_ethnicity_recorded = 'some') as some_recorded,
    count(*) filter (where suspects > 0 and suspect_ethnicity_recorded = 'none') as none_recorded
from cases;
