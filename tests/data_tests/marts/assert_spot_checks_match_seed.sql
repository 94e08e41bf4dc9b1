-- Spot checks: every seeded known (game, player) in range is in the summary
-- with exactly the seeded minutes_played and points (null-safe: a dnp's are
-- null). The seed's minutes were worked out by hand from the raw strings, so a
-- parsing, rounding or source-priority change shows up here (mmss-coercion,
-- zero-as-missing, integer-rounding, game-level-fallback; docs/domain.md).
-- Only seeded games that are on the loaded schedule as summarised games are
-- checked, so a smaller window of data skips the others. One row per mismatch
-- with both values.

with

expected as (

    select
        seed.game_date,
        seed.game_id,
        seed.player_lookup,
        seed.minutes_raw,
        cast(seed.minutes_played as {{ type_decimal() }}) as expected_minutes,
        cast(seed.points as {{ dbt.type_bigint() }}) as expected_points
    from {{ ref('spot_checks') }} as seed
    where
        {{ backfill_range_filter('seed.game_date') }}
        and seed.game_id in (
            select games.game_id
            from {{ ref('int_games__schedule_facts') }} as games
            where games.is_summarised
        )

),

summary as (

    select
        game_date,
        game_id,
        player_lookup,
        minutes_played,
        points
    from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}

)

select
    expected.game_id,
    expected.player_lookup,
    expected.minutes_raw,
    expected.expected_minutes,
    summary.minutes_played as observed_minutes,
    expected.expected_points,
    summary.points as observed_points,
    case
        when summary.player_lookup is null then 'missing from the summary'
        else 'values differ'
    end as problem
from expected
left join summary
    on
        expected.game_date = summary.game_date
        and expected.game_id = summary.game_id
        and expected.player_lookup = summary.player_lookup
where
    summary.player_lookup is null
    or not (
        coalesce(cast(summary.minutes_played as {{ type_decimal() }}), -1)
        = coalesce(expected.expected_minutes, -1)
        and coalesce(summary.points, -1)
        = coalesce(expected.expected_points, -1)
    )
