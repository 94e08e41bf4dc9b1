-- minutes_played NULL rate by month, the query that found the incident (99.5%
-- NULL over 2021-10-01..2024-05-01). The overall rate (about 40%: dnp and
-- inactive rows are null by rule) sits beside the played rate (active rows,
-- which must be about 0). The months gate is the pgs_minutes_null_by_month
-- test's alone.

select
    cast({{ month_start('game_date') }} as date) as month_start,
    count(*) as summary_rows,
    sum(case when minutes_played is null then 1 else 0 end) / count(*)
        as null_rate,
    sum(case when is_active and minutes_played is null then 1 else 0 end)
    / nullif(sum(case when is_active then 1 else 0 end), 0) as played_null_rate
from {{ ref('player_game_summary') }}
where {{ backfill_range_filter('game_date') }}
group by month_start
order by month_start
