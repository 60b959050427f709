-- purpose: cases in assessment too long, and reinvestigations awaiting contact too long
-- grain: one row per stale case or reinvestigation, cases first, in row order
-- params: assessment_since date, contact_since date
select 'cases' as tbl, _row, case_ref as ref, started_date as since
from t_cases
where status = 'in_assessment' and started_date < $assessment_since
union all
select 'reinvestigations', _row, investigation_ref, referred_date
from t_reinvestigations
where stage = 'awaiting_contact' and referred_date < $contact_since
order by tbl, _row;
