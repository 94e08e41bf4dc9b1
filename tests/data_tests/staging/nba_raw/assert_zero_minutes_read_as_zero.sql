-- Zero is not missing (zero-as-missing, docs/domain.md): a raw value that
-- spells zero minutes ("00", "0", "0:00", "00:00") is parsed to 0 seconds,
-- never to null. One row per value that was not, naming the feed, game,
-- player and raw value.

with

minute_values as (

    select
        'nbac_gamebook' as feed,
        game_date,
        game_id,
        player_lookup,
        minutes_raw,
        minutes_seconds
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ backfill_range_filter('game_date') }}

    union all

    select
        'bdl_boxscores' as feed,
        game_date,
        game_id,
        player_lookup,
        minutes_raw,
        minutes_seconds
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where {{ backfill_range_filter('game_date') }}

)

select *
from minute_values
where
    trim(minutes_raw) in ('0', '00', '0:00', '00:00')
    and (minutes_seconds is null or minutes_seconds != 0)
