{#- Every acknowledgement is well formed, so a typo fails loudly instead of
    excusing nothing (or something else). Not scoped to the range: a malformed
    row is wrong whatever the range. One row per problem: the row's game_id,
    team_abbr and test_name, and what is wrong with it. -#}
{% test acknowledged_raw_defects_valid(model) %}

{%- set known_tests = acknowledgeable_tests() %}
{%- set known_text = known_tests | join(', ') if known_tests else 'none' %}
{%- set quoted = [] %}
{%- for name in known_tests %}{% do quoted.append("'" ~ name ~ "'") %}{% endfor %}
{%- set is_unknown_test = 'test_name not in (' ~ quoted | join(', ') ~ ')'
    if known_tests else '1 = 1' %}

with

acknowledgements as (

    select
        game_id,
        team_abbr,
        test_name,
        reason,
        acknowledged_on,
        {{ regex_full_match('game_id', '[0-9]{8}_[A-Z]{3}_[A-Z]{3}') }}
            as is_canonical_shape,
        {{ yyyymmdd_to_date('substr(game_id, 1, 8)') }} as game_date,
        substr(game_id, 10, 3) as away_team_abbr,
        substr(game_id, 14, 3) as home_team_abbr
    from {{ model }}

),

problems as (

    select
        game_id,
        team_abbr,
        test_name,
        case
            when test_name is null or {{ is_unknown_test }}
                then {{ dbt.concat([
                    "'unknown test_name \"'", "coalesce(test_name, 'null')",
                    "'\": acknowledgements can excuse only " ~ known_text ~ "'",
                ]) }}
            when
                game_id is null
                or not is_canonical_shape
                or game_date is null
                or away_team_abbr = home_team_abbr
                then {{ dbt.concat([
                    "'malformed game_id \"'", "coalesce(game_id, 'null')",
                    "'\": expected YYYYMMDD_AWAY_HOME with a real date and two "
                    ~ "different teams, e.g. 20211019_BKN_MIL'",
                ]) }}
            when
                team_abbr is null
                or team_abbr not in (away_team_abbr, home_team_abbr)
                then {{ dbt.concat([
                    "'team_abbr \"'", "coalesce(team_abbr, 'null')",
                    "'\" is not a team of the game, '", "away_team_abbr",
                    "' or '", "home_team_abbr",
                ]) }}
            when reason is null or trim(reason) = ''
                then 'reason is empty: say what was checked and found'
            when acknowledged_on is null
                then 'acknowledged_on is empty: give the date (YYYY-MM-DD)'
            when count(*) over (
                partition by game_id, team_abbr, test_name
            ) > 1
                then 'acknowledged more than once for this game, team and test'
        end as problem
    from acknowledgements

)

select * from problems
where problem is not null

{% endtest %}
