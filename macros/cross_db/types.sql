{#- Decimal type of minutes_played and the rate columns. DuckDB's bare numeric is
    decimal(18,3); BigQuery's numeric has scale 9. Values are rounded before the
    cast, so both engines hold the same numbers. -#}
{% macro type_decimal() %}
    {{- return(adapter.dispatch('type_decimal', 'nba_backfill')()) -}}
{% endmacro %}

{% macro default__type_decimal() -%}
    decimal(18, 3)
{%- endmacro %}

{% macro bigquery__type_decimal() -%}
    numeric
{%- endmacro %}


{#- Day partitioning on BigQuery; DuckDB tables are not partitioned. -#}
{% macro partition_by_day(field) %}
    {{- return(adapter.dispatch('partition_by_day', 'nba_backfill')(field)) -}}
{% endmacro %}

{% macro default__partition_by_day(field) %}
    {{- return(none) -}}
{% endmacro %}

{% macro bigquery__partition_by_day(field) %}
    {{- return({'field': field, 'data_type': 'date', 'granularity': 'day'}) -}}
{% endmacro %}
