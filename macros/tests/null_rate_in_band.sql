{#- NULL rate of a column within a band, overall or per group.

    One row per group whose NULL rate is outside the ok band: the group, the rows
    and NULL rows counted, the observed rate, the bound it broke and its band. The
    failure count is the worst band (see nba_band_test_config), so a rate in the
    warn band warns and a rate past error_min / error_max fails. -#}
{% test null_rate_in_band(
    model, column_name, ok_min=none, ok_max=none, error_min=none,
    error_max=none, group_by=none, row_condition=none, date_column='game_date',
    max_inclusive=false
) %}
{{ nba_band_test_config() }}

with

scoped as (

    select
        {{ nba_test_group_key(group_by, date_column) }} as group_key,
        case when {{ column_name }} is null then 1 else 0 end as is_null
    from {{ model }}
    where {{ nba_test_scope(date_column, row_condition) }}

),

measured as (

    select
        group_key,
        count(*) as rows_in_group,
        sum(is_null) as null_rows,
        sum(is_null) / count(*) as observed_null_rate
    from scoped
    group by group_key

),

banded as (

    select
        *,
        {{ nba_band(
            'observed_null_rate', ok_min, ok_max, error_min, error_max,
            max_inclusive
        ) }} as band,
        {{ nba_band_bound(
            'observed_null_rate', ok_min, ok_max, error_min, error_max,
            max_inclusive
        ) }} as violated_bound
    from measured

)

select
    '{{ column_name }}' as column_name,
    group_key,
    rows_in_group,
    null_rows,
    observed_null_rate,
    violated_bound,
    band
from banded
where band is not null

{% endtest %}
