{#- The vars that end up inside SQL, each with its rule, in one place. A var is
    checked before it is used and never pasted as given: identifiers must match
    a strict pattern (the adapter quotes them too), gate_* vars must be numbers
    (or dates) in their allowed range. -#}

{#- Identifier vars: schema and database names of the raw data. -#}
{% macro identifier_var_rules() %}
    {{ return({
        'raw_schema': {
            'pattern': '^[A-Za-z_][A-Za-z0-9_]{0,127}$',
            'rule': 'letters, digits and underscores, not starting with a digit',
            'nullable': false,
        },
        'raw_database': {
            'pattern': '^[A-Za-z_][A-Za-z0-9_-]{0,127}$',
            'rule': 'letters, digits, underscores and hyphens (a BigQuery '
                ~ 'project id or a DuckDB catalog name), or null',
            'nullable': true,
        },
    }) }}
{% endmacro %}


{#- Allowed range of each gate var (both ends inclusive); kind fraction, number
    or integer for a value, date for a YYYY-MM-DD date. -#}
{% macro gate_var_rules() %}
    {%- set fraction = {'kind': 'number', 'min': 0, 'max': 1} -%}
    {%- set ratio = {'kind': 'number', 'min': 0, 'max': 2} -%}
    {%- set count = {'kind': 'integer', 'min': 0, 'max': 100000000} -%}
    {%- set day = {'kind': 'date'} -%}
    {{ return({
        'gate_preflight_raw_null_warn': fraction,
        'gate_preflight_raw_null_error': fraction,
        'gate_sample_start_date': day,
        'gate_sample_end_date': day,
        'gate_sample_null_ok_min': fraction,
        'gate_sample_null_ok_max': fraction,
        'gate_sample_null_warn_max': fraction,
        'gate_played_minutes_null_max': fraction,
        'gate_null_band_ok_min': fraction,
        'gate_null_band_ok_max': fraction,
        'gate_null_band_warn_max': fraction,
        'gate_volume_min': count,
        'gate_volume_max': count,
        'gate_volume_games': {'kind': 'integer', 'min': 1, 'max': 1000000},
        'gate_coverage_ok_min': ratio,
        'gate_coverage_ok_max': ratio,
        'gate_coverage_warn_min': ratio,
        'gate_month_null_max': fraction,
        'gate_team_minutes_tolerance': {'kind': 'number', 'min': 0, 'max': 60},
        'gate_minutes_max': {'kind': 'number', 'min': 1, 'max': 120},
        'gate_points_max': {'kind': 'number', 'min': 1, 'max': 300},
    }) }}
{% endmacro %}


{#- The value of identifier var name, or a compile error naming it and its rule. -#}
{% macro validated_identifier_var(name) %}
    {%- set rule = identifier_var_rules()[name] -%}
    {%- set value = var(name, none) -%}
    {%- if value is none and rule.nullable -%}
        {{ return(none) }}
    {%- endif -%}
    {%- if value is not string
        or not modules.re.match(rule.pattern, value) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " = " ~ tojson(value) ~ " is not a valid identifier: "
            ~ "it must be " ~ rule.rule ~ " (pattern " ~ rule.pattern ~ ")"
        ) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}


{#- Every identifier var at once. Called from generate_schema_name, which dbt runs
    for every node while it parses: the sources render these vars at parse time,
    so the check has to fire there, before anything compiles. -#}
{% macro validate_identifier_vars() %}
    {%- for name in identifier_var_rules() -%}
        {%- do validated_identifier_var(name) -%}
    {%- endfor -%}
{% endmacro %}


{#- The value of gate var name as a number (a date for a date gate), or a compile
    error naming it and its allowed range. A quoted number ("70") is refused: it
    would be repeated as text wherever the var is multiplied or pasted. -#}
{% macro gate_value(name) %}
    {%- set rule = gate_var_rules()[name] -%}
    {%- set value = var(name, none) -%}
    {%- if rule.kind == 'date' -%}
        {%- if value is none -%}
            {{ exceptions.raise_compiler_error("var " ~ name ~ " is missing") }}
        {%- endif -%}
        {{ return(parse_backfill_date(name, value)) }}
    {%- endif -%}
    {%- set expected = 'a whole number' if rule.kind == 'integer' else 'a number' -%}
    {%- set allowed = expected ~ ' from ' ~ rule.min ~ ' to ' ~ rule.max
        ~ ', unquoted' -%}
    {%- if value is none or value is boolean or value is not number
        or (rule.kind == 'integer' and value != (value | int)) -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " = " ~ tojson(value) ~ " is not " ~ expected
            ~ ": it must be " ~ allowed
        ) }}
    {%- endif -%}
    {%- if value < rule.min or value > rule.max -%}
        {{ exceptions.raise_compiler_error(
            "var " ~ name ~ " = " ~ value ~ " is out of range: it must be "
            ~ allowed
        ) }}
    {%- endif -%}
    {{ return(value) }}
{% endmacro %}


{#- Every gate var at once (on-run-start and the runner's input check). -#}
{% macro validate_gate_vars() %}
    {%- for name in gate_var_rules() -%}
        {%- do gate_value(name) -%}
    {%- endfor -%}
{% endmacro %}
