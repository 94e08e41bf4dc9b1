"""The month-by-month chart of minutes NULL rate and coverage vs raw (PNG)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from backfill_runner.figures import MonthFigures
from backfill_runner.settings import GateSettings


def write_chart(
    months: Sequence[MonthFigures], settings: GateSettings, path: Path, title: str
) -> Path:
    """Lines per month, with the ok bands shaded; no pyplot, no global state."""
    shown = [m for m in months if m.summary_rows or m.compared_bdl_rows]
    labels = [f"{m.month:%Y-%m}" for m in shown]
    null_pct = [
        100 * m.null_rate if m.null_rate is not None else float("nan") for m in shown
    ]
    coverage_pct = [
        100 * m.coverage if m.coverage is not None else float("nan") for m in shown
    ]
    figure = Figure(figsize=(max(8.0, 0.32 * len(shown) + 3), 4.8), dpi=110)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(shown)))
    axes.axhspan(
        100 * settings.null_band_ok_min,
        100 * settings.null_band_ok_max,
        color="tab:blue",
        alpha=0.08,
        label="NULL ok band",
    )
    axes.axhspan(
        100 * settings.coverage_ok_min,
        100 * settings.coverage_ok_max,
        color="tab:green",
        alpha=0.08,
        label="coverage ok band",
    )
    axes.plot(positions, null_pct, marker="o", color="tab:blue", label="minutes NULL %")
    axes.plot(
        positions,
        coverage_pct,
        marker="s",
        color="tab:green",
        label="coverage vs raw %",
    )
    axes.set_ylim(0, 105)
    axes.set_ylabel("percent")
    axes.set_xticks(positions, labels, rotation=60, ha="right", fontsize=8)
    axes.set_title(title, fontsize=10)
    axes.grid(axis="y", alpha=0.3)
    axes.legend(loc="lower left", fontsize=8, ncols=2)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    return path
