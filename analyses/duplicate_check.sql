-- Duplicates: player-games the summary holds more than once (its key is
-- game_id, player_lookup), and the raw feeds' repeated loads, which staging
-- reduces to the newest load of each game. A summary duplicate is a bug; raw
-- repeats are expected and show how much dedup staging does.

with

summary_duplicates as (

    select
        'player_game_summary' as relation,
        game_id,
        player_lookup,
        count(*) as copies
    from {{ ref('player_game_summary') }}
    where {{ backfill_range_filter('game_date') }}
    group by game_id, player_lookup
    having count(*) > 1

),

gamebook_repeats as (

    select
        'nba_raw.nbac_gamebook_player_stats' as relation,
        game_id,
        player_lookup,
        count(*) as copies
    from {{ source('nba_raw', 'nbac_gamebook_player_stats') }}
    where {{ backfill_range_filter('game_date') }}
    group by game_id, player_lookup
    having count(*) > 1

),

boxscore_repeats as (

    select
        'nba_raw.bdl_player_boxscores' as relation,
        game_id,
        player_lookup,
        count(*) as copies
    from {{ source('nba_raw', 'bdl_player_boxscores') }}
    where {{ backfill_range_filter('game_date') }}
    group by game_id, player_lookup
    having count(*) > 1

),

all_repeats as (

    select * from summary_duplicates
    union all
    select * from gamebook_repeats
    union all
    select * from boxscore_repeats

)

select
    relation,
    count(*) as repeated_keys,
    sum(copies - 1) as extra_rows,
    min(concat(game_id, ' ', player_lookup)) as example_key
from all_repeats
group by relation
order by relation
