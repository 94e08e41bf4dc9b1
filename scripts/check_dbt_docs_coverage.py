"""Check documentation and test coverage over dbt's manifest.json.

    python scripts/check_dbt_docs_coverage.py --manifest target/manifest.json \\
        [--catalog target/catalog.json]

Fails (exit 1), listing every gap, when a model, a model column, a seed, a seed
column, a source table, a source column, a macro, a data test, a unit test or an
exposure of this project has no description, or when a model has no primary-key
test. The manifest only knows the columns the yml declares; with a catalog (from
``dbt docs generate``) the columns the relations really have are checked too.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = "nba_backfill"
# Generic tests that prove a primary key on their own (not null and unique).
PRIMARY_KEY_TESTS = frozenset({"primary_key", "unique_combination_of_columns"})
# An adapter implementation of a dispatched macro: <adapter>__<name>.
ADAPTER_IMPLEMENTATION = re.compile(
    r"^(?:default|duckdb|bigquery|postgres|snowflake)__(.+)$"
)


@dataclass
class CoverageReport:
    """Everything the check found missing, one line per gap."""

    gaps: list[str] = field(default_factory=list)

    def add(self, kind: str, name: str, problem: str) -> None:
        self.gaps.append(f"{kind} {name}: {problem}")

    @property
    def ok(self) -> bool:
        return not self.gaps


def _described(node: dict[str, Any]) -> bool:
    return bool((node.get("description") or "").strip())


def _own(nodes: Iterable[dict[str, Any]], resource_type: str) -> list[dict[str, Any]]:
    return [
        node
        for node in nodes
        if node.get("resource_type") == resource_type
        and node.get("package_name") == PROJECT
    ]


def _catalog_columns(catalog: dict[str, Any] | None, unique_id: str) -> list[str]:
    if catalog is None:
        return []
    entry = catalog.get("nodes", {}).get(unique_id) or catalog.get("sources", {}).get(
        unique_id
    )
    if entry is None:
        return []
    return [name.lower() for name in entry.get("columns", {})]


def _check_columns(
    report: CoverageReport,
    kind: str,
    node: dict[str, Any],
    catalog: dict[str, Any] | None,
) -> None:
    declared = {
        name.lower(): column for name, column in node.get("columns", {}).items()
    }
    for name, column in sorted(declared.items()):
        if not _described(column):
            report.add(kind, f"{node['name']}.{name}", "column has no description")
    for name in _catalog_columns(catalog, node["unique_id"]):
        if name not in declared:
            report.add(
                kind, f"{node['name']}.{name}", "column is not documented in yml"
            )


def _primary_key_models(tests: list[dict[str, Any]]) -> set[str]:
    """Models with a primary-key test: primary_key, or unique + not_null on a column."""
    with_key: set[str] = set()
    single_column: dict[tuple[str, str], set[str]] = {}
    for test in tests:
        metadata = test.get("test_metadata") or {}
        model = test.get("attached_node")
        if not model:
            continue
        name = metadata.get("name")
        if name in PRIMARY_KEY_TESTS:
            with_key.add(model)
        elif name in {"unique", "not_null"} and test.get("column_name"):
            single_column.setdefault((model, test["column_name"]), set()).add(name)
    for (model, _column), names in single_column.items():
        if {"unique", "not_null"} <= names:
            with_key.add(model)
    return with_key


def _check_macros(report: CoverageReport, macros: Iterable[dict[str, Any]]) -> None:
    own = [macro for macro in macros if macro.get("package_name") == PROJECT]
    documented = {macro["name"] for macro in own if _described(macro)}
    for macro in sorted(own, key=lambda item: item["name"]):
        if _described(macro):
            continue
        implementation = ADAPTER_IMPLEMENTATION.match(macro["name"])
        if implementation and implementation.group(1) in documented:
            continue  # documented by its dispatcher
        report.add("macro", macro["name"], "has no description")


def check_coverage(
    manifest: dict[str, Any], catalog: dict[str, Any] | None = None
) -> CoverageReport:
    """All documentation and primary-key gaps of the project in a manifest."""
    report = CoverageReport()
    nodes = list(manifest.get("nodes", {}).values())

    models = _own(nodes, "model")
    tests = _own(nodes, "test")
    with_key = _primary_key_models(tests)
    for model in sorted(models, key=lambda item: item["name"]):
        if not _described(model):
            report.add("model", model["name"], "has no description")
        _check_columns(report, "model", model, catalog)
        if model["unique_id"] not in with_key:
            report.add("model", model["name"], "has no primary-key test")

    for seed in sorted(_own(nodes, "seed"), key=lambda item: item["name"]):
        if not _described(seed):
            report.add("seed", seed["name"], "has no description")
        _check_columns(report, "seed", seed, catalog)

    for test in sorted(tests, key=lambda item: item["name"]):
        if not _described(test):
            report.add("test", test["name"], "has no description")

    for unit_test in manifest.get("unit_tests", {}).values():
        if unit_test.get("package_name") == PROJECT and not _described(unit_test):
            report.add("unit test", unit_test["name"], "has no description")

    for source in sorted(
        _own(manifest.get("sources", {}).values(), "source"),
        key=lambda item: (item["source_name"], item["name"]),
    ):
        name = f"{source['source_name']}.{source['name']}"
        if not (source.get("source_description") or "").strip():
            report.add("source", source["source_name"], "has no description")
        if not _described(source):
            report.add("source", name, "table has no description")
        _check_columns(report, "source", {**source, "name": name}, catalog)

    for exposure in _own(manifest.get("exposures", {}).values(), "exposure"):
        if not _described(exposure):
            report.add("exposure", exposure["name"], "has no description")

    _check_macros(report, manifest.get("macros", {}).values())
    # a source's description is reported once per table above; keep each gap once
    report.gaps = list(dict.fromkeys(report.gaps))
    return report


def _load(path: Path | None) -> dict[str, Any] | None:
    if path is None:
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--manifest",
        type=Path,
        default=Path("target/manifest.json"),
        help="manifest.json from dbt parse or dbt docs generate",
    )
    parser.add_argument(
        "--catalog",
        type=Path,
        default=None,
        help="catalog.json from dbt docs generate: also check undeclared columns",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    manifest = _load(args.manifest)
    assert manifest is not None
    report = check_coverage(manifest, _load(args.catalog))
    if report.ok:
        print(
            "docs coverage: every model, column, seed, source, macro, test and exposure"
        )
        print("is described, and every model has a primary-key test")
        return 0
    print(f"docs coverage: {len(report.gaps)} gap(s)", file=sys.stderr)
    for gap in report.gaps:
        print(f"  - {gap}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
