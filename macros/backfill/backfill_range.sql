{#- The backfill range comes only from the vars start_date / end_date. Each value is
    parsed into a real calendar date and re-rendered, so a var is never pasted into
    SQL as given. Rendered at run time, so it holds when one manifest is reused for
    many invocations with different vars. -#}
{% macro parse_backfill_date(var_name, value) %}
    {%- set text = value | string | trim -%}
    {%- if not modules.re.match('^[0-9]{4}-[0-9]{2}-[0-9]{2}$', text) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " = '" ~ text ~ "' is not a date: expected "
            ~ "YYYY-MM-DD, e.g. 2022-01-10"
        ) }}
    {%- endif -%}
    {%- set year, month, day = text.split('-') | map('int') -%}
    {#- Jinja cannot catch the ValueError of an impossible date, so check first. -#}
    {%- set is_leap = (year % 4 == 0 and year % 100 != 0) or year % 400 == 0 -%}
    {%- set month_days = [31, 29 if is_leap else 28, 31, 30, 31, 30,
                          31, 31, 30, 31, 30, 31] -%}
    {%- if month < 1 or month > 12 or day < 1 or day > month_days[month - 1] -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ var_name ~ " = '" ~ text ~ "' is not a calendar date"
        ) }}
    {%- endif -%}
    {{ return(modules.datetime.date(year, month, day)) }}
{% endmacro %}


{% macro backfill_range() %}
    {%- set start_value = var('start_date', none) -%}
    {%- set end_value = var('end_date', none) -%}
    {%- if start_value is none and end_value is none -%}
        {{ return({'is_set': false, 'start_date': none, 'end_date': none}) }}
    {%- endif -%}
    {%- for name, value in [('start_date', start_value), ('end_date', end_value)] -%}
        {%- if value is none or (value | string | trim) == '' -%}
            {{ exceptions.raise_compiler_error(
                "var " ~ name ~ " is missing: give both start_date and end_date "
                ~ "(YYYY-MM-DD, inclusive)"
            ) }}
        {%- endif -%}
    {%- endfor -%}
    {%- set start_date = parse_backfill_date('start_date', start_value) -%}
    {%- set end_date = parse_backfill_date('end_date', end_value) -%}
    {%- if start_date > end_date -%}
        {{ exceptions.raise_compiler_error(
            "vars start_date = " ~ start_date ~ " and end_date = " ~ end_date
            ~ " are reversed: start_date must be on or before end_date"
        ) }}
    {%- endif -%}
    {{ return({
        'is_set': true,
        'start_date': start_date.isoformat(),
        'end_date': end_date.isoformat(),
    }) }}
{% endmacro %}


{#- A boolean SQL expression limiting column to the backfill range. Without a range
    (no vars, or --full-refresh, which rebuilds all the raw data) it still names the
    column, because BigQuery refuses a scan of a table that requires a partition
    filter without one. -#}
{% macro backfill_range_filter(column, ignore_full_refresh=false) %}
    {%- set range = backfill_range() -%}
    {%- if not range.is_set or (flags.FULL_REFRESH and not ignore_full_refresh) -%}
        ({{ column }} >= cast('1900-01-01' as date))
    {%- else -%}
        ({{ column }} between cast('{{ range.start_date }}' as date)
            and cast('{{ range.end_date }}' as date))
    {%- endif -%}
{% endmacro %}


{#- on-run-start: check the vars before anything is built, so a bad range or gate
    writes nothing. run and build also need a range unless they rebuild
    everything. -#}
{% macro validate_backfill_vars() %}
    {%- if execute -%}
        {%- do validate_identifier_vars() -%}
        {%- do validate_gate_vars() -%}
        {%- set range = backfill_range() -%}
        {%- if not range.is_set and flags.WHICH in ['run', 'build']
            and not flags.FULL_REFRESH -%}
            {{ exceptions.raise_compiler_error(
                "vars start_date and end_date are required for dbt " ~ flags.WHICH
                ~ " (e.g. --vars '{start_date: 2022-01-10, end_date: 2022-01-17}'),"
                ~ " or pass --full-refresh to rebuild everything"
            ) }}
        {%- endif -%}
    {%- endif -%}

{% endmacro %}
