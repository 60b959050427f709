-- filtered: the cases that match the categories page's filter bar (a null parameter is no filter)
filtered as (
    select *
    from cases
    where ($categories is null or list_contains($categories, category))
        and ($bcus is null or list_contains($bcus, bcu))
        and ($priorities is null or list_contains($priorities, priority))
        and ($year_from is null or year(reported_date) >= $year_from)
        and ($year_to is null or year(reported_date) <= $year_to)
)
