{#- Publish an audited range into the live summary, and roll a publish back.

        dbt run-operation publish_range \
            --args '{start_date: 2022-01-10, end_date: 2022-01-16, publish_id: x}'
        dbt run-operation rollback_range \
            --args '{start_date: 2022-01-10, end_date: 2022-01-16}'

    A publish copies the live rows of the range into a backup table of its own
    (schema nba_backfill_backup, named after the publish: a later run never
    overwrites it), replaces the live range with the audit copy's rows, and
    records itself in nba_analytics.backfill_publishes (range, time, newest raw
    load, rows, backup). Readers see the old range or the new one, never a mix:
    DuckDB does all of it in one transaction; BigQuery replaces the range with
    one MERGE ... ON FALSE whose delete clause filters game_date with the
    range's literal dates. A rollback restores what the newest publish of the
    range replaced, from the database's own record, so it holds when the
    runner's state folder is lost. The runner publishes only a range whose
    tests all passed; by hand, publish_range does not check that. Dates arrive
    as YYYY-MM-DD strings and are parsed by parse_backfill_date, never pasted. -#}

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


{#- The publish log: one row per publish, next to the live summary. Created
    only when missing: on BigQuery a create-if-not-exists is a query job of its
    own every publish, a lookup is a metadata request. -#}
{% macro backfill_publish_log(live_relation) %}
    {%- set log_relation = backfill_runner_relation(
        live_relation.database, live_relation.schema, 'backfill_publishes'
    ) -%}
    {%- if adapter.get_relation(
        database=log_relation.database, schema=log_relation.schema,
        identifier=log_relation.identifier
    ) is not none -%}
        {{ return(log_relation) }}
    {%- endif -%}
    {%- set string = dbt.type_string() -%}
    {%- set timestamp = dbt.type_timestamp() -%}
    {%- set integer = dbt.type_bigint() -%}
    {% call statement('backfill_publish_log') %}
        create table if not exists {{ log_relation }} (
            publish_id {{ string }},
            model_name {{ string }},
            start_date date,
            end_date date,
            published_at {{ timestamp }},
            raw_loaded_at {{ timestamp }},
            rows_published {{ integer }},
            rows_replaced {{ integer }},
            backup_relation {{ string }},
            rolled_back_at {{ timestamp }}
        )
    {% endcall %}
    {{ return(log_relation) }}
{% endmacro %}


{#- The raw rows of the range: how many (both feeds), their newest load
    (processed_at) and the sum of their load times, so a publish records how
    fresh its rows are and a publish without rebuilding can tell that no row
    was reloaded, added or removed since the audit (a reload carries a new
    processed_at): one row, raw_loaded_at, raw_rows and raw_load_seconds, a
    query to run inside the caller's own (backfill_raw_state_of reads it). -#}
{% macro backfill_raw_state_sql(predicate) %}
    {%- set load_seconds = dbt.datediff(
        "cast('1970-01-01' as timestamp)", 'processed_at', 'second'
    ) -%}
    {%- set parts = [] -%}
    {%- for table in ['nbac_gamebook_player_stats', 'bdl_player_boxscores'] -%}
        {%- do parts.append(
            "select max(processed_at) as processed_at, count(*) as raw_rows, "
            ~ "sum(" ~ load_seconds ~ ") as load_seconds from "
            ~ source('nba_raw', table) ~ " where " ~ predicate
        ) -%}
    {%- endfor -%}
    {{ return(
        "select max(processed_at) as raw_loaded_at, sum(raw_rows) as raw_rows, "
        ~ "sum(load_seconds) as raw_load_seconds from ("
        ~ parts | join(' union all ') ~ ") as loads"
    ) }}
{% endmacro %}

{#- raw_loaded_at, raw_rows, raw_load_seconds of a row of backfill_raw_state_sql. -#}
{% macro backfill_raw_state_of(row) %}
    {{ return({
        'raw_loaded_at': row[0] | string if row[0] is not none else none,
        'raw_rows': (row[1] or 0) | int,
        'raw_load_seconds': (row[2] or 0) | int,
    }) }}
{% endmacro %}


{% macro backfill_sql_literal(value) %}
    {%- if value is none -%}{{ return('null') }}{%- endif -%}
    {{ return("'" ~ (value | string | replace("'", "''")) ~ "'") }}
{% endmacro %}


{% macro publish_range(start_date, end_date, publish_id) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- if not modules.re.match('^[A-Za-z0-9_]+$', publish_id | string) -%}
        {{ exceptions.raise_compiler_error(
            "publish_id '" ~ publish_id ~ "' may hold only letters, digits and _"
        ) }}
    {%- endif -%}
    {%- set relations = backfill_summary_relations() -%}
    {%- if not relations.audit_exists -%}
        {{ exceptions.raise_compiler_error(
            "nothing to publish: " ~ relations.audit ~ " does not exist"
        ) }}
    {%- endif -%}
    {%- set predicate = backfill_runner_range_predicate(
        'game_date', start_date, end_date
    ) -%}
    {%- set live = relations.live -%}
    {%- set columns = adapter.get_columns_in_relation(relations.audit) -%}
    {%- if not relations.live_exists -%}
        {%- do adapter.create_schema(live) -%}
    {%- endif -%}
    {%- set log_relation = backfill_publish_log(live) -%}
    {#- the rows it replaces and publishes and the raw state, in one query: on
        BigQuery each query is a job with its latency -#}
    {%- set counted = run_query(
        "select "
        ~ ("(select count(*) from " ~ live ~ " where " ~ predicate ~ ")"
            if relations.live_exists else "0")
        ~ ", (select count(*) from " ~ relations.audit ~ " where " ~ predicate
        ~ "), raw.* from (" ~ backfill_raw_state_sql(predicate) ~ ") as raw"
    ).rows[0] -%}
    {%- set rows_replaced = counted[0] | int -%}
    {%- set rows_published = counted[1] | int -%}
    {%- set raw_loaded_at = backfill_raw_state_of(
        [counted[2], counted[3], counted[4]]
    ).raw_loaded_at -%}
    {%- set backup = none -%}
    {%- if rows_replaced > 0 -%}
        {%- set backup = backfill_runner_relation(
            live.database, 'nba_backfill_backup',
            live.identifier ~ '__' ~ publish_id
        ) -%}
        {%- if not adapter.check_schema_exists(backup.database, backup.schema) -%}
            {%- do adapter.create_schema(backup) -%}
        {%- endif -%}
    {%- endif -%}
    {%- set log_row -%}
        select
            {{ backfill_sql_literal(publish_id) }},
            {{ backfill_sql_literal(live.identifier) }},
            cast({{ backfill_sql_literal(start_date) }} as date),
            cast({{ backfill_sql_literal(end_date) }} as date),
            cast(current_timestamp as {{ dbt.type_timestamp() }}),
            cast({{ backfill_sql_literal(raw_loaded_at) }} as {{ dbt.type_timestamp() }}),
            {{ rows_published }},
            {{ rows_replaced }},
            {{ backfill_sql_literal(backup) }},
            cast(null as {{ dbt.type_timestamp() }})
    {%- endset -%}
    {%- do backfill_publish_write(
        relations, backup, log_relation, log_row, predicate,
        [start_date, end_date], columns
    ) -%}
    {%- set result = {
        'publish_id': publish_id,
        'start_date': start_date | string,
        'end_date': end_date | string,
        'live_relation': live | string,
        'backup_relation': backup | string if backup is not none else none,
        'rows_published': rows_published,
        'rows_replaced': rows_replaced,
        'raw_loaded_at': raw_loaded_at,
        'log_relation': log_relation | string,
    } -%}
    {%- do backfill_log_result('range publish', result) -%}
    {%- do log(
        'published ' ~ rows_published ~ ' rows of ' ~ start_date ~ '..' ~ end_date
        ~ ' into ' ~ live ~ ' (' ~ rows_replaced ~ ' replaced'
        ~ (', kept in ' ~ backup if backup is not none else '') ~ ')', info=true
    ) -%}
    {{ return(result) }}
{% endmacro %}


{% macro backfill_publish_write(
    relations, backup, log_relation, log_row, predicate, dates, columns
) %}
    {%- do adapter.dispatch('backfill_publish_write', 'nba_backfill')(
        relations, backup, log_relation, log_row, predicate, dates, columns
    ) -%}
{% endmacro %}

{% macro default__backfill_publish_write(
    relations, backup, log_relation, log_row, predicate, dates, columns
) %}
    {#- DuckDB: backup, replace and record in one transaction: a crash at any
        point leaves all of it or none. -#}
    {%- set columns_csv = get_quoted_csv(columns | map(attribute='name')) -%}
    {% call statement('backfill_publish_write') %}
        {% if not relations.live_exists %}
        create table {{ relations.live }} as
        select * from {{ relations.audit }} where 1 = 0;
        {% endif %}
        {% if backup is not none %}
        create table {{ backup }} as
        select * from {{ relations.live }} where {{ predicate }};
        {% endif %}
        delete from {{ relations.live }} where {{ predicate }};
        insert into {{ relations.live }} ({{ columns_csv }})
        select {{ columns_csv }} from {{ relations.audit }}
        where {{ predicate }};
        insert into {{ log_relation }} {{ log_row }};
    {% endcall %}
    {% do adapter.commit() %}
{% endmacro %}


{% macro bigquery__backfill_publish_write(
    relations, backup, log_relation, log_row, predicate, dates, columns
) %}
    {#- BigQuery has no multi-statement transaction without scripting, so the
        steps are ordered for a crash: the backup and the log row come first,
        then one MERGE swaps the range. A publish killed before its MERGE
        leaves the live range as it was and a log row whose rollback restores
        those same rows. -#}
    {%- if not relations.live_exists -%}
        {%- set node = graph.nodes.values()
            | selectattr('resource_type', 'equalto', 'model')
            | selectattr('name', 'equalto', relations.live.identifier)
            | first -%}
        {%- set partition = node.config.partition_by or {} -%}
        {% call statement('backfill_publish_create_live') %}
            create table {{ relations.live }}
            {% if partition.get('field') %}partition by {{ partition.field }}{% endif %}
            {% if node.config.cluster_by %}
            cluster by {{ node.config.cluster_by | join(', ') }}
            {% endif %}
            as select * from {{ relations.audit }} where false
        {% endcall %}
    {%- endif -%}
    {%- if backup is not none -%}
        {% call statement('backfill_publish_backup') %}
            create table {{ backup }} as
            select * from {{ relations.live }} where {{ predicate }}
        {% endcall %}
    {%- endif -%}
    {% call statement('backfill_publish_record') %}
        insert into {{ log_relation }} {{ log_row }}
    {% endcall %}
    {%- set source_sql -%}
        (select {{ get_quoted_csv(columns | map(attribute='name')) }}
        from {{ relations.audit }} where {{ predicate }})
    {%- endset -%}
    {% call statement('backfill_publish_merge') %}
        {{ replace_range_merge_sql(
            relations.live, source_sql, columns, 'game_date', dates[0], dates[1]
        ) }}
    {% endcall %}
{% endmacro %}


{#- Restore what the newest publish of exactly this range replaced. -#}
{% macro rollback_range(start_date, end_date) %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set relations = backfill_summary_relations() -%}
    {%- set live = relations.live -%}
    {%- set first = parse_backfill_date('start_date', start_date) -%}
    {%- set last = parse_backfill_date('end_date', end_date) -%}
    {%- set log_relation = backfill_publish_log(live) -%}
    {%- set found = run_query(
        "select publish_id, backup_relation, rows_replaced from " ~ log_relation
        ~ " where start_date = cast('" ~ first.isoformat() ~ "' as date)"
        ~ " and end_date = cast('" ~ last.isoformat() ~ "' as date)"
        ~ " and rolled_back_at is null order by published_at desc, publish_id desc"
        ~ " limit 1"
    ) -%}
    {%- if found.rows | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            "no publish of " ~ first ~ ".." ~ last ~ " to roll back in "
            ~ log_relation
        ) }}
    {%- endif -%}
    {%- set publish_id, backup_name, rows_replaced = found.rows[0] -%}
    {%- set backup = none -%}
    {%- if backup_name is not none -%}
        {%- set backup = backfill_runner_relation(
            live.database, 'nba_backfill_backup', live.identifier ~ '__' ~ publish_id
        ) -%}
        {%- if adapter.get_relation(
            database=backup.database, schema=backup.schema,
            identifier=backup.identifier
        ) is none -%}
            {{ exceptions.raise_compiler_error(
                "backup " ~ backup ~ " of publish " ~ publish_id ~ " is missing"
            ) }}
        {%- endif -%}
    {%- endif -%}
    {%- set predicate = backfill_runner_range_predicate(
        'game_date', start_date, end_date
    ) -%}
    {%- set columns = adapter.get_columns_in_relation(live) -%}
    {%- set mark_sql = backfill_mark_rolled_back(log_relation, publish_id) -%}
    {%- do backfill_rollback_write(
        live, backup, predicate, [first.isoformat(), last.isoformat()],
        columns, mark_sql
    ) -%}
    {%- set result = {
        'publish_id': publish_id,
        'start_date': first.isoformat(),
        'end_date': last.isoformat(),
        'backup_relation': backup | string if backup is not none else none,
        'rows_restored': (rows_replaced or 0) | int,
    } -%}
    {%- do backfill_log_result('range rollback', result) -%}
    {%- do log(
        'rolled back publish ' ~ publish_id ~ ': ' ~ result.rows_restored
        ~ ' rows of ' ~ first ~ '..' ~ last ~ ' restored', info=true
    ) -%}
    {{ return(result) }}
{% endmacro %}


{% macro backfill_rollback_write(
    live, backup, predicate, dates, columns, mark_sql
) %}
    {%- do adapter.dispatch('backfill_rollback_write', 'nba_backfill')(
        live, backup, predicate, dates, columns, mark_sql
    ) -%}
{% endmacro %}

{% macro default__backfill_rollback_write(
    live, backup, predicate, dates, columns, mark_sql
) %}
    {#- DuckDB: delete, insert and mark the publish rolled back, one transaction. -#}
    {%- set columns_csv = get_quoted_csv(columns | map(attribute='name')) -%}
    {% call statement('backfill_rollback_write') %}
        delete from {{ live }} where {{ predicate }};
        {% if backup is not none %}
        insert into {{ live }} ({{ columns_csv }})
        select {{ columns_csv }} from {{ backup }} where {{ predicate }};
        {% endif %}
        {{ mark_sql }};
    {% endcall %}
    {% do adapter.commit() %}
{% endmacro %}


{% macro bigquery__backfill_rollback_write(
    live, backup, predicate, dates, columns, mark_sql
) %}
    {#- BigQuery: one MERGE restores the range, then the publish is marked. -#}
    {%- set columns_csv = get_quoted_csv(columns | map(attribute='name')) -%}
    {%- set source_sql -%}
        {%- if backup is none -%}
            (select {{ columns_csv }} from {{ live }} where false)
        {%- else -%}
            (select {{ columns_csv }} from {{ backup }} where {{ predicate }})
        {%- endif -%}
    {%- endset -%}
    {% call statement('backfill_rollback_merge') %}
        {{ replace_range_merge_sql(
            live, source_sql, columns, 'game_date', dates[0], dates[1]
        ) }}
    {% endcall %}
    {% call statement('backfill_rollback_mark') %}
        {{ mark_sql }}
    {% endcall %}
{% endmacro %}


{#- The statement that marks a publish rolled back in the publish log. -#}
{% macro backfill_mark_rolled_back(log_relation, publish_id) %}
    {{- return(adapter.dispatch('backfill_mark_rolled_back', 'nba_backfill')(
        log_relation, publish_id
    )) -}}
{% endmacro %}

{% macro default__backfill_mark_rolled_back(log_relation, publish_id) %}
    {%- set sql -%}
        update {{ log_relation }}
        set rolled_back_at = cast(current_timestamp as {{ dbt.type_timestamp() }})
        where publish_id = {{ backfill_sql_literal(publish_id) }}
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}

{% macro bigquery__backfill_mark_rolled_back(log_relation, publish_id) %}
    {#- A MERGE rather than an UPDATE: the same DML, and the API emulator the
        tests run on has no UPDATE. -#}
    {%- set sql -%}
        merge {{ log_relation }} as publishes
        using (select 1 as one) as mark on true
        when matched and publishes.publish_id
            = {{ backfill_sql_literal(publish_id) }}
        then update set rolled_back_at = current_timestamp()
    {%- endset -%}
    {{ return(sql) }}
{% endmacro %}
