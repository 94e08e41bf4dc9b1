{#- A column's values lie within [min_value, max_value] on the rows in scope
    (NULLs are left to the null tests). One row per value outside: its chunk
    period (nba_test_period), the row key, the value and the bound it broke. -#}
{% test column_values_between(
    model, column_name, min_value=none, max_value=none, row_condition=none,
    key_columns=['game_id', 'player_lookup'], date_column='game_date'
) %}

select
    {{ nba_test_period(date_column) }} as test_period,
    {% for column in key_columns -%}
        {{ column }},
    {% endfor -%}
    '{{ column_name }}' as column_name,
    {{ column_name }} as observed_value,
    case
        {%- if min_value is not none %}
        when {{ column_name }} < {{ min_value }} then {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        when {{ column_name }} > {{ max_value }} then {{ max_value }}
        {%- endif %}
    end as violated_bound
from {{ model }}
where
    {{ nba_row_condition(row_condition) }}
    and (
        1 = 0
        {%- if min_value is not none %}
        or {{ column_name }} < {{ min_value }}
        {%- endif %}
        {%- if max_value is not none %}
        or {{ column_name }} > {{ max_value }}
        {%- endif %}
    )

{% endtest %}
