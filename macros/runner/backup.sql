{#- Backup and restore of the rows a backfill replaces, called by the runner with
    `dbt run-operation` (scripts/backfill_runner/backup.py).

    The backup holds exactly the rows of the range as they were before the first
    write: a table copy made with `create or replace table ... as select`, in the
    target's schema next to the summary. Restoring replaces the range in the summary
    with the backup's rows. Dates arrive as YYYY-MM-DD strings and are parsed by
    parse_backfill_date, so nothing is pasted into SQL as given. -#}

{% macro backfill_runner_relation(database, schema, identifier) %}
    {{- return(api.Relation.create(
        database=database, schema=schema, identifier=identifier, type='table'
    )) -}}
{% endmacro %}


{% macro backfill_runner_range_predicate(column, start_date, end_date, alias=none) %}
    {%- set first = parse_backfill_date('start_date', start_date) -%}
    {%- set last = parse_backfill_date('end_date', end_date) -%}
    {%- if first > last -%}
        {{ exceptions.raise_compiler_error(
            "range " ~ first ~ " .. " ~ last ~ " is reversed"
        ) }}
    {%- endif -%}
    {{- return(
        (alias ~ '.' if alias else '') ~ adapter.quote(column)
        ~ " between cast('" ~ first.isoformat()
        ~ "' as date) and cast('" ~ last.isoformat() ~ "' as date)"
    ) -}}
{% endmacro %}


{#- Copy the range's rows of database.schema.identifier into backup_identifier. -#}
{% macro backfill_backup_range(
    database, schema, identifier, backup_identifier, column, start_date, end_date
) %}
    {%- set source_relation = adapter.get_relation(
        database=database, schema=schema, identifier=identifier
    ) -%}
    {%- if source_relation is none -%}
        {{ exceptions.raise_compiler_error(
            "cannot back up " ~ schema ~ "." ~ identifier ~ ": it does not exist"
        ) }}
    {%- endif -%}
    {%- set backup_relation = backfill_runner_relation(
        database, schema, backup_identifier
    ) -%}
    {%- set predicate = backfill_runner_range_predicate(
        column, start_date, end_date
    ) -%}
    {%- do adapter.dispatch('backfill_backup_range', 'nba_backfill')(
        source_relation, backup_relation, predicate
    ) -%}
{% endmacro %}

{% macro default__backfill_backup_range(
    source_relation, backup_relation, predicate
) %}
    {#- DuckDB: a plain table copy, committed before the first write. -#}
    {% call statement('backfill_backup_range') %}
        create or replace table {{ backup_relation }} as
        select * from {{ source_relation }}
        where {{ predicate }}
    {% endcall %}
    {% do adapter.commit() %}
{% endmacro %}

{% macro bigquery__backfill_backup_range(
    source_relation, backup_relation, predicate
) %}
    {#- BigQuery: a snapshot or clone copies the whole table; a create-as-select
        of the range copies only the rows a rollback needs, and it runs on the
        emulator too. One statement, no transaction to commit. -#}
    {% call statement('backfill_backup_range') %}
        create or replace table {{ backup_relation }} as
        select * from {{ source_relation }}
        where {{ predicate }}
    {% endcall %}
{% endmacro %}


{#- Put the backup's rows of the range back. With had_rows false the summary did
    not exist before the backfill, so the range is emptied. -#}
{% macro backfill_restore_range(
    database, schema, identifier, backup_identifier, column, start_date, end_date,
    had_rows=true
) %}
    {%- set target_relation = adapter.get_relation(
        database=database, schema=schema, identifier=identifier
    ) -%}
    {%- if target_relation is none -%}
        {{ exceptions.raise_compiler_error(
            "cannot restore " ~ schema ~ "." ~ identifier ~ ": it does not exist"
        ) }}
    {%- endif -%}
    {%- set backup_relation = none -%}
    {%- if had_rows -%}
        {%- set backup_relation = adapter.get_relation(
            database=database, schema=schema, identifier=backup_identifier
        ) -%}
        {%- if backup_relation is none -%}
            {{ exceptions.raise_compiler_error(
                "backup " ~ schema ~ "." ~ backup_identifier ~ " does not exist"
            ) }}
        {%- endif -%}
    {%- endif -%}
    {%- do adapter.dispatch('backfill_restore_range', 'nba_backfill')(
        target_relation, backup_relation, column, start_date, end_date
    ) -%}
{% endmacro %}

{% macro default__backfill_restore_range(
    target_relation, backup_relation, column, start_date, end_date
) %}
    {#- DuckDB: delete and insert in one transaction. -#}
    {%- set predicate = backfill_runner_range_predicate(
        column, start_date, end_date
    ) -%}
    {%- set columns_csv = get_quoted_csv(
        adapter.get_columns_in_relation(target_relation) | map(attribute='name')
    ) -%}
    {% call statement('backfill_restore_range') %}
        delete from {{ target_relation }} where {{ predicate }};
        {% if backup_relation is not none %}
        insert into {{ target_relation }} ({{ columns_csv }})
        select {{ columns_csv }} from {{ backup_relation }}
        where {{ predicate }};
        {% endif %}
    {% endcall %}
    {% do adapter.commit() %}
{% endmacro %}

{% macro bigquery__backfill_restore_range(
    target_relation, backup_relation, column, start_date, end_date
) %}
    {#- BigQuery: one MERGE deletes the range and inserts the backup's rows
        atomically, the same statement the summary's own writes use. -#}
    {%- set dest_columns = adapter.get_columns_in_relation(target_relation) -%}
    {%- set columns_csv = get_quoted_csv(dest_columns | map(attribute='name')) -%}
    {%- if backup_relation is none -%}
        {%- set source_sql -%}
            (select {{ columns_csv }} from {{ target_relation }} where false)
        {%- endset -%}
    {%- else -%}
        {%- set source_sql -%}
            (select {{ columns_csv }} from {{ backup_relation }}
            where {{ backfill_runner_range_predicate(column, start_date, end_date) }})
        {%- endset -%}
    {%- endif -%}
    {% call statement('backfill_restore_range') %}
        {{ get_insert_overwrite_merge_sql(
            target_relation, source_sql, dest_columns,
            [backfill_runner_range_predicate(
                column, start_date, end_date, alias='DBT_INTERNAL_DEST'
            )]
        ) }}
    {% endcall %}
{% endmacro %}
