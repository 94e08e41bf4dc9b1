{#- The two copies of the summary a backfill works with: the live table that
    readers (the ML job) query, and the audit copy the runner builds and tests a
    range in before it publishes it. The schemas are the two the marts folder
    switches between on var backfill_audit (dbt_project.yml); database and
    identifier are the model's own. audit_schema / live_schema override them for
    a by-hand comparison of other copies. -#}
{% macro backfill_summary_relations(
    model_name='player_game_summary', live_schema='nba_analytics',
    audit_schema='nba_backfill_audit'
) %}
    {%- set nodes = graph.nodes.values()
        | selectattr('resource_type', 'equalto', 'model')
        | selectattr('name', 'equalto', model_name) | list -%}
    {%- if not nodes -%}
        {{ exceptions.raise_compiler_error("model " ~ model_name ~ " not found") }}
    {%- endif -%}
    {%- set node = nodes[0] -%}
    {%- set found = {} -%}
    {%- for role, schema in [('live', live_schema), ('audit', audit_schema)] -%}
        {%- do found.update({
            role: backfill_runner_relation(node.database, schema, node.alias),
            role ~ '_exists': adapter.get_relation(
                database=node.database, schema=schema, identifier=node.alias
            ) is not none,
        }) -%}
    {%- endfor -%}
    {{ return(found) }}
{% endmacro %}


{#- Log one structured event the runner reads back (dbt_session.py): the
    prefix, a space, then JSON. info=true also prints it for a by-hand run. -#}
{% macro backfill_log_result(prefix, payload, info=false) %}
    {%- do log(prefix ~ ' ' ~ tojson(payload), info=info) -%}
{% endmacro %}
