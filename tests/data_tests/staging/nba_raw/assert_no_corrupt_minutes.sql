-- No corrupt minutes in either feed: a value the parser cannot read, or reads
-- as negative, over 70 minutes or with seconds over 60, is flagged in staging
-- and never turned into a number (mmss-coercion, docs/domain.md, turned "45:58"
-- into NaN without a word). One row per corrupt value, naming the feed, game,
-- player and raw value.

with

gamebook as (

    select
        'nbac_gamebook' as feed,
        game_date,
        game_id,
        player_lookup,
        player_status,
        minutes_raw
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where
        {{ backfill_range_filter('game_date') }}
        and minutes_parse_status = 'corrupt'

),

boxscores as (

    select
        'bdl_boxscores' as feed,
        game_date,
        game_id,
        player_lookup,
        cast(null as {{ dbt.type_string() }}) as player_status,
        minutes_raw
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where
        {{ backfill_range_filter('game_date') }}
        and minutes_parse_status = 'corrupt'

)

select * from gamebook
union all
select * from boxscores
