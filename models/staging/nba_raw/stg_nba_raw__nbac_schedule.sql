with

source as (

    -- the backfill range is applied here, at the raw scan, so a one-day chunk
    -- reads one day (and BigQuery's required partition filter is met)
    select * from {{ source('nba_raw', 'nbac_schedule') }}
    where {{ backfill_range_filter('game_date') }}

),

deduplicated as (

    -- a repeated load of the schedule keeps the newest row per game and date; a
    -- postponed game has a row on its original date and one on its make-up date
    select
        *,
        row_number() over (
            partition by game_date, game_id
            order by processed_at desc
        ) as load_rank
    from source

),

renamed as (

    select
        ----------  ids
        game_id as nba_game_id,
        concat(
            {{ date_to_yyyymmdd('game_date') }}, '_',
            away_team_tricode, '_', home_team_tricode
        ) as game_id,
        game_code,

        ----------  game facts
        game_date,
        season_year,
        case substr(game_id, 1, 3)
            when '001' then 'preseason'
            when '002' then 'regular'
            when '003' then 'all_star'
            when '004' then 'playoffs'
            when '005' then 'play_in'
        end as season_type,
        game_status,
        game_status = 3 as is_final,
        home_team_tricode as home_team_abbr,
        away_team_tricode as away_team_abbr,
        home_team_score,
        away_team_score,
        is_regular_season,
        is_playoffs,
        is_all_star,

        ----------  timestamps
        processed_at

    from deduplicated
    where load_rank = 1

)

select * from renamed
