with

gamebook as (

    select * from {{ ref('int_gamebook_players__lookups_resolved') }}

),

boxscores as (

    select * from {{ ref('stg_nba_raw__bdl_player_boxscores') }}

),

unioned as (

    select
        game_date,
        game_id,
        player_lookup,
        player_name as player_full_name,
        team_abbr,
        'nbac_gamebook' as source_name,
        1 as source_priority,
        player_status,
        dnp_reason,
        minutes_seconds,
        {% for column in box_score_stat_columns() -%}
            {{ column }},
        {% endfor -%}
        processed_at
    from gamebook

    union all

    select
        game_date,
        game_id,
        player_lookup,
        player_full_name,
        team_abbr,
        'bdl_boxscores' as source_name,
        2 as source_priority,
        -- the feed has no status: 0 minutes and no stats means did not play
        case
            when
                {{ fallback_did_not_play(
                    'minutes_seconds', 'has_recorded_stats'
                ) }}
                then 'dnp'
            else 'active'
        end as player_status,
        cast(null as {{ dbt.type_string() }}) as dnp_reason,
        minutes_seconds,
        {% for column in box_score_stat_columns(include_plus_minus=false) -%}
            {{ column }},
        {% endfor -%}
        cast(null as {{ dbt.type_bigint() }}) as plus_minus,
        processed_at
    from boxscores

),

ranked as (

    -- priority is per player, not per game: a player only the fallback lists is
    -- kept even when the gamebook has the game (game-level-fallback)
    select
        *,
        row_number() over (
            partition by game_date, game_id, player_lookup
            order by source_priority
        ) as source_rank,
        max(
            case when source_name = 'bdl_boxscores' then minutes_seconds end
        ) over (
            partition by game_date, game_id, player_lookup
        ) as fallback_minutes_seconds
    from unioned

),

merged as (

    select
        game_date,
        game_id,
        player_lookup,
        player_full_name,
        team_abbr,
        player_status,
        player_status = 'active' as is_active,
        dnp_reason,
        -- a gamebook row that lost its minutes takes the fallback's; a player
        -- who did not play has no minutes and no stats, whatever the feed sent
        case
            when player_status = 'active'
                then coalesce(minutes_seconds, fallback_minutes_seconds)
        end as minutes_seconds,
        {% for column in box_score_stat_columns() -%}
            case when player_status = 'active' then {{ column }} end
                as {{ column }},
        {% endfor -%}
        -- minutes taken from the fallback make the row a fallback row: only a
        -- row whose every value came from the gamebook says nbac_gamebook
        case
            when
                source_name = 'nbac_gamebook'
                and player_status = 'active'
                and minutes_seconds is null
                and fallback_minutes_seconds is not null
                then 'nbac_gamebook_bdl_minutes'
            else source_name
        end as primary_source_used,
        processed_at
    from ranked
    where source_rank = 1

)

select * from merged
