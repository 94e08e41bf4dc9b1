{#- Replacing exactly the backfill range.

    The range is read from the vars when the model runs, never from model config:
    config is frozen at parse time, so a runner that parses once and invokes dbt per
    chunk would otherwise replace the first chunk's range every time. The replaced
    column is the model's partition_by field.

    DuckDB: a custom incremental strategy, delete then insert inside the model's
    transaction. BigQuery: its merge strategy, rendered as one MERGE that deletes the
    range and inserts the new rows atomically, with no scripting. A model opts in
    with meta.replace_range_column, the date column the range applies to. The
    runner's chunks without per-chunk tests are dbt microbatch batches instead
    (var backfill_batch_size): day batches on DuckDB, day or month batches on
    BigQuery, each batch the same range replacement over its own dates. -#}

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

{#- BigQuery: a query's latency, not dbt's set-up, is the cost of a chunk, so
    month chunks are batches too, and the batches run concurrently where
    dbt-bigquery allows it (they replace disjoint partitions). -#}
{% macro bigquery__backfill_incremental_strategy() %}
    {%- if var('backfill_batch_size', none) in ['day', 'month'] -%}
        {{- return('microbatch') -}}
    {%- endif -%}
    {{- return('merge') -}}
{% endmacro %}


{#- The batch size of the summary's microbatch: the runner's chunk size. -#}
{% macro backfill_batch_size() %}
    {{- return(var('backfill_batch_size', 'day')) -}}
{% endmacro %}


{#- Whether a microbatch run's batches may run concurrently. DuckDB: one writer
    per file, so no. BigQuery: yes, each batch replaces partitions no other batch
    touches (dbt-bigquery 1.12 declares the capability; dbt still runs the first
    and the last batch alone, docs/architecture.md). -#}
{% macro backfill_concurrent_batches() %}
    {{- return(adapter.dispatch('backfill_concurrent_batches', 'nba_backfill')()) -}}
{% endmacro %}

{% macro default__backfill_concurrent_batches() %}
    {{- return(false) -}}
{% endmacro %}

{% macro bigquery__backfill_concurrent_batches() %}
    {{- return(true) -}}
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


{#- The one statement that replaces a date range of a BigQuery table: a
    MERGE ... ON FALSE whose delete clause filters column between the range's
    literal dates (so BigQuery prunes to the range's partitions) and whose insert
    takes every row of source. An empty source empties the range. No scripting.
    The model's merge, each microbatch batch, the publish and the rollback all
    render it. -#}
{% macro replace_range_merge_sql(target, source, columns, column, first, last) %}
    {{- return(get_insert_overwrite_merge_sql(
        target, source, columns,
        [backfill_runner_range_predicate(
            column, first, last, alias='DBT_INTERNAL_DEST'
        )]
    )) -}}
{% endmacro %}


{#- Overrides dbt-bigquery's merge for the models that opt in with
    meta.replace_range_column; any other merge model keeps dbt's own SQL. -#}
{% macro bigquery__get_merge_sql(
    target, source, unique_key, dest_columns, incremental_predicates=none
) %}
    {%- if replace_range_column() -%}
        {%- set range = backfill_range() -%}
        {%- if not range.is_set -%}
            {{ exceptions.raise_compiler_error(
                "model " ~ model.name ~ " replaces a range: give the vars "
                ~ "start_date and end_date"
            ) }}
        {%- endif -%}
        {{ replace_range_merge_sql(
            target, source, dest_columns, replace_range_column(),
            range.start_date, range.end_date
        ) }}
    {%- else -%}
        {{ dbt.default__get_merge_sql(
            target, source, unique_key, dest_columns, incremental_predicates
        ) }}
    {%- endif -%}
{% endmacro %}


{#- dbt-bigquery (1.11, 1.12) builds a microbatch batch with this macro (its dynamic
    insert_overwrite: BigQuery scripting, and a batch that comes back empty
    replaces nothing). The root project's macro of the same name takes its
    place: models with meta.replace_range_column go through dbt's dispatched
    get_incremental_microbatch_sql, any other model keeps dbt-bigquery's SQL. -#}
{% macro bq_generate_microbatch_build_sql(
    tmp_relation, target_relation, sql, unique_key, partition_by, partitions,
    dest_columns, tmp_relation_exists, copy_partitions
) %}
    {%- if not replace_range_column() -%}
        {{ return(dbt.bq_generate_microbatch_build_sql(
            tmp_relation, target_relation, sql, unique_key, partition_by,
            partitions, dest_columns, tmp_relation_exists, copy_partitions
        )) }}
    {%- endif -%}
    {{ return(get_incremental_microbatch_sql({
        'target_relation': target_relation,
        'temp_relation': tmp_relation if tmp_relation_exists else none,
        'sql': sql,
        'dest_columns': dest_columns,
    })) }}
{% endmacro %}


{#- dbt-bigquery (1.11, 1.12) requires a microbatch model's partitions to be as wide as
    its batches. A range replacement has no such need: a month batch replaces
    whole day partitions. Models without meta.replace_range_column keep the
    check. -#}
{% macro bq_validate_microbatch_config(config) %}
    {%- if not replace_range_column() -%}
        {% do dbt.bq_validate_microbatch_config(config) %}
    {%- elif config.get('partition_by') is none -%}
        {{ exceptions.raise_compiler_error(
            "model " ~ model.name ~ " is a microbatch model without partition_by"
        ) }}
    {%- endif -%}
{% endmacro %}


{#- One batch of a range-replacing microbatch model on BigQuery: the replace-range
    MERGE over the batch's dates. dbt starts the first batch at the start of its
    period (a month batch of a run from the 15th starts on the 1st), so the
    batch is clipped to the run's range: no date outside the vars is ever
    replaced. -#}
{% macro bigquery__get_incremental_microbatch_sql(arg_dict) %}
    {%- set batch = model.get('batch') or {} -%}
    {%- set range = backfill_range() -%}
    {%- if not (batch.get('event_time_start') and batch.get('event_time_end')) -%}
        {{ exceptions.raise_compiler_error(
            "model " ~ model.name ~ ": a microbatch batch without its event times"
        ) }}
    {%- endif -%}
    {%- if not range.is_set -%}
        {{ exceptions.raise_compiler_error(
            "model " ~ model.name ~ " replaces a range: give the vars "
            ~ "start_date and end_date"
        ) }}
    {%- endif -%}
    {%- set day = modules.datetime.timedelta(days=1) -%}
    {%- set batch_first = modules.datetime.date.fromisoformat(
        (batch.event_time_start | string)[:10]
    ) -%}
    {%- set batch_last = modules.datetime.date.fromisoformat(
        (batch.event_time_end | string)[:10]
    ) - day -%}
    {%- set first = [batch_first.isoformat(), range.start_date] | max -%}
    {%- set last = [batch_last.isoformat(), range.end_date] | min -%}
    {%- set source = arg_dict['temp_relation']
        or '(' ~ arg_dict['sql'] ~ ')' -%}
    {{ return(replace_range_merge_sql(
        arg_dict['target_relation'], source, arg_dict['dest_columns'],
        replace_range_column(), first, last
    )) }}
{% endmacro %}
