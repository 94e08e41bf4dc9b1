{#- A team's minutes add up to the game's team minutes (240 plus 25 per
    overtime) within a tolerance.

    games_model gives the expected minutes per game (expected_minutes_column).
    Minutes read from "MM:SS" are exact but stored at 0.1 precision, so tolerance
    covers the rounding. A whole-minute value (the fallback feed's "28") can be off
    by up to a minute, so each row meeting whole_minute_condition widens the
    tolerance by whole_minute_row_tolerance. A team whose played minutes are NULL
    fails: NULL minutes are how the original incident looked. One row per team
    outside: game, team, observed and expected minutes, allowed difference.
    acknowledged_as (the test's own name) lets seeds/acknowledged_raw_defects.csv
    excuse a team-game whose raw box score is known to be incomplete. -#}
{% test team_minutes_add_up(
    model, column_name, games_model, expected_minutes_column='team_minutes',
    tolerance=1.0, row_condition='is_active', whole_minute_condition=none,
    whole_minute_row_tolerance=1.0, team_column='team_abbr',
    date_column='game_date', acknowledged_as=none
) %}

{% set violation_ctes %}
team_minutes as (

    select
        {{ date_column }} as game_date,
        game_id,
        {{ team_column }} as team_abbr,
        count(*) as rows_counted,
        sum(case when {{ column_name }} is null then 1 else 0 end) as null_rows,
        sum({{ column_name }}) as observed_minutes,
        sum(
            case
                when {{ whole_minute_condition or 'false' }} then 1 else 0
            end
        ) as whole_minute_rows
    from {{ model }}
    where {{ nba_row_condition(row_condition) }}
    group by 1, 2, 3

),

games as (

    select
        game_date,
        game_id,
        {{ expected_minutes_column }} as expected_minutes
    from {{ games_model }}
    where {{ nba_test_scope('game_date') }}

),

compared as (

    select
        team_minutes.*,
        games.expected_minutes,
        {{ tolerance }}
        + {{ whole_minute_row_tolerance }} * team_minutes.whole_minute_rows
            as allowed_difference
    from team_minutes
    inner join games
        on
            team_minutes.game_date = games.game_date
            and team_minutes.game_id = games.game_id

),

violations as (

    select
        game_date,
        game_id,
        team_abbr,
        rows_counted,
        null_rows,
        observed_minutes,
        expected_minutes,
        allowed_difference
    from compared
    where
        null_rows > 0
        or observed_minutes is null
        or abs(observed_minutes - expected_minutes) > allowed_difference

)
{% endset %}

{{ acknowledged_defects_query(
    violation_ctes,
    ['rows_counted', 'null_rows', 'observed_minutes', 'expected_minutes',
     'allowed_difference'],
    acknowledged_as,
) }}

{% endtest %}
