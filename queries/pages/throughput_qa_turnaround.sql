-- purpose: days from completed assessment to QA sign-off (median and 85th percentile) for sign-offs in the last $weeks weeks
-- grain: one row
-- params: $as_of date, $weeks int
-- access: aggregate
-- counts: signed_off
select
    count(*) as signed_off,
    quantile_cont(date_diff('day', completed_date, qa_date), 0.5) as p50_days,
    quantile_cont(date_diff('day', completed_date, qa_date), 0.85) as p85_days
from cases
where qa_date > ($as_of - to_days(7 * $weeks))::date
    and qa_date <= $as_of;
