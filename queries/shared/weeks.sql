-- weeks: the last $weeks weeks, each ending on the as-of weekday (the last ends on $as_of), as
-- weekly_flow counts them; every weekly query shares this grid
weeks as (
    select
        ($as_of - to_days(7 * i))::date as week_ending,
        ($as_of - to_days(7 * i + 6))::date as week_starting
    from range(0, $weeks) as t(i)
)
