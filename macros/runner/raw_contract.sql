{#- The raw contract checked against the database before a backfill writes
    anything: the sources of nba_raw as _nba_raw__sources.yml declares them (every
    column with its data_type, in BigQuery's type names), compared with what the
    adapter finds. One message names every problem, or the one that hides the
    rest (no schema: no table can be checked). Run by the runner before its first
    write, and by hand: dbt run-operation check_raw_contract. -#}
{% macro check_raw_contract(source_name='nba_raw') %}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set sources = graph.sources.values()
        | selectattr('source_name', 'equalto', source_name) | list -%}
    {%- set problems = [] -%}
    {%- set first = sources[0] -%}
    {%- if not adapter.check_schema_exists(first.database, first.schema) -%}
        {%- do problems.append(
            "the raw schema " ~ first.schema ~ " does not exist in "
            ~ (first.database or target.database)
        ) -%}
    {%- else -%}
        {%- for source in sources -%}
            {%- do problems.extend(raw_contract_problems(source)) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if problems -%}
        {{ exceptions.raise_compiler_error(
            "raw contract broken: " ~ problems | join('; ') ~ ". The raw contract "
            ~ "is models/staging/nba_raw/_nba_raw__sources.yml (docs/domain.md, "
            ~ "section 3); demo data: python scripts/generate_raw_data.py --db "
            ~ "<file>"
        ) }}
    {%- endif -%}
    {{ log("raw contract holds: " ~ sources | length ~ " tables of "
        ~ first.schema, info=true) }}
{% endmacro %}


{#- What is wrong with one source table: missing, or its columns. -#}
{% macro raw_contract_problems(source) %}
    {%- set name = source.schema ~ "." ~ source.identifier -%}
    {%- set relation = adapter.get_relation(
        database=source.database, schema=source.schema,
        identifier=source.identifier
    ) -%}
    {%- if relation is none -%}
        {{ return(["the raw table " ~ name ~ " does not exist"]) }}
    {%- endif -%}
    {%- set found = {} -%}
    {%- for column in adapter.get_columns_in_relation(relation) -%}
        {%- do found.update({column.name | lower: column.dtype | upper}) -%}
    {%- endfor -%}
    {%- set problems = [] -%}
    {%- for column in source.columns.values() -%}
        {%- set column_name = column.name | lower -%}
        {%- set expected = raw_contract_types(column.data_type) -%}
        {%- if column_name not in found -%}
            {%- do problems.append(
                "column " ~ name ~ "." ~ column_name ~ " is missing (expected "
                ~ column.data_type ~ ")"
            ) -%}
        {%- elif found[column_name] not in expected -%}
            {%- do problems.append(
                "column " ~ name ~ "." ~ column_name ~ " is " ~ found[column_name]
                ~ ", expected " ~ column.data_type ~ " (" ~ expected | join(' or ')
                ~ " here)"
            ) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(problems) }}
{% endmacro %}


{#- The engine's names for a contract type (BigQuery's names: string, int64,
    bool, date, timestamp), upper case. -#}
{% macro raw_contract_types(data_type) %}
    {{- return(adapter.dispatch('raw_contract_types', 'nba_backfill')(
        (data_type or '') | upper
    )) -}}
{% endmacro %}

{% macro default__raw_contract_types(data_type) %}
    {{- return([data_type]) -}}
{% endmacro %}

{% macro duckdb__raw_contract_types(data_type) %}
    {%- set names = {
        'STRING': ['VARCHAR'], 'INT64': ['BIGINT'], 'BOOL': ['BOOLEAN'],
    } -%}
    {{- return(names.get(data_type, [data_type])) -}}
{% endmacro %}

{% macro bigquery__raw_contract_types(data_type) %}
    {#- the API reports a table's schema in legacy names (INTEGER, BOOLEAN) -#}
    {%- set names = {'INT64': ['INT64', 'INTEGER'], 'BOOL': ['BOOL', 'BOOLEAN']} -%}
    {{- return(names.get(data_type, [data_type])) -}}
{% endmacro %}


{#- Everything the runner checks in dbt before its first write: the identifier
    and gate vars, then the raw contract. -#}
{% macro check_backfill_inputs() %}
    {%- do validate_identifier_vars() -%}
    {%- do validate_gate_vars() -%}
    {%- do check_raw_contract() -%}
{% endmacro %}
