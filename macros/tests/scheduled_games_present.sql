{#- Every scheduled game that should be summarised has rows for both teams
    (a partial write of 2 of 16 teams must not pass as success).

    schedule_model needs game_id (canonical), game_date and the home and away
    team columns; schedule_condition picks the games that must be present (for
    the summary, int_games__schedule_facts.is_summarised). One row per missing
    team of a game: the game, the team and the rows found for it (0).
    acknowledged_as (the test's own name) lets seeds/acknowledged_raw_defects.csv
    excuse a team-game that no raw feed has a box score for. -#}
{% test scheduled_games_present(
    model, schedule_model, schedule_condition=none,
    team_column='team_abbr', home_team_column='home_team_abbr',
    away_team_column='away_team_abbr', date_column='game_date',
    acknowledged_as=none
) %}

{% set violation_ctes %}
scheduled_games as (

    select
        game_date,
        game_id,
        {{ home_team_column }} as home_team,
        {{ away_team_column }} as away_team
    from {{ schedule_model }}
    where {{ nba_test_scope('game_date', schedule_condition) }}

),

expected_teams as (

    select game_date, game_id, home_team as team_abbr, 'home' as side
    from scheduled_games
    union all
    select game_date, game_id, away_team as team_abbr, 'away' as side
    from scheduled_games

),

found_teams as (

    select
        {{ date_column }} as game_date,
        game_id,
        {{ team_column }} as team_abbr,
        count(*) as rows_found
    from {{ model }}
    group by 1, 2, 3

),

violations as (

    select
        expected_teams.game_date,
        expected_teams.game_id,
        expected_teams.team_abbr,
        expected_teams.side,
        coalesce(found_teams.rows_found, 0) as rows_found
    from expected_teams
    left join found_teams
        on
            expected_teams.game_date = found_teams.game_date
            and expected_teams.game_id = found_teams.game_id
            and expected_teams.team_abbr = found_teams.team_abbr
    where found_teams.rows_found is null

)
{% endset %}

{{ acknowledged_defects_query(
    violation_ctes, ['side', 'rows_found'], acknowledged_as
) }}

{% endtest %}
