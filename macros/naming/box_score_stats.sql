{#- The counting stats every player row carries, named as in player_game_summary.
    One list, so the merge, the status rules and the hash cannot drift apart. -#}
{% macro box_score_stat_columns(include_plus_minus=true) %}
    {%- set columns = [
        'points', 'fg_makes', 'fg_attempts', 'three_pt_makes', 'three_pt_attempts',
        'ft_makes', 'ft_attempts', 'offensive_rebounds', 'defensive_rebounds',
        'total_rebounds', 'assists', 'steals', 'blocks', 'turnovers',
        'personal_fouls',
    ] -%}
    {%- if include_plus_minus -%}
        {%- do columns.append('plus_minus') -%}
    {%- endif -%}
    {{ return(columns) }}
{% endmacro %}
