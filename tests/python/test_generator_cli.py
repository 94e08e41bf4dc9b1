"""The demo generator as a command: a rerun keeps other schemas, --scale
extends the window by whole seasons, bad arguments exit 2.

The generated data and the reference rules are in generated_raw_data.py.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import duckdb
import pytest
from generate_raw_data import generate, main, resolve_window
from generated_raw_data import (
    TABLES,
)


def test_rerun_keeps_other_schemas(tmp_path: Path) -> None:
    db_path = tmp_path / "built.duckdb"
    window = {"start_date": date(2022, 1, 3), "end_date": date(2022, 1, 5)}
    first = generate(db_path, progress=lambda _: None, **window)
    with duckdb.connect(str(db_path)) as connection:
        connection.execute("create schema nba_analytics")
        connection.execute("create table nba_analytics.keep as select 1 as x")
        connection.execute("create table nba_raw.stray as select 1 as x")
    second = generate(db_path, progress=lambda _: None, **window)
    assert second.row_counts == first.row_counts
    with duckdb.connect(str(db_path), read_only=True) as connection:
        assert connection.sql("select x from nba_analytics.keep").fetchall() == [(1,)]
        tables = connection.sql(
            "select table_name from information_schema.tables "
            "where table_schema = 'nba_raw' order by 1"
        ).fetchall()
    assert [name for (name,) in tables] == sorted(TABLES)


def test_scale_extends_window_by_whole_seasons() -> None:
    start, end, seasons = resolve_window(date(2021, 10, 1), date(2024, 5, 1), 3)
    assert (start, end) == (date(2021, 10, 1), date(2030, 5, 1))
    assert seasons == tuple(range(2021, 2030))
    assert resolve_window(date(2021, 10, 1), date(2024, 5, 1), 1)[1] == date(2024, 5, 1)


@pytest.mark.parametrize(
    ("argv", "argument"),
    [
        (["--start-date", "2022-13-01"], "--start-date"),
        (["--end-date", "yesterday"], "--end-date"),
        (["--start-date", "2022-02-01", "--end-date", "2022-01-01"], "--end-date"),
        (["--scale", "0"], "--scale"),
        (["--scale", "two"], "--scale"),
        (["--seed", "x"], "--seed"),
    ],
)
def test_bad_arguments_exit_2(
    argv: list[str], argument: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "never.duckdb"), *argv])
    assert exit_info.value.code == 2
    assert argument in capsys.readouterr().err
    assert not (tmp_path / "never.duckdb").exists()
