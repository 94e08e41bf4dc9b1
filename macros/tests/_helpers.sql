{#- Shared pieces of the validation tests: the rows a test looks at, the group a
    row falls into, and the band an observed value lands in. -#}

{#- Rows in scope: the backfill range of the run (every row when no range is set)
    and an optional row condition. -#}
{% macro nba_test_scope(date_column, row_condition=none) -%}
    {{ backfill_range_filter(date_column) }}
    {%- if row_condition %} and ({{ row_condition }}){% endif -%}
{%- endmacro %}


{#- The group a row belongs to, as a string: none is the whole scope, 'month' the
    first day of the row's month, 'season' the season_year column, anything else
    a SQL expression over the model's columns. -#}
{% macro nba_test_group_key(group_by, date_column) -%}
    {%- if group_by is none -%}
        cast('all' as {{ dbt.type_string() }})
    {%- elif group_by == 'month' -%}
        cast(cast({{ month_start(date_column) }} as date) as {{ dbt.type_string() }})
    {%- elif group_by == 'season' -%}
        cast(season_year as {{ dbt.type_string() }})
    {%- else -%}
        cast({{ group_by }} as {{ dbt.type_string() }})
    {%- endif -%}
{%- endmacro %}


{#- The band of an observed value: 'error' outside [error_min, error_max], 'warn'
    outside [ok_min, ok_max], null inside the ok band. A bound given as none does
    not apply. max_inclusive: reaching ok_max or error_max is already outside
    (the months gate: "no month at 90% NULL or more"). -#}
{% macro nba_band(
    observed, ok_min=none, ok_max=none, error_min=none, error_max=none,
    max_inclusive=false
) -%}
    {%- set above = '>=' if max_inclusive else '>' -%}
    case
        {%- if error_max is not none %}
        when {{ observed }} {{ above }} {{ error_max }} then 'error'
        {%- endif %}
        {%- if error_min is not none %}
        when {{ observed }} < {{ error_min }} then 'error'
        {%- endif %}
        {%- if ok_max is not none %}
        when {{ observed }} {{ above }} {{ ok_max }} then 'warn'
        {%- endif %}
        {%- if ok_min is not none %}
        when {{ observed }} < {{ ok_min }} then 'warn'
        {%- endif %}
    end
{%- endmacro %}


{#- The bound an observed value broke, for the diagnostic column. -#}
{% macro nba_band_bound(
    observed, ok_min=none, ok_max=none, error_min=none, error_max=none,
    max_inclusive=false
) -%}
    {%- set above = '>=' if max_inclusive else '>' -%}
    case
        {%- if error_max is not none %}
        when {{ observed }} {{ above }} {{ error_max }} then {{ error_max }}
        {%- endif %}
        {%- if error_min is not none %}
        when {{ observed }} < {{ error_min }} then {{ error_min }}
        {%- endif %}
        {%- if ok_max is not none %}
        when {{ observed }} {{ above }} {{ ok_max }} then {{ ok_max }}
        {%- endif %}
        {%- if ok_min is not none %}
        when {{ observed }} < {{ ok_min }} then {{ ok_min }}
        {%- endif %}
    end
{%- endmacro %}


{#- Band tests return one row per group outside the ok band, and the failure
    count dbt compares is the worst band: 0 all ok, 1 a warn band, 2 an error band.
    So warn_if '>= 1' and error_if '>= 2' map the bands onto dbt's severities. -#}
{% macro nba_band_test_config() -%}
    {{ config(
        fail_calc="coalesce(max(case band when 'error' then 2 when 'warn' then 1 else 0 end), 0)",
        warn_if=">= 1",
        error_if=">= 2",
    ) }}
{%- endmacro %}
