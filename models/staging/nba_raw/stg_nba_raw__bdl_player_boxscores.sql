with

source as (

    select * from {{ source('nba_raw', 'bdl_player_boxscores') }}

),

normalised as (

    select
        *,
        -- the feed drops accented letters (nikolajoki); rebuild it from the name
        coalesce(
            nullif({{ player_lookup('player_full_name') }}, ''), player_lookup
        ) as normalised_player_lookup,
        max(processed_at) over (
            partition by game_date, game_id, source_file_path
        ) as load_processed_at
    from source

),

ranked as (

    select
        *,
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

    from classified

)

select * from renamed
