"""The BigQuery build on the emulator: the raw tables as loaded, ``dbt build`` of
the whole project for the bigquery target, the summary's table settings, the docs,
and a scan of the compiled SQL for what the emulator lets through.

Run: ``make emulator`` once, then ``.venv/bin/python -m pytest -m bigquery``.
What the emulator cannot show: docs/architecture.md, "The engines".
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb
from bq_harness import SUMMARY_MODEL, EmulatorProject, describe_failure, node_failures
from bq_raw_loader import RAW_SCHEMA, RAW_TABLES, duckdb_columns

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
