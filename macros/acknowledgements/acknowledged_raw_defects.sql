{#- Acknowledged raw defects (seeds/acknowledged_raw_defects.csv): a person who
    has checked a game records that the raw box score of one team is wrong
    there, for one test, with a reason. That test then skips exactly that
    (game, team) and nothing else; every other game keeps the full gate. -#}

{#- The tests an acknowledgement can name: the generic tests given the argument
    acknowledged_as, which must be the test's own name (so the seed names the
    test a user sees in dbt's output). Read from the graph, so adding the
    argument to a test is all it takes. -#}
{% macro acknowledgeable_tests() %}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'test' and node.test_metadata -%}
            {%- set excused = node.test_metadata.kwargs.get('acknowledged_as') -%}
            {%- if excused and excused != node.name -%}
                {{ exceptions.raise_compiler_error(
                    "test " ~ node.name ~ ": acknowledged_as is '" ~ excused
                    ~ "', it must be the test's own name, " ~ node.name
                ) }}
            {%- elif excused -%}
                {%- do names.append(node.name) -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {{ return(names | unique | sort) }}
{% endmacro %}


{#- The query of an acknowledgeable test. violation_ctes are the test's own CTEs,
    the last one named violations with one row per broken (game, team):
    game_date, game_id, team_abbr and the test's diagnostic columns. Each row
    comes out with an outcome, and the test's severity is the worst of them:
    - failure: not acknowledged; the test errors;
    - acknowledged: excused by seeds/acknowledged_raw_defects.csv; the test
      warns, so the row is shown and the runner's report lists it apart from
      the failures;
    - stale: an acknowledgement of this test in range whose (game, team)
      breaks nothing any more (the raw data was fixed); the test warns.
    Without acknowledged_as every row is a failure. -#}
{% macro acknowledged_defects_query(
    violation_ctes, diagnostic_columns, acknowledged_as=none
) %}
    {{ config(
        fail_calc="coalesce(max(case outcome when 'failure' then 2"
            ~ " else 1 end), 0)",
        warn_if=">= 1",
        error_if=">= 2",
    ) }}
with

{{ violation_ctes }},

acknowledged as (

    {%- if acknowledged_as %}

    select
        game_id,
        team_abbr,
        reason,
        acknowledged_on,
        {{ yyyymmdd_to_date('substr(game_id, 1, 8)') }} as game_date
    from {{ ref('acknowledged_raw_defects') }}
    where test_name = '{{ acknowledged_as }}'
    {%- else %}

    select
        game_id,
        team_abbr,
        cast(null as {{ dbt.type_string() }}) as reason,
        cast(null as date) as acknowledged_on,
        game_date
    from violations
    where 1 = 0
    {%- endif %}

),

acknowledged_in_range as (

    -- a malformed id has no date, so it is never in range and excuses nothing
    select * from acknowledged
    where {{ nba_test_scope('game_date') }}

),

judged as (

    select
        violations.game_date,
        violations.game_id,
        violations.team_abbr,
        {% for column in diagnostic_columns -%}
            violations.{{ column }},
        {% endfor -%}
        case
            when acknowledged_in_range.game_id is null then 'failure'
            else 'acknowledged'
        end as outcome,
        acknowledged_in_range.reason as acknowledgement_reason,
        acknowledged_in_range.acknowledged_on
    from violations
    left join acknowledged_in_range
        on
            violations.game_id = acknowledged_in_range.game_id
            and violations.team_abbr = acknowledged_in_range.team_abbr

    union all

    select
        acknowledged_in_range.game_date,
        acknowledged_in_range.game_id,
        acknowledged_in_range.team_abbr,
        {% for column in diagnostic_columns -%}
            null as {{ column }},
        {% endfor -%}
        'stale' as outcome,
        acknowledged_in_range.reason as acknowledgement_reason,
        acknowledged_in_range.acknowledged_on
    from acknowledged_in_range
    where not exists (
        select 1
        from violations
        where
            violations.game_id = acknowledged_in_range.game_id
            and violations.team_abbr = acknowledged_in_range.team_abbr
    )

)

select * from judged
{% endmacro %}
