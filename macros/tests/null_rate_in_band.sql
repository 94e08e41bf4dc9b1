{#- NULL rate of a column within a band, overall or per group.

    One row per group (and chunk period, nba_test_period) whose NULL rate is
    outside the ok band: the period, the group, the rows
    and NULL rows counted, the observed rate, the bound it broke, its band and,
    with example_key, one NULL row's key. The failure count is the worst band
    (see nba_band_test_config), so a rate in the warn band warns and a rate past
    error_min / error_max fails. With ok_max = error_max and a row condition it
    is a ceiling: "a player who played has minutes" allows at most that rate. -#}
{% test null_rate_in_band(
    model, column_name, ok_min=none, ok_max=none, error_min=none,
    error_max=none, group_by=none, row_condition=none, example_key=none,
    date_column='game_date', max_inclusive=false
) %}
{{ nba_band_test_config() }}

with

scoped as (

    select
        {{ nba_test_period(date_column) }} as test_period,
        {{ nba_test_group_key(group_by, date_column) }} as group_key,
        case when {{ column_name }} is null then 1 else 0 end as is_null,
        case
            when {{ column_name }} is null
                then cast({{ example_key or 'null' }} as {{ dbt.type_string() }})
        end as null_example
    from {{ model }}
    where {{ nba_row_condition(row_condition) }}

),

measured as (

    select
        test_period,
        group_key,
        count(*) as rows_in_group,
        sum(is_null) as null_rows,
        sum(is_null) / count(*) as observed_null_rate,
        min(null_example) as example_null_row
    from scoped
    group by test_period, group_key

),

banded as (

    select
        *,
        {{ nba_band_columns(
            'observed_null_rate', ok_min, ok_max, error_min, error_max,
            max_inclusive
        ) }}
    from measured

)

select
    '{{ column_name }}' as column_name,
    test_period,
    group_key,
    rows_in_group,
    null_rows,
    observed_null_rate,
    violated_bound,
    band,
    example_null_row
from banded
where band is not null

{% endtest %}
