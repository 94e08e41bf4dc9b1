{#- The row count of the model within bounds.

    The bounds are for a full window (e.g. the volume gate's 2021-10-01 ..
    2024-05-01). With scale_model, they are pro-rated by the share of that
    window's units in scope: bounds x (scale_model rows in scope / scale_full_count).
    With the schedule's summarised games as units, a one-week chunk is held to the
    same rows-per-game as the whole window. Per chunk period (nba_test_period):
    one row per period whose count is outside its bounds: the period, rows
    counted, the scaled bounds, the scale and the band. With a period and no
    scale_model, a period without rows is not judged. -#}
{% test row_count_between(
    model, min_rows=none, max_rows=none, row_condition=none,
    scale_model=none, scale_condition=none, scale_full_count=none,
    scale_date_column='game_date', band='warn', date_column='game_date'
) %}
{{ nba_band_test_config() }}

with

counts as (

    -- the model's rows and the scale's units of each chunk period
    -- (nba_test_period), side by side
    select
        {{ nba_test_period(date_column) }} as test_period,
        count(*) as observed_rows,
        0 as scale_units
    from {{ model }}
    where {{ nba_row_condition(row_condition) }}
    group by 1
    {%- if scale_model is not none %}

    union all

    select
        {{ nba_test_period(scale_date_column) }} as test_period,
        0 as observed_rows,
        count(*) as scale_units
    from {{ scale_model }}
    where {{ nba_test_scope(scale_date_column, scale_condition) }}
    group by 1
    {%- endif %}
    {%- if nba_test_period_unit() is none %}

    union all

    -- one period, the whole scope: judged even when it holds no rows
    select
        cast(null as date) as test_period,
        0 as observed_rows,
        0 as scale_units
    {%- endif %}

),

scaled as (

    select
        test_period,
        sum(observed_rows) as observed_rows,
        {% if scale_model is not none -%}
        sum(scale_units) / {{ scale_full_count }}
        {%- else -%}
        1.0
        {%- endif %} as scale_factor
    from counts
    group by test_period

),

bounded as (

    select
        test_period,
        observed_rows,
        scale_factor,
        {{ min_rows if min_rows is not none else 'null' }} * scale_factor
            as min_rows,
        {{ max_rows if max_rows is not none else 'null' }} * scale_factor
            as max_rows
    from scaled

)

select
    test_period,
    observed_rows,
    min_rows,
    max_rows,
    scale_factor,
    '{{ band }}' as band
from bounded
where
    observed_rows < min_rows
    or observed_rows > max_rows

{% endtest %}
