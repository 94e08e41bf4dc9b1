{#- Regex helpers. Patterns are written with character classes ([0-9], [.]) and no
    backslashes, so one literal means the same on both engines. -#}

{% macro regex_full_match(expression, pattern) %}
    {{- return(adapter.dispatch('regex_full_match', 'nba_backfill')(expression, pattern)) -}}
{% endmacro %}

{% macro default__regex_full_match(expression, pattern) -%}
    regexp_full_match({{ expression }}, '{{ pattern }}')
{%- endmacro %}

{% macro bigquery__regex_full_match(expression, pattern) -%}
    regexp_contains({{ expression }}, r'^(?:{{ pattern }})$')
{%- endmacro %}


{#- The first capture group of pattern, or null when it does not match. -#}
{% macro regex_capture(expression, pattern) %}
    {{- return(adapter.dispatch('regex_capture', 'nba_backfill')(expression, pattern)) -}}
{% endmacro %}

{% macro default__regex_capture(expression, pattern) -%}
    {#- DuckDB returns '' for no match; make it null like BigQuery. -#}
    nullif(regexp_extract({{ expression }}, '{{ pattern }}', 1), '')
{%- endmacro %}

{% macro bigquery__regex_capture(expression, pattern) -%}
    nullif(regexp_extract({{ expression }}, r'{{ pattern }}'), '')
{%- endmacro %}


{% macro regex_remove(expression, pattern) %}
    {{- return(adapter.dispatch('regex_remove', 'nba_backfill')(expression, pattern)) -}}
{% endmacro %}

{% macro default__regex_remove(expression, pattern) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '', 'g')
{%- endmacro %}

{% macro bigquery__regex_remove(expression, pattern) -%}
    regexp_replace({{ expression }}, r'{{ pattern }}', '')
{%- endmacro %}
