{#- Shared pieces of the validation tests: the rows a test looks at, the group a
    row falls into, and the band an observed value lands in. -#}

{#- The rows a test looks at: its row condition, or (1 = 1) without one. The
    backfill range is not needed here: get_where_subquery scopes the tested
    model. -#}
{% macro nba_row_condition(row_condition=none) -%}
    {%- if row_condition %}({{ row_condition }}){% else %}(1 = 1){% endif -%}
{%- endmacro %}


{#- The rows of a relation a test reads besides its model (a schedule, a raw
    feed): the backfill range on date_column and an optional row condition. -#}
{% macro nba_test_scope(date_column, row_condition=none) -%}
    {{ backfill_range_filter(date_column) }} and {{ nba_row_condition(row_condition) }}
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


{#- The chunk period a test judges a row in (var backfill_test_period). The
    runner builds the day chunks of a month, or the month chunks of a season,
    in one dbt build (one range replacement) and runs their tests once over all
    of them, with this var set to the chunk size: every rule that aggregates
    rows (a rate, a count, a key) groups by the period as well, so each chunk
    gets the verdict it would get alone and a bad day cannot hide inside a good
    month, nor a bad month inside a good season. Unset (a plain dbt build,
    every other step of the runner) the whole scope is one period. -#}
{% macro nba_test_period_unit() -%}
    {%- set unit = var('backfill_test_period', none) -%}
    {%- if unit not in [none, 'day', 'month'] -%}
        {{ exceptions.raise_compiler_error(
            "var backfill_test_period = '" ~ unit ~ "' is not a period: "
            ~ "expected day or month (or leave it unset: the whole range)"
        ) }}
    {%- endif -%}
    {{ return(unit) }}
{%- endmacro %}


{#- The period of a row, as a date: its day or the first of its month, or null
    when the whole scope is one period (nba_test_period_unit). -#}
{% macro nba_test_period(date_column) -%}
    {%- set unit = nba_test_period_unit() -%}
    {%- if unit == 'day' -%}
        cast({{ date_column }} as date)
    {%- elif unit == 'month' -%}
        cast({{ month_start(date_column) }} as date)
    {%- else -%}
        cast(null as date)
    {%- endif -%}
{%- endmacro %}


{#- The band an observed value lands in and the bound it broke, as two columns:
    band is 'error' outside [error_min, error_max], 'warn' outside
    [ok_min, ok_max], null inside the ok band; violated_bound is the bound
    broken. A bound given as none does not apply. max_inclusive: reaching ok_max
    or error_max is already outside (the months gate: "no month at 90% NULL or
    more"). -#}
{% macro nba_band_columns(
    observed, ok_min=none, ok_max=none, error_min=none, error_max=none,
    max_inclusive=false
) -%}
    {%- set above = '>=' if max_inclusive else '>' -%}
    {%- set checks = [
        (above, error_max, "'error'"), ('<', error_min, "'error'"),
        (above, ok_max, "'warn'"), ('<', ok_min, "'warn'"),
    ] -%}
    {%- for column in ['band', 'violated_bound'] %}
    case
        {%- for operator, bound, band in checks if bound is not none %}
        when {{ observed }} {{ operator }} {{ bound }}
            then {{ band if column == 'band' else bound }}
        {%- endfor %}
    end as {{ column }}{{ ',' if not loop.last }}
    {%- endfor %}
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
