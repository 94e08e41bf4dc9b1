"""Bad input given to the backfill runner and to dbt: each is refused with a clear
message naming the input and its rule, and nothing is written.

Corrupt minutes on players who played, vars pasted into SQL, an unknown target
and raw data that breaks the raw contract. Real dbt, real DuckDB files.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import pytest
import yaml
from backfill_runner.errors import UsageError
from backfill_runner.settings import GateSettings
from dbt_harness import PROJECT_DIR, DbtHarness
from runner_fixtures import AUDIT, RunnerEnv, make_env

GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
BDL = "nba_raw.bdl_player_boxscores"
WEEK = ("2022-01-03", "2022-01-09")  # one ISO week, before the sample week
# The input: six corrupt minute strings on active gamebook players.
CORRUPT_MINUTES = ("99:99", "abc", "", "-12:00", "75:00", "31:75")


def run(env: RunnerEnv, *extra: str) -> tuple[int, str]:
    """The runner over WEEK; usage errors (stderr, before any console) included."""
    errors = io.StringIO()
    with contextlib.redirect_stderr(errors):
        code, output = env.run("--skip-sample", *extra, start=WEEK[0], end=WEEK[1])
    return code, output + errors.getvalue()


def written(env: RunnerEnv) -> list[Path]:
    """The runner's own files (checkpoint, lock, log, backup record, report); dbt's
    parse cache under the state folder's dbt/ is not one of them."""
    return sorted(
        path
        for folder in (env.state, env.reports)
        if folder.exists()
        for path in folder.rglob("*")
        if path.is_file() and path.relative_to(folder).parts[0] != "dbt"
    )


@pytest.fixture
def runner(
    tmp_path: Path, raw_db_template: Path, profiles_dir: Path
) -> Iterator[RunnerEnv]:
    # no saved parse laid in: these tests check that a refused run leaves no
    # state folder behind
    yield make_env(
        tmp_path, raw_db_template, PROJECT_DIR, profiles_dir, shared_parse=False
    )


def _six_active_players(runner: RunnerEnv) -> tuple[str, list[str]]:
    """A final game of WEEK and six of its active gamebook players who also have
    minutes in Ball Don't Lie (so the fallback could hide the corruption)."""
    rows = runner.query(
        f"""
        select gamebook.game_id, gamebook.player_name
        from {GAMEBOOK} as gamebook
        inner join {BDL} as bdl
            on gamebook.game_id = bdl.game_id
            and gamebook.player_name = bdl.player_full_name
        where gamebook.game_date = '2022-01-05'
            and gamebook.player_status = 'active'
            and bdl.minutes not in ('00', '')
            and regexp_full_match(gamebook.player_name, '[A-Za-z .]+')
        order by gamebook.game_id, gamebook.player_name
        """
    )
    game_id = rows[0][0]
    players = sorted({name for game, name in rows if game == game_id})[:6]
    assert len(players) == 6
    return game_id, players


def _set_minutes(db: Path, game_id: str, name: str, value: str | None) -> None:
    """Every load of the player's gamebook row gets the raw minutes value."""
    with duckdb.connect(str(db)) as connection:
        connection.execute(
            f"update {GAMEBOOK} set minutes = $value "
            "where game_id = $game and player_name = $name",
            {"value": value, "game": game_id, "name": name},
        )


def test_corrupt_minutes_of_active_players_fail_the_run_naming_each(
    runner: RunnerEnv,
) -> None:
    game_id, players = _six_active_players(runner)
    for name, value in zip(players, CORRUPT_MINUTES, strict=True):
        _set_minutes(runner.db, game_id, name, value)

    # per-chunk tests (the default): the upstream tests, over the whole range
    # before any chunk, fail; nothing is published
    code, output = run(runner)
    assert code == 1, output
    assert "upstream tests: dbt test assert_no_corrupt_minutes fail" in output
    shown = [line for line in output.splitlines() if "minutes_raw=" in line]
    assert len(shown) == 5  # the console shows the first rows, the table all
    assert all(f"game_id={game_id}" in line for line in shown)
    (stored_in,) = re.findall(r"all failing rows: (\S+)", output)[:1]
    stored = runner.query(
        f"select game_id, player_name, player_status, minutes_raw, "
        f"minutes_parse_status from {stored_in} order by all"
    )
    assert stored == sorted(
        (game_id, name, "active", value, "missing" if value == "" else "corrupt")
        for name, value in zip(players, CORRUPT_MINUTES, strict=True)
    )
    for line in shown:
        (name,) = [p for p in players if f"player_name={p} player_status" in line]
        value = CORRUPT_MINUTES[players.index(name)]
        assert f"minutes_raw={value} minutes_parse_status" in line, line
    assert not runner.query(
        "select * from information_schema.tables where table_schema = "
        "'nba_analytics' and table_name = 'player_game_summary'"
    )

    # without per-chunk tests the chunk is built into the audit copy, the final
    # validation fails and nothing is published
    code, output = run(runner, "--no-chunk-tests", "--no-resume")
    assert code == 1, output
    assert "dbt test assert_no_corrupt_minutes fail" in output
    names = ", ".join(f"'{name}'" for name in players)
    labels = runner.query(
        f"select primary_source_used, data_quality_tier, count(minutes_played) "
        f"from {AUDIT} where game_id = '{game_id}' "
        f"and player_full_name in ({names}) group by all"
    )
    # the minutes came from Ball Don't Lie: never gamebook, never gold
    assert labels == [("nbac_gamebook_bdl_minutes", "silver", 6)]


@pytest.mark.parametrize("value", [None, "", "-", "DNP", "13:61", "-1"])
def test_staging_flags_missing_or_corrupt_minutes_of_an_active_player(
    dbt_harness: DbtHarness, value: str | None
) -> None:
    """One active gamebook player with the value; Ball Don't Lie has his minutes."""
    (game_id, name) = dbt_harness.query(
        f"select gamebook.game_id, gamebook.player_name from {GAMEBOOK} as gamebook "
        f"inner join {BDL} as bdl on gamebook.game_id = bdl.game_id "
        "and gamebook.player_name = bdl.player_full_name "
        "where gamebook.game_date = '2022-01-05' and player_status = 'active' "
        "and bdl.minutes > '05' order by all limit 1"
    )[0]
    _set_minutes(dbt_harness.db_path, game_id, name, value)
    day = {"start_date": "2022-01-05", "end_date": "2022-01-05"}
    test = ("--select", "assert_no_corrupt_minutes")
    result = dbt_harness.invoke("test", *test, dbt_vars=day)
    assert not result.success
    (failing,) = [r for r in result.result.results if r.status == "fail"]
    assert failing.failures == 1
    # the test's own rows: its diagnostic columns
    compiled = dbt_harness.invoke("compile", *test, dbt_vars=day)
    flagged = dbt_harness.query(
        "select feed, game_id, player_name, player_status, minutes_raw, "
        f"minutes_parse_status from ({compiled.result.results[0].node.compiled_code})"
    )
    expected_status = "missing" if value in (None, "", "-", "DNP") else "corrupt"
    assert flagged == [
        ("nbac_gamebook", game_id, name, "active", value, expected_status)
    ]


# ---------------------------------------------------------------- vars


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("raw_schema", 'nba_raw"."nbac_schedule" --'),
        ("raw_schema", "nba raw"),
        ("raw_database", 'nba"; drop table x; --'),
    ],
)
def test_an_identifier_var_breaking_out_of_its_quotes_is_refused_at_parse(
    dbt_harness: DbtHarness, name: str, value: str
) -> None:
    before = dbt_harness.query("select count(*) from information_schema.tables")
    result = dbt_harness.invoke(
        "build",
        dbt_vars={name: value, "start_date": "2022-01-03", "end_date": "2022-01-09"},
    )
    assert not result.success
    message = str(result.exception)
    assert f"var {name} = " in message
    assert "is not a valid identifier" in message
    assert "letters, digits" in message
    # parse failed: nothing was built
    assert dbt_harness.query("select count(*) from information_schema.tables") == (
        before
    )


@pytest.mark.parametrize(
    ("name", "value", "rule"),
    [
        ("gate_minutes_max", "70", "is not a number"),
        ("gate_minutes_max", 700, "is out of range"),
        ("gate_played_minutes_null_max", 5, "is out of range"),
        ("gate_volume_min", 1.5, "is not a whole number"),
        ("gate_coverage_ok_min", True, "is not a number"),
        ("gate_sample_start_date", "2022-02-30", "is not a calendar date"),
    ],
)
def test_a_gate_var_that_is_not_a_number_in_range_stops_the_run(
    dbt_harness: DbtHarness, name: str, value: Any, rule: str
) -> None:
    result = dbt_harness.invoke(
        "build",
        dbt_vars={name: value, "start_date": "2022-01-03", "end_date": "2022-01-09"},
    )
    assert not result.success
    messages = str(result.exception) + " ".join(
        str(r.message) for r in (result.result.results if result.result else [])
    )
    assert f"var {name}" in messages
    assert rule in messages
    tables = dbt_harness.query(
        "select count(*) from information_schema.tables "
        "where table_schema = 'nba_analytics'"
    )
    assert tables == [(0,)]


def test_the_runner_names_a_gate_var_it_cannot_read() -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    broken = {**project["vars"], "gate_coverage_ok_min": "abc"}
    with pytest.raises(UsageError, match="var gate_coverage_ok_min = 'abc' is not"):
        GateSettings.from_vars(broken)


def test_every_gate_var_of_the_project_has_an_allowed_range(
    dbt_harness: DbtHarness,
) -> None:
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    declared = {name for name in project["vars"] if name.startswith("gate_")}
    result = dbt_harness.invoke(
        "compile", "--inline", "{{ tojson(gate_var_rules().keys() | list) }}"
    )
    assert result.success, result.exception
    ruled = json.loads(result.result.results[0].node.compiled_code)
    assert declared == set(ruled)


# ---------------------------------------------------------------- targets, raw


def test_an_unknown_target_exits_2_listing_the_targets_and_writes_nothing(
    runner: RunnerEnv, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    target = f"../../../../{outside}"
    code, output = run(runner, "--target", target)
    assert code == 2, output
    assert "unknown --target" in output
    assert "bigquery, duckdb" in output
    assert not runner.state.exists()
    assert not runner.reports.exists()
    assert not outside.exists()
    code, output = run(runner, "--target", "x", "--dry-run")
    assert code == 2, output


def test_a_missing_duckdb_file_is_named_and_not_created(runner: RunnerEnv) -> None:
    runner.db.unlink()
    for extra in ((), ("--dry-run",)):
        code, output = run(runner, *extra)
        assert code == 2, output
        assert f"the DuckDB file {runner.db} does not exist" in output
        assert "_nba_raw__sources.yml" in output
        assert "scripts/generate_raw_data.py" in output
        assert not runner.db.exists()
        assert not runner.state.exists()


@pytest.mark.parametrize(
    ("breakage", "message"),
    [
        ("drop schema nba_raw cascade", "the raw schema nba_raw does not exist"),
        (
            f"drop table {GAMEBOOK}",
            f"the raw table {GAMEBOOK} does not exist",
        ),
        (
            f"alter table {BDL} drop column period",
            f"column {BDL}.period is missing (expected int64)",
        ),
        (
            "alter table nba_raw.nbac_schedule alter game_status type varchar",
            "column nba_raw.nbac_schedule.game_status is VARCHAR, expected int64",
        ),
    ],
)
def test_raw_data_that_breaks_the_contract_is_named_before_any_write(
    runner: RunnerEnv, breakage: str, message: str
) -> None:
    runner.execute(breakage)
    for extra in (("--dry-run",), ()):
        before = runner.db.read_bytes()
        code, output = run(runner, *extra)
        assert code == 2, output
        assert output.count("raw contract broken") == 1, output
        assert message in output
        assert "_nba_raw__sources.yml" in output
        assert "scripts/generate_raw_data.py" in output
        assert written(runner) == []
        assert runner.db.read_bytes() == before
