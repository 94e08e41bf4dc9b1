-- Players kept (game-level-fallback, docs/domain.md: the fallback was used only
-- for games with no gamebook rows at all, so a player missing from the gamebook
-- of a game it did have was lost, about 119 a day). Everyone who played in
-- either feed, in a game the summary covers, has a summary row. Played: active
-- on the gamebook, or more than 0 minutes or any recorded stat in Ball Don't
-- Lie. One row per lost player.

with

games as (

    select
        game_date,
        game_id
    from {{ ref('int_games__schedule_facts') }}
    where
        is_summarised
        and {{ backfill_range_filter('game_date') }}

),

played as (

    select
        'nbac_gamebook' as feed,
        game_date,
        game_id,
        player_lookup
    from {{ ref('int_gamebook_players__lookups_resolved') }}
    where
        {{ backfill_range_filter('game_date') }}
        and player_status = 'active'

    union all

    select
        'bdl_boxscores' as feed,
        game_date,
        game_id,
        player_lookup
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where
        {{ backfill_range_filter('game_date') }}
        and (minutes_seconds > 0 or has_recorded_stats)

),

summary as (

    select
        game_date,
        game_id,
        player_lookup
    from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}

)

select
    played.feed,
    played.game_date,
    played.game_id,
    played.player_lookup
from played
inner join games
    on
        played.game_date = games.game_date
        and played.game_id = games.game_id
left join summary
    on
        played.game_date = summary.game_date
        and played.game_id = summary.game_id
        and played.player_lookup = summary.player_lookup
where summary.player_lookup is null
