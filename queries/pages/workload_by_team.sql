-- purpose: team-level workload: officers and FTE in post, availability net of abstractions, open caseload, recent completions, hours, and how many officers are flagged
-- grain: one row per team
-- params: $as_of date, $window_weeks int, $idle_weeks int, $overload int
-- access: team
-- the definitions of queries/shared/workload_officer_rows.sql, summed per team (case counts over
-- every officer of the team; officers, FTE and availability over those in post on the as-of date)
with
-- include: workload_officer_rows
select
    team,
    count(*) filter (where in_post) as officers_in_post,
    coalesce(sum(fte) filter (where in_post), 0) as fte_in_post,
    coalesce(sum(available_fte) filter (where in_post), 0) as available_fte,
    sum(open_cases)::bigint as open_cases,
    sum(open_cases) / nullif(count(*) filter (where in_post), 0) as open_per_officer,
    sum(awaiting_qa)::bigint as awaiting_qa,
    sum(completed_recent)::bigint as completed_recent,
    sum(hours_spent) as hours_spent,
    count(*) filter (where overloaded) as officers_overloaded,
    count(*) filter (where idle) as officers_idle
from officer_rows
group by team
order by team;
