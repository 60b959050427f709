-- officer_rows: one row per officer of the assessment workstream, with the workload definitions that workload_by_officer and
-- workload_by_team share (each pulls this in with `-- include: workload_officer_rows`).
-- open = allocated or in_assessment; available_fte = fte * (1 - abstracted working days / working days in post)
-- over the window; idle = in post throughout the last $idle_weeks weeks, not abstracted for all of it,
-- and no assessment completed in it; overloaded = open cases > $overload
bounds as (
    select
        ($as_of - to_days(7 * $window_weeks - 1))::date as window_start,
        ($as_of - to_days(7 * $idle_weeks - 1))::date as idle_start
),
weekdays as (
    select d::date as day
    from generate_series(
        ($as_of - to_days(7 * greatest($window_weeks, $idle_weeks) - 1))::date,
        $as_of::date,
        interval 1 day
    ) as t(d)
    where isodow(d) <= 5
),
officer_days as (
    -- each working day (Monday to Friday) an officer was in post, and whether any abstraction covered it
    select
        o.officer_ref,
        w.day,
        bool_or(a.officer_ref is not null) as abstracted
    from officers as o
    inner join weekdays as w
        on w.day >= o.start_date and (o.end_date is null or w.day <= o.end_date)
    left join abstractions as a
        on a.officer_ref = o.officer_ref and w.day between a.from_date and a.to_date
    group by o.officer_ref, w.day
),
presence as (
    select
        d.officer_ref,
        count(*) filter (where d.day >= b.window_start) as working_days,
        count(*) filter (where d.day >= b.window_start and d.abstracted) as abstracted_days,
        count(*) filter (where d.day >= b.idle_start) as idle_working_days,
        count(*) filter (where d.day >= b.idle_start and d.abstracted) as idle_abstracted_days
    from officer_days as d
    cross join bounds as b
    group by d.officer_ref
),
caseload as (
    select
        c.officer_ref,
        count(*) filter (where c.status in ('allocated', 'in_assessment')) as open_cases,
        count(*) filter (where c.status = 'awaiting_qa') as awaiting_qa,
        count(*) filter (
            where c.completed_date >= b.window_start and c.completed_date <= $as_of
        ) as completed_recent,
        count(*) filter (
            where c.completed_date >= b.idle_start and c.completed_date <= $as_of
        ) as completed_idle,
        max(c.completed_date) as last_completed,
        coalesce(sum(c.hours_spent), 0) as hours_spent
    from cases as c
    cross join bounds as b
    where c.officer_ref is not null
    group by c.officer_ref
),
officer_rows as (
    select
        o.officer_ref,
        o.team,
        o.role,
        o.fte,
        (o.end_date is null or o.end_date >= $as_of) as in_post,
        coalesce(p.working_days, 0) as working_days,
        coalesce(p.abstracted_days, 0) as abstracted_days,
        case
            when p.working_days > 0 then o.fte * (1 - p.abstracted_days / p.working_days)
        end as available_fte,
        coalesce(c.open_cases, 0) as open_cases,
        coalesce(c.awaiting_qa, 0) as awaiting_qa,
        coalesce(c.completed_recent, 0) as completed_recent,
        coalesce(c.completed_idle, 0) as completed_idle,
        c.last_completed,
        coalesce(c.hours_spent, 0) as hours_spent,
        coalesce(c.open_cases, 0) > $overload as overloaded,
        (
            o.start_date <= b.idle_start
            and (o.end_date is null or o.end_date >= $as_of)
            and coalesce(p.idle_abstracted_days, 0) < coalesce(p.idle_working_days, 0)
            and coalesce(c.completed_idle, 0) = 0
        ) as idle
    from officers as o
    cross join bounds as b
    left join presence as p on p.officer_ref = o.officer_ref
    left join caseload as c on c.officer_ref = o.officer_ref
    -- the assessment workstream only: a reinvestigation officer completes no assessments, and
    -- their work is on the Reinvestigation page (contract v2 officers.workstream; empty: assessment)
    where coalesce(o.workstream, 'assessment') = 'assessment'
)
