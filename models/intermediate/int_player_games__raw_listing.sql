{{ config(materialized='ephemeral') }}

-- What the raw feeds list for the summarised games, newest load of each: one
-- row per (game, player) that either feed lists, with each feed's points and
-- minutes and whether the feeds say he did not play. The raw-derived checks
-- compare the summary with it; always ephemeral, so it compiles into them with
-- their range and is never a table to keep up to date.

with

summarised_games as (

    select * from {{ ref('int_games__schedule_facts') }}
    where is_summarised

),

gamebook as (

    select * from {{ ref('int_gamebook_players__lookups_resolved') }}

),

boxscores as (

    select * from {{ ref('stg_nba_raw__bdl_player_boxscores') }}

),

listed as (

    select
        coalesce(gamebook.game_date, boxscores.game_date) as game_date,
        coalesce(gamebook.game_id, boxscores.game_id) as game_id,
        coalesce(gamebook.player_lookup, boxscores.player_lookup)
            as player_lookup,
        gamebook.player_lookup is not null as is_listed_by_gamebook,
        boxscores.player_lookup is not null as is_listed_by_boxscores,
        -- status comes from the gamebook; the fallback's rule otherwise
        case
            when gamebook.player_lookup is not null
                then gamebook.player_status != 'active'
            else {{ fallback_did_not_play(
                'boxscores.minutes_seconds', 'boxscores.has_recorded_stats'
            ) }}
        end as did_not_play,
        gamebook.points as gamebook_points,
        gamebook.minutes_seconds as gamebook_minutes_seconds,
        boxscores.points as boxscore_points,
        boxscores.minutes_seconds as boxscore_minutes_seconds
    from gamebook
    full outer join boxscores
        on
            gamebook.game_date = boxscores.game_date
            and gamebook.game_id = boxscores.game_id
            and gamebook.player_lookup = boxscores.player_lookup

),

in_summarised_games as (

    select listed.*
    from listed
    inner join summarised_games
        on
            listed.game_date = summarised_games.game_date
            and listed.game_id = summarised_games.game_id

)

select * from in_summarised_games
