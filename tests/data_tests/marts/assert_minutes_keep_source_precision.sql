-- Minutes keep the source's precision (integer-rounding: "36:30" stored as 36,
-- banker's rounding; mmss-coercion: "MM:SS" lost altogether; see
-- docs/domain.md). For every gold row whose gamebook minutes were read,
-- minutes_played is the raw seconds / 60 rounded half up to 0.1, i.e. within
-- 0.05 minutes. One row per row that is not, with the raw value.

with

summary as (

    select * from {{ ref('player_game_summary') }}
    where
        {{ backfill_range_filter('game_date') }}
        and primary_source_used = 'nbac_gamebook'
        and is_active

),

gamebook as (

    select
        game_date,
        game_id,
        player_lookup,
        minutes_raw,
        minutes_seconds
    from {{ ref('int_gamebook_players__lookups_resolved') }}
    where
        {{ backfill_range_filter('game_date') }}
        and minutes_parse_status = 'parsed'

)

select
    summary.game_date,
    summary.game_id,
    summary.player_lookup,
    gamebook.minutes_raw,
    gamebook.minutes_seconds,
    summary.minutes_played
from summary
inner join gamebook
    on
        summary.game_date = gamebook.game_date
        and summary.game_id = gamebook.game_id
        and summary.player_lookup = gamebook.player_lookup
where
    summary.minutes_played is null
    or abs(summary.minutes_played - gamebook.minutes_seconds / 60.0) > 0.0501
