{{
    config(
        incremental_strategy=backfill_incremental_strategy(),
        partition_by=partition_by_day('game_date'),
        cluster_by=['player_lookup', 'team_abbr'],
        meta={'replace_range_column': 'game_date'},
        event_time='game_date',
        batch_size=backfill_batch_size(),
        begin='1946-11-01',
        concurrent_batches=backfill_concurrent_batches(),
        post_hook="{{ log_range_figures('game_date') }}",
    )
}}

-- staging and intermediate are ephemeral: they compile into this query with the
-- run's own vars, and staging limits every raw scan to the backfill range. The
-- filters below hold each chunk to its range when the runner has staged them as
-- tables over a wider one (var stage_upstream).

with

player_games as (

    select * from {{ ref('int_player_games__merged') }}
    where {{ backfill_range_filter('game_date') }}

),

team_totals as (

    select * from {{ ref('int_team_games__box_totals') }}
    where {{ backfill_range_filter('game_date') }}

),

games as (

    select * from {{ ref('int_games__schedule_facts') }}
    where
        is_summarised
        and {{ backfill_range_filter('game_date') }}

),

acknowledged_defects as (

    select * from {{ ref('acknowledged_raw_defects') }}

),

incomplete_team_games as (

    -- a team-game with an acknowledged raw defect: its box score is known to
    -- be incomplete, so the ML training set can leave its rows out
    select distinct
        game_id,
        team_abbr
    from acknowledged_defects

),

player_games_in_summarised_games as (

    -- the inner join drops preseason, All-Star and never-played games
    select
        player_games.*,
        games.nba_game_id,
        games.season_year,
        games.season_type,
        games.home_team_abbr,
        games.away_team_abbr,
        games.team_minutes
    from player_games
    inner join games
        on
            player_games.game_date = games.game_date
            and player_games.game_id = games.game_id

),

with_team_totals as (

    select
        player_games_in_summarised_games.*,
        team_totals.team_fg_attempts,
        team_totals.team_ft_attempts,
        team_totals.team_turnovers,
        incomplete_team_games.game_id is not null
            as is_team_box_score_incomplete
    from player_games_in_summarised_games
    left join team_totals
        on
            player_games_in_summarised_games.game_date = team_totals.game_date
            and player_games_in_summarised_games.game_id = team_totals.game_id
            and player_games_in_summarised_games.team_abbr
            = team_totals.team_abbr
    left join incomplete_team_games
        on
            player_games_in_summarised_games.game_id
            = incomplete_team_games.game_id
            and player_games_in_summarised_games.team_abbr
            = incomplete_team_games.team_abbr

),

described as (

    select
        *,
        team_abbr = home_team_abbr as is_home,
        case
            when team_abbr = home_team_abbr
                then away_team_abbr
            else home_team_abbr
        end as opponent_team_abbr,
        case
            when player_status = 'active' then null
            when
                lower(dnp_reason) like '%injur%'
                or lower(dnp_reason) like '%illness%' then 'injury'
            when lower(dnp_reason) like '%rest%' then 'rest'
            when lower(dnp_reason) like '%personal%' then 'personal'
            when lower(dnp_reason) like '%coach%' then 'coach_decision'
            when
                lower(dnp_reason) like 'nwt%'
                or lower(dnp_reason) like '%not with team%' then 'not_with_team'
            else 'other'
        end as dnp_reason_category,
        {{ seconds_to_minutes('minutes_seconds') }} as minutes_played,
        -- usage_rate scales by the team's real minutes: 240 + 25 per overtime
        (fg_attempts + 0.44 * ft_attempts + turnovers)
        * (team_minutes / 5.0)
        / nullif(
            (minutes_seconds / 60.0)
            * (team_fg_attempts + 0.44 * team_ft_attempts + team_turnovers),
            0
        ) * 100 as usage_rate_unrounded,
        points / nullif(2 * (fg_attempts + 0.44 * ft_attempts), 0)
            as ts_pct_unrounded,
        (fg_makes + 0.5 * three_pt_makes) / nullif(fg_attempts, 0)
            as efg_pct_unrounded
    from with_team_totals

),

final as (

    select
        ----------  ids
        player_lookup,
        player_full_name,
        game_id,
        nba_game_id,

        ----------  game
        game_date,
        season_year,
        season_type,
        team_abbr,
        opponent_team_abbr,
        is_home,

        ----------  status
        player_status,
        is_active,
        dnp_reason,
        dnp_reason_category,

        ----------  box score
        minutes_played,
        {% for column in box_score_stat_columns() -%}
            {{ column }},
        {% endfor %}
        ----------  rates
        cast(round(ts_pct_unrounded, 3) as {{ type_decimal() }}) as ts_pct,
        cast(round(efg_pct_unrounded, 3) as {{ type_decimal() }}) as efg_pct,
        cast(round(usage_rate_unrounded, 1) as {{ type_decimal() }})
            as usage_rate,

        ----------  lineage
        primary_source_used,
        case primary_source_used
            when 'nbac_gamebook' then 'gold' else 'silver'
        end as data_quality_tier,
        is_team_box_score_incomplete,
        {{ row_hash([
            'player_lookup', 'player_full_name', 'game_id', 'team_abbr',
            'player_status', 'dnp_reason', 'minutes_seconds',
        ] + box_score_stat_columns() + [
            'primary_source_used', 'is_team_box_score_incomplete',
        ]) }} as data_hash,
        -- the source row's load time, not the run's: reruns give the same rows
        processed_at

    from described

)

select * from final
