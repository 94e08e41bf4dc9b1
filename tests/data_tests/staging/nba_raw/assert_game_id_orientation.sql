-- game_id orientation (game-id-orientation, docs/domain.md: one table wrote
-- YYYYMMDD_HOME_AWAY, joins matched 49.7% of games and nothing failed). Every
-- feed's game_id is the canonical YYYYMMDD_AWAY_HOME: eight digits equal to the
-- game date, then the feed's own away and home teams, two different codes. The
-- schedule's rebuilt id follows the same rule. One row per wrong id: the feed,
-- the id, what it should be, and why.

with

feed_games as (

    select distinct
        'nbac_gamebook' as feed,
        game_date,
        game_id,
        away_team_abbr,
        home_team_abbr
    from {{ ref('stg_nba_raw__nbac_gamebook_player_stats') }}
    where {{ backfill_range_filter('game_date') }}

    union all

    select distinct
        'bdl_boxscores' as feed,
        game_date,
        game_id,
        away_team_abbr,
        home_team_abbr
    from {{ ref('stg_nba_raw__bdl_player_boxscores') }}
    where {{ backfill_range_filter('game_date') }}

    union all

    select
        'nbac_schedule' as feed,
        game_date,
        game_id,
        away_team_abbr,
        home_team_abbr
    from {{ ref('stg_nba_raw__nbac_schedule') }}
    where {{ backfill_range_filter('game_date') }}

),

checked as (

    select
        *,
        {{ dbt.concat([
            date_to_yyyymmdd('game_date'), "'_'", 'away_team_abbr', "'_'",
            'home_team_abbr',
        ]) }} as expected_game_id,
        {{ dbt.concat([
            date_to_yyyymmdd('game_date'), "'_'", 'home_team_abbr', "'_'",
            'away_team_abbr',
        ]) }} as flipped_game_id
    from feed_games

)

select
    feed,
    game_date,
    game_id,
    expected_game_id,
    case
        when game_id = flipped_game_id then 'HOME_AWAY orientation'
        when not {{ regex_full_match('game_id', '[0-9]{8}_[A-Z]{3}_[A-Z]{3}') }}
            then 'not YYYYMMDD_XXX_YYY'
        when away_team_abbr = home_team_abbr then 'same team twice'
        else 'date or teams differ from the row'
    end as problem
from checked
where
    game_id is null
    or game_id != expected_game_id
    or away_team_abbr = home_team_abbr
