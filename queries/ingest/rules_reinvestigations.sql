-- purpose: the rules of reinvestigations (DATA-CONTRACT v2): keys, the case referred and its
--          outcome, the lead officer, dates in order, consent, suspects, nothing set early
-- grain: one row per rule a row of t_reinvestigations breaks, in the order a reader meets them
-- params: as_of date, room integer (how many to return at most)
with r as not materialized (
    select
        *,
        min(_row) over (partition by investigation_ref) as first_row,
        min(_row) over (partition by case_ref) as first_case_row,
        list_position(
            ['awaiting_contact', 'victim_engaged', 'investigating', 'charging_decision',
             'charged', 'closed'],
            stage
        ) - 1 as rank
    from t_reinvestigations
),
cases as (
    select case_ref, any_value(outcome) as outcome, min(completed_date) as completed_date
    from t_cases
    group by case_ref
),
case_refs as (
    select case_ref as ref from t_cases
    union
    select key from failed_cases
),
officer_refs as (
    select officer_ref as ref from t_officers
    union
    select key from failed_officers
),
j as not materialized (
    select r.*, c.outcome as case_outcome, c.completed_date as case_completed,
        c.case_ref is not null as case_valid
    from r left join cases as c on r.case_ref = c.case_ref
)
select _row, seq, rule, column_name, value, a1, a2
from (
    select _row, 1 as seq, 'duplicate_reinvestigation' as rule,
        'investigation_ref' as column_name, investigation_ref as value,
        first_row::varchar as a1, null as a2
    from j where _row > first_row
    union all
    select _row, 2, 'unknown_case', 'case_ref', case_ref, null, null
    from j where case_ref not in (select ref from case_refs)
    union all
    select _row, 3, 'case_not_referred', 'case_ref', case_ref, case_outcome, null
    from j where case_valid and case_outcome is distinct from 'reinvestigate'
    union all
    select _row, 4, 'second_reinvestigation', 'case_ref', case_ref, first_case_row::varchar, null
    from j where _row > first_case_row
    union all
    select _row, 5, 'referred_before_completed', 'referred_date', referred_date::varchar,
        case_completed::varchar, null
    from j where referred_date < case_completed
    union all
    select _row, 6, 'future', 'referred_date', referred_date::varchar, null, null
    from j where referred_date > $as_of
    union all
    select _row, 7, 'consent_needed', 'victim_consent', victim_consent, stage, null
    from j
    where victim_consent <> 'given'
        and (rank between 2 and 4 or (rank = 5 and opened_date is not null))
    union all
    select _row, 8, 'stage_field_missing', 'lead_officer_ref', '', stage, 'investigating'
    from j where rank between 2 and 4 and lead_officer_ref is null
    union all
    select _row, 9, 'stage_field_early', 'lead_officer_ref', lead_officer_ref, stage,
        'investigating'
    from j where rank < 2 and lead_officer_ref is not null
    union all
    select _row, 10, 'unknown_officer', 'lead_officer_ref', lead_officer_ref, null, null
    from j where lead_officer_ref not in (select ref from officer_refs)
    union all
    select _row, 11, 'stage_field_missing', 'opened_date', '', stage, 'investigating'
    from j where rank between 2 and 4 and opened_date is null
    union all
    select _row, 12, 'stage_field_early', 'opened_date', opened_date::varchar, stage,
        'investigating'
    from j where rank < 2 and opened_date is not null
    union all
    select _row, 13, 'future', 'opened_date', opened_date::varchar, null, null
    from j where opened_date > $as_of
    union all
    select _row, 14, 'reinvestigation_order', 'opened_date', opened_date::varchar,
        'referred_date', referred_date::varchar
    from j where opened_date < referred_date
    union all
    select _row, 15, 'more_than', 'suspects_arrested', suspects_arrested::varchar,
        'suspects_identified', suspects_identified::varchar
    from j where suspects_arrested > suspects_identified
    union all
    select _row, 16, 'more_than', 'suspects_charged', suspects_charged::varchar,
        'suspects_arrested', suspects_arrested::varchar
    from j where suspects_charged > suspects_arrested
    union all
    select _row, 17, 'closed_field_missing', 'closed_date', '', stage, null
    from j where rank = 5 and closed_date is null
    union all
    select _row, 18, 'stage_field_early', 'closed_date', closed_date::varchar, stage, 'closed'
    from j where rank < 5 and closed_date is not null
    union all
    select _row, 19, 'future', 'closed_date', closed_date::varchar, null, null
    from j where closed_date > $as_of
    union all
    select _row, 20, 'reinvestigation_order', 'closed_date', closed_date::varchar,
        case when opened_date is not null then 'opened_date' else 'referred_date' end,
        coalesce(opened_date, referred_date)::varchar
    from j where closed_date < coalesce(opened_date, referred_date)
    union all
    select _row, 21, 'closed_field_missing', 'closure_outcome', '', stage, null
    from j where rank = 5 and closure_outcome is null
    union all
    select _row, 22, 'stage_field_early', 'closure_outcome', closure_outcome, stage, 'closed'
    from j where rank < 5 and closure_outcome is not null
)
order by _row, seq
limit $room;
