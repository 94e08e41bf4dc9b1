"""The demo generator's real-world gaps: incomplete box scores, feeds without
inactive players and overtime, each at a chosen rate, deterministic, and the
shipped acknowledgements matching the default demo data."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pytest
from demo_data.gaps import GapRates, plan_gaps
from demo_data.season_calendar import build_calendar
from demo_data.teams_players import team_strengths
from generate_raw_data import generate, main

PROJECT_DIR = Path(__file__).resolve().parents[2]
SEED_FILE = PROJECT_DIR / "seeds" / "acknowledged_raw_defects.csv"
WEEK = (date(2022, 1, 3), date(2022, 1, 9))
GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
BDL = "nba_raw.bdl_player_boxscores"


def generated(tmp_path: Path, name: str, gaps: GapRates) -> duckdb.DuckDBPyConnection:
    path = tmp_path / f"{name}.duckdb"
    generate(
        path,
        seed=42,
        start_date=WEEK[0],
        end_date=WEEK[1],
        gaps=gaps,
        progress=lambda _: None,
    )
    return duckdb.connect(str(path), read_only=True)


def player_minutes(connection: duckdb.DuckDBPyConnection, table: str) -> dict:
    """(game_id, team, player) -> minutes in the newest load, of those who played."""
    played = "player_status = 'active'" if table == GAMEBOOK else "minutes != '00'"
    minutes = (
        "case when minutes like 'PT%' then cast(substr(minutes, 3, 2) as int) * 60"
        " + cast(substr(minutes, 6, 2) as int) when minutes like '%:%' then "
        "cast(split_part(minutes, ':', 1) as int) * 60 + cast(split_part(minutes, "
        "':', 2) as int) else cast(minutes as int) * 60 end"
    )
    rows = connection.sql(
        f"select game_id, team_abbr, player_lookup, {minutes} / 60.0 from {table} "
        f"where {played} and minutes is not null and processed_at = (select "
        f"max(processed_at) from {table} as newest where newest.game_id = "
        f"{table}.game_id)"
    ).fetchall()
    return {(game, team, player): value for game, team, player, value in rows}


def planned_incomplete(rates: GapRates) -> set[tuple[str, str]]:
    """(canonical game id, team) the generator plans to leave a player out of."""
    planned = set()
    for season in (2021, 2022, 2023):
        calendar = build_calendar(42, season, team_strengths(42, season))
        games = {game.nba_game_id: game for game in calendar.games}
        for nba_game_id, gaps in plan_gaps(42, calendar, rates).items():
            if gaps.incomplete_team:
                game = games[nba_game_id]
                planned.add((game.canonical_id, gaps.incomplete_team))
    return planned


def test_an_incomplete_box_score_lacks_a_player_in_both_feeds(
    tmp_path: Path,
) -> None:
    rates = GapRates(incomplete_box_score=0.05)
    complete = generated(tmp_path, "none", GapRates(incomplete_box_score=0.0))
    gappy = generated(tmp_path, "gappy", rates)
    games = {row[0] for row in gappy.sql(f"select game_id from {BDL}").fetchall()}
    planned = {key for key in planned_incomplete(rates) if key[0] in games}
    assert len(planned) >= 2
    lost_anywhere = set()
    for table in (GAMEBOOK, BDL):
        before, after = player_minutes(complete, table), player_minutes(gappy, table)
        lost = set(before) - set(after)
        assert set(after) <= set(before), table  # nothing added
        # everyone else is untouched: the gaps draw from their own stream
        assert all(after[key] == before[key] for key in after), table
        # at most one player of each planned team-game, about 24 minutes of 240
        team_games = [(game, team) for game, team, _ in lost]
        assert len(team_games) == len(set(team_games)) and set(team_games) <= planned
        assert all(18 <= before[key] <= 30 for key in lost), table
        lost_anywhere |= set(team_games)
    assert lost_anywhere == planned


def test_a_feed_without_inactive_players(tmp_path: Path) -> None:
    complete = generated(tmp_path, "none", GapRates())
    without = generated(tmp_path, "without", GapRates(without_inactive=1.0))
    count = (
        f"select count(distinct game_id || player_lookup) from {GAMEBOOK} "
        "where player_status = '%s'"
    )
    assert complete.sql(count % "inactive").fetchone()[0] > 0
    assert without.sql(count % "inactive").fetchone()[0] == 0
    # the players who did not play but were active for the game are still listed
    assert (
        without.sql(count % "dnp").fetchone() == complete.sql(count % "dnp").fetchone()
    )


@pytest.mark.parametrize(("rate", "low", "high"), [(0.0, 0.0, 0.0), (0.5, 0.35, 0.65)])
def test_overtime_at_the_chosen_rate_with_the_bdl_period(
    tmp_path: Path, rate: float, low: float, high: float
) -> None:
    connection = generated(tmp_path, f"ot{rate}", GapRates(overtime=rate))
    share, periods = connection.sql(
        f"select avg(case when period > 4 then 1.0 else 0 end), "
        f"list(distinct period order by period) from (select game_id, "
        f"max(period) as period from {BDL} group by game_id)"
    ).fetchone()
    assert low <= share <= high, share
    assert set(periods) <= {4, 5, 6, 7}
    if rate:
        assert 5 in periods  # one overtime: team minutes 265


def test_the_same_rates_give_the_same_rows(tmp_path: Path) -> None:
    rates = GapRates(incomplete_box_score=0.05, without_inactive=0.3, overtime=0.2)
    first = generated(tmp_path, "first", rates)
    again = generated(tmp_path, "again", rates)
    for table in (GAMEBOOK, BDL, "nba_raw.nbac_schedule"):
        query = f"select * from {table} order by all"
        assert first.sql(query).fetchall() == again.sql(query).fetchall(), table


def test_a_rate_outside_zero_to_one_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(ValueError, match="incomplete_box_score"):
        GapRates(incomplete_box_score=1.5)
    with pytest.raises(SystemExit):
        main(["--overtime-rate", "-0.1"])
    assert "--overtime-rate: must be between 0 and 1" in capsys.readouterr().err


def test_the_shipped_acknowledgements_are_the_default_demo_defects() -> None:
    # make demo ends green only if the seed names exactly the default defects
    planned = planned_incomplete(GapRates())
    with SEED_FILE.open(newline="") as handle:
        shipped = {
            (row["game_id"], row["team_abbr"])
            for row in csv.DictReader(handle)
            if row["test_name"] == "pgs_team_minutes_add_up"
        }
    assert shipped == planned
    assert len(planned) >= 3  # a few, so the demo shows them
