-- purpose: time from referral to opening, for the coupled forecast: referrals by days from referral to their opening, to their closure without opening, or (still waiting) to the as-of date, where they are censored
-- grain: one row per days from referral and outcome (opened, closed_unopened, waiting)
-- params: $as_of date
-- access: aggregate
-- counts: reinvestigations
with outcomes as (
    select
        case
            when r.opened_date is not null then 'opened'
            when r.closed_date is not null then 'closed_unopened'
            else 'waiting'
        end as outcome,
        coalesce(r.opened_date, r.closed_date, $as_of) - r.referred_date as days
    from reinvestigations as r
)

select
    o.days,
    o.outcome,
    count(*) as reinvestigations
from outcomes as o
group by o.days, o.outcome
order by o.days, o.outcome;
