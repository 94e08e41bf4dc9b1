-- Sample gate (docs/domain.md): the summary's minutes NULL rate over the
-- sample week (gate_sample_start_date..gate_sample_end_date, default
-- 2022-01-10..2022-01-17), after the runner has built that week. 35-45%
-- proceed, 45-60% proceed with a warning, over 60% stop. The played-has-minutes
-- rate is shown beside it: it is the number that would have caught the
-- incident.

with

sample_week as (

    select *
    from {{ ref('player_game_summary') }}
    where
        game_date between cast('{{ var("gate_sample_start_date") }}' as date)
        and cast('{{ var("gate_sample_end_date") }}' as date)

),

rates as (

    select
        count(*) as summary_rows,
        sum(case when minutes_played is null then 1 else 0 end) as null_rows,
        sum(case when minutes_played is null then 1 else 0 end)
        / nullif(count(*), 0) as null_rate,
        sum(case when is_active and minutes_played is null then 1 else 0 end)
        / nullif(sum(case when is_active then 1 else 0 end), 0)
            as played_null_rate
    from sample_week

)

select
    summary_rows,
    null_rows,
    null_rate,
    played_null_rate,
    case
        when summary_rows = 0 then 'stop: no rows in the sample week'
        when null_rate > {{ var('gate_sample_null_warn_max') }} then 'stop'
        when
            null_rate > {{ var('gate_sample_null_ok_max') }}
            or null_rate < {{ var('gate_sample_null_ok_min') }}
            then 'proceed with a warning'
        else 'proceed'
    end as decision
from rates
