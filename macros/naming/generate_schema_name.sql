{#- Layers land in fixed schemas (nba_staging, nba_intermediate, nba_analytics), the
    names analysts and the ML job query, instead of dbt's <target>_<custom> default. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {#- dbt calls this for every node at parse time: the one hook that checks the
        raw schema and database vars before the sources that use them compile -#}
    {%- do validate_identifier_vars() -%}
    {{- (custom_schema_name or target.schema) | trim -}}
{%- endmacro %}
