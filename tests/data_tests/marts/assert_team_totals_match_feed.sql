-- Team totals from raw: the points and minutes of each team-game in the
-- summary reconcile with the feed each row came from (primary_source_used):
-- the feed's points of those players, and its minutes, where a gamebook row
-- without minutes took the fallback's. Minutes are stored to 0.1, so each row
-- may differ by 0.05. The expected sums come from the raw rows of the same
-- range (each player once), so this holds for any range or feed. A duplicated
-- row, a stat from an older load or a lost minute breaks it (mmss-coercion,
-- integer-rounding, game-level-fallback).
-- One row per team-game and feed with both sums.

with

listed as (

    select * from {{ ref('int_player_games__raw_listing') }}
    where {{ backfill_range_filter('game_date') }}

),

summary as (

    select
        game_date,
        game_id,
        team_abbr,
        player_lookup,
        primary_source_used,
        points,
        minutes_played
    from {{ ref('player_game_summary') }}
    where
        {{ backfill_range_filter('game_date') }}
        and is_active

),

summary_players as (

    -- each player once: the feed's side counts a duplicated row once
    select distinct
        game_date,
        game_id,
        team_abbr,
        player_lookup,
        primary_source_used
    from summary

),

feed_values as (

    select
        summary_players.game_date,
        summary_players.game_id,
        summary_players.team_abbr,
        summary_players.primary_source_used,
        case
            when summary_players.primary_source_used = 'bdl_boxscores'
                then listed.boxscore_points
            else listed.gamebook_points
        end as feed_points,
        case
            when summary_players.primary_source_used = 'bdl_boxscores'
                then listed.boxscore_minutes_seconds
            else
                coalesce(
                    listed.gamebook_minutes_seconds,
                    listed.boxscore_minutes_seconds
                )
        end / 60.0 as feed_minutes
    from summary_players
    left join listed
        on
            summary_players.game_date = listed.game_date
            and summary_players.game_id = listed.game_id
            and summary_players.player_lookup = listed.player_lookup

),

feed_totals as (

    select
        game_date,
        game_id,
        team_abbr,
        primary_source_used,
        coalesce(sum(feed_points), 0) as feed_points,
        coalesce(sum(feed_minutes), 0) as feed_minutes
    from feed_values
    group by game_date, game_id, team_abbr, primary_source_used

),

summary_totals as (

    select
        game_date,
        game_id,
        team_abbr,
        primary_source_used,
        count(*) as rows_counted,
        coalesce(sum(points), 0) as summary_points,
        coalesce(sum(minutes_played), 0) as summary_minutes
    from summary
    group by game_date, game_id, team_abbr, primary_source_used

),

compared as (

    select
        summary_totals.*,
        feed_totals.feed_points,
        feed_totals.feed_minutes
    from summary_totals
    inner join feed_totals
        on
            summary_totals.game_date = feed_totals.game_date
            and summary_totals.game_id = feed_totals.game_id
            and summary_totals.team_abbr = feed_totals.team_abbr
            and summary_totals.primary_source_used
            = feed_totals.primary_source_used

)

select
    game_date,
    game_id,
    team_abbr,
    primary_source_used,
    rows_counted,
    summary_points,
    feed_points,
    round(summary_minutes, 1) as summary_minutes,
    round(feed_minutes, 1) as feed_minutes
from compared
where
    summary_points != feed_points
    or abs(summary_minutes - feed_minutes) > 0.05 * rows_counted + 0.001
