-- purpose: referrals made so far, by category: assessments referred for reinvestigation or safeguarding, and victims referred for support
-- grain: one row per category with at least one case in scope
-- params: none
-- access: aggregate
-- counts: in_scope, assessed, reinvestigate, safeguarding_referral, victim_support_referred
select
    category,
    count(*) as in_scope,
    count(*) filter (where completed_date is not null) as assessed,
    count(*) filter (where outcome = 'reinvestigate') as reinvestigate,
    count(*) filter (where outcome = 'safeguarding_referral') as safeguarding_referral,
    count(*) filter (where victim_support = 'referred') as victim_support_referred
from cases
group by category
order by category;
