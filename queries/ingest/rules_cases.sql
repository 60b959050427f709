-- purpose: the rules of cases (DATA-CONTRACT) across fields and rows: keys, references,
--          boroughs in their BCU, dates in order, and nothing set for a later status
-- grain: one row per rule a row of t_cases breaks, in the order a reader meets them
-- params: as_of date, earliest date, room integer (how many to return at most)
with c as not materialized (
    select
        *,
        list_position(
            ['awaiting_allocation', 'allocated', 'in_assessment', 'awaiting_qa', 'assessed'], status
        ) - 1 as rank,
        coalesce(allocated_date, reported_date) as before_started,
        case when allocated_date is not null then 'allocated_date' else 'reported_date' end
            as before_started_name,
        coalesce(started_date, allocated_date, reported_date) as before_completed,
        case
            when started_date is not null then 'started_date'
            when allocated_date is not null then 'allocated_date'
            else 'reported_date'
        end as before_completed_name,
        coalesce(completed_date, started_date, allocated_date, reported_date) as before_qa,
        case
            when completed_date is not null then 'completed_date'
            when started_date is not null then 'started_date'
            when allocated_date is not null then 'allocated_date'
            else 'reported_date'
        end as before_qa_name
    from t_cases
),
dups as (
    select case_ref, min(_row) as first_row from t_cases group by case_ref having count(*) > 1
),
officer_refs as (
    select officer_ref as ref from t_officers
    union
    select key from failed_officers
)
select _row, seq, rule, column_name, value, a1, a2
from (
    select c._row, 1 as seq, 'duplicate_case' as rule, 'case_ref' as column_name,
        c.case_ref as value, d.first_row::varchar as a1, null as a2
    from c join dups as d on c.case_ref = d.case_ref where c._row > d.first_row
    union all
    select _row, 2, 'before_scope', 'reported_date', reported_date::varchar, null, null
    from c where reported_date < $earliest
    union all
    select _row, 3, 'future', 'reported_date', reported_date::varchar, null, null
    from c where reported_date > $as_of
    union all
    select c._row, 4, 'borough_bcu', 'borough', c.borough, c.bcu, null
    from c join contract_boroughs as b on c.borough = b.borough where b.bcu <> c.bcu
    union all
    select _row, 5, 'ethnicity_without_suspects', 'suspect_ethnicity_recorded',
        suspect_ethnicity_recorded, suspects::varchar, null
    from c where suspect_ethnicity_recorded = 'not_applicable' and suspects <> 0
    union all
    select _row, 6, 'ethnicity_recorded_no_suspects', 'suspect_ethnicity_recorded',
        suspect_ethnicity_recorded, null, null
    from c where suspects = 0 and suspect_ethnicity_recorded in ('all', 'some')
    union all
    select _row, 7, 'officer_while_unallocated', 'officer_ref', officer_ref, null, null
    from c where rank = 0 and officer_ref is not null
    union all
    select _row, 8, 'officer_missing', 'officer_ref', '', status, null
    from c where rank >= 1 and officer_ref is null
    union all
    select _row, 9, 'unknown_officer', 'officer_ref', officer_ref, null, null
    from c where rank >= 1 and officer_ref not in (select ref from officer_refs)
    -- allocated_date (from allocated on), after reported_date
    union all
    select _row, 10, 'date_missing', 'allocated_date', '', status, 'allocated'
    from c where rank >= 1 and allocated_date is null
    union all
    select _row, 11, 'date_too_early', 'allocated_date', allocated_date::varchar, status, 'allocated'
    from c where rank < 1 and allocated_date is not null
    union all
    select _row, 12, 'future', 'allocated_date', allocated_date::varchar, null, null
    from c where allocated_date > $as_of
    union all
    select _row, 13, 'date_order', 'allocated_date', allocated_date::varchar, 'reported_date',
        reported_date::varchar
    from c where allocated_date < reported_date
    -- started_date (from in_assessment on)
    union all
    select _row, 14, 'date_missing', 'started_date', '', status, 'in_assessment'
    from c where rank >= 2 and started_date is null
    union all
    select _row, 15, 'date_too_early', 'started_date', started_date::varchar, status,
        'in_assessment'
    from c where rank < 2 and started_date is not null
    union all
    select _row, 16, 'future', 'started_date', started_date::varchar, null, null
    from c where started_date > $as_of
    union all
    select _row, 17, 'date_order', 'started_date', started_date::varchar, before_started_name,
        before_started::varchar
    from c where started_date < before_started
    -- completed_date (from awaiting_qa on)
    union all
    select _row, 18, 'date_missing', 'completed_date', '', status, 'awaiting_qa'
    from c where rank >= 3 and completed_date is null
    union all
    select _row, 19, 'date_too_early', 'completed_date', completed_date::varchar, status,
        'awaiting_qa'
    from c where rank < 3 and completed_date is not null
    union all
    select _row, 20, 'future', 'completed_date', completed_date::varchar, null, null
    from c where completed_date > $as_of
    union all
    select _row, 21, 'date_order', 'completed_date', completed_date::varchar,
        before_completed_name, before_completed::varchar
    from c where completed_date < before_completed
    -- qa_date (when assessed)
    union all
    select _row, 22, 'date_missing', 'qa_date', '', status, 'assessed'
    from c where rank >= 4 and qa_date is null
    union all
    select _row, 23, 'date_too_early', 'qa_date', qa_date::varchar, status, 'assessed'
    from c where rank < 4 and qa_date is not null
    union all
    select _row, 24, 'future', 'qa_date', qa_date::varchar, null, null
    from c where qa_date > $as_of
    union all
    select _row, 25, 'date_order', 'qa_date', qa_date::varchar, before_qa_name,
        before_qa::varchar
    from c where qa_date < before_qa
    -- outcome (from awaiting_qa on)
    union all
    select _row, 26, 'outcome_missing', 'outcome', '', status, null
    from c where rank >= 3 and outcome is null
    union all
    select _row, 27, 'outcome_too_early', 'outcome', outcome, status, null
    from c where rank < 3 and outcome is not null
)
order by _row, seq
limit $room;
