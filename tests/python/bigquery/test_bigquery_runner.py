"""The backfill runner on the emulator: two day chunks built and tested in the
audit copy, diffed and published; a rerun over unchanged raw data, a plan, a
publish without rebuild, a rollback; one chunk rerun; ``diff_range`` by hand,
and its examples of each kind of change; a row that vanished from raw leaving
the summary. Each test compares the table
with a fresh build of its range or with rows it read itself before its change.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from backfill_runner.dbt_session import RANGE_DIFF, logged_result
from bq_checks import (
    assert_runner_ok,
    assert_same_rows,
    bump_plus_minus,
    chunk_states,
    delete_raw_player,
    outside,
)
from bq_harness import SUMMARY_MODEL, DateWindow, EmulatorProject, describe_failure

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
    rebuild; --rollback restores what that publish replaced. The plan is of one
    chunk (RERUN_RANGE): publishing and restoring a range do not depend on how
    many chunks it has, and each chunk costs a build and its tests here."""
    rerun = built.run_backfill(RUNNER_RANGE, CHUNK_SIZE)
    assert_runner_ok(rerun, "rerun over unchanged raw data")
    assert "diff vs live: 0 added, 0 removed, 0 changed" in rerun.stdout
    assert built.report(RUNNER_RANGE)["published"] is None

    before = built.summary_rows()
    bump_plus_minus(built, by=3)
    plan = built.run_backfill(RERUN_RANGE, CHUNK_SIZE, "--no-resume", "--no-publish")
    assert_runner_ok(plan, "plan")
    assert_same_rows(built.summary_rows(), before, "rows after a plan")
    diff = built.report(RERUN_RANGE)["diff"]
    assert diff["changed"] > 0 and diff["changed_columns"]["plus_minus"] > 0
    planned = built.checkpoint(RERUN_RANGE)
    assert planned["status"] == "audited"

    publish = built.run_backfill(RERUN_RANGE, CHUNK_SIZE, "--publish-only")
    assert_runner_ok(publish, "publish only")
    assert [c["invocation_id"] for c in built.checkpoint(RERUN_RANGE)["chunks"]] == [
        c["invocation_id"] for c in planned["chunks"]
    ]
    assert_same_rows(
        built.summary_rows(RERUN_RANGE.between()),
        built.fresh_summary_rows(RERUN_RANGE),
        "rows inside after the publish",
    )

    rollback = built.run_backfill(RERUN_RANGE, CHUNK_SIZE, "--rollback")
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


def test_diff_range_names_the_first_keys_of_each_kind_on_bigquery(
    built: EmulatorProject,
) -> None:
    """The runner's diff is a plain dbt run-operation on BigQuery too: each
    kind's examples query (keys only for added and removed, the inner join for
    changed) and the fingerprint run on BigQuery SQL, over copies of the live
    rows in datasets of their own (the shared build stays as it is, and the
    test needs no earlier test's audit copy)."""
    project, summary = built.emulator.project, built.summary_table_id()
    table = summary.rsplit(".", 1)[1]
    keys = built.query(
        f"select game_id, player_lookup from `{summary}` "
        f"where {RUNNER_RANGE.between()} and plus_minus is not null "
        "order by player_lookup desc, game_id limit 9"
    )
    added, removed, changed = keys[:4], keys[4:6], keys[6:]

    def keyed(picked: list[tuple[str, str]]) -> str:
        return "concat(game_id, '|', player_lookup) in ({})".format(
            ", ".join(f"'{g}|{p}'" for g, p in picked)
        )

    copies = {
        "diff_check_live": f"select * from `{summary}` where not {keyed(added)}",
        "diff_check_audit": (
            "select * replace (if("
            f"{keyed(changed)}, plus_minus + 1, plus_minus) as plus_minus) "
            f"from `{summary}` where not {keyed(removed)}"
        ),
    }
    for dataset, select in copies.items():
        built.client.create_dataset(f"{project}.{dataset}", exists_ok=True)
        built.execute(
            f"create or replace table `{project}.{dataset}.{table}` as "
            f"{select} and {RUNNER_RANGE.between()}"
        )
    diffs: list[dict[str, Any]] = []

    def keep_diff(event: Any) -> None:
        logged = logged_result(event)
        if logged is not None and logged[0] == RANGE_DIFF:
            diffs.append(logged[1])

    result = built.dbt(
        "run-operation",
        "diff_range",
        "--args",
        json.dumps(
            {
                **RUNNER_RANGE.as_vars(),
                "live_schema": "diff_check_live",
                "audit_schema": "diff_check_audit",
            }
        ),
        callbacks=[keep_diff],
    )

    assert result.success, describe_failure(result)
    (diff,) = diffs
    assert (diff["added"], diff["removed"], diff["changed"]) == (4, 2, 3)
    assert diff["changed_columns"] == {"plus_minus": 3}
    assert [
        (e["change"], e["game_id"], e["player_lookup"], e["changed_columns"])
        for e in diff["examples"]
    ] == (
        [("added", g, p, "") for g, p in sorted(added)[:3]]
        + [("changed", g, p, "plus_minus") for g, p in sorted(changed)]
        + [("removed", g, p, "") for g, p in sorted(removed)]
    )
    # the fingerprint: the row count, then two sums of 32-bit hash slices
    count, *sums = (int(part) for part in diff["audit_fingerprint"].split("-"))
    assert count == diff["audit_rows"] and all(0 < s < count * 2**32 for s in sums)


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
