-- completed_by_group: completions in each week of `weeks` for each group, zero weeks included;
-- the query defines groups (grp: every group to show) and completions (grp, completed_date)
completed_by_group as (
    select
        g.grp,
        w.week_starting,
        w.week_ending,
        count(d.completed_date) as completed
    from weeks as w
    cross join groups as g
    left join completions as d
        on d.grp = g.grp and d.completed_date between w.week_starting and w.week_ending
    group by g.grp, w.week_starting, w.week_ending
)
