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


{#- A microbatch run (the runner's day chunks) and a build whose tests judge
    each chunk (var backfill_test_period, the runner's groups of chunks) log
    the figures of each day as well, under "days": dbt runs the post-hook once
    (in a microbatch run, with the last batch), and the runner records each
    chunk's rows without a query of its own. -#}
{% macro log_range_figures(date_column='game_date') %}
    {%- if execute -%}
        {%- set range = backfill_range() -%}
        {%- set per_day = model.get('batch') is not none
            or nba_test_period_unit() is not none -%}
        {%- set counted = run_query(
            'select '
            ~ (date_column ~ ' as figures_date, ' if per_day else '')
            ~ range_figure_columns() ~ ' from ' ~ this
            ~ ' where ' ~ backfill_range_filter(date_column)
            ~ (' group by 1' if per_day else '')
        ) -%}
        {%- set names = counted.column_names | reject('equalto', 'figures_date')
            | list -%}
        {%- set figures = {
            'start_date': range.start_date,
            'end_date': range.end_date,
            'full_refresh': true if flags.FULL_REFRESH else false,
        } -%}
        {%- set days = {} -%}
        {%- for name in names -%}
            {%- do figures.update({name: 0}) -%}
        {%- endfor -%}
        {%- for row in counted.rows -%}
            {%- set day = {} -%}
            {%- for name in names -%}
                {%- do day.update({name: (row[name] or 0) | int}) -%}
                {%- do figures.update({name: figures[name] + day[name]}) -%}
            {%- endfor -%}
            {%- if per_day -%}
                {%- do days.update({(row['figures_date'] | string)[:10]: day}) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if per_day -%}
            {%- do figures.update({'days': days}) -%}
        {%- endif -%}
        {%- do log('range figures ' ~ tojson(figures), info=false) -%}
    {%- endif -%}
{% endmacro %}
