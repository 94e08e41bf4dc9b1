-- No corrupt or missing minutes in either feed: a value the parser cannot read,
-- or reads as negative, over gate_minutes_max or with seconds over 60, is
-- flagged in staging and never turned into a number (mmss-coercion,
-- docs/domain.md, turned "45:58" into NaN without a word). A player the
-- gamebook marks active with a did-not-play value ("", "-", "DNP", null) is
-- flagged too, even when Ball Don't Lie has minutes for him. One row per
-- value, naming the feed, game, player and raw value (minutes_parse_status is
-- the classification).

with

gamebook as (

    select
        'nbac_gamebook' as feed,
        game_date,
        game_id,
        player_lookup,
        player_name,
        player_status,
        minutes_raw,
        minutes_parse_status
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where
        {{ backfill_range_filter('game_date') }}
        and minutes_parse_status in ('corrupt', 'missing')

),

boxscores as (

    select
        'bdl_boxscores' as feed,
        game_date,
        game_id,
        player_lookup,
        player_full_name as player_name,
        cast(null as {{ dbt.type_string() }}) as player_status,
        minutes_raw,
        minutes_parse_status
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where
        {{ backfill_range_filter('game_date') }}
        and minutes_parse_status in ('corrupt', 'missing')

)

select * from gamebook
union all
select * from boxscores
