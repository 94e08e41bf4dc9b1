"""The BigQuery path, end to end, on a local BigQuery API emulator.

One emulator serves the session: generated raw data for three weeks around New
Year 2022 (COVID postponements, repeated loads, both feeds and the schedule) is
loaded into ``nba_raw``, then ``dbt build`` runs for the bigquery target, the
backfill runner rebuilds two day chunks and reruns one, and every check reads the
tables back through the emulator. The emulator is stopped when the session ends.

Run: ``make emulator`` once, then ``.venv/bin/python -m pytest -m bigquery``.
What the emulator cannot show is listed in the README's "tested where" table.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pytest
from bq_emulator import Emulator, running_emulator
from bq_harness import (
    SUMMARY_MODEL,
    DateWindow,
    EmulatorProject,
    describe_failure,
    node_failures,
)
from bq_pruning import StatementLog, unpruned_statements
from bq_raw_loader import RAW_SCHEMA, RAW_TABLES, duckdb_columns, load_raw_tables

pytestmark = pytest.mark.bigquery

WINDOW = DateWindow(date(2021, 12, 27), date(2022, 1, 16))
FIRST_WEEK = DateWindow(date(2021, 12, 27), date(2022, 1, 2))
# Day chunks: on the emulator every chunk costs a build and ~28 tests, and a day
# is as good a test of replacing a range as a week. 2022-01-07 has postponed games.
CHUNK_SIZE = "day"
RUNNER_RANGE = DateWindow(date(2022, 1, 7), date(2022, 1, 8))  # two chunks
# One of them: the day whose active gamebook rows all have minutes (on its own,
# 2022-01-08's one NULL of 155 is over stg_gamebook_active_players_have_minutes'
# 0.5%, a bound for whole ranges that a backfill's final validation applies to
# the range it rebuilds).
RERUN_RANGE = DateWindow(date(2022, 1, 7), date(2022, 1, 7))
# The chunk whose every statement is checked for partition pruning.
PRUNED_CHUNK = DateWindow(date(2022, 1, 10), date(2022, 1, 10))

GAMEBOOK = "nbac_gamebook_player_stats"
BOXSCORES = "bdl_player_boxscores"

# The tables API reports the legacy names of these standard SQL types.
API_TYPE_NAME = {"INT64": "INTEGER", "BOOL": "BOOLEAN", "FLOAT64": "FLOAT"}


# Every data test and unit test of the project runs on the emulator: none is left
# out of the build for an emulator gap.


# DuckDB-only SQL the emulator accepts although BigQuery rejects it (the emulator
# translates BigQuery SQL to DuckDB, so these slip through). The compiled SQL of
# the bigquery target must contain none of them.
DUCKDB_ONLY = {
    "`::` cast": r"::",
    "strftime()": r"\bstrftime\s*\(",
    "regexp_matches()": r"\bregexp_matches\s*\(",
    "regexp_full_match()": r"\bregexp_full_match\s*\(",
    "strip_accents()": r"\bstrip_accents\s*\(",
    "len()": r"\blen\s*\(",
    "string_split()": r"\bstring_split\s*\(",
    "list_value()": r"\blist_value\s*\(",
    "list_extract()": r"\blist_extract\s*\(",
    "epoch_ms()": r"\bepoch_ms\s*\(",
    "date_part()": r"\bdate_part\s*\(",
    "ilike": r"\bilike\b",
    "varchar/text/double types": r"\bas\s+(varchar|text|double|hugeint)\b",
}


# ---------------------------------------------------------------- fixtures


@pytest.fixture(scope="session")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Emulator]:
    """The emulator process, stopped at the end however the tests went."""
    with running_emulator(tmp_path_factory.mktemp("bigquery-emulator")) as running:
        yield running


@pytest.fixture(scope="module")
def raw_duckdb(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from generate_raw_data import generate  # importable via tests/python/conftest.py

    path = tmp_path_factory.mktemp("bigquery-raw") / "raw.duckdb"
    generate(path, seed=42, start_date=WINDOW.start, end_date=WINDOW.end)
    return path


@pytest.fixture(scope="module")
def project(
    emulator: Emulator, raw_duckdb: Path, tmp_path_factory: pytest.TempPathFactory
) -> EmulatorProject:
    """The raw tables in the emulator and the dbt project pointed at it."""
    bq = EmulatorProject(emulator, tmp_path_factory.mktemp("bigquery-dbt"))
    loaded = load_raw_tables(raw_duckdb, bq.client)
    assert all(table.rows for table in loaded), loaded
    bq.parse()
    return bq


@pytest.fixture(scope="module")
def build(project: EmulatorProject) -> Any:
    """``dbt build`` of the whole project over the window."""
    return project.dbt("build", dbt_vars=WINDOW.as_vars())


@pytest.fixture(scope="module")
def docs(built: EmulatorProject) -> Any:
    """``dbt docs generate`` without the catalog, which needs INFORMATION_SCHEMA."""
    return built.dbt("docs", "generate", "--empty-catalog")


@pytest.fixture(scope="module")
def built(project: EmulatorProject, build: Any) -> EmulatorProject:
    """The project after a successful build (tests that need the summary)."""
    if not build.success:
        pytest.fail(f"dbt build failed, see test_dbt_build:\n{describe_failure(build)}")
    return project


# ---------------------------------------------------------------- helpers


def bump_plus_minus(bq: EmulatorProject, by: int) -> None:
    """Change every active gamebook row, as a corrected reload of the feed would.

    plus_minus, because no gate bounds it (points would break the points range
    and the spot checks). BigQuery DML through MERGE: the emulator has no UPDATE.
    """
    bq.execute(
        f"merge `{bq.raw_table_id(GAMEBOOK)}` as raw_row "
        "using (select 1 as one) as change on true "
        "when matched and raw_row.player_status = 'active' "
        "and raw_row.plus_minus is not null "
        f"then update set plus_minus = raw_row.plus_minus + {by}"
    )


def delete_raw_player(bq: EmulatorProject, game_id: str, player_lookup: str) -> None:
    """Remove a player's rows of a game from both feeds (MERGE: no DELETE here)."""
    for table in (GAMEBOOK, BOXSCORES):
        bq.execute(
            f"merge `{bq.raw_table_id(table)}` as raw_row "
            "using (select 1 as one) as change on false "
            f"when not matched by source and raw_row.game_id = '{game_id}' "
            f"and raw_row.player_lookup = '{player_lookup}' then delete"
        )


def outside(window: DateWindow) -> str:
    return f"not ({window.between()})"


def assert_same_rows(
    actual: list[tuple[Any, ...]], expected: list[tuple[Any, ...]], what: str
) -> None:
    if actual == expected:
        return
    missing = sorted(set(expected) - set(actual))
    extra = sorted(set(actual) - set(expected))
    pytest.fail(
        f"{what}: {len(actual)} rows, expected {len(expected)}; "
        f"{len(missing)} missing, e.g. {missing[:2]}; "
        f"{len(extra)} unexpected, e.g. {extra[:2]}"
    )


def assert_runner_ok(run: Any, what: str) -> None:
    assert run.returncode == 0, (
        f"{what}: scripts/backfill.py exited {run.returncode}\n"
        f"stdout:\n{run.stdout[-3000:]}\nstderr:\n{run.stderr[-3000:]}"
    )


def chunk_states(bq: EmulatorProject, window: DateWindow) -> list[tuple[str, str]]:
    checkpoint = bq.checkpoint(window)
    return [(c["start"], c["status"]) for c in checkpoint["chunks"]]


# ---------------------------------------------------------------- raw data


def test_raw_tables_keep_the_contract(
    project: EmulatorProject, raw_duckdb: Path
) -> None:
    """Each raw table arrived whole, in BigQuery types, partitioned and clustered."""
    with duckdb.connect(str(raw_duckdb), read_only=True) as source:
        for layout in RAW_TABLES:
            expected = [
                (name, API_TYPE_NAME.get(kind, kind))
                for name, kind in duckdb_columns(source, RAW_SCHEMA, layout.name)
            ]
            (rows,) = source.execute(
                f"select count(*) from {RAW_SCHEMA}.{layout.name}"
            ).fetchone() or (0,)
            table = project.client.get_table(project.raw_table_id(layout.name))
            assert [(f.name, f.field_type) for f in table.schema] == expected
            assert table.num_rows == rows > 0
            assert table.time_partitioning.field == layout.partition_by
            assert table.time_partitioning.type_ == "DAY"
            assert tuple(table.clustering_fields) == layout.cluster_by


# ---------------------------------------------------------------- dbt build


def test_dbt_build(build: Any) -> None:
    """Every model, seed, data test and unit test passes on the bigquery target."""
    assert build.success, describe_failure(build)
    assert not node_failures(build)
    kinds = {str(r.node.resource_type) for r in build.result.results}
    assert {"model", "seed", "test", "unit_test"} <= kinds


def test_summary_is_partitioned_clustered_and_typed(built: EmulatorProject) -> None:
    """The table BigQuery holds has the day partitions, clusters and contract."""
    table = built.client.get_table(built.summary_table_id())
    assert table.time_partitioning is not None
    assert table.time_partitioning.field == "game_date"
    assert table.time_partitioning.type_ == "DAY"
    assert table.clustering_fields == ["player_lookup", "team_abbr"]

    # the contract's types as dbt rendered them for bigquery, in the API's names
    node = next(
        n
        for n in built.manifest.nodes.values()
        if n.resource_type == "model" and n.name == SUMMARY_MODEL
    )
    contract = {
        name: API_TYPE_NAME.get(column.data_type.upper(), column.data_type.upper())
        for name, column in node.columns.items()
    }
    assert node.contract.enforced
    assert {f.name: f.field_type for f in table.schema} == contract
    assert [f.name for f in table.schema] == list(contract)


def test_docs_generate_without_catalog(docs: Any, built: EmulatorProject) -> None:
    """Docs compile on BigQuery; the catalog needs INFORMATION_SCHEMA, which the
    emulator lacks, so it is left empty here (real BigQuery builds it)."""
    assert docs.success, describe_failure(docs)
    assert (built.target_path / "index.html").is_file()


def test_compiled_sql_has_no_duckdb_only_constructs(
    docs: Any, built: EmulatorProject
) -> None:
    """What the emulator would let through: DuckDB SQL in the bigquery target
    (every model, test, unit test and analysis, compiled by build and docs)."""
    compiled = [
        path
        for folder in ("compiled", "run")
        for path in (built.target_path / folder).rglob("*.sql")
    ]
    assert compiled
    found: dict[str, list[str]] = {}
    for path in compiled:
        sql = re.sub(r"--[^\n]*|/\*.*?\*/", "", path.read_text(), flags=re.DOTALL)
        for construct, pattern in DUCKDB_ONLY.items():
            if re.search(pattern, sql, flags=re.IGNORECASE):
                where = str(path.relative_to(built.target_path))
                found.setdefault(construct, []).append(where)
    assert not found, "\n".join(
        f"{construct} in {len(paths)} files, e.g. {', '.join(sorted(paths)[:3])}"
        for construct, paths in found.items()
    )


# ---------------------------------------------------------------- runner


def test_runner_replaces_exactly_its_range(built: EmulatorProject) -> None:
    """Two chunks: rows inside equal a fresh build, rows outside are untouched."""
    before_outside = built.summary_rows(outside(RUNNER_RANGE))
    before_inside = built.summary_rows(RUNNER_RANGE.between())
    assert before_outside and before_inside
    # raw changes on both sides of the range; only the range's may reach the table
    bump_plus_minus(built, by=100)

    run = built.run_backfill(RUNNER_RANGE, CHUNK_SIZE)

    assert_runner_ok(run, f"backfill {RUNNER_RANGE.label}")
    assert chunk_states(built, RUNNER_RANGE) == [
        ("2022-01-07", "done"),
        ("2022-01-08", "done"),
    ]
    assert_same_rows(
        built.summary_rows(outside(RUNNER_RANGE)), before_outside, "rows outside"
    )
    inside = built.summary_rows(RUNNER_RANGE.between())
    assert_same_rows(inside, built.fresh_summary_rows(RUNNER_RANGE), "rows inside")
    assert inside != before_inside, "the rebuilt range did not change"
    assert built.duplicate_keys() == []
    # built and tested in the audit copy first, diffed, then published
    audit = built.summary_table_id().replace(".nba_analytics.", ".nba_backfill_audit.")
    assert built.query(
        f"select count(*) from `{audit}` where {RUNNER_RANGE.between()}"
    ) == [(len(inside),)]
    report = built.report(RUNNER_RANGE)
    assert report["diff"]["changed"] > 0 and report["diff"]["added"] == 0
    assert "plus_minus" in report["diff"]["changed_columns"]
    assert report["published"]["rows_published"] == len(inside)
    assert {t["status"] for t in report["tests"]} == {"pass"}
    publishes = built.summary_table_id().replace(
        ".player_game_summary", ".backfill_publishes"
    )
    assert built.query(
        f"select rows_published, rows_replaced, backup_relation is not null "
        f"from `{publishes}` where start_date = '{RUNNER_RANGE.start}'"
    ) == [(len(inside), len(before_inside), True)]


def test_runner_plan_then_publish_only_then_rollback(built: EmulatorProject) -> None:
    """A rerun over unchanged raw data diffs empty and publishes nothing; a plan
    (--no-publish) changes nothing live; --publish-only publishes it without a
    rebuild; --rollback restores what that publish replaced."""
    rerun = built.run_backfill(RUNNER_RANGE, CHUNK_SIZE)
    assert_runner_ok(rerun, "rerun over unchanged raw data")
    assert "diff vs live: 0 added, 0 removed, 0 changed" in rerun.stdout
    assert built.report(RUNNER_RANGE)["published"] is None

    before = built.summary_rows()
    bump_plus_minus(built, by=3)
    plan = built.run_backfill(RUNNER_RANGE, CHUNK_SIZE, "--no-resume", "--no-publish")
    assert_runner_ok(plan, "plan")
    assert_same_rows(built.summary_rows(), before, "rows after a plan")
    diff = built.report(RUNNER_RANGE)["diff"]
    assert diff["changed"] > 0 and diff["changed_columns"]["plus_minus"] > 0
    planned = built.checkpoint(RUNNER_RANGE)
    assert planned["status"] == "audited"

    publish = built.run_backfill(RUNNER_RANGE, CHUNK_SIZE, "--publish-only")
    assert_runner_ok(publish, "publish only")
    assert [c["invocation_id"] for c in built.checkpoint(RUNNER_RANGE)["chunks"]] == [
        c["invocation_id"] for c in planned["chunks"]
    ]
    assert_same_rows(
        built.summary_rows(RUNNER_RANGE.between()),
        built.fresh_summary_rows(RUNNER_RANGE),
        "rows inside after the publish",
    )

    rollback = built.run_backfill(RUNNER_RANGE, CHUNK_SIZE, "--rollback")
    assert_runner_ok(rollback, "rollback")
    assert_same_rows(built.summary_rows(), before, "rows after the rollback")


def test_runner_rerun_of_one_chunk_then_rollback(built: EmulatorProject) -> None:
    """Rerunning one chunk replaces only it; --rollback puts its rows back."""
    before = built.summary_rows()
    before_outside = built.summary_rows(outside(RERUN_RANGE))
    bump_plus_minus(built, by=1)

    run = built.run_backfill(RERUN_RANGE, CHUNK_SIZE)

    assert_runner_ok(run, f"rerun {RERUN_RANGE.label}")
    assert chunk_states(built, RERUN_RANGE) == [("2022-01-07", "done")]
    assert_same_rows(
        built.summary_rows(outside(RERUN_RANGE)), before_outside, "rows outside"
    )
    assert_same_rows(
        built.summary_rows(RERUN_RANGE.between()),
        built.fresh_summary_rows(RERUN_RANGE),
        "rows inside",
    )
    assert built.duplicate_keys() == []

    rollback = built.run_backfill(RERUN_RANGE, CHUNK_SIZE, "--rollback")

    assert_runner_ok(rollback, f"rollback {RERUN_RANGE.label}")
    assert_same_rows(built.summary_rows(), before, "rows after the rollback")


def test_diff_range_runs_by_hand(built: EmulatorProject) -> None:
    """The runner's diff is a plain dbt run-operation on BigQuery too."""
    result = built.dbt(
        "run-operation",
        "diff_range",
        "--args",
        json.dumps(RUNNER_RANGE.as_vars()),
    )
    assert result.success, describe_failure(result)


def test_row_vanished_from_raw_vanishes_after_rerun(built: EmulatorProject) -> None:
    """A player dropped from both feeds leaves the summary when its range reruns."""
    game_id, player_lookup = built.query(
        f"select game_id, player_lookup from `{built.summary_table_id()}` "
        f"where {FIRST_WEEK.between()} and primary_source_used = 'nbac_gamebook' "
        "and is_active and regexp_contains(player_full_name, r'^[A-Za-z .-]+$') "
        "order by game_id, player_lookup limit 1"
    )[0]
    before_outside = built.summary_rows(outside(FIRST_WEEK))
    delete_raw_player(built, game_id, player_lookup)

    result = built.dbt("run", "--select", SUMMARY_MODEL, dbt_vars=FIRST_WEEK.as_vars())

    assert result.success, describe_failure(result)
    where = f"game_id = '{game_id}' and player_lookup = '{player_lookup}'"
    assert built.summary_rows(where) == []
    assert_same_rows(
        built.summary_rows(FIRST_WEEK.between()),
        built.fresh_summary_rows(FIRST_WEEK),
        "rows inside",
    )
    assert_same_rows(
        built.summary_rows(outside(FIRST_WEEK)), before_outside, "rows outside"
    )
    assert built.duplicate_keys() == []


def test_every_statement_of_a_chunk_prunes_partitions(
    built: EmulatorProject, tmp_path: Path
) -> None:
    """The statements the runner issues for one chunk, captured from dbt-bigquery
    as it sends them, each filter game_date with literal dates wherever they name
    the summary or a raw feed: the upstream work tables, the chunk's model (its
    MERGE into the audit copy) and tests, the final validation, the diff, the
    publish with its backup, and the rollback. A name not filtered is a scan of
    every partition, billed."""
    chunk = PRUNED_CHUNK.as_vars()
    audit_vars = {**chunk, "backfill_audit": True, "stage_upstream": True}
    # the runner's own parse: with backfill_audit the summary is the audit copy
    runner = EmulatorProject(built.emulator, tmp_path)
    runner.parse(dbt_vars=audit_vars)
    log = StatementLog()
    steps = [
        ("run-operation", "check_backfill_inputs"),
        ("run", "--selector", "backfill_upstream"),
        # the first build creates the audit copy; the second is the chunk's MERGE
        ("build", "--selector", "backfill_chunk", "--no-populate-cache"),
        ("build", "--selector", "backfill_chunk", "--no-populate-cache"),
        ("test", "--selector", "backfill_final_validation"),
        ("run-operation", "diff_range", "--args", json.dumps(chunk)),
        (
            "run-operation",
            "publish_range",
            "--args",
            json.dumps({**chunk, "publish_id": "pruning_check"}),
        ),
        ("run-operation", "rollback_range", "--args", json.dumps(chunk)),
    ]
    for step in steps:
        result = runner.dbt(*step, dbt_vars=audit_vars, callbacks=[log])
        failures = [] if step[0] == "run-operation" else node_failures(result)
        assert result.success, f"{step}: {result.exception} {failures}"

    issued = "\n".join(log.statements).lower()
    summary = "`{}`.`player_game_summary`"
    for what, pattern in {
        "the model's MERGE into the audit copy": r"merge\s+(?:into\s+)?`[^`]+`\."
        + summary.format("nba_backfill_audit"),
        "the backup": r"create table `[^`]+`\.`nba_backfill_backup`\.",
        "the publish and the rollback": r"(?s)(merge\s+(?:into\s+)?`[^`]+`\."
        + summary.format("nba_analytics")
        + ".*){2}",
        "a test of the audit copy": r"from `[^`]+`\."
        + summary.format("nba_backfill_audit"),
    }.items():
        assert re.search(pattern, issued), f"{what} was not among the statements"
    offenders = unpruned_statements(log.statements)
    assert offenders == [], "statements that scan every partition:\n" + "\n\n".join(
        f"-- {', '.join(tables)}\n{sql}" for tables, sql in offenders
    )
