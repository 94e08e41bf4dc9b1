with

schedule as (

    select * from {{ ref('stg_nba_raw__nbac_schedule') }}

),

boxscores as (

    select * from {{ ref('stg_nba_raw__bdl_player_boxscores') }}

),

gamebook as (

    select * from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}

),

scheduled_games as (

    select
        *,
        -- the one definition of the games the summary covers: final
        -- regular-season, play-in and playoff games; preseason, All-Star and
        -- postponed (not final) rows are left out
        coalesce(
            is_final and season_type in ('regular', 'play_in', 'playoffs'),
            false
        ) as is_summarised
    from schedule

),

boxscore_overtimes as (

    select
        game_date,
        game_id,
        max(overtime_periods) as overtime_periods
    from boxscores
    group by game_date, game_id

),

gamebook_team_seconds as (

    select
        game_date,
        game_id,
        team_abbr,
        sum(minutes_seconds) as team_minutes_seconds
    from gamebook
    where player_status = 'active'
    group by game_date, game_id, team_abbr

),

gamebook_overtimes as (

    -- a game the fallback lacks: five players share 48 minutes + 5 per overtime
    select
        game_date,
        game_id,
        greatest(
            cast(
                round((max(team_minutes_seconds) / 300 - 48) / 5, 0) as integer
            ),
            0
        ) as overtime_periods
    from gamebook_team_seconds
    group by game_date, game_id

),

game_facts as (

    select
        scheduled_games.game_id,
        scheduled_games.game_date,
        scheduled_games.nba_game_id,
        scheduled_games.season_year,
        scheduled_games.season_type,
        scheduled_games.home_team_abbr,
        scheduled_games.away_team_abbr,
        scheduled_games.home_team_score,
        scheduled_games.away_team_score,
        scheduled_games.is_summarised,
        coalesce(
            boxscore_overtimes.overtime_periods,
            gamebook_overtimes.overtime_periods,
            0
        ) as overtime_periods,
        240 + 25 * coalesce(
            boxscore_overtimes.overtime_periods,
            gamebook_overtimes.overtime_periods,
            0
        ) as team_minutes
    from scheduled_games
    left join boxscore_overtimes
        on
            scheduled_games.game_date = boxscore_overtimes.game_date
            and scheduled_games.game_id = boxscore_overtimes.game_id
    left join gamebook_overtimes
        on
            scheduled_games.game_date = gamebook_overtimes.game_date
            and scheduled_games.game_id = gamebook_overtimes.game_id

)

select * from game_facts
