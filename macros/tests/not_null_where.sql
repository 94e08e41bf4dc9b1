{#- A column is not null on the rows that meet a condition (e.g. a player who
    played has minutes), allowing at most max_null_rate of them to be null,
    overall or per group. One row per group over the limit: the group, matching
    rows, NULL rows, the observed rate and the limit, plus one example row key. -#}
{% test not_null_where(
    model, column_name, where_condition, max_null_rate=0, group_by=none,
    example_key='game_id', date_column='game_date'
) %}

with

scoped as (

    select
        {{ nba_test_group_key(group_by, date_column) }} as group_key,
        case when {{ column_name }} is null then 1 else 0 end as is_null,
        case
            when {{ column_name }} is null
                then cast({{ example_key }} as {{ dbt.type_string() }})
        end as null_example
    from {{ model }}
    where {{ nba_test_scope(date_column, where_condition) }}

),

measured as (

    select
        group_key,
        count(*) as matching_rows,
        sum(is_null) as null_rows,
        sum(is_null) / count(*) as observed_null_rate,
        min(null_example) as example_null_row
    from scoped
    group by group_key

)

select
    '{{ column_name }}' as column_name,
    group_key,
    matching_rows,
    null_rows,
    observed_null_rate,
    {{ max_null_rate }} as max_null_rate,
    example_null_row
from measured
where observed_null_rate > {{ max_null_rate }}

{% endtest %}
