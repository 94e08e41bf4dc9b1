{#- The row count of the model within bounds.

    The bounds are for a full window (e.g. the volume gate's 2021-10-01 ..
    2024-05-01). With scale_model, they are pro-rated by the share of that
    window's units in scope: bounds x (scale_model rows in scope / scale_full_count).
    With the schedule's summarised games as units, a one-week chunk is held to the
    same rows-per-game as the whole window. One row when the count is outside the
    bounds: rows counted, the scaled bounds, the scale and the band. -#}
{% test row_count_between(
    model, min_rows=none, max_rows=none, row_condition=none,
    scale_model=none, scale_condition=none, scale_full_count=none,
    scale_date_column='game_date', band='warn'
) %}
{{ nba_band_test_config() }}

with

counted as (

    select count(*) as observed_rows
    from {{ model }}
    where {{ nba_row_condition(row_condition) }}

),

scale as (

    {% if scale_model is not none -%}
    select count(*) / {{ scale_full_count }} as scale_factor
    from {{ scale_model }}
    where {{ nba_test_scope(scale_date_column, scale_condition) }}
    {%- else -%}
    select 1.0 as scale_factor
    {%- endif %}

),

bounded as (

    select
        counted.observed_rows,
        scale.scale_factor,
        {{ min_rows if min_rows is not none else 'null' }} * scale.scale_factor
            as min_rows,
        {{ max_rows if max_rows is not none else 'null' }} * scale.scale_factor
            as max_rows
    from counted
    cross join scale

)

select
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
