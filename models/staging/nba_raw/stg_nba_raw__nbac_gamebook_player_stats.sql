with

source as (

    select * from {{ source('nba_raw', 'nbac_gamebook_player_stats') }}

),

normalised as (

    select
        *,
        -- one lookup rule for both feeds, so the player-level merge matches
        coalesce(
            nullif({{ player_lookup('player_name') }}, ''), player_lookup
        ) as normalised_player_lookup,
        -- one scraped file is one load of a game
        max(processed_at) over (
            partition by game_date, game_id, source_file_path
        ) as load_processed_at
    from source

),

ranked as (

    select
        *,
        -- game_date leads every partition so a date filter reaches the raw scan
        dense_rank() over (
            partition by game_date, game_id
            order by load_processed_at desc, source_file_path desc
        ) as load_rank,
        row_number() over (
            partition by game_date, game_id, normalised_player_lookup
            order by load_processed_at desc, processed_at desc
        ) as player_rank
    from normalised

),

newest_load as (

    -- the newest load of a game replaces older ones whole, dropped players included
    select * from ranked
    where load_rank = 1 and player_rank = 1

),

parsed as (

    select
        *,
        {{ parse_minutes_seconds('minutes') }} as parsed_minutes_seconds
    from newest_load

),

classified as (

    select
        *,
        {{ minutes_parse_status('minutes', 'parsed_minutes_seconds') }}
            as minutes_parse_status
    from parsed

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
        case
            when minutes_parse_status = 'parsed' then parsed_minutes_seconds
        end as minutes_seconds,

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

    from classified

)

select * from renamed
