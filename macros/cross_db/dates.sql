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


{#- The date of 8 digits YYYYMMDD (the start of a canonical game id), or null
    when they are not a calendar date. -#}
{% macro yyyymmdd_to_date(expression) %}
    {{- return(adapter.dispatch('yyyymmdd_to_date', 'nba_backfill')(expression)) -}}
{% endmacro %}

{% macro default__yyyymmdd_to_date(expression) -%}
    cast(try_strptime({{ expression }}, '%Y%m%d') as date)
{%- endmacro %}

{% macro bigquery__yyyymmdd_to_date(expression) -%}
    safe.parse_date('%Y%m%d', {{ expression }})
{%- endmacro %}
