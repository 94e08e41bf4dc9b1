{#- Minute parsing, one place for every encoding real feeds use
    (docs/domain.md, Minute encodings).

    parse_minutes_seconds(column) -> whole seconds, or null when the value says the
    player did not play or cannot be read at all. It never coerces: a value it does
    not recognise stays null and minutes_parse_status() calls it corrupt.

      "35:42", "0:48"   clock, seconds 0-60 ("13:60" reads as 14:00)
      "28", "05", "00"  whole minutes ("00" is 0, never null: zero-as-missing)
      "31.27"           decimal minutes
      "PT34M12.00S"     ISO-8601 duration
      null, "", "-", "DNP"  did not play
-#}
{% macro parse_minutes_seconds(column) -%}
    {%- set value = 'trim(' ~ column ~ ')' -%}
    {%- set clock = '[0-9]{1,3}:[0-9]{1,2}' -%}
    {%- set iso = 'PT(?:[0-9]+H)?(?:[0-9]+M)?(?:[0-9]+(?:[.][0-9]+)?S)?' -%}
    case
        when {{ minutes_not_played(column) }} then null
        when {{ regex_full_match(value, clock) }}
            and cast({{ regex_capture(value, ':([0-9]+)$') }} as integer) <= 60
            then cast({{ regex_capture(value, '^([0-9]+):') }} as integer) * 60
            + cast({{ regex_capture(value, ':([0-9]+)$') }} as integer)
        when {{ regex_full_match(value, '[0-9]{1,3}') }}
            then cast({{ value }} as integer) * 60
        when {{ regex_full_match(value, '[0-9]{1,3}[.][0-9]+') }}
            then cast(round(cast({{ value }} as {{ type_decimal() }}) * 60, 0)
                as integer)
        when {{ regex_full_match(value, iso) }} and {{ value }} != 'PT'
            then coalesce(
                cast({{ regex_capture(value, '([0-9]+)H') }} as integer), 0
            ) * 3600
            + coalesce(
                cast({{ regex_capture(value, '([0-9]+)M') }} as integer), 0
            ) * 60
            + cast(round(coalesce(cast(
                {{ regex_capture(value, '([0-9]+(?:[.][0-9]+)?)S') }}
                as {{ type_decimal() }}), 0), 0) as integer)
    end
{%- endmacro %}


{#- True when the raw value says the player did not play. -#}
{% macro minutes_not_played(column) -%}
    ({{ column }} is null or upper(trim({{ column }})) in ('', '-', 'DNP'))
{%- endmacro %}


{#- What a raw value is, the one place that says so:
      'parsed'      a number of seconds from 0 to gate_minutes_max minutes
      'not_played'  a did-not-play value (null, "", "-", "DNP")
      'missing'     a did-not-play value on a row whose played_condition is true
                    (an active gamebook player without minutes)
      'corrupt'     unreadable or impossible: negative, seconds over 60 (other
                    than "13:60"), more than gate_minutes_max minutes
    Feeds without a status (Ball Don't Lie) pass no played_condition. -#}
{% macro minutes_parse_status(column, seconds_expression, played_condition=none) -%}
    {%- set max_minutes = gate_value('gate_minutes_max') -%}
    case
        {%- if played_condition is not none %}
        when {{ minutes_not_played(column) }} and {{ played_condition }}
            then 'missing'
        {%- endif %}
        when {{ minutes_not_played(column) }} then 'not_played'
        when {{ seconds_expression }} between 0 and {{ max_minutes * 60 }}
            then 'parsed'
        else 'corrupt'
    end
{%- endmacro %}


{#- Seconds to minutes at 0.1 precision, half up, computed on whole tenths so that
    both engines round the same way ("36:30" is 36.5, not 36:
    integer-rounding, docs/domain.md). -#}
{% macro seconds_to_minutes(seconds_expression) -%}
    cast(floor(({{ seconds_expression }} * 10 + 30) / 60) / 10 as {{ type_decimal() }})
{%- endmacro %}


{#- Every column of from_relation plus minutes_parse_status and minutes_seconds
    (null unless the value parsed), reading the raw value once per row.
    played_condition: see minutes_parse_status. -#}
{% macro select_with_parsed_minutes(
    from_relation, column='minutes', played_condition=none
) -%}
    select
        *,
        case
            when minutes_parse_status = 'parsed' then parsed_minutes_seconds
        end as minutes_seconds
    from (
        select
            *,
            {{ minutes_parse_status(
                column, 'parsed_minutes_seconds', played_condition
            ) }} as minutes_parse_status
        from (
            select
                *,
                {{ parse_minutes_seconds(column) }} as parsed_minutes_seconds
            from {{ from_relation }}
        ) as parsed
    ) as classified
{%- endmacro %}
