-- purpose: the rules of reinvestigations (DATA-CONTRACT v2): keys, the case referred and its
--          outcome, the lead officer, dates in order, consent, suspects, nothing set early
-- grain: one row per rule a row of t_reinvestigations breaks, in the order a reader meets them
-- params: as_of date, room integer (how many to return at most)
-- One pass: each row builds the list of the rules it breaks (seq gives their order in a row).
with firsts as (
    select investigation_ref, min(_row) as first_row
    from t_reinvestigations group by investigation_ref
),
case_firsts as (
    select case_ref, min(_row) as first_case_row
    from t_reinvestigations group by case_ref
),
referred as (select distinct case_ref from t_reinvestigations),
cases as (
    select case_ref, any_value(outcome) as outcome, min(completed_date) as completed_date
    from t_cases
    where case_ref in (select case_ref from referred)
    group by case_ref
),
failed_case_refs as (
    select distinct key as ref from failed_cases where key in (select case_ref from referred)
),
officer_refs as (
    select officer_ref as ref from t_officers
    union
    select key from failed_officers
),
j as (
    select
        r.*,
        f.first_row,
        cf.first_case_row,
        list_position(
            ['awaiting_contact', 'victim_engaged', 'investigating', 'charging_decision',
             'charged', 'closed'],
            r.stage
        ) - 1 as rank,
        c.outcome as case_outcome,
        c.completed_date as case_completed,
        c.case_ref is not null as case_valid,
        c.case_ref is not null or k.ref is not null as case_known,
        o.ref is not null as lead_known
    from t_reinvestigations as r
    join firsts as f on r.investigation_ref = f.investigation_ref
    join case_firsts as cf on r.case_ref = cf.case_ref
    left join cases as c on r.case_ref = c.case_ref
    left join failed_case_refs as k on r.case_ref = k.ref
    left join officer_refs as o on r.lead_officer_ref = o.ref
),
hits as (
    select _row, unnest(list_filter([
        case when _row > first_row then {'seq': 1, 'rule': 'duplicate_reinvestigation',
            'column_name': 'investigation_ref', 'value': investigation_ref,
            'a1': first_row::varchar, 'a2': null::varchar} end,
        case when not case_known then {'seq': 2, 'rule': 'unknown_case', 'column_name': 'case_ref',
            'value': case_ref, 'a1': null::varchar, 'a2': null::varchar} end,
        case when case_valid and case_outcome is distinct from 'reinvestigate' then {'seq': 3,
            'rule': 'case_not_referred', 'column_name': 'case_ref', 'value': case_ref,
            'a1': case_outcome, 'a2': null::varchar} end,
        case when _row > first_case_row then {'seq': 4, 'rule': 'second_reinvestigation',
            'column_name': 'case_ref', 'value': case_ref, 'a1': first_case_row::varchar,
            'a2': null::varchar} end,
        case when referred_date < case_completed then {'seq': 5,
            'rule': 'referred_before_completed', 'column_name': 'referred_date',
            'value': referred_date::varchar, 'a1': case_completed::varchar,
            'a2': null::varchar} end,
        case when referred_date > $as_of then {'seq': 6, 'rule': 'future',
            'column_name': 'referred_date', 'value': referred_date::varchar,
            'a1': null::varchar, 'a2': null::varchar} end,
        case when victim_consent <> 'given'
            and (rank between 2 and 4 or (rank = 5 and opened_date is not null))
            then {'seq': 7, 'rule': 'consent_needed', 'column_name': 'victim_consent',
            'value': victim_consent, 'a1': stage, 'a2': null::varchar} end,
        case when rank between 2 and 4 and lead_officer_ref is null then {'seq': 8,
            'rule': 'stage_field_missing', 'column_name': 'lead_officer_ref', 'value': '',
            'a1': stage, 'a2': 'investigating'} end,
        case when rank < 2 and lead_officer_ref is not null then {'seq': 9,
            'rule': 'stage_field_early', 'column_name': 'lead_officer_ref',
            'value': lead_officer_ref, 'a1': stage, 'a2': 'investigating'} end,
        case when lead_officer_ref is not null and not lead_known then {'seq': 10,
            'rule': 'unknown_officer', 'column_name': 'lead_officer_ref',
            'value': lead_officer_ref, 'a1': null::varchar, 'a2': null::varchar} end,
        case when rank between 2 and 4 and opened_date is null then {'seq': 11,
            'rule': 'stage_field_missing', 'column_name': 'opened_date', 'value': '',
            'a1': stage, 'a2': 'investigating'} end,
        case when rank < 2 and opened_date is not null then {'seq': 12,
            'rule': 'stage_field_early', 'column_name': 'opened_date',
            'value': opened_date::varchar, 'a1': stage, 'a2': 'investigating'} end,
        case when opened_date > $as_of then {'seq': 13, 'rule': 'future',
            'column_name': 'opened_date', 'value': opened_date::varchar,
            'a1': null::varchar, 'a2': null::varchar} end,
        case when opened_date < referred_date then {'seq': 14, 'rule': 'reinvestigation_order',
            'column_name': 'opened_date', 'value': opened_date::varchar,
            'a1': 'referred_date', 'a2': referred_date::varchar} end,
        case when suspects_arrested > suspects_identified then {'seq': 15, 'rule': 'more_than',
            'column_name': 'suspects_arrested', 'value': suspects_arrested::varchar,
            'a1': 'suspects_identified', 'a2': suspects_identified::varchar} end,
        case when suspects_charged > suspects_arrested then {'seq': 16, 'rule': 'more_than',
            'column_name': 'suspects_charged', 'value': suspects_charged::varchar,
            'a1': 'suspects_arrested', 'a2': suspects_arrested::varchar} end,
        case when rank = 5 and closed_date is null then {'seq': 17,
            'rule': 'closed_field_missing', 'column_name': 'closed_date', 'value': '',
            'a1': stage, 'a2': null::varchar} end,
        case when rank < 5 and closed_date is not null then {'seq': 18,
            'rule': 'stage_field_early', 'column_name': 'closed_date',
            'value': closed_date::varchar, 'a1': stage, 'a2': 'closed'} end,
        case when closed_date > $as_of then {'seq': 19, 'rule': 'future',
            'column_name': 'closed_date', 'value': closed_date::varchar,
            'a1': null::varchar, 'a2': null::varchar} end,
        case when closed_date < coalesce(opened_date, referred_date) then {'seq': 20,
            'rule': 'reinvestigation_order', 'column_name': 'closed_date',
            'value': closed_date::varchar,
            'a1': case when opened_date is not null then 'opened_date' else 'referred_date' end,
            'a2': coalesce(opened_date, referred_date)::varchar} end,
        case when rank = 5 and closure_outcome is null then {'seq': 21,
            'rule': 'closed_field_missing', 'column_name': 'closure_outcome', 'value': '',
            'a1': stage, 'a2': null::varchar} end,
        case when rank < 5 and closure_outcome is not null then {'seq': 22,
            'rule': 'stage_field_early', 'column_name': 'closure_outcome',
            'value': closure_outcome, 'a1': stage, 'a2': 'closed'} end
    ], lambda h: h is not null)) as hit
    from j
)
select _row, hit.seq, hit.rule, hit.column_name, hit.value, hit.a1, hit.a2
from hits
order by _row, hit.seq
limit $room;
