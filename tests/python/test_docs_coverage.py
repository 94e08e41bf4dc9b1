"""The docs-coverage check passes on the real project and fails on every kind of gap."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from check_dbt_docs_coverage import check_coverage, main
from dbt_harness import PROJECT_DIR


@pytest.fixture(scope="module")
def manifest_path(profiles_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """manifest.json of the real project, from `dbt parse` (no database needed)."""
    from dbt.cli.main import dbtRunner

    target = tmp_path_factory.mktemp("docs_coverage") / "target"
    result = dbtRunner().invoke(
        [
            "parse",
            "--project-dir",
            str(PROJECT_DIR),
            "--profiles-dir",
            str(profiles_dir),
            "--target-path",
            str(target),
            "--log-path",
            str(target / "logs"),
            "--quiet",
        ]
    )
    assert result.success, result.exception
    return target / "manifest.json"


@pytest.fixture
def manifest(manifest_path: Path) -> dict[str, Any]:
    return json.loads(manifest_path.read_text(encoding="utf-8"))


def _node(manifest: dict[str, Any], resource_type: str, name: str) -> dict[str, Any]:
    for node in manifest["nodes"].values():
        if node["resource_type"] == resource_type and node["name"] == name:
            return node
    raise KeyError(name)


def test_real_project_is_fully_documented(manifest_path: Path) -> None:
    assert main(["--manifest", str(manifest_path)]) == 0


def test_removed_model_description_fails(
    manifest: dict[str, Any], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _node(manifest, "model", "player_game_summary")["description"] = ""
    broken = tmp_path / "manifest.json"
    broken.write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["--manifest", str(broken)]) == 1
    assert "model player_game_summary: has no description" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("edit", "expected_gap"),
    [
        (
            lambda m: _node(m, "model", "player_game_summary")["columns"][
                "minutes_played"
            ].update(description=""),
            "model player_game_summary.minutes_played: column has no description",
        ),
        (
            lambda m: _node(m, "test", "pgs_played_has_minutes").update(description=""),
            "test pgs_played_has_minutes: has no description",
        ),
        (
            lambda m: m["macros"]["macro.nba_backfill.backfill_range_filter"].update(
                description=""
            ),
            "macro backfill_range_filter: has no description",
        ),
        (
            lambda m: m["sources"]["source.nba_backfill.nba_raw.nbac_schedule"][
                "columns"
            ]["game_status"].update(description=""),
            "source nba_raw.nbac_schedule.game_status: column has no description",
        ),
        (
            lambda m: _node(m, "seed", "spot_checks").update(description=""),
            "seed spot_checks: has no description",
        ),
    ],
)
def test_each_kind_of_gap_is_reported(
    manifest: dict[str, Any], edit: Any, expected_gap: str
) -> None:
    edited = copy.deepcopy(manifest)
    edit(edited)
    report = check_coverage(edited)
    assert report.gaps == [expected_gap]


def test_model_without_primary_key_test_fails(manifest: dict[str, Any]) -> None:
    key_test = _node(manifest, "test", "pgs_primary_key")
    del manifest["nodes"][key_test["unique_id"]]
    assert check_coverage(manifest).gaps == [
        "model player_game_summary: has no primary-key test"
    ]


def test_unique_and_not_null_on_one_column_count_as_a_primary_key(
    manifest: dict[str, Any],
) -> None:
    key_test = _node(manifest, "test", "pgs_primary_key")
    del manifest["nodes"][key_test["unique_id"]]
    for name in ("unique", "not_null"):
        manifest["nodes"][f"test.nba_backfill.{name}_pgs_key"] = {
            **key_test,
            "name": f"{name}_pgs_key",
            "unique_id": f"test.nba_backfill.{name}_pgs_key",
            "column_name": "data_hash",
            "test_metadata": {"name": name, "kwargs": {}},
        }
    assert check_coverage(manifest).ok


def test_catalog_columns_missing_from_yml_fail(manifest: dict[str, Any]) -> None:
    model = _node(manifest, "model", "player_game_summary")
    columns = {name: {"name": name} for name in model["columns"]}
    catalog = {
        "nodes": {model["unique_id"]: {"columns": {**columns, "secret_col": {}}}},
        "sources": {},
    }
    assert check_coverage(manifest, catalog).gaps == [
        "model player_game_summary.secret_col: column is not documented in yml"
    ]


def test_adapter_implementations_share_their_dispatcher_description(
    manifest: dict[str, Any],
) -> None:
    macros = manifest["macros"]
    assert not macros["macro.nba_backfill.bigquery__regex_full_match"]["description"]
    assert check_coverage(manifest).ok
    macros["macro.nba_backfill.regex_full_match"]["description"] = ""
    gaps = check_coverage(manifest).gaps
    assert "macro regex_full_match: has no description" in gaps
    assert "macro bigquery__regex_full_match: has no description" in gaps


SHORT_NAMES = (
    "mmss-coercion",
    "zero-as-missing",
    "integer-rounding",
    "game-id-orientation",
    "partial-write-success",
    "game-level-fallback",
    "dry-run-writes",
    "resume-skips-failures",
    "usage-rate-48-minutes",
    "wrong-validation-bands",
)


def test_the_overview_names_each_failure_and_tests_that_exist(
    manifest: dict[str, Any],
) -> None:
    """The docs overview's table: one row per failure, every test it names real."""
    overview = manifest["docs"]["doc.nba_backfill.__overview__"]["block_contents"]
    rows = {
        cells[1].strip("` "): cells[3]
        for line in overview.splitlines()
        if line.startswith("| `")
        for cells in [line.split("|")]
    }
    assert tuple(rows) == SHORT_NAMES
    tests = {
        node["name"]
        for node in [*manifest["nodes"].values(), *manifest["unit_tests"].values()]
        if node["resource_type"] in {"test", "unit_test"}
    }
    named = {
        name
        for guarded_by in rows.values()
        for name in re.findall(r"`((?:pgs|assert|stg|test)_\w+)`", guarded_by)
    }
    assert named, "the overview names no test"
    assert named - tests == set()
