-- Coverage against raw by month and by season: summary rows of players who
-- played / Ball Don't Lie rows. Two denominators: every raw row over the range
-- (what the plan measured; preseason games and repeated loads inflate it) and
-- the newest load of the games the summary covers (what the coverage tests
-- measure, see the gate_coverage doc block). The verdict is the
-- pgs_coverage_vs_raw tests' alone; this query only shows the figures.

with

summary as (

    select
        cast({{ month_start('game_date') }} as date) as month_start,
        season_year,
        sum(case when is_active then 1 else 0 end) as played_rows
    from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}
    group by month_start, season_year

),

raw_rows as (

    select
        cast({{ month_start('game_date') }} as date) as month_start,
        season_year,
        count(*) as raw_rows
    from {{ source('nba_raw', 'bdl_player_boxscores') }}
    where {{ backfill_range_filter('game_date') }}
    group by month_start, season_year

),

summarised_game_rows as (

    select
        cast({{ month_start('game_date') }} as date) as month_start,
        boxscores.season_year,
        count(*) as summarised_game_rows
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }} as boxscores
    where
        {{ backfill_range_filter('boxscores.game_date') }}
        and boxscores.game_id in (
            select games.game_id
            from {{ ref('int_games__schedule_facts') }} as games
            where games.is_summarised
        )
    group by month_start, boxscores.season_year

),

monthly as (

    select
        raw_rows.month_start,
        raw_rows.season_year,
        coalesce(summary.played_rows, 0) as played_rows,
        raw_rows.raw_rows,
        coalesce(summarised_game_rows.summarised_game_rows, 0)
            as summarised_game_rows
    from raw_rows
    left join summary
        on
            raw_rows.month_start = summary.month_start
            and raw_rows.season_year = summary.season_year
    left join summarised_game_rows
        on
            raw_rows.month_start = summarised_game_rows.month_start
            and raw_rows.season_year = summarised_game_rows.season_year

),

by_month as (

    select
        'month' as grain,
        cast(month_start as {{ dbt.type_string() }}) as period,
        played_rows,
        raw_rows,
        summarised_game_rows
    from monthly

),

by_season as (

    select
        'season' as grain,
        cast(season_year as {{ dbt.type_string() }}) as period,
        sum(played_rows) as played_rows,
        sum(raw_rows) as raw_rows,
        sum(summarised_game_rows) as summarised_game_rows
    from monthly
    group by season_year

),

combined as (

    select * from by_month
    union all
    select * from by_season

)

select
    grain,
    period,
    played_rows,
    raw_rows,
    played_rows / raw_rows as coverage_all_raw_rows,
    summarised_game_rows,
    played_rows / nullif(summarised_game_rows, 0) as coverage_summarised_games
from combined
order by grain, period
