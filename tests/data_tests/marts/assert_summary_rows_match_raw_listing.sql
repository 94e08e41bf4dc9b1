-- Rows from raw: the summary has exactly one row per (game, player) that
-- either feed lists for the summarised games of the range, from the newest
-- load of each feed (int_player_games__raw_listing). The expected rows come
-- from the raw rows of the same range, so this holds for any range, season or
-- feed, where a fixed volume band describes one feed over one window
-- (wrong-validation-bands).
-- A dropped player, a row left over from an older load or a duplicated row
-- breaks it. One row per (game, player) with the feeds listing it and the
-- summary rows found.

with

listed as (

    select
        game_date,
        game_id,
        player_lookup,
        case
            when is_listed_by_gamebook and is_listed_by_boxscores then 'both'
            when is_listed_by_gamebook then 'nbac_gamebook'
            else 'bdl_boxscores'
        end as listed_by
    from {{ ref('int_player_games__raw_listing') }}
    where {{ backfill_range_filter('game_date') }}

),

summary as (

    select
        game_date,
        game_id,
        player_lookup
    from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}

),

summary_rows as (

    select
        game_date,
        game_id,
        player_lookup,
        count(*) as summary_rows
    from summary
    group by game_date, game_id, player_lookup

),

compared as (

    select
        coalesce(listed.game_date, summary_rows.game_date) as game_date,
        coalesce(listed.game_id, summary_rows.game_id) as game_id,
        coalesce(listed.player_lookup, summary_rows.player_lookup)
            as player_lookup,
        coalesce(listed.listed_by, 'none') as listed_by,
        coalesce(summary_rows.summary_rows, 0) as summary_rows
    from listed
    full outer join summary_rows
        on
            listed.game_date = summary_rows.game_date
            and listed.game_id = summary_rows.game_id
            and listed.player_lookup = summary_rows.player_lookup

)

select
    game_date,
    game_id,
    player_lookup,
    listed_by,
    summary_rows
from compared
where listed_by = 'none' or summary_rows != 1
