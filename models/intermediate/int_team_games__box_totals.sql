with

player_games as (

    select * from {{ ref('int_player_games__merged') }}

),

team_totals as (

    -- team totals come from the same player rows the summary holds, so
    -- usage_rate and the team-minutes gate see one consistent box score
    select
        game_date,
        game_id,
        team_abbr,
        count(*) as players_listed,
        sum(case when is_active then 1 else 0 end) as players_active,
        sum(minutes_seconds) as team_minutes_seconds,
        sum(points) as team_points,
        sum(fg_attempts) as team_fg_attempts,
        sum(ft_attempts) as team_ft_attempts,
        sum(turnovers) as team_turnovers
    from player_games
    group by game_date, game_id, team_abbr

)

select * from team_totals
