"""The runner measured from inside its own process (run_benchmarks.py
--runner-child): each phase timed, dbt's SQL time of the chunks summed, and,
with sample_chunks, only that many chunks built and the rest extrapolated."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

from backfill_runner.plan import ChunkSize
from benchmark_cases import MODEL, PROJECT_DIR, SAMPLE_START, sql_seconds


def _peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def runner_child(spec: dict[str, Any]) -> int:
    """In the child process: run a backfill, timing its phases and dbt's SQL."""
    import io

    from backfill_runner import chunks as chunk_steps
    from backfill_runner import modes
    from backfill_runner.checkpoint import ChunkStatus
    from backfill_runner.context import RunContext
    from backfill_runner.dbt_session import DbtSession
    from backfill_runner.plan import make_range
    from backfill_runner.progress import Console
    from backfill_runner.settings import RunOptions, load_gate_settings

    state = Path(spec["state_dir"])
    window = make_range(spec["start"], spec["end"])
    sampled = int(spec.get("sample_chunks") or 0)
    options = RunOptions(
        range=window,
        chunk_size=ChunkSize(spec["chunk_size"]),
        target="duckdb",
        project_dir=PROJECT_DIR,
        profiles_dir=Path(spec["profiles_dir"]),
        state_dir=state,
        report_dir=state / "reports",
        chunk_tests=bool(spec["chunk_tests"]),
        stage_upstream=bool(spec.get("stage_upstream", True)),
        retries=0,
    )
    session = DbtSession(
        PROJECT_DIR,
        options.profiles_dir,
        options.target,
        state / "dbt",
        manifest_reuse=spec["manifest_reuse"],
    )
    phases: dict[str, float] = {}
    # the process's peak RSS so far (VmHWM) at the end of each phase: the phase
    # where it rises is the one that reached it
    peak_rss: dict[str, float] = {}
    current = {"phase": "setup"}
    sql = {"chunks": 0.0}
    calls = {"chunks": 0}
    invoke = session.invoke

    def timed_invoke(*args: str, dbt_vars: dict[str, Any] | None = None) -> Any:
        invocation = invoke(*args, dbt_vars=dbt_vars)
        if current["phase"] == "chunks":
            sql["chunks"] += sql_seconds(invocation.raw_result)
            calls["chunks"] += 1
        return invocation

    session.invoke = timed_invoke  # type: ignore[method-assign]
    ctx = RunContext(
        options,
        Console(stream=io.StringIO()),
        load_gate_settings(PROJECT_DIR),
        session,
    )

    def timed(name: str, function: Any) -> Any:
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            current["phase"] = name
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                phases[name] = time.perf_counter() - started
                peak_rss[name] = _peak_rss_mib()
                current["phase"] = "other"

        return wrapped

    # the steps of modes.backfill, each timed under its own name
    ctx.connect = timed("connect", ctx.connect)  # type: ignore[method-assign]
    build_chunks = chunk_steps.build_chunks
    if sampled:
        # build only `sampled` chunks from SAMPLE_START; the rest count as done
        def sampled_chunks(context: Any) -> None:
            assert context.checkpoint is not None
            todo = [
                c for c in context.checkpoint.chunks if c.range.start >= SAMPLE_START
            ]
            keep = {id(c) for c in todo[:sampled]}
            for record in context.checkpoint.chunks:
                if id(record) not in keep:
                    record.status = ChunkStatus.DONE
            chunk_steps.build_chunks(context)
            # the rest of the range in one untimed run, so that the final
            # validation sees the whole range; its time is taken off the wall
            started = time.perf_counter()
            session.invoke("run", "--select", MODEL, dbt_vars=window.as_vars())
            phases["untimed_fill"] = time.perf_counter() - started

        build_chunks = sampled_chunks
    for name, attribute, function in (
        ("preflight", "preflight", modes.preflight),
        ("build_upstream", "build_upstream", modes.build_upstream),
        ("upstream_tests", "_test_upstream", modes._test_upstream),
        ("sample", "build_sample", modes.build_sample),
        ("chunks", "build_chunks", build_chunks),
        ("validate", "final_validation", modes.final_validation),
        ("diff", "diff_range", modes.diff_range),
        ("publish", "publish_range", modes.publish_range),
        ("report", "_report", modes._report),
    ):
        setattr(modes, attribute, timed(name, function))
    from backfill_runner.errors import GateFailed

    try:
        code = modes.backfill(ctx)
        outcome = "done"
    except GateFailed as error:  # after the final validation: timing is complete
        code, outcome = 1, f"validation failed: {str(error)[:200]}"
    assert ctx.checkpoint is not None
    Path(spec["out"]).write_text(
        json.dumps(
            {
                "exit": code,
                "outcome": outcome,
                "chunks": sampled or len(ctx.checkpoint.chunks),
                "chunk_phase_s": phases.get("chunks"),
                "chunk_sql_s": sql["chunks"],
                "chunk_invocations": calls["chunks"],
                "phases": phases,
                "peak_rss_by_phase": peak_rss,
                "parse": session.parse_summary,
            }
        )
    )
    return 0  # measured; a failed validation is reported as the outcome
