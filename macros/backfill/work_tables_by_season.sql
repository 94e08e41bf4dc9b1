{#- The upstream work tables one season per statement (DuckDB).

    With var stage_upstream the runner builds staging and intermediate as tables
    over its whole range. In one statement a table's windows and joins hold every
    season of the range at once: 2.1 GiB at 30 seasons, and under a memory_limit
    the statement spills gigabytes or fails. Every window partition and join key
    of those models leads with game_date (newest_feed_load.sql), so a model's rows
    of a season depend on that season's rows alone: the table is built as the
    model's query filtered to the first season, then one insert per further
    season, each in its own transaction. DuckDB pushes the season's game_date
    filter down to the raw scans and the work tables' scans, so a statement reads
    and holds one season whatever the range (docs/architecture.md, "Bounded
    memory"), and the table's rows lie in season order, so a chunk's scan skips
    the other seasons.

    Which tables: a table model with an event_time column (staging and
    intermediate, dbt_project.yml), over a backfill range, when var
    stage_upstream_by_season is true (the default; false builds it in one
    statement, for comparison). BigQuery keeps dbt-bigquery's one statement: it
    has no memory of ours to bound. -#}

{% macro duckdb__create_table_as(
    temporary, relation, compiled_code, language='sql',
    partitioned_by=none, sorted_by=none
) -%}
    {%- set seasons = work_table_seasons(temporary, relation, language) -%}
    {%- if not seasons -%}
        {{ return(dbt.duckdb__create_table_as(
            temporary, relation, compiled_code, language,
            partitioned_by=partitioned_by, sorted_by=sorted_by
        )) }}
    {%- endif -%}
    {%- set column = config.get('event_time') -%}
    {%- for first, last in seasons %}
    {%- if not loop.first %}
    -- each season commits: uncommitted rows stay in memory, and would add up
    commit;
    begin;
    {%- endif %}
    {{ 'create table ' ~ relation ~ ' as' if loop.first
        else 'insert into ' ~ relation }}
    select * from (
        {{ compiled_code }}
    ) as season_rows
    where {{ column }} between cast('{{ first }}' as date)
        and cast('{{ last }}' as date);
    {%- endfor %}
{%- endmacro %}


{#- The backfill range cut into seasons, [(first, last), ...] as ISO dates,
    when the table being built is built by season; [] otherwise. A season runs
    from July 1 (between the finals and the next preseason) to June 30. -#}
{% macro work_table_seasons(temporary, relation, language) %}
    {%- set backfill = backfill_range() -%}
    {#- only dbt's intermediate copy (<name>__dbt_tmp) is built this way: the
        table materialization swaps it for the table after the last season, so
        a reader sees the old table or the whole new one, and a build stopped
        halfway leaves a copy the next build drops -#}
    {%- if temporary or language != 'sql'
        or not relation.identifier.endswith('__dbt_tmp')
        or config.get('materialized') != 'table'
        or not config.get('event_time')
        or not var('stage_upstream_by_season', true)
        or not backfill.is_set or flags.FULL_REFRESH -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set date = modules.datetime.date -%}
    {%- set end = date.fromisoformat(backfill.end_date) -%}
    {%- set season = namespace(first=date.fromisoformat(backfill.start_date)) -%}
    {%- set seasons = [] -%}
    {#- at most one season a year; Jinja has no while -#}
    {%- for _ in range(season.first.year, end.year + 1) -%}
        {%- if season.first <= end -%}
            {%- set next_july = date(
                season.first.year + (1 if season.first.month >= 7 else 0), 7, 1
            ) -%}
            {%- set last = [next_july - modules.datetime.timedelta(days=1), end]
                | min -%}
            {%- do seasons.append((season.first.isoformat(), last.isoformat())) -%}
            {%- set season.first = next_july -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(seasons) }}
{% endmacro %}
