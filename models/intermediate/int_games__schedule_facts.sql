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

summarised_games as (

    -- the summary covers final regular-season, play-in and playoff games;
    -- preseason, All-Star and postponed (not final) rows are left out
    select * from schedule
    where
        is_final
        and season_type in ('regular', 'play_in', 'playoffs')

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
        summarised_games.game_id,
        summarised_games.game_date,
        summarised_games.nba_game_id,
        summarised_games.season_year,
        summarised_games.season_type,
        summarised_games.home_team_abbr,
        summarised_games.away_team_abbr,
        summarised_games.home_team_score,
        summarised_games.away_team_score,
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
    from summarised_games
    left join boxscore_overtimes
        on
            summarised_games.game_date = boxscore_overtimes.game_date
            and summarised_games.game_id = boxscore_overtimes.game_id
    left join gamebook_overtimes
        on
            summarised_games.game_date = gamebook_overtimes.game_date
            and summarised_games.game_id = gamebook_overtimes.game_id

)

select * from game_facts
