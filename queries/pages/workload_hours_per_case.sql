-- purpose: recorded hours of assessment effort on the cases completed in the last $weeks weeks, for the hours-per-case demand assumption
-- grain: one row
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: completed, completed_with_hours
select
    count(*) as completed,
    count(hours_spent) as completed_with_hours,
    coalesce(sum(hours_spent), 0) as hours
from cases
where completed_date > ($as_of - to_days(7 * $weeks))::date
    and completed_date <= $as_of;
