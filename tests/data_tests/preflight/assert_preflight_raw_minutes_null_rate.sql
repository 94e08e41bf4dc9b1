-- Pre-flight gate (docs/domain.md, validation gates): the raw minutes NULL
-- rate over the range, run before anything is written. Under
-- gate_preflight_raw_null_warn (1%) proceed, up to
-- gate_preflight_raw_null_error (5%) warn, above it stop.
-- Gamebook: players listed as active (a dnp's minutes are null by rule). Ball
-- Don't Lie: every row (it sends "00" for a player who did not play). Missing
-- means no minutes at all: null, "", "-" or "DNP" (minutes_not_played, the
-- parser's own rule). It reads the raw tables: the pre-flight runs before
-- staging is built. One row per feed outside the ok band; the failure count
-- is the worst band, so dbt's warn / error severities are the gate's.
{{ config(
    tags=['gate_preflight'],
    fail_calc="coalesce(max(case band when 'error' then 2 when 'warn' then 1 else 0 end), 0)",
    warn_if=">= 1",
    error_if=">= 2",
) }}

{%- set warn_rate = var('gate_preflight_raw_null_warn') -%}
{%- set error_rate = var('gate_preflight_raw_null_error') -%}

with

raw_minutes as (

    select
        'nbac_gamebook' as feed,
        case when {{ minutes_not_played('minutes') }} then 1 else 0 end
            as is_missing
    from {{ source('nba_raw', 'nbac_gamebook_player_stats') }}
    where
        {{ backfill_range_filter('game_date') }}
        and lower(player_status) = 'active'

    union all

    select
        'bdl_boxscores' as feed,
        case when {{ minutes_not_played('minutes') }} then 1 else 0 end
            as is_missing
    from {{ source('nba_raw', 'bdl_player_boxscores') }}
    where {{ backfill_range_filter('game_date') }}

),

feeds as (

    select
        feed,
        count(*) as raw_rows,
        sum(is_missing) as missing_rows,
        sum(is_missing) / count(*) as observed_null_rate
    from raw_minutes
    group by feed

),

banded as (

    select
        feed,
        raw_rows,
        missing_rows,
        observed_null_rate,
        case
            when observed_null_rate > {{ error_rate }} then {{ error_rate }}
            when observed_null_rate >= {{ warn_rate }} then {{ warn_rate }}
        end as violated_bound,
        case
            when observed_null_rate > {{ error_rate }} then 'error'
            when observed_null_rate >= {{ warn_rate }} then 'warn'
        end as band
    from feeds

),

no_raw_rows as (

    -- a range without any raw row has nothing to rebuild from
    select
        'both feeds' as feed,
        0 as raw_rows,
        0 as missing_rows,
        cast(null as {{ dbt.type_float() }}) as observed_null_rate,
        cast(null as {{ dbt.type_float() }}) as violated_bound,
        'error' as band
    from (
        select count(*) as feeds_with_rows
        from feeds
    ) as counted
    where feeds_with_rows = 0

)

select * from banded
where band is not null
union all
select * from no_raw_rows
