with

source as (

    -- the backfill range is applied here, at the raw scan, so a one-day chunk
    -- reads one day (and BigQuery's required partition filter is met)
    select * from {{ source('nba_raw', 'bdl_player_boxscores') }}
    where {{ backfill_range_filter('game_date') }}

),

newest_load as (

    {{ newest_feed_load('source', 'player_full_name') }}

),

parsed as (

    {{ select_with_parsed_minutes('newest_load') }}

),

renamed as (

    select
        ----------  ids
        game_id,
        normalised_player_lookup as player_lookup,
        player_lookup as feed_player_lookup,
        bdl_player_id,

        ----------  game and player
        game_date,
        season_year,
        game_status,
        is_postseason,
        home_team_abbr,
        away_team_abbr,
        home_team_score,
        away_team_score,
        period as last_period,
        greatest(period - 4, 0) as overtime_periods,
        team_abbr,
        player_full_name,

        ----------  minutes
        minutes as minutes_raw,
        minutes_parse_status,
        minutes_seconds,

        ----------  numerics
        points,
        field_goals_made as fg_makes,
        field_goals_attempted as fg_attempts,
        three_pointers_made as three_pt_makes,
        three_pointers_attempted as three_pt_attempts,
        free_throws_made as ft_makes,
        free_throws_attempted as ft_attempts,
        offensive_rebounds,
        defensive_rebounds,
        rebounds as total_rebounds,
        assists,
        steals,
        blocks,
        turnovers,
        personal_fouls,
        -- missing stats arrive as 0, so "no stats" means every count is 0
        (
            coalesce(points, 0) + coalesce(field_goals_attempted, 0)
            + coalesce(free_throws_attempted, 0) + coalesce(rebounds, 0)
            + coalesce(assists, 0) + coalesce(steals, 0) + coalesce(blocks, 0)
            + coalesce(turnovers, 0) + coalesce(personal_fouls, 0)
        ) > 0 as has_recorded_stats,

        ----------  lineage
        source_file_path,
        created_at,
        processed_at

    from parsed

)

select * from renamed
