{#- The columns form the model's primary key: never null, and at most one row per
    combination (in the backfill range, get_where_subquery; per chunk period,
    nba_test_period). One row per broken key: its period, its values, the rows
    that share it, and whether a key column is null. -#}
{% test primary_key(model, columns, date_column='game_date') %}

select
    {{ nba_test_period(date_column) }} as test_period,
    {% for column in columns -%}
        {{ column }},
    {% endfor -%}
    count(*) as rows_with_key,
    case when {% for column in columns -%}
        {{ column }} is null{% if not loop.last %} or {% endif %}
    {%- endfor %} then 'null key' else 'duplicate key' end as problem
from {{ model }}
group by
    test_period,
    {% for column in columns -%}
    {{ column }}{% if not loop.last %}, {% endif %}
{%- endfor %}
having
    count(*) > 1
    {% for column in columns -%}
        or {{ column }} is null
    {% endfor %}

{% endtest %}
