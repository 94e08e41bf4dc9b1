{#- A column holds only the accepted values on the rows in scope (NULL allowed
    unless allow_null is false). One row per unexpected value: the value and the
    rows that carry it. -#}
{% test accepted_values_in_range(
    model, column_name, values, allow_null=true, row_condition=none,
    date_column='game_date'
) %}

select
    '{{ column_name }}' as column_name,
    cast({{ column_name }} as {{ dbt.type_string() }}) as unexpected_value,
    count(*) as rows_with_value
from {{ model }}
where
    {{ nba_test_scope(date_column, row_condition) }}
    and (
        {{ column_name }} not in (
            {%- for value in values -%}
                {%- if value is string -%}'{{ value }}'{%- else -%}{{ value }}{%- endif -%}
                {%- if not loop.last %}, {% endif -%}
            {%- endfor -%}
        )
        {%- if not allow_null %}
        or {{ column_name }} is null
        {%- endif %}
    )
group by {{ column_name }}

{% endtest %}
