"""Acknowledged raw defects through the runner: the demo's incomplete box scores
stop a run without acknowledgements, naming game, team and minutes; with the
shipped acknowledgements the run publishes and the report lists each one."""

from __future__ import annotations

import shutil
from pathlib import Path

from backfill_runner.acknowledged_defects import (
    AcknowledgedDefect,
    console_lines,
    markdown_lines,
)
from backfill_runner.report import _table
from runner_fixtures import SUMMARY, RunnerEnv, make_env

# the demo's incomplete box scores in the conftest window (seed 42), acknowledged
# by the shipped seeds/acknowledged_raw_defects.csv
WINDOW_DEFECTS = {("20211223_CHI_NYK", "NYK"), ("20220115_LAC_LAL", "LAC")}


def test_with_the_acknowledgements_the_report_lists_each_defect(
    reference: RunnerEnv,
) -> None:
    data, markdown, _ = reference.report()
    assert data["outcome"] == "published"
    listed = data["acknowledged_raw_defects"]
    assert {(d["game_id"], d["team_abbr"]) for d in listed} == WINDOW_DEFECTS
    assert {d["outcome"] for d in listed} == {"acknowledged"}
    assert all("observed_minutes=" in d["detail"] and d["reason"] for d in listed)
    section = markdown.split("## Acknowledged raw defects", 1)[1].split("\n## ")[0]
    for game_id, team in WINDOW_DEFECTS:
        assert f"| {game_id} | {team} |" in section
    flagged = reference.query(
        f"select distinct game_id, team_abbr from {SUMMARY} "
        "where is_team_box_score_incomplete"
    )
    assert set(flagged) == WINDOW_DEFECTS


def test_without_acknowledgements_the_first_defect_stops_the_run(
    tmp_path: Path,
    raw_db_template: Path,
    profiles_dir: Path,
    runner_project: Path,
) -> None:
    project = tmp_path / "project"
    shutil.copytree(runner_project, project)
    seed = project / "seeds" / "acknowledged_raw_defects.csv"
    seed.write_text(seed.read_text().splitlines()[0] + "\n")
    env = make_env(tmp_path / "run", raw_db_template, project, profiles_dir)
    code, output = env.run("--skip-sample")
    assert code != 0, output
    checkpoint = env.checkpoint()
    assert checkpoint is not None
    # the first week holds 20211223_CHI_NYK: it fails, nothing later is built
    statuses = [chunk["status"] for chunk in checkpoint["chunks"]]
    assert statuses == ["failed"] + ["pending"] * (len(statuses) - 1)
    # named with the game, the team, observed and expected minutes
    for text in (
        "pgs_team_minutes_add_up",
        "game_id=20211223_CHI_NYK",
        "team_abbr=NYK",
        "observed_minutes=215.8",
        "expected_minutes=240",
    ):
        assert text in output, text


def test_stale_acknowledgements_are_listed_apart() -> None:
    defects = [
        AcknowledgedDefect(
            "pgs_team_minutes_add_up",
            "acknowledged",
            "2021-12-23",
            "20211223_CHI_NYK",
            "NYK",
            "a player missing in both feeds",
            "2026-12-01",
            "observed_minutes=215.8, expected_minutes=240",
        ),
        AcknowledgedDefect(
            "pgs_team_minutes_add_up",
            "stale",
            "2022-01-05",
            "20220105_CHI_SAS",
            "CHI",
            "checked the gamebook",
            "2026-11-30",
            "",
        ),
    ]
    text = "\n".join(markdown_lines(defects, _table))
    acknowledged, stale = text.split("Stale acknowledgements", 1)
    assert "20211223_CHI_NYK" in acknowledged and "20220105_CHI_SAS" not in acknowledged
    assert "20220105_CHI_SAS" in stale
    assert console_lines(defects)[1].startswith(
        "stale raw defect: pgs_team_minutes_add_up 20220105_CHI_SAS CHI"
    )
    assert "None in this range." in "\n".join(markdown_lines([], _table))


def test_in_a_failing_group_only_the_unacknowledged_defect_fails_its_chunk(
    tmp_path: Path,
    raw_db_template: Path,
    profiles_dir: Path,
    runner_project: Path,
) -> None:
    """Month chunks of one season are one group: its team-minutes test fails on
    December's defect; January's defect, acknowledged, only warns, so January
    is not done (its group failed) but carries no failing test."""
    project = tmp_path / "project"
    shutil.copytree(runner_project, project)
    seed = project / "seeds" / "acknowledged_raw_defects.csv"
    header, *rows = seed.read_text().splitlines()
    seed.write_text("\n".join([header, *(r for r in rows if "_LAC_LAL," in r)]) + "\n")
    env = make_env(tmp_path / "run", raw_db_template, project, profiles_dir)

    code, output = env.run("--chunk-size", "month", "--skip-sample")

    assert code == 1, output
    assert "(failing days 2021-12-23)" in output
    checkpoint = env.checkpoint()
    assert checkpoint is not None
    december, january = checkpoint["chunks"]
    assert december["status"] == january["status"] == "failed"
    assert [v["name"] for v in december["failed_tests"]] == ["pgs_team_minutes_add_up"]
    assert january["failed_tests"] == []
    assert "its group failed" in january["error"]
