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


def runner_child(spec: dict[str, Any]) -> int:
    """In the child process: run the Backfill, timing its phases and dbt's SQL."""
    import io

    from backfill_runner.checkpoint import ChunkStatus
    from backfill_runner.dbt_session import DbtSession
    from backfill_runner.plan import make_range
    from backfill_runner.progress import Console
    from backfill_runner.runner import Backfill
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
    backfill = Backfill(
        options,
        Console(stream=io.StringIO()),
        load_gate_settings(PROJECT_DIR),
        session,
    )
    for phase in (
        "_connect",
        "_preflight",
        "_begin_writes",
        "_build_upstream",
        "_sample",
        "_chunks",
        "_validate",
        "_report",
    ):
        method = getattr(backfill, phase)

        def wrapped(*args: Any, _method: Any = method, _name: str = phase) -> Any:
            current["phase"] = _name.strip("_")
            started = time.perf_counter()
            try:
                return _method(*args)
            finally:
                phases[_name.strip("_")] = time.perf_counter() - started
                current["phase"] = "other"

        setattr(backfill, phase, wrapped)
    if sampled:
        # build only `sampled` chunks from SAMPLE_START; the rest count as done
        chunks_method = backfill._chunks

        def sampled_chunks() -> None:
            assert backfill.checkpoint is not None
            todo = [
                c for c in backfill.checkpoint.chunks if c.range.start >= SAMPLE_START
            ]
            keep = {id(c) for c in todo[:sampled]}
            for record in backfill.checkpoint.chunks:
                if id(record) not in keep:
                    record.status = ChunkStatus.DONE
            chunks_method()
            # the rest of the range in one untimed run, so that the final
            # validation sees the whole range; its time is taken off the wall
            started = time.perf_counter()
            session.invoke("run", "--select", MODEL, dbt_vars=window.as_vars())
            phases["untimed_fill"] = time.perf_counter() - started

        backfill._chunks = sampled_chunks  # type: ignore[method-assign]
    from backfill_runner.errors import GateFailed

    try:
        code = backfill.run()
        outcome = "done"
    except GateFailed as error:  # after the final validation: timing is complete
        code, outcome = 1, f"validation failed: {str(error)[:200]}"
    assert backfill.checkpoint is not None
    Path(spec["out"]).write_text(
        json.dumps(
            {
                "exit": code,
                "outcome": outcome,
                "chunks": sampled or len(backfill.checkpoint.chunks),
                "chunk_phase_s": phases.get("chunks"),
                "chunk_sql_s": sql["chunks"],
                "chunk_invocations": calls["chunks"],
                "phases": phases,
            }
        )
    )
    return 0  # measured; a failed validation is reported as the outcome
