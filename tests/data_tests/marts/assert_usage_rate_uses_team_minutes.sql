-- usage_rate follows the rule of docs/domain.md with the game's real team
-- minutes (usage-rate-48-minutes: first hard-coded to null, then computed with
-- 48 team minutes, wrong for overtime games). Recomputed from the summary's own
-- rows: the team totals from the same players, team minutes 240 + 25 per
-- overtime. One row per player whose usage_rate is off by more than 0.1 (its
-- rounding), or missing.

with

summary as (

    select * from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}

),

games as (

    select
        game_date,
        game_id,
        team_minutes,
        overtime_periods
    from {{ ref('int_games__schedule_facts') }}
    where {{ backfill_range_filter('game_date') }}

),

team_totals as (

    select
        game_date,
        game_id,
        team_abbr,
        sum(fg_attempts) as team_fg_attempts,
        sum(ft_attempts) as team_ft_attempts,
        sum(turnovers) as team_turnovers
    from summary
    group by game_date, game_id, team_abbr

),

expected as (

    select
        summary.game_date,
        summary.game_id,
        summary.player_lookup,
        games.overtime_periods,
        summary.minutes_played,
        summary.usage_rate,
        100.0 * (
            summary.fg_attempts + 0.44 * summary.ft_attempts + summary.turnovers
        ) * (games.team_minutes / 5.0)
        / (
            summary.minutes_played
            * (
                team_totals.team_fg_attempts
                + 0.44 * team_totals.team_ft_attempts
                + team_totals.team_turnovers
            )
        ) as expected_usage_rate
    from summary
    inner join games
        on
            summary.game_date = games.game_date
            and summary.game_id = games.game_id
    inner join team_totals
        on
            summary.game_date = team_totals.game_date
            and summary.game_id = team_totals.game_id
            and summary.team_abbr = team_totals.team_abbr
    where
        summary.is_active
        and summary.minutes_played > 0
        and team_totals.team_fg_attempts + 0.44 * team_totals.team_ft_attempts
        + team_totals.team_turnovers > 0

)

select *
from expected
where
    usage_rate is null
    -- the summary computes from whole seconds, this from minutes rounded
    -- to 0.1: true minutes lie within m +- 0.05, which moves the rate by up
    -- to rate x 0.05 / (m - 0.05); plus 0.1 for the rate's own rounding
    or abs(usage_rate - expected_usage_rate)
    > 0.1 + expected_usage_rate * 0.051 / (minutes_played - 0.05)
