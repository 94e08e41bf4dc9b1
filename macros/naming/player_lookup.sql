{#- player_lookup from a display name (domain.md, player_lookup): accented letters
    become their ASCII base, then lower case, then every character outside [a-z0-9]
    goes. Suffixes (jr, sr, ii, iii) stay, as they are letters. -#}
{% macro player_lookup(name_expression) %}
    {{- return(adapter.dispatch('player_lookup', 'nba_backfill')(name_expression)) -}}
{% endmacro %}

{% macro default__player_lookup(name_expression) -%}
    {{ regex_remove('lower(strip_accents(' ~ name_expression ~ '))', '[^a-z0-9]') }}
{%- endmacro %}

{% macro bigquery__player_lookup(name_expression) -%}
    {#- NFKD splits a letter from its accent; the accent is then outside [a-z0-9]. -#}
    {{ regex_remove('lower(normalize(' ~ name_expression ~ ', NFKD))', '[^a-z0-9]') }}
{%- endmacro %}
