-- purpose: reinvestigations awaiting victim contact, and those referred more than $weeks weeks before the as-of date, for the victim-contact alert
-- grain: one row
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: awaiting_contact, waiting_longer
select
    count(*) as awaiting_contact,
    count(*) filter (where referred_date < ($as_of - to_days(7 * $weeks))::date) as waiting_longer,
    min(referred_date) as oldest_referred
from reinvestigations
where stage = 'awaiting_contact';
