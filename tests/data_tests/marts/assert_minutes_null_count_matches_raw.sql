-- NULL count from raw: per game, the summary's rows without minutes are as many
-- as the listed players who have no minutes in the raw feeds: those who did
-- not play (the gamebook's dnp and inactive, a fallback-only player with 0
-- minutes and no stats) and a player who played but whom no feed gives
-- minutes. The expected count comes from the raw rows of the same range, so
-- it holds for any feed, with or without inactive players, where the fixed
-- NULL band of 35-45% does not (wrong-validation-bands). NULL minutes for a
-- player the feeds say played breaks it (mmss-coercion). One row per game
-- with both counts.

with

listed as (

    select * from {{ ref('int_player_games__raw_listing') }}
    where {{ backfill_range_filter('game_date') }}

),

summary as (

    select
        game_date,
        game_id,
        minutes_played
    from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}

),

expected as (

    select
        game_date,
        game_id,
        count(*) as listed_players,
        sum(
            case
                when
                    did_not_play
                    or coalesce(
                        gamebook_minutes_seconds, boxscore_minutes_seconds
                    ) is null
                    then 1
                else 0
            end
        ) as expected_without_minutes
    from listed
    group by game_date, game_id

),

observed as (

    select
        game_date,
        game_id,
        count(*) as summary_rows,
        sum(case when minutes_played is null then 1 else 0 end)
            as observed_without_minutes
    from summary
    group by game_date, game_id

),

compared as (

    select
        coalesce(expected.game_date, observed.game_date) as game_date,
        coalesce(expected.game_id, observed.game_id) as game_id,
        coalesce(expected.listed_players, 0) as listed_players,
        coalesce(observed.summary_rows, 0) as summary_rows,
        coalesce(expected.expected_without_minutes, 0)
            as expected_without_minutes,
        coalesce(observed.observed_without_minutes, 0)
            as observed_without_minutes
    from expected
    full outer join observed
        on
            expected.game_date = observed.game_date
            and expected.game_id = observed.game_id

)

select * from compared
where expected_without_minutes != observed_without_minutes
