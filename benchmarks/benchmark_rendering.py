"""The Markdown table of a suite's results, with the machine it ran on."""

from __future__ import annotations

import os
import platform
from pathlib import Path
from typing import Any

from benchmark_cases import Case, Dataset


def machine() -> dict[str, str]:
    import dbt.version
    import duckdb

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = "unknown"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    load = os.getloadavg() if hasattr(os, "getloadavg") else (0.0, 0.0, 0.0)
    return {
        "nproc": str(os.cpu_count()),
        "memory": memory,
        "cpu": cpu,
        "python": platform.python_version(),
        "duckdb": duckdb.__version__,
        "dbt-core": dbt.version.__version__,
        "load average at the end": " ".join(f"{v:.1f}" for v in load),
    }


def _fmt(value: float | None, digits: int = 1, suffix: str = "") -> str:
    return "" if value is None else f"{value:,.{digits}f}{suffix}"


def _floor_key(key: str) -> str:
    """Which floor a case is divided by: day chunks without per-chunk tests
    (their batches are the microbatch run's) by the bare microbatch run, cases
    with per-chunk tests (and the pre-redesign runner) by dbt build, every
    other case without per-chunk tests by dbt run."""
    if key == "runner_day_notests":
        return "floor_microbatch"
    if (
        key.startswith(("floor_run", "floor_microbatch", "scale_", "naive"))
        or "_notests" in key
        or key.endswith("_copy")
    ):
        return "floor_run" if key != "floor_microbatch" else key
    return "floor_build"


AUDIT_PHASES = ("validate", "diff", "publish")


def _phase_table(
    cases: dict[str, Case], attribute: str, title: str, digits: int
) -> list[str]:
    """A table of one per-phase figure of each case's last run."""
    rows = [
        (case.label, getattr(case.samples[-1], attribute))
        for case in cases.values()
        if case.samples and getattr(case.samples[-1], attribute)
    ]
    if not rows:
        return []
    names = list(rows[0][1])
    lines = ["", title, "", "| case | " + " | ".join(names) + " |"]
    lines.append("|---|" + "---:|" * len(names))
    for label, values in rows:
        cells = " | ".join(_fmt(values.get(n), digits) for n in names)
        lines.append(f"| {label} | {cells} |")
    return lines


def render(suite: dict[str, Any], command: str) -> str:
    cases: dict[str, Case] = suite["cases"]
    datasets: dict[int, Dataset] = suite["datasets"]
    floors = {
        key: cases[key].median("wall_s")
        for key in ("floor_build", "floor_run", "floor_microbatch")
        if key in cases
    }
    rows_1x = next(
        (c.median("rows") for c in cases.values() if c.scale == 1 and c.samples),
        None,
    )
    lines = [
        f"Command: `{command}`",
        "",
        f"Window: {datasets[1].window.label} "
        f"({rows_1x or 0:,.0f} summary rows at 1x). "
        "Times are medians in seconds of the runs shown; ratios are to the floor "
        "of the same invocation: day chunks without per-chunk tests against "
        "the bare microbatch `dbt run`, any runner with per-chunk tests (and "
        "the pre-redesign runner) against the plain `dbt build`, "
        "every other case without them (and the naive wrapper) against `dbt "
        "run`. CPU s is user + system "
        "time of the process and its children.",
        "",
        "| case | chunks | runs | wall s | x floor | CPU s | CPU x floor "
        "| chunk phase s | SQL s in chunks | overhead / chunk ms | peak RSS MiB "
        "| s per M rows |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for case in cases.values():
        wall = case.median("wall_s")
        rows = case.median("rows")
        floor_case = cases.get(_floor_key(case.key))
        floor = floors.get(_floor_key(case.key))
        ratio = wall / floor if wall and floor else None
        cpu = case.median("cpu_s")
        floor_cpu = floor_case.median("cpu_s") if floor_case else None
        cpu_ratio = cpu / floor_cpu if cpu and floor_cpu else None
        phase = case.median("chunk_phase_s")
        sql = case.median("sql_s")
        chunks = case.median("chunks") or 0
        overhead = (
            (phase - sql) / chunks * 1000
            if phase is not None and sql is not None and chunks
            else None
        )
        per_million = wall / (rows / 1e6) if wall and rows else None
        label = case.label + (" (extrapolated)" if case.extrapolated else "")
        lines.append(
            f"| {label} | {chunks:,.0f} | {len(case.samples)} | {_fmt(wall)} "
            f"| {_fmt(ratio, 2)} | {_fmt(cpu)} | {_fmt(cpu_ratio, 2)} "
            f"| {_fmt(phase)} | {_fmt(sql)} | {_fmt(overhead, 0)} "
            f"| {_fmt(case.median('peak_rss_mib'), 0)} | {_fmt(per_million)} |"
        )
    scale_rows = []
    base = cases.get("runner_month_notests")
    if base is not None and base.median("wall_s") and base.median("rows"):
        base_per_million = base.median("wall_s") / (base.median("rows") / 1e6)
        for scale in sorted(datasets):
            case = base if scale == 1 else cases.get(f"scale_{scale}")
            if case is None:
                continue
            wall = case.median("wall_s") or 0.0
            rows = case.median("rows") or 0.0
            per_million = wall / (rows / 1e6) if rows else None
            scale_rows.append(
                f"| {scale}x | {datasets[scale].window.label} | {rows:,.0f} "
                f"| {wall:.1f} | {wall / base.median('wall_s'):.2f} "
                f"| {_fmt(per_million)} "
                f"| {_fmt(per_million / base_per_million if per_million else None, 2)} "
                f"| {_fmt(case.median('peak_rss_mib'), 0)} |"
            )
    if scale_rows:
        lines += [
            "",
            "Scale (runner, month chunks, per-chunk tests off; final validation on):",
            "",
            "| scale | window | summary rows | wall s | x 1x | s per M rows "
            "| per M rows x 1x | peak RSS MiB |",
            "|---|---|---:|---:|---:|---:|---:|---:|",
            *scale_rows,
        ]
    lines += _phase_table(
        cases, "phases", "Runner phases (last run of each case, seconds):", 1
    )
    lines += _phase_table(
        cases,
        "peak_rss_by_phase",
        "Runner's peak RSS so far at the end of each phase (last run of each "
        "case, MiB; the phase where it rises reached the peak):",
        0,
    )
    audit = cases.get("runner_month_tests")
    if audit is not None and audit.samples:
        last = audit.samples[-1].phases
        spent = {name: last.get(name) for name in AUDIT_PHASES}
        total = sum(v for v in spent.values() if v)
        lines += [
            "",
            "The audit step of the runner at month chunks with per-chunk tests "
            "(last run; the audit copy itself is where the chunks are written, "
            "no extra step): "
            + ", ".join(f"{k} {_fmt(v)} s" for k, v in spent.items())
            + f"; {total:.1f} s in all, {total / audit.samples[-1].wall_s:.0%} "
            "of that run.",
        ]
    notes = [f"- {suite['stopped']}"] if suite.get("stopped") else []
    for case in cases.values():
        for sample in case.samples[-1:]:
            if sample.parse:
                notes.append(f"- {case.label}: {sample.parse}")
        for error in case.errors:
            notes.append(f"- {case.label}: a run failed ({error})")
        outcomes = {s.outcome for s in case.samples if s.outcome != "done"}
        for outcome in sorted(outcomes):
            notes.append(f"- {case.label}: the runner finished with {outcome}")
    if notes:
        lines += ["", "Notes:", "", *notes]
    info = machine()
    lines += [
        "",
        "Machine: " + "; ".join(f"{k} {v}" for k, v in info.items()),
    ]
    return "\n".join(lines) + "\n"
