-- weekdays: Monday to Friday of the last $weeks weeks (to $as_of), the working days in post
weekdays as (
    select d::date as day
    from generate_series(($as_of - to_days(7 * $weeks - 1))::date, $as_of::date, interval 1 day) as t(d)
    where isodow(d) <= 5
)
