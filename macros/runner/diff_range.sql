{#- What publishing a range would change: the audit copy of the summary against
    the live table over start_date..end_date, by key (game_id, player_lookup).

        dbt run-operation diff_range \
            --args '{start_date: 2022-01-10, end_date: 2022-01-16}'

    Rows added (only in the audit copy), removed (only live), changed (a column
    differs), how many rows changed in each column, a few example keys of each
    kind, and the minutes NULL rate before (live) and after (audit). The runner
    reads the result from the debug event "range diff {json}"; a by-hand run
    prints it. -#}
{% macro diff_range(start_date, end_date, examples=3, live_schema='nba_analytics',
                    audit_schema='nba_backfill_audit') %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set relations = backfill_audited_relations(live_schema, audit_schema) -%}
    {%- set predicate = backfill_runner_range_predicate(
        'game_date', start_date, end_date
    ) -%}
    {%- set keys = ['game_id', 'player_lookup'] -%}
    {%- set columns = adapter.get_columns_in_relation(relations.audit)
        | map(attribute='name') | reject('in', keys) | list -%}
    {%- set totals = run_query(backfill_diff_classified_sql(
        relations, predicate, columns, 'full outer'
    ) ~ backfill_diff_totals_select(columns)) -%}
    {%- set row = totals.rows[0] -%}
    {%- set counts = {} -%}
    {%- for name in totals.column_names -%}
        {%- do counts.update({name: (row[name] or 0) | int}) -%}
    {%- endfor -%}
    {%- set changed_columns = {} -%}
    {%- for column in columns -%}
        {%- if counts['changed__' ~ column] > 0 -%}
            {%- do changed_columns.update({column: counts['changed__' ~ column]}) -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set example_list = backfill_diff_examples(
        relations, predicate, columns, counts, examples | int
    ) -%}
    {%- set result = {
        'start_date': start_date | string,
        'end_date': end_date | string,
        'live_relation': relations.live | string,
        'audit_relation': relations.audit | string,
        'live_exists': relations.live_exists,
        'added': counts.added,
        'removed': counts.removed,
        'changed': counts.changed,
        'live_rows': counts.live_rows,
        'audit_rows': counts.audit_rows,
        'live_minutes_null': counts.live_minutes_null,
        'audit_minutes_null': counts.audit_minutes_null,
        'changed_columns': changed_columns,
        'examples': example_list,
    } -%}
    {%- do result.update(backfill_built_from(relations.audit, predicate)) -%}
    {%- do backfill_log_result('range diff', result) -%}
    {%- do log(
        'diff ' ~ relations.audit ~ ' vs ' ~ relations.live ~ ' over '
        ~ start_date ~ '..' ~ end_date ~ ': ' ~ counts.added ~ ' added, '
        ~ counts.removed ~ ' removed, ' ~ counts.changed ~ ' changed; '
        ~ 'changed per column ' ~ tojson(changed_columns), info=true
    ) -%}
    {{ return(result) }}
{% endmacro %}


{#- The audit copy's and the live table's rows over the range, joined by key,
    with which columns differ and the kind of change of each key. A full outer
    join finds every kind; an inner join, only the keys in both (changed or
    same), for the changed examples. -#}
{% macro backfill_diff_classified_sql(relations, predicate, columns, join) %}
    with

    audit_rows as (
        select * from {{ relations.audit }} where {{ predicate }}
    ),

    live_rows as (
        {%- if relations.live_exists %}
        select * from {{ relations.live }} where {{ predicate }}
        {%- else %}
        select * from {{ relations.audit }} where 1 = 0
        {%- endif %}
    ),

    joined as (
        select
            coalesce(audit_rows.game_id, live_rows.game_id) as game_id,
            coalesce(audit_rows.player_lookup, live_rows.player_lookup)
                as player_lookup,
            audit_rows.game_id is not null as in_audit,
            live_rows.game_id is not null as in_live,
            audit_rows.minutes_played is null as audit_minutes_null,
            live_rows.minutes_played is null as live_minutes_null,
            {%- for column in columns %}
            case
                when audit_rows.game_id is not null
                    and live_rows.game_id is not null
                    and audit_rows.{{ adapter.quote(column) }}
                    is distinct from live_rows.{{ adapter.quote(column) }}
                    then 1 else 0
            end as changed__{{ column }}{{ ',' if not loop.last }}
            {%- endfor %}
        from audit_rows
        {{ join }} join live_rows
            on
                audit_rows.game_id = live_rows.game_id
                and audit_rows.player_lookup = live_rows.player_lookup
    ),

    classified as (
        select
            *,
            case
                when not in_live then 'added'
                when not in_audit then 'removed'
                when (
                    {%- for column in columns %}
                    changed__{{ column }}{{ ' +' if not loop.last }}
                    {%- endfor %}
                ) > 0 then 'changed'
                else 'same'
            end as change
        from joined
    )
{% endmacro %}


{#- The diff's counts: one row, aggregated over the classified keys. -#}
{% macro backfill_diff_totals_select(columns) %}
    select
        count(*) as compared_keys,
        sum(case when change = 'added' then 1 else 0 end) as added,
        sum(case when change = 'removed' then 1 else 0 end) as removed,
        sum(case when change = 'changed' then 1 else 0 end) as changed,
        sum(case when in_live then 1 else 0 end) as live_rows,
        sum(case when in_live and live_minutes_null then 1 else 0 end)
            as live_minutes_null,
        sum(case when in_audit then 1 else 0 end) as audit_rows,
        sum(case when in_audit and audit_minutes_null then 1 else 0 end)
            as audit_minutes_null,
        {%- for column in columns %}
        sum(changed__{{ column }}) as changed__{{ column }}
        {{- ',' if not loop.last }}
        {%- endfor %}
    from classified
{% endmacro %}


{#- The first keys (by game_id, player_lookup) of each kind of change that
    occurred. Each kind is a top-n query of its own, run one after another:
    added and removed keys from the keys alone, changed keys from the inner
    join. A window over every changed key sorts them all, and at all of NBA
    history that sort, like the kinds' joins run side by side in one query,
    held more memory than the cap (benchmarks/README.md). -#}
{% macro backfill_diff_examples(relations, predicate, columns, counts, examples) %}
    {%- set keys_of = {
        'audit': 'select game_id, player_lookup from ' ~ relations.audit
            ~ ' where ' ~ predicate,
        'live': 'select game_id, player_lookup from ' ~ relations.live
            ~ ' where ' ~ predicate,
    } -%}
    {%- set queries = {} -%}
    {%- for change, side, other in [
        ('added', 'audit', 'live'), ('removed', 'live', 'audit')
    ] -%}
        {%- set only_here -%}
            select
                '{{ change }}' as change,
                here.game_id,
                here.player_lookup,
                '' as changed_columns
            from ({{ keys_of[side] }}) as here
            {%- if relations.live_exists %}
            left join ({{ keys_of[other] }}) as there
                on
                    here.game_id = there.game_id
                    and here.player_lookup = there.player_lookup
            where there.game_id is null
            {%- endif %}
            order by here.game_id, here.player_lookup
            limit {{ examples }}
        {%- endset -%}
        {%- do queries.update({change: only_here}) -%}
    {%- endfor -%}
    {%- set names = [] -%}
    {%- for column in columns -%}
        {%- do names.append(
            "case when changed__" ~ column ~ " = 1 then '" ~ column
            ~ " ' else '' end"
        ) -%}
    {%- endfor -%}
    {%- do queries.update({'changed': backfill_diff_classified_sql(
            relations, predicate, columns, 'inner'
        ) ~ "select change, game_id, player_lookup, concat("
        ~ names | join(', ') ~ ") as changed_columns from classified "
        ~ "where change = 'changed' order by game_id, player_lookup limit "
        ~ examples
    }) -%}
    {%- set example_list = [] -%}
    {%- for change in ['added', 'changed', 'removed'] if counts[change] > 0 -%}
        {%- for example in run_query(queries[change]).rows -%}
            {%- do example_list.append({
                'change': example[0],
                'game_id': example[1],
                'player_lookup': example[2],
                'changed_columns': (example[3] or '') | trim,
            }) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(example_list) }}
{% endmacro %}


{#- The summary's relations, refusing when there is no audit copy to read. -#}
{% macro backfill_audited_relations(live_schema, audit_schema) %}
    {%- set relations = backfill_summary_relations(
        live_schema=live_schema, audit_schema=audit_schema
    ) -%}
    {%- if not relations.audit_exists -%}
        {{ exceptions.raise_compiler_error(
            "no audit copy " ~ relations.audit ~ " to compare: run the backfill "
            ~ "(or dbt build --vars '{backfill_audit: true, ...}') first"
        ) }}
    {%- endif -%}
    {{ return(relations) }}
{% endmacro %}


{#- What an audit of a range stands on: the raw state (backfill_raw_state_sql),
    and what the audit copy holds now (a digest of its row hashes over the
    range): another run over an overlapping range rewrites it, so a range
    validated earlier is published only if it still holds the same rows. One
    query: on BigQuery each is a job with its latency. -#}
{% macro backfill_built_from(audit_relation, predicate) %}
    {%- set state = run_query(
        "select raw.*, (select " ~ backfill_hash_digest('data_hash')
        ~ " from " ~ audit_relation ~ " where " ~ predicate
        ~ ") as audit_fingerprint from ("
        ~ backfill_raw_state_sql(predicate) ~ ") as raw"
    ).rows[0] -%}
    {%- set found = backfill_raw_state_of([state[0], state[1], state[2]]) -%}
    {%- do found.update({'audit_fingerprint': state[3]}) -%}
    {{ return(found) }}
{% endmacro %}


{#- A digest of a column of hex hashes that does not depend on row order and
    takes constant memory: the row count and the sums of two 32-bit slices of
    the hashes. An ordered string_agg of every hash is an aggregate DuckDB does
    not spill: at all of NBA history it alone held 787 MiB under the 512 MB
    cap. Each slice is below 2^32, so a sum fits INT64 up to 2^31 rows. -#}
{% macro backfill_hash_digest(column) %}
    {%- set parts = [dbt.cast('count(*)', dbt.type_string())] -%}
    {%- for first in [1, 9] -%}
        {%- set slice = dbt.cast(
            dbt.concat(["'0x'", 'substr(' ~ column ~ ', ' ~ first ~ ', 8)']),
            dbt.type_bigint()
        ) -%}
        {%- do parts.extend(["'-'", dbt.cast(
            'coalesce(sum(' ~ slice ~ '), 0)', dbt.type_string()
        )]) -%}
    {%- endfor -%}
    {{ return(dbt.concat(parts)) }}
{% endmacro %}


{#- What the audit of a range stands on now (backfill_built_from), without the
    diff: a run that finds the range already built checks it before rebuilding
    or testing anything. The runner reads the debug event "range built from
    {json}".

        dbt run-operation range_built_from \
            --args '{start_date: 2022-01-10, end_date: 2022-01-16}'
-#}
{% macro range_built_from(start_date, end_date, audit_schema='nba_backfill_audit') %}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set relations = backfill_audited_relations('nba_analytics', audit_schema) -%}
    {%- set result = backfill_built_from(
        relations.audit,
        backfill_runner_range_predicate('game_date', start_date, end_date)
    ) -%}
    {%- do backfill_log_result('range built from', result, info=true) -%}
    {{ return(result) }}
{% endmacro %}
