{#- A date as the 8 digits YYYYMMDD that open a canonical game id. -#}
{% macro date_to_yyyymmdd(expression) %}
    {{- return(adapter.dispatch('date_to_yyyymmdd', 'nba_backfill')(expression)) -}}
{% endmacro %}

{% macro default__date_to_yyyymmdd(expression) -%}
    strftime({{ expression }}, '%Y%m%d')
{%- endmacro %}

{% macro bigquery__date_to_yyyymmdd(expression) -%}
    format_date('%Y%m%d', {{ expression }})
{%- endmacro %}


{#- First day of the month of a date, for monthly gates and reports. -#}
{% macro month_start(expression) %}
    {{- return(dbt.date_trunc('month', expression)) -}}
{% endmacro %}
