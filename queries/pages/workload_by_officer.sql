-- purpose: per-officer workload: open caseload, recent completions, hours, availability net of abstractions, and flags
-- grain: one row per officer in post on any working day of the last $window_weeks weeks, or holding or recently completing cases
-- params: $as_of date, $window_weeks int, $idle_weeks int, $overload int
-- access: officer
-- definitions: queries/shared/workload_officer_rows.sql
with
-- include: workload_officer_rows
select
    officer_ref,
    team,
    role,
    fte,
    in_post,
    working_days,
    abstracted_days,
    available_fte,
    open_cases,
    awaiting_qa,
    completed_recent,
    completed_idle,
    last_completed,
    hours_spent,
    overloaded,
    idle
from officer_rows
where working_days > 0 or open_cases > 0 or awaiting_qa > 0 or completed_recent > 0
order by officer_ref;
