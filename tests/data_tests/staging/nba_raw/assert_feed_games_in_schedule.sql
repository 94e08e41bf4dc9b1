-- The feeds' games are on the schedule: every game_id a feed sends for a date
-- is the canonical id of a scheduled game on that date (a postponed game is on
-- its make-up date). An id in the wrong orientation (game-id-orientation,
-- docs/domain.md) or a game the schedule lacks would silently drop out of the
-- summary's inner join. One row per game.

with

feed_games as (

    select distinct
        'nbac_gamebook' as feed,
        game_date,
        game_id
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ backfill_range_filter('game_date') }}

    union all

    select distinct
        'bdl_boxscores' as feed,
        game_date,
        game_id
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where {{ backfill_range_filter('game_date') }}

),

schedule as (

    select
        game_date,
        game_id
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ backfill_range_filter('game_date') }}

)

select
    feed_games.feed,
    feed_games.game_date,
    feed_games.game_id
from feed_games
left join schedule
    on
        feed_games.game_date = schedule.game_date
        and feed_games.game_id = schedule.game_id
where schedule.game_id is null
