"""Copy the raw tables (nba_raw) of a DuckDB file into a BigQuery dataset.

Each table is created with DDL, with its columns in BigQuery types, day partitions
on ``game_date`` and clustering, then filled by ``insert ... select`` over a JSON
array literal (one statement per batch). The emulator serves neither streaming
inserts, JSON/Parquet load jobs nor query parameters, and a CSV load job is about
eight times slower; this is valid BigQuery SQL too.

The production layout of nba_raw (docs/domain.md): the player feeds are
partitioned by game_date, and Ball Don't Lie requires a partition filter. The
emulator rejects ``require_partition_filter``, so that option is not set here
and the suite cannot prove every raw scan filters on game_date (see the README's
"tested where" table). Clustering is not part of the contract; the keys below are
the columns the staging models join and deduplicate on.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
from google.cloud import bigquery

RAW_SCHEMA = "nba_raw"


@dataclass(frozen=True, slots=True)
class RawTableLayout:
    """How one raw table is laid out in BigQuery."""

    name: str
    partition_by: str | None
    cluster_by: tuple[str, ...]


RAW_TABLES: tuple[RawTableLayout, ...] = (
    RawTableLayout("nbac_schedule", "game_date", ("game_id",)),
    RawTableLayout(
        "nbac_gamebook_player_stats", "game_date", ("game_id", "player_lookup")
    ),
    RawTableLayout("bdl_player_boxscores", "game_date", ("game_id", "player_lookup")),
)

# DuckDB column type -> BigQuery type, for the types the raw contract uses.
_SCALAR_TYPES = {
    "VARCHAR": "STRING",
    "BIGINT": "INT64",
    "INTEGER": "INT64",
    "SMALLINT": "INT64",
    "BOOLEAN": "BOOL",
    "DATE": "DATE",
    "TIMESTAMP": "TIMESTAMP",
    "TIMESTAMP WITH TIME ZONE": "TIMESTAMP",
    "DOUBLE": "FLOAT64",
}


def bigquery_type(duckdb_type: str) -> str:
    """The BigQuery type of a DuckDB column type; unknown types are an error."""
    text = duckdb_type.upper()
    if text in _SCALAR_TYPES:
        return _SCALAR_TYPES[text]
    if re.fullmatch(r"DECIMAL\(\d+,\s*\d+\)", text):
        return "NUMERIC"
    raise ValueError(f"no BigQuery type for DuckDB type {duckdb_type}")


@dataclass(frozen=True, slots=True)
class LoadedTable:
    table_id: str
    columns: tuple[tuple[str, str], ...]
    rows: int


def _json_value(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        # naive DuckDB timestamps are UTC; BigQuery reads the text as UTC
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"cannot load a {type(value).__name__} value")


def _string_literal(text: str) -> str:
    """A BigQuery triple-quoted string literal holding text exactly."""
    return "'''" + text.replace("\\", "\\\\").replace("'", "\\'") + "'''"


def _batches(rows: Sequence[tuple[Any, ...]], size: int) -> Iterable[Sequence[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _quoted(name: str) -> str:
    return f"`{name}`"


def create_table_sql(
    table_id: str, columns: Sequence[tuple[str, str]], layout: RawTableLayout
) -> str:
    sql = f"create or replace table {_quoted(table_id)} (\n    "
    sql += ",\n    ".join(f"{_quoted(name)} {kind}" for name, kind in columns)
    sql += "\n)"
    if layout.partition_by:
        sql += f"\npartition by {_quoted(layout.partition_by)}"
    if layout.cluster_by:
        sql += "\ncluster by " + ", ".join(_quoted(c) for c in layout.cluster_by)
    return sql


def insert_rows_sql(
    table_id: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
) -> str:
    """One ``insert ... select`` of rows, sent as a JSON array of arrays."""
    payload = json.dumps([list(row) for row in rows], default=_json_value)
    casts = ",\n    ".join(
        f"cast(json_value(raw_row, '$[{index}]') as {kind}) as {_quoted(name)}"
        for index, (name, kind) in enumerate(columns)
    )
    names = ", ".join(_quoted(name) for name, _ in columns)
    return (
        f"insert into {_quoted(table_id)} ({names})\n"
        f"select\n    {casts}\n"
        f"from unnest(json_query_array({_string_literal(payload)})) as raw_row"
    )


def duckdb_columns(
    connection: duckdb.DuckDBPyConnection, schema: str, table: str
) -> tuple[tuple[str, str], ...]:
    """(name, BigQuery type) of a DuckDB table, in column order."""
    described = connection.execute(
        "select column_name, data_type from information_schema.columns "
        "where table_schema = ? and table_name = ? order by ordinal_position",
        [schema, table],
    ).fetchall()
    if not described:
        raise ValueError(f"{schema}.{table} is not in the DuckDB file")
    return tuple((name, bigquery_type(kind)) for name, kind in described)


def load_raw_tables(
    duckdb_path: Path,
    client: bigquery.Client,
    dataset: str = RAW_SCHEMA,
    tables: Sequence[RawTableLayout] = RAW_TABLES,
    batch_rows: int = 5000,
) -> list[LoadedTable]:
    """Copy each raw table into ``<client project>.<dataset>``, replacing it."""
    client.create_dataset(f"{client.project}.{dataset}", exists_ok=True)
    loaded = []
    with duckdb.connect(str(duckdb_path), read_only=True) as connection:
        for layout in tables:
            columns = duckdb_columns(connection, RAW_SCHEMA, layout.name)
            names = ", ".join(f'"{name}"' for name, _ in columns)
            rows = connection.execute(
                f'select {names} from {RAW_SCHEMA}."{layout.name}"'
            ).fetchall()
            table_id = f"{client.project}.{dataset}.{layout.name}"
            client.query(create_table_sql(table_id, columns, layout)).result()
            for batch in _batches(rows, batch_rows):
                client.query(insert_rows_sql(table_id, columns, batch)).result()
            loaded.append(LoadedTable(table_id, columns, len(rows)))
    return loaded
