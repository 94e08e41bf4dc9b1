{#- Ball Don't Lie has no status: a fallback row with 0 minutes and no recorded
    stat is a player who did not play. The merge classes fallback rows by it
    and the raw-derived NULL-count check counts them by it. -#}
{% macro fallback_did_not_play(minutes_column, has_stats_column) -%}
    (coalesce({{ minutes_column }}, 0) = 0 and not {{ has_stats_column }})
{%- endmacro %}
