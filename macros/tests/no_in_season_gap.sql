{#- No in-season gap: every month (grain 'month') or date (grain 'day') with
    scheduled games to summarise has rows in the model. A resumed backfill that
    skipped failed days leaves exactly such holes. One row per empty period: the
    period, the games scheduled in it and the rows found (0). -#}
{% test no_in_season_gap(
    model, schedule_model, grain='month', schedule_condition=none,
    date_column='game_date'
) %}

{%- set schedule_period = month_start('game_date') if grain == 'month' else 'game_date' -%}
{%- set model_period = month_start(date_column) if grain == 'month' else date_column -%}

with

scheduled_periods as (

    select
        cast({{ schedule_period }} as date) as period_start,
        count(*) as scheduled_games
    from {{ schedule_model }}
    where {{ nba_test_scope('game_date', schedule_condition) }}
    group by 1

),

model_periods as (

    select
        cast({{ model_period }} as date) as period_start,
        count(*) as rows_found
    from {{ model }}
    group by 1

)

select
    '{{ grain }}' as grain,
    scheduled_periods.period_start,
    scheduled_periods.scheduled_games,
    coalesce(model_periods.rows_found, 0) as rows_found
from scheduled_periods
left join model_periods
    on scheduled_periods.period_start = model_periods.period_start
where model_periods.rows_found is null

{% endtest %}
