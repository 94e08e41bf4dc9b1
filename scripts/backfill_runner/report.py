"""The end-of-run report: Markdown next to its PNG chart, plus the figures as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backfill_runner.acknowledged_defects import AcknowledgedDefect, markdown_lines
from backfill_runner.chart import write_chart
from backfill_runner.checkpoint import ChunkRecord
from backfill_runner.figures import MonthFigures, summed
from backfill_runner.plan import DateRange
from backfill_runner.progress import format_duration
from backfill_runner.publishing import RangeDiff
from backfill_runner.settings import GateSettings
from backfill_runner.verdicts import TestVerdict, pct, summary

COVERAGE_DEFINITION = (
    "Coverage vs raw = summary rows of players who played (`is_active`) / Ball "
    "Don't Lie rows of the games the summary covers (final regular-season, play-in "
    "and playoff games; newest load of each game), the rows the "
    "`pgs_coverage_vs_raw` tests compare with. Ball Don't Lie lists about 35 "
    'players a game, about 40% of them with `"00"` minutes, so 70-90% is '
    "healthy. *Raw rows* counts every row as loaded (preseason games and repeated "
    "loads included), for reference. These figures describe the audited range; "
    "the verdicts above are the dbt tests'."
)
# Above this many chunks the report sums them up instead of listing each.
CHUNK_TABLE_LIMIT = 60


@dataclass(frozen=True, slots=True)
class Rollup:
    """Totals of some months: a season, or the whole range."""

    label: str
    summary_rows: int
    null_rows: int
    active_rows: int
    active_null_rows: int
    raw_bdl_rows: int
    compared_bdl_rows: int

    @property
    def null_rate(self) -> float | None:
        return self.null_rows / self.summary_rows if self.summary_rows else None

    @property
    def coverage(self) -> float | None:
        if not self.compared_bdl_rows:
            return None
        return self.active_rows / self.compared_bdl_rows

    @classmethod
    def of(cls, label: str, months: Sequence[MonthFigures]) -> Rollup:
        counts = (
            "summary_rows",
            "null_rows",
            "active_rows",
            "active_null_rows",
            "raw_bdl_rows",
            "compared_bdl_rows",
        )
        return cls(label=label, **summed(months, counts))

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "summary_rows": self.summary_rows,
            "null_rows": self.null_rows,
            "active_rows": self.active_rows,
            "active_null_rows": self.active_null_rows,
            "raw_bdl_rows": self.raw_bdl_rows,
            "compared_bdl_rows": self.compared_bdl_rows,
            "null_rate": self.null_rate,
            "coverage": self.coverage,
        }


def season_label(season_year: int) -> str:
    return f"{season_year}-{(season_year + 1) % 100:02d}"


def seasons(months: Sequence[MonthFigures]) -> list[Rollup]:
    years = sorted({m.season_year for m in months})
    return [
        Rollup.of(season_label(year), [m for m in months if m.season_year == year])
        for year in years
    ]


@dataclass
class ReportInput:
    target: str
    target_location: str
    model: str
    window: DateRange
    chunk_size: str
    outcome: str
    duration_s: float
    # (step, verdict): every dbt test of every step, as dbt reported it
    steps: list[tuple[str, TestVerdict]]
    diff: RangeDiff | None
    published: dict[str, Any] | None
    months: list[MonthFigures]
    chunks: list[ChunkRecord]
    notes: list[str] = field(default_factory=list)
    # the final validation's acknowledged and stale raw defects
    acknowledged: list[AcknowledgedDefect] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class ReportPaths:
    markdown: Path
    chart: Path
    data: Path


def report_paths(
    report_dir: Path, target: str, model: str, window: DateRange
) -> ReportPaths:
    stem = f"backfill_{target}_{model}_{window.slug}"
    return ReportPaths(
        report_dir / f"{stem}.md",
        report_dir / f"{stem}.png",
        report_dir / f"{stem}.json",
    )


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join("---" for _ in header) + "|",
    ]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _chunk_lines(chunks: Sequence[ChunkRecord]) -> list[str]:
    durations = [c.duration_s for c in chunks if c.duration_s is not None]
    written = sum(c.rows_written or 0 for c in chunks)
    lines = [
        f"{len(chunks)} chunks, {written:,} rows written, "
        f"{sum(durations):.1f}s of dbt builds"
        + (f" (slowest {max(durations):.1f}s)." if durations else ".")
    ]
    if len(chunks) <= CHUNK_TABLE_LIMIT:
        lines.append("")
        lines += _table(
            [
                "chunk",
                "status",
                "rows",
                "minutes NULL",
                "seconds",
                "attempts",
                "invocation",
            ],
            [
                [
                    c.range.label,
                    str(c.status),
                    f"{c.rows_written:,}" if c.rows_written is not None else "",
                    pct(c.minutes_null_rate),
                    f"{c.duration_s:.1f}" if c.duration_s is not None else "",
                    str(c.attempts),
                    c.invocation_id or "",
                ]
                for c in chunks
            ],
        )
    return lines


def _verdict_lines(steps: Sequence[tuple[str, TestVerdict]]) -> list[str]:
    """A line per step, then every failing or warning test with its rows."""
    by_step: dict[str, list[TestVerdict]] = {}
    for step, verdict in steps:
        by_step.setdefault(step, []).append(verdict)
    lines = _table(
        ["step", "dbt tests"],
        [[step, summary(verdicts)] for step, verdicts in by_step.items()],
    )
    problems = [(step, v) for step, v in steps if v.problem]
    if problems:
        lines += ["", "### Failing and warning tests", ""]
    for step, verdict in problems:
        lines += [f"- **{step}**: {verdict.headline()}"]
        if verdict.rows:
            header = list(verdict.rows[0])
            lines += [""] + [
                "  " + line
                for line in _table(
                    header, [[str(row.get(k)) for k in header] for row in verdict.rows]
                )
            ]
        if verdict.stored_in:
            lines += ["", f"  All failing rows: `{verdict.stored_in}`"]
        if verdict.rows_named_in:
            lines += ["", f"  Rows: {verdict.rows_named_in}"]
        lines.append("")
    return lines


def _diff_lines(diff: RangeDiff | None) -> list[str]:
    if diff is None:
        return ["Not computed."]
    lines = [
        f"`{diff.audit_relation}` (audited) against `{diff.live_relation}` (live), "
        f"by (game_id, player_lookup), over {diff.start_date}..{diff.end_date}:",
        "",
        *_table(
            ["added", "removed", "changed", "live rows", "audited rows"],
            [
                [
                    f"{diff.added:,}",
                    f"{diff.removed:,}",
                    f"{diff.changed:,}",
                    f"{diff.live_rows:,}",
                    f"{diff.audit_rows:,}",
                ]
            ],
        ),
        "",
        *_table(
            ["", "minutes NULL"],
            [
                [
                    "before (live)",
                    f"{pct(diff.null_rate_before)} "
                    f"({diff.live_minutes_null:,} of {diff.live_rows:,} rows)",
                ],
                [
                    "after (audited)",
                    f"{pct(diff.null_rate_after)} "
                    f"({diff.audit_minutes_null:,} of {diff.audit_rows:,} rows)",
                ],
            ],
        ),
    ]
    if diff.changed_columns:
        lines += [
            "",
            "Changed rows per column:",
            "",
            *_table(
                ["column", "rows changed"],
                [[k, f"{v:,}"] for k, v in diff.changed_columns.items()],
            ),
        ]
    if diff.examples:
        lines += [
            "",
            "Examples:",
            "",
            *_table(
                ["change", "game_id", "player_lookup", "changed columns"],
                [
                    [
                        e["change"],
                        e["game_id"],
                        e["player_lookup"],
                        e.get("changed_columns") or "",
                    ]
                    for e in diff.examples
                ],
            ),
        ]
    if diff.is_empty:
        lines += ["", "No row differs: publishing would change nothing."]
    return lines


def _publish_lines(published: dict[str, Any] | None) -> list[str]:
    if not published:
        return ["Nothing was published by this run (see the outcome above)."]
    backup = published.get("backup_relation")
    return [
        f"Publish `{published['publish_id']}`: {published['rows_published']:,} rows "
        f"written, {published['rows_replaced']:,} replaced"
        + (f" and kept in `{backup}`" if backup else "")
        + f"; newest raw load {published.get('raw_loaded_at')}; recorded in "
        f"`{published['log_relation']}`. `--rollback` restores what it replaced.",
    ]


def render_markdown(data: ReportInput, chart_name: str) -> str:
    total = Rollup.of("total", data.months)
    played_null_rate = (
        total.active_null_rows / total.active_rows if total.active_rows else None
    )
    lines = [
        f"# Backfill of {data.model}: {data.window.label}",
        "",
        f"- target: `{data.target}` ({data.target_location})",
        f"- chunks: {data.chunk_size}; outcome: **{data.outcome}**; "
        f"wall time {format_duration(data.duration_s)}",
        "",
        "## dbt tests",
        "",
        "Every verdict is a dbt test's, as dbt reported it.",
        "",
        *_verdict_lines(data.steps),
        "",
        *markdown_lines(data.acknowledged, _table),
        "",
        "## Diff against the live table",
        "",
        *_diff_lines(data.diff),
        "",
        "## Publish",
        "",
        *_publish_lines(data.published),
        "",
        "dnp and inactive rows have no minutes by design; among players who played "
        f"in the audited range, {total.active_null_rows:,} of {total.active_rows:,} "
        f"rows lack minutes ({pct(played_null_rate)}).",
        "",
        "## Rows per season",
        "",
        *_table(
            [
                "season",
                "rows",
                "played",
                "minutes NULL",
                "BDL rows compared",
                "coverage",
                "raw BDL rows",
            ],
            [
                [
                    s.label,
                    f"{s.summary_rows:,}",
                    f"{s.active_rows:,}",
                    pct(s.null_rate),
                    f"{s.compared_bdl_rows:,}",
                    pct(s.coverage, 1),
                    f"{s.raw_bdl_rows:,}",
                ]
                for s in [*seasons(data.months), total]
            ],
        ),
        "",
        "## Coverage vs raw, by month",
        "",
        COVERAGE_DEFINITION,
        "",
        f"![minutes NULL rate and coverage by month]({chart_name})",
        "",
        *_table(
            [
                "month",
                "season",
                "rows",
                "played",
                "minutes NULL",
                "BDL rows compared",
                "coverage",
                "raw BDL rows",
            ],
            [
                [
                    f"{m.month:%Y-%m}",
                    season_label(m.season_year),
                    f"{m.summary_rows:,}",
                    f"{m.active_rows:,}",
                    pct(m.null_rate),
                    f"{m.compared_bdl_rows:,}",
                    pct(m.coverage, 1),
                    f"{m.raw_bdl_rows:,}",
                ]
                for m in data.months
            ],
        ),
        "",
        "## Chunks",
        "",
        *_chunk_lines(data.chunks),
    ]
    if data.notes:
        lines += ["", "## Notes", "", *[f"- {note}" for note in data.notes]]
    return "\n".join(lines) + "\n"


def report_json(data: ReportInput) -> dict[str, Any]:
    return {
        "target": data.target,
        "target_location": data.target_location,
        "model": data.model,
        "start_date": data.window.start.isoformat(),
        "end_date": data.window.end.isoformat(),
        "chunk_size": data.chunk_size,
        "outcome": data.outcome,
        "duration_s": data.duration_s,
        "tests": [{"step": step, **verdict.to_dict()} for step, verdict in data.steps],
        "diff": data.diff.to_dict() if data.diff else None,
        "published": data.published,
        "after": Rollup.of("total", data.months).to_dict(),
        "seasons": [s.to_dict() for s in seasons(data.months)],
        "months": [
            {
                "month": m.month.isoformat(),
                "season_year": m.season_year,
                "summary_rows": m.summary_rows,
                "null_rows": m.null_rows,
                "active_rows": m.active_rows,
                "active_null_rows": m.active_null_rows,
                "raw_bdl_rows": m.raw_bdl_rows,
                "compared_bdl_rows": m.compared_bdl_rows,
                "null_rate": m.null_rate,
                "coverage": m.coverage,
            }
            for m in data.months
        ],
        "notes": data.notes,
        "acknowledged_raw_defects": [d.to_dict() for d in data.acknowledged],
    }


def write_report(
    data: ReportInput, settings: GateSettings, paths: ReportPaths
) -> ReportPaths:
    paths.markdown.parent.mkdir(parents=True, exist_ok=True)
    write_chart(
        data.months,
        settings,
        paths.chart,
        f"{data.model} {data.window.label}: minutes NULL and coverage by month",
    )
    paths.markdown.write_text(render_markdown(data, paths.chart.name), encoding="utf-8")
    paths.data.write_text(
        json.dumps(report_json(data), indent=2) + "\n", encoding="utf-8"
    )
    return paths
