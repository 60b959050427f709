-- purpose: how complete each contract column of cases is, among the cases where the contract expects it
-- grain: one row per column of the cases table (DATA-CONTRACT v1), in contract order
-- params: none
-- access: quality
with staged as (
    select
        *,
        list_position(
            ['awaiting_allocation', 'allocated', 'in_assessment', 'awaiting_qa', 'assessed'], status
        ) as stage
    from cases
),

counted as (
    select
        count(*) as every_case,
        count(*) filter (where stage >= 2) as allocated_on,
        count(*) filter (where stage >= 3) as in_assessment_on,
        count(*) filter (where stage >= 4) as awaiting_qa_on,
        count(*) filter (where stage >= 5) as assessed_on,
        count(nullif(trim(case_ref), '')) as case_ref,
        count(reported_date) as reported_date,
        count(nullif(trim(category), '')) as category,
        count(nullif(trim(bcu), '')) as bcu,
        count(nullif(trim(borough), '')) as borough,
        count(nullif(trim(original_outcome), '')) as original_outcome,
        count(victims) as victims,
        count(suspects) as suspects,
        count(nullif(trim(suspect_ethnicity_recorded), '')) as suspect_ethnicity_recorded,
        count(nullif(trim(priority), '')) as priority,
        count(nullif(trim(status), '')) as status,
        count(nullif(trim(officer_ref), '')) filter (where stage >= 2) as officer_ref,
        count(allocated_date) filter (where stage >= 2) as allocated_date,
        count(started_date) filter (where stage >= 3) as started_date,
        count(completed_date) filter (where stage >= 4) as completed_date,
        count(qa_date) filter (where stage >= 5) as qa_date,
        count(nullif(trim(outcome), '')) filter (where stage >= 4) as outcome,
        count(nullif(trim(victim_support), '')) as victim_support,
        count(hours_spent) filter (where stage >= 3) as hours_spent
    from staged
),

fields as (
    select 1 as position, 'case_ref' as column_name, 'every case' as expected_when, every_case as expected, case_ref as present from counted
    union all select 2, 'reported_date', 'every case', every_case, reported_date from counted
    union all select 3, 'category', 'every case', every_case, category from counted
    union all select 4, 'bcu', 'every case', every_case, bcu from counted
    union all select 5, 'borough', 'every case', every_case, borough from counted
    union all select 6, 'original_outcome', 'every case', every_case, original_outcome from counted
    union all select 7, 'victims', 'every case', every_case, victims from counted
    union all select 8, 'suspects', 'every case', every_case, suspects from counted
    union all select 9, 'suspect_ethnicity_recorded', 'every case', every_case, suspect_ethnicity_recorded from counted
    union all select 10, 'priority', 'every case', every_case, priority from counted
    union all select 11, 'status', 'every case', every_case, status from counted
    union all select 12, 'officer_ref', 'allocated or later', allocated_on, officer_ref from counted
    union all select 13, 'allocated_date', 'allocated or later', allocated_on, allocated_date from counted
    union all select 14, 'started_date', 'in assessment or later', in_assessment_on, started_date from counted
    union all select 15, 'completed_date', 'awaiting QA or later', awaiting_qa_on, completed_date from counted
    union all select 16, 'qa_date', 'assessed (QA signed off)', assessed_on, qa_date from counted
    union all select 17, 'outcome', 'awaiting QA or later', awaiting_qa_on, outcome from counted
    union all select 18, 'victim_support', 'every case', every_case, victim_support from counted
    union all select 19, 'hours_spent', 'in assessment or later', in_assessment_on, hours_spent from counted
)

select
    position,
    column_name,
    expected_when,
    expected,
    present,
    case when expected > 0 then round(100.0 * present / expected, 1) end as pct_present
from fields
order by position;
