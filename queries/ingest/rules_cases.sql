-- purpose: the rules of cases (DATA-CONTRACT) across fields and rows: keys, references,
--          boroughs in their BCU, dates in order, and nothing set for a later status
-- grain: one row per rule a row of t_cases breaks, in the order a reader meets them
-- params: as_of date, earliest date, room integer (how many to return at most)
-- One pass: each row builds the list of the rules it breaks (seq gives their order in a row).
with dups as (
    select case_ref, min(_row) as first_row from t_cases group by case_ref having count(*) > 1
),
officer_refs as (
    select officer_ref as ref from t_officers
    union
    select key from failed_officers
),
c as (
    select
        t.*,
        d.first_row,
        b.bcu as borough_bcu,
        o.ref is not null as officer_known,
        list_position(
            ['awaiting_allocation', 'allocated', 'in_assessment', 'awaiting_qa', 'assessed'],
            t.status
        ) - 1 as rank,
        coalesce(t.allocated_date, t.reported_date) as before_started,
        case when t.allocated_date is not null then 'allocated_date' else 'reported_date' end
            as before_started_name,
        coalesce(t.started_date, t.allocated_date, t.reported_date) as before_completed,
        case
            when t.started_date is not null then 'started_date'
            when t.allocated_date is not null then 'allocated_date'
            else 'reported_date'
        end as before_completed_name,
        coalesce(t.completed_date, t.started_date, t.allocated_date, t.reported_date)
            as before_qa,
        case
            when t.completed_date is not null then 'completed_date'
            when t.started_date is not null then 'started_date'
            when t.allocated_date is not null then 'allocated_date'
            else 'reported_date'
        end as before_qa_name
    from t_cases as t
    left join dups as d on t.case_ref = d.case_ref
    left join contract_boroughs as b on t.borough = b.borough
    left join officer_refs as o on t.officer_ref = o.ref
),
hits as (
    select _row, unnest(list_filter([
        case when _row > first_row then {'seq': 1, 'rule': 'duplicate_case',
            'column_name': 'case_ref', 'value': case_ref, 'a1': first_row::varchar,
            'a2': null::varchar} end,
        case when reported_date < $earliest then {'seq': 2, 'rule': 'before_scope',
            'column_name': 'reported_date', 'value': reported_date::varchar,
            'a1': null::varchar, 'a2': null::varchar} end,
        case when reported_date > $as_of then {'seq': 3, 'rule': 'future',
            'column_name': 'reported_date', 'value': reported_date::varchar,
            'a1': null::varchar, 'a2': null::varchar} end,
        case when borough_bcu <> bcu then {'seq': 4, 'rule': 'borough_bcu',
            'column_name': 'borough', 'value': borough, 'a1': bcu, 'a2': null::varchar} end,
        case when suspect_ethnicity_recorded = 'not_applicable' and suspects <> 0 then {'seq': 5,
            'rule': 'ethnicity_without_suspects', 'column_name': 'suspect_ethnicity_recorded',
            'value': suspect_ethnicity_recorded, 'a1': suspects::varchar,
            'a2': null::varchar} end,
        case when suspects = 0 and suspect_ethnicity_recorded in ('all', 'some') then {'seq': 6,
            'rule': 'ethnicity_recorded_no_suspects', 'column_name': 'suspect_ethnicity_recorded',
            'value': suspect_ethnicity_recorded, 'a1': null::varchar, 'a2': null::varchar} end,
        case when rank = 0 and officer_ref is not null then {'seq': 7,
            'rule': 'officer_while_unallocated', 'column_name': 'officer_ref',
            'value': officer_ref, 'a1': null::varchar, 'a2': null::varchar} end,
        case when rank >= 1 and officer_ref is null then {'seq': 8, 'rule': 'officer_missing',
            'column_name': 'officer_ref', 'value': '', 'a1': status, 'a2': null::varchar} end,
        case when rank >= 1 and officer_ref is not null and not officer_known then {'seq': 9,
            'rule': 'unknown_officer', 'column_name': 'officer_ref', 'value': officer_ref,
            'a1': null::varchar, 'a2': null::varchar} end,
        -- allocated_date (from allocated on), after reported_date
        case when rank >= 1 and allocated_date is null then {'seq': 10, 'rule': 'date_missing',
            'column_name': 'allocated_date', 'value': '', 'a1': status, 'a2': 'allocated'} end,
        case when rank < 1 and allocated_date is not null then {'seq': 11,
            'rule': 'date_too_early', 'column_name': 'allocated_date',
            'value': allocated_date::varchar, 'a1': status, 'a2': 'allocated'} end,
        case when allocated_date > $as_of then {'seq': 12, 'rule': 'future',
            'column_name': 'allocated_date', 'value': allocated_date::varchar,
            'a1': null::varchar, 'a2': null::varchar} end,
        case when allocated_date < reported_date then {'seq': 13, 'rule': 'date_order',
            'column_name': 'allocated_date', 'value': allocated_date::varchar,
            'a1': 'reported_date', 'a2': reported_date::varchar} end,
        -- started_date (from in_assessment on)
        case when rank >= 2 and started_date is null then {'seq': 14, 'rule': 'date_missing',
            'column_name': 'started_date', 'value': '', 'a1': status, 'a2': 'in_assessment'} end,
        case when rank < 2 and started_date is not null then {'seq': 15,
            'rule': 'date_too_early', 'column_name': 'started_date',
            'value': started_date::varchar, 'a1': status, 'a2': 'in_assessment'} end,
        case when started_date > $as_of then {'seq': 16, 'rule': 'future',
            'column_name': 'started_date', 'value': started_date::varchar,
            'a1': null::varchar, 'a2': null::varchar} end,
        case when started_date < before_started then {'seq': 17, 'rule': 'date_order',
            'column_name': 'started_date', 'value': started_date::varchar,
            'a1': before_started_name, 'a2': before_started::varchar} end,
        -- completed_date (from awaiting_qa on)
        case when rank >= 3 and completed_date is null then {'seq': 18, 'rule': 'date_missing',
            'column_name': 'completed_date', 'value': '', 'a1': status, 'a2': 'awaiting_qa'} end,
        case when rank < 3 and completed_date is not null then {'seq': 19,
            'rule': 'date_too_early', 'column_name': 'completed_date',
            'value': completed_date::varchar, 'a1': status, 'a2': 'awaiting_qa'} end,
        case when completed_date > $as_of then {'seq': 20, 'rule': 'future',
            'column_name': 'completed_date', 'value': completed_date::varchar,
            'a1': null::varchar, 'a2': null::varchar} end,
        case when completed_date < before_completed then {'seq': 21, 'rule': 'date_order',
            'column_name': 'completed_date', 'value': completed_date::varchar,
            'a1': before_completed_name, 'a2': before_completed::varchar} end,
        -- qa_date (when assessed)
        case when rank >= 4 and qa_date is null then {'seq': 22, 'rule': 'date_missing',
            'column_name': 'qa_date', 'value': '', 'a1': status, 'a2': 'assessed'} end,
        case when rank < 4 and qa_date is not null then {'seq': 23, 'rule': 'date_too_early',
            'column_name': 'qa_date', 'value': qa_date::varchar, 'a1': status,
            'a2': 'assessed'} end,
        case when qa_date > $as_of then {'seq': 24, 'rule': 'future', 'column_name': 'qa_date',
            'value': qa_date::varchar, 'a1': null::varchar, 'a2': null::varchar} end,
        case when qa_date < before_qa then {'seq': 25, 'rule': 'date_order',
            'column_name': 'qa_date', 'value': qa_date::varchar, 'a1': before_qa_name,
            'a2': before_qa::varchar} end,
        -- outcome (from awaiting_qa on)
        case when rank >= 3 and outcome is null then {'seq': 26, 'rule': 'outcome_missing',
            'column_name': 'outcome', 'value': '', 'a1': status, 'a2': null::varchar} end,
        case when rank < 3 and outcome is not null then {'seq': 27,
            'rule': 'outcome_too_early', 'column_name': 'outcome', 'value': outcome,
            'a1': status, 'a2': null::varchar} end
    ], lambda h: h is not null)) as hit
    from c
)
select _row, hit.seq, hit.rule, hit.column_name, hit.value, hit.a1, hit.a2
from hits
order by _row, hit.seq
limit $room;
