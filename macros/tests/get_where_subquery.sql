{#- Every generic test reads the model it tests through get_where_subquery (dbt's
    hook for a test's `where` config). This override adds the backfill range: a
    model with an event_time column (every model with a game_date, see
    dbt_project.yml) is read only between the vars start_date and end_date, so
    dbt's own unique, not_null, accepted_values and relationships, and the
    project's tests, check one chunk alike. The test's `where` config still
    applies. Relations a test reads besides its model (a schedule to compare
    with) are scoped by the test itself, with nba_test_scope. -#}
{% macro get_where_subquery(relation) -%}
    {%- set conditions = [] -%}
    {%- set where = config.get('where') -%}
    {%- if where -%}
        {%- do conditions.append('(' ~ where ~ ')') -%}
    {%- endif -%}
    {%- set range_column = nba_tested_range_column() -%}
    {%- if range_column -%}
        {%- do conditions.append(backfill_range_filter(range_column)) -%}
    {%- endif -%}
    {%- if not conditions -%}
        {%- do return(relation) -%}
    {%- endif -%}
    {%- set scoped -%}
        (select * from {{ relation }} where {{ conditions | join(' and ') }}) dbt_subquery
    {%- endset -%}
    {%- do return(scoped) -%}
{%- endmacro %}


{#- The range column of the node the running test is attached to: its
    event_time config, or none (a seed, or a model without dates). -#}
{% macro nba_tested_range_column() -%}
    {%- if not execute -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set tested_id = model.get('attached_node') -%}
    {%- set tested = graph.nodes.get(tested_id) or graph.sources.get(tested_id) -%}
    {%- if not tested -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(tested.get('config', {}).get('event_time')) }}
{%- endmacro %}
