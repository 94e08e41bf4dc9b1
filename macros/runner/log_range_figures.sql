{#- What a run of the summary just wrote in its range: rows, rows without minutes,
    played rows and played rows without minutes. The mart's post-hook logs them as
    one debug event, "range figures {json}", that the runner reads for its
    per-chunk progress: a separate query through dbt cost as much as a day chunk's
    own build. The runner's gates query the same columns (figures.py). -#}
{% macro range_figure_columns() %}
    count(*) as summary_rows,
    sum(case when minutes_played is null then 1 else 0 end) as null_rows,
    sum(case when is_active then 1 else 0 end) as active_rows,
    sum(case when is_active and minutes_played is null then 1 else 0 end)
        as active_null_rows
{% endmacro %}


{% macro log_range_figures(date_column='game_date') %}
    {%- if execute -%}
        {%- set range = backfill_range() -%}
        {%- set counted = run_query(
            'select ' ~ range_figure_columns() ~ ' from ' ~ this
            ~ ' where ' ~ backfill_range_filter(date_column)
        ) -%}
        {%- set row = counted.rows[0] -%}
        {%- set figures = {
            'start_date': range.start_date,
            'end_date': range.end_date,
            'full_refresh': true if flags.FULL_REFRESH else false,
        } -%}
        {%- for name in counted.column_names -%}
            {%- do figures.update({name: (row[name] or 0) | int}) -%}
        {%- endfor -%}
        {%- do log('range figures ' ~ tojson(figures), info=false) -%}
    {%- endif -%}
{% endmacro %}
