-- purpose: cases in scope, assessed, outcomes, victims and suspects by one dimension, within the filter bar
-- grain: one row per value of $dimension (category, bcu, borough, year, original_outcome or priority)
-- params: $dimension text, $categories text[], $bcus text[], $priorities text[], $year_from int, $year_to int
-- access: aggregate
-- counts: in_scope, assessed, awaiting_allocation, no_further_action, reinvestigate, safeguarding_referral, refer_beaconport, linked_live_investigation, victims, suspects
with
-- include: filter_bar
,
keyed as (
    select
        -- include: dimension
        as dim_value,
        completed_date,
        status,
        outcome,
        victims,
        suspects
    from filtered
)

select
    dim_value,
    count(*) as in_scope,
    count(*) filter (where completed_date is not null) as assessed,
    count(*) filter (where status = 'awaiting_allocation') as awaiting_allocation,
    count(*) filter (where outcome = 'no_further_action') as no_further_action,
    count(*) filter (where outcome = 'reinvestigate') as reinvestigate,
    count(*) filter (where outcome = 'safeguarding_referral') as safeguarding_referral,
    count(*) filter (where outcome = 'refer_beaconport') as refer_beaconport,
    count(*) filter (where outcome = 'linked_live_investigation') as linked_live_investigation,
    sum(victims)::bigint as victims,
    sum(suspects)::bigint as suspects
from keyed
group by dim_value
order by dim_value;
