{#- Replacing exactly the backfill range.

    The range is read from the vars when the model runs, never from model config:
    config is frozen at parse time, so a runner that parses once and invokes dbt per
    chunk would otherwise replace the first chunk's range every time. The replaced
    column is the model's partition_by field.

    DuckDB: a custom incremental strategy, delete then insert inside the model's
    transaction. BigQuery: its merge strategy, rendered as one MERGE that deletes the
    range and inserts the new rows atomically, with no scripting. A model opts in
    with meta.replace_range_column, the date column the range applies to. -#}

{% macro backfill_incremental_strategy() %}
    {{- return(adapter.dispatch('backfill_incremental_strategy', 'nba_backfill')()) -}}
{% endmacro %}

{#- The runner's day chunks without per-chunk tests (var backfill_batch_size: day)
    use dbt's microbatch: one invocation builds every day as its own delete and
    insert, and dbt's per-invocation cost is paid once instead of once a day. Each
    batch reads its day from the staged work tables through their event_time. -#}
{% macro default__backfill_incremental_strategy() %}
    {%- if var('backfill_batch_size', none) == 'day' -%}
        {{- return('microbatch') -}}
    {%- endif -%}
    {{- return('replace_range') -}}
{% endmacro %}

{% macro bigquery__backfill_incremental_strategy() %}
    {{- return('merge') -}}
{% endmacro %}


{% macro replace_range_predicate(alias=none) %}
    {%- set range_column = replace_range_column() -%}
    {%- if not range_column -%}
        {{ exceptions.raise_compiler_error(
            "model " ~ model.name ~ " replaces a range but sets no "
            ~ "meta.replace_range_column"
        ) }}
    {%- endif -%}
    {%- set column = (alias ~ '.' if alias else '') ~ range_column -%}
    {{- return(backfill_range_filter(column, ignore_full_refresh=true)) -}}
{% endmacro %}


{% macro replace_range_column() %}
    {{- return((config.get('meta') or {}).get('replace_range_column')) -}}
{% endmacro %}


{% macro get_incremental_replace_range_sql(arg_dict) %}
    {%- set target = arg_dict['target_relation'] -%}
    {%- set columns_csv = get_quoted_csv(
        arg_dict['dest_columns'] | map(attribute='name')
    ) -%}
    delete from {{ target }}
    where {{ replace_range_predicate() }};

    insert into {{ target }} ({{ columns_csv }})
    select {{ columns_csv }}
    from {{ arg_dict['temp_relation'] }}
{% endmacro %}


{#- Overrides dbt-bigquery's merge for the models that opt in with
    meta.replace_range_column; any other merge model keeps dbt's own SQL. -#}
{% macro bigquery__get_merge_sql(
    target, source, unique_key, dest_columns, incremental_predicates=none
) %}
    {%- if replace_range_column() -%}
        {{ get_insert_overwrite_merge_sql(
            target, source, dest_columns,
            [replace_range_predicate('DBT_INTERNAL_DEST')]
        ) }}
    {%- else -%}
        {{ dbt.default__get_merge_sql(
            target, source, unique_key, dest_columns, incremental_predicates
        ) }}
    {%- endif -%}
{% endmacro %}
