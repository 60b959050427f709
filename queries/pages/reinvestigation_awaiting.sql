-- purpose: reinvestigations still awaiting victim contact more than $weeks weeks after referral, longest waiting first; fields only, no free text
-- grain: one row per reinvestigation
-- params: $as_of date, $weeks int
-- access: case
select
    r.investigation_ref,
    r.case_ref,
    r.referred_date,
    date_diff('day', r.referred_date, $as_of) as days_waiting,
    r.victim_consent,
    r.isva,
    c.category,
    c.priority,
    c.bcu
from reinvestigations as r
inner join cases as c on c.case_ref = r.case_ref
where r.stage = 'awaiting_contact'
    and r.referred_date < ($as_of - to_days(7 * $weeks))::date
order by days_waiting desc, r.investigation_ref;
