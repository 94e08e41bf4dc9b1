-- Pre-flight gate (docs/domain.md), run by the backfill runner before any
-- write: the raw minutes NULL rate over the range. Under 1% proceed, 1-5% warn,
-- over 5% stop. Gamebook: players listed as active (a dnp's minutes are null by
-- rule). Ball Don't Lie: every row (it sends "00" for a player who did not
-- play). "NULL" means no minutes at all: null, "", "-" or "DNP". Compile with
--   dbt compile --select preflight_raw_null_rate
--     --vars '{start_date: .., end_date: ..}'

with

raw_minutes as (

    select
        'nbac_gamebook' as feed,
        case
            when {{ minutes_not_played('minutes') }} then 1 else 0
        end as is_null
    from {{ source('nba_raw', 'nbac_gamebook_player_stats') }}
    where
        {{ backfill_range_filter('game_date') }}
        and lower(player_status) = 'active'

    union all

    select
        'bdl_boxscores' as feed,
        case
            when {{ minutes_not_played('minutes') }} then 1 else 0
        end as is_null
    from {{ source('nba_raw', 'bdl_player_boxscores') }}
    where {{ backfill_range_filter('game_date') }}

),

rates as (

    select
        feed,
        count(*) as raw_rows,
        sum(is_null) as null_rows,
        sum(is_null) / count(*) as null_rate
    from raw_minutes
    group by feed

)

select
    feed,
    raw_rows,
    null_rows,
    null_rate,
    case
        when null_rate > {{ var('gate_preflight_raw_null_error') }} then 'stop'
        when null_rate >= {{ var('gate_preflight_raw_null_warn') }} then 'warn'
        else 'proceed'
    end as decision
from rates
order by feed
