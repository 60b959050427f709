-- purpose: ageing of the open reinvestigations by the stage each is at: how long since referral, and how many waited longer than $weeks weeks
-- grain: one row per stage a reinvestigation is open at (stages with none are left out)
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: reinvestigations, over_weeks
select
    stage,
    count(*) as reinvestigations,
    median(date_diff('day', referred_date, $as_of)) as median_days,
    max(date_diff('day', referred_date, $as_of)) as longest_days,
    count(*) filter (where referred_date < ($as_of - to_days(7 * $weeks))::date) as over_weeks
from reinvestigations
where stage <> 'closed'
group by stage
order by
    list_position(
        ['awaiting_contact', 'victim_engaged', 'investigating', 'charging_decision', 'charged'],
        stage
    );
