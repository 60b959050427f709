-- purpose: where the reinvestigation phase stands, for the coupled forecast: assessments completed, referrals made and waiting, open reinvestigations, ISVA take-up, and the effort and months open of those opened
-- grain: one row for the snapshot
-- params: $as_of date
-- access: aggregate
-- counts: assessed, referred, awaiting_referral, open_now, active_now, active_isva_accepted, closed_investigated, closed_with_hours
-- months: days / (365.25 / 12); a reinvestigation still open counts its months to $as_of (the snapshot's as-of date, never the clock)
with referred as (
    select
        r.referred_date,
        r.opened_date,
        r.closed_date,
        r.isva,
        r.hours_spent
    from reinvestigations as r
),

cases_now as (
    select
        count(*) filter (where c.completed_date is not null) as assessed,
        count(*) filter (
            where c.outcome = 'reinvestigate'
            and c.case_ref not in (select r.case_ref from reinvestigations as r)
        ) as awaiting_referral
    from cases as c
)

select
    cases_now.assessed,
    cases_now.awaiting_referral,
    (select count(*) from referred) as referred,
    (
        select count(*) from referred
        where opened_date is not null and closed_date is null
    ) as open_now,
    (select count(*) from referred where closed_date is null) as active_now,
    (
        select count(*) from referred
        where closed_date is null and isva = 'accepted'
    ) as active_isva_accepted,
    (
        select count(*) from referred
        where opened_date is not null and closed_date is not null
    ) as closed_investigated,
    (
        select count(*) from referred
        where opened_date is not null and closed_date is not null and hours_spent is not null
    ) as closed_with_hours,
    (
        select coalesce(sum(hours_spent), 0) from referred
        where opened_date is not null and closed_date is not null and hours_spent is not null
    ) as closed_hours,
    (
        select coalesce(sum(closed_date - opened_date), 0) / (365.25 / 12) from referred
        where opened_date is not null and closed_date is not null and hours_spent is not null
    ) as closed_months,
    (
        select coalesce(sum(coalesce(closed_date, $as_of) - opened_date), 0) / (365.25 / 12)
        from referred
        where opened_date is not null
    ) as open_months
from cases_now;
