-- purpose: officers holding more open cases (allocated or in assessment) than $overload, per team, for the overloaded-officer alert (the workload page's definition)
-- grain: one row per team with at least one overloaded officer, the most overloaded first
-- params: $overload int
-- access: team
-- counts: officers_overloaded
with open_cases as (
    select
        officer_ref,
        count(*) as open_cases
    from cases
    where status in ('allocated', 'in_assessment') and officer_ref is not null
    group by officer_ref
)
select
    o.team,
    count(*) as officers_overloaded,
    max(oc.open_cases) as most_open_cases
from open_cases as oc
inner join officers as o on o.officer_ref = oc.officer_ref
where oc.open_cases > $overload
group by o.team
order by most_open_cases desc, o.team;
