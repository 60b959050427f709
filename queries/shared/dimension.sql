case $dimension
    when 'category' then category
    when 'bcu' then bcu
    when 'borough' then borough
    when 'year' then cast(year(reported_date) as varchar)
    when 'original_outcome' then original_outcome
    when 'priority' then priority
end
