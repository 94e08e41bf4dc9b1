-- Volume per season and season type: summary rows, rows of players who played,
-- final games and rows per game, with the volume gate's rows per game (120,000-
-- 150,000 rows over gate_volume_games games) beside them. The original plan
-- expected 120-150K rows of a processor that wrote active players only (about
-- 84K): this is the query that shows which kind of rows a range holds.

with

summary as (

    select
        season_year,
        season_type,
        count(*) as summary_rows,
        sum(case when is_active then 1 else 0 end) as played_rows,
        count(distinct game_id) as games
    from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}
    group by season_year, season_type

)

select
    season_year,
    season_type,
    summary_rows,
    played_rows,
    games,
    summary_rows / games as rows_per_game,
    {{ var('gate_volume_min') }} / {{ var('gate_volume_games') }}
        as min_rows_per_game,
    {{ var('gate_volume_max') }} / {{ var('gate_volume_games') }}
        as max_rows_per_game
from summary
order by season_year, season_type
