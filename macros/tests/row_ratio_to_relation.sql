{#- Rows of the model per row of a compared relation (coverage against a raw
    feed), overall or per group, within a band.

    group_by applies to both relations ('month', 'season', none or an expression
    valid on both). A group the model lacks has ratio 0; a group the compared
    relation lacks has no ratio and is not judged. compare_in_model,
    compare_in_column and compare_in_condition keep only the compared rows whose
    compare_key_column is in another relation (e.g. the games the summary
    covers). Groups with fewer
    than min_compared_rows compared rows are not judged. One row per group
    outside the ok band with both counts, the ratio, the bound it broke and its band. -#}
{% test row_ratio_to_relation(
    model, compare_model, ok_min=none, ok_max=none, error_min=none,
    error_max=none, row_condition=none, compare_condition=none, group_by=none,
    date_column='game_date', compare_date_column='game_date',
    compare_in_model=none, compare_in_column='game_id',
    compare_in_condition=none, compare_key_column='game_id', min_compared_rows=1
) %}
{{ nba_band_test_config() }}

with

model_counts as (

    select
        {{ nba_test_group_key(group_by, date_column) }} as group_key,
        count(*) as model_rows
    from {{ model }}
    where {{ nba_row_condition(row_condition) }}
    group by 1

),

compare_counts as (

    select
        {{ nba_test_group_key(group_by, compare_date_column) }} as group_key,
        count(*) as compared_rows
    from {{ compare_model }}
    where {{ nba_test_scope(compare_date_column, compare_condition) }}
        {%- if compare_in_model is not none %}
        and {{ compare_key_column }} in (
            select {{ compare_in_column }} from {{ compare_in_model }}
            where {{ nba_row_condition(compare_in_condition) }}
        )
        {%- endif %}
    group by 1

),

measured as (

    select
        compare_counts.group_key,
        coalesce(model_counts.model_rows, 0) as model_rows,
        compare_counts.compared_rows,
        coalesce(model_counts.model_rows, 0)
        / compare_counts.compared_rows as observed_ratio
    from compare_counts
    left join model_counts
        on compare_counts.group_key = model_counts.group_key
    -- a group too small to judge (min_compared_rows) is left out
    where compare_counts.compared_rows >= {{ min_compared_rows }}

),

banded as (

    select
        *,
        {{ nba_band_columns('observed_ratio', ok_min, ok_max, error_min, error_max) }}
    from measured

)

select
    group_key,
    model_rows,
    compared_rows,
    observed_ratio,
    violated_bound,
    band
from banded
where band is not null

{% endtest %}
