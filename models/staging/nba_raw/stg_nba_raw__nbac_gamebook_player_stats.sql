with

source as (

    -- the backfill range is applied here, at the raw scan, so a one-day chunk
    -- reads one day (and BigQuery's required partition filter is met)
    select * from {{ source('nba_raw', 'nbac_gamebook_player_stats') }}
    where {{ backfill_range_filter('game_date') }}

),

newest_load as (

    {{ newest_feed_load('source', 'player_name') }}

),

-- a player the gamebook marks active must have minutes: a did-not-play value
-- there is 'missing', and fails assert_no_corrupt_minutes
parsed as (

    {{ select_with_parsed_minutes(
        'newest_load', played_condition="lower(trim(player_status)) = 'active'"
    ) }}

),

renamed as (

    select
        ----------  ids
        game_id,
        normalised_player_lookup as player_lookup,
        player_lookup as feed_player_lookup,

        ----------  game and player
        game_code,
        game_date,
        season_year,
        home_team_abbr,
        away_team_abbr,
        team_abbr,
        player_name,
        player_name_original,
        strpos(trim(player_name), ' ') = 0 as is_last_name_only,
        lower(player_status) as player_status,
        dnp_reason,

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
        total_rebounds,
        assists,
        steals,
        blocks,
        turnovers,
        personal_fouls,
        plus_minus,

        ----------  lineage
        source_file_path,
        processed_at

    from parsed

)

select * from renamed
