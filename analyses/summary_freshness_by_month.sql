-- How fresh each range of the summary is: per month, the newest raw load its
-- rows were built from (processed_at is the source row's load time), and the
-- games a feed has reloaded since: the feed's newest load of the game is newer
-- than the one the summary's rows from that feed hold. A month with reloaded
-- games needs a backfill of its range; 0 means the summary holds the newest raw
-- data of every feed its rows came from.

with

summary_loads as (

    select
        game_date,
        game_id,
        primary_source_used as feed,
        max(processed_at) as summary_load_at
    from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}
    group by game_date, game_id, primary_source_used

),

raw_rows as (

    select
        game_date,
        game_id,
        'nbac_gamebook' as feed,
        processed_at
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    union all
    select
        game_date,
        game_id,
        'bdl_boxscores' as feed,
        processed_at
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }}

),

raw_loads as (

    select
        game_date,
        game_id,
        feed,
        max(processed_at) as raw_load_at
    from raw_rows
    where {{ backfill_range_filter('game_date') }}
    group by game_date, game_id, feed

),

compared as (

    select
        summary_loads.game_date,
        summary_loads.game_id,
        summary_loads.summary_load_at,
        raw_loads.raw_load_at,
        coalesce(raw_loads.raw_load_at > summary_loads.summary_load_at, false)
            as is_reloaded
    from summary_loads
    left join raw_loads
        on
            summary_loads.game_date = raw_loads.game_date
            and summary_loads.game_id = raw_loads.game_id
            and summary_loads.feed = raw_loads.feed

)

select
    cast({{ month_start('game_date') }} as date) as month_start,
    count(distinct game_id) as summarised_games,
    max(summary_load_at) as newest_load_in_summary,
    max(raw_load_at) as newest_raw_load,
    count(distinct case when is_reloaded then game_id end)
        as games_reloaded_since
from compared
group by month_start
order by month_start
