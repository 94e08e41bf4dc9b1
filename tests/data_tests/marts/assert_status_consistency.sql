-- Status consistency: dnp and inactive rows have null minutes and null stats,
-- and is_active agrees with player_status. Parsing is separate from status
-- (zero-as-missing, docs/domain.md, let a parsing rule decide who played). One
-- row per inconsistent row, naming the columns that break the rule.

{%- set stats = ['minutes_played'] + box_score_stat_columns() + [
    'ts_pct', 'efg_pct', 'usage_rate'] %}

with

summary as (

    select * from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}

),

checked as (

    select
        game_date,
        game_id,
        player_lookup,
        player_status,
        is_active,
        minutes_played,
        points,
        (
            {% for column in stats -%}
                case when {{ column }} is not null then 1 else 0 end
                {%- if not loop.last %} + {% endif %}
            {% endfor -%}
        ) as non_null_stats
    from summary

)

select
    game_date,
    game_id,
    player_lookup,
    player_status,
    is_active,
    minutes_played,
    points,
    non_null_stats
from checked
where
    (player_status in ('dnp', 'inactive') and non_null_stats > 0)
    or is_active is null
    or is_active != (player_status = 'active')
