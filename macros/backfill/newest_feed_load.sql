{#- The rows of a player feed that count: its own lookup rebuilt from the display
    name with the one shared rule, the newest load of each game (one scraped file is
    one load, and it replaces older loads whole, dropped players included), and
    one row per player in it. game_date leads every window partition, so a date
    filter on a downstream query still reaches the raw scan. -#}
{% macro newest_feed_load(from_relation, player_name_column) -%}
    select *
    from (
        select
            *,
            dense_rank() over (
                partition by game_date, game_id
                order by load_processed_at desc, source_file_path desc
            ) as load_rank,
            row_number() over (
                partition by game_date, game_id, normalised_player_lookup
                order by load_processed_at desc, processed_at desc
            ) as player_rank
        from (
            select
                *,
                coalesce(
                    nullif({{ player_lookup(player_name_column) }}, ''),
                    player_lookup
                ) as normalised_player_lookup,
                max(processed_at) over (
                    partition by game_date, game_id, source_file_path
                ) as load_processed_at
            from {{ from_relation }}
        ) as normalised
    ) as ranked
    where load_rank = 1 and player_rank = 1
{%- endmacro %}
