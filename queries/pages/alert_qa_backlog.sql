-- purpose: cases awaiting QA sign-off in each team (a case counts for the team of the officer it is allocated to), for the QA backlog alert
-- grain: one row per team with at least one case awaiting QA, the longest queue first
-- params: none
-- access: team
-- counts: awaiting_qa
select
    o.team,
    count(*) as awaiting_qa
from cases as c
inner join officers as o on o.officer_ref = c.officer_ref
where c.status = 'awaiting_qa'
group by o.team
order by awaiting_qa desc, o.team;
