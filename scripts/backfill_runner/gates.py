"""The validation gates of docs/domain.md: value, band and verdict.

Bands come from GateSettings (the project's ``gate_*`` vars). The gates that dbt
tests enforce per chunk (played-has-minutes, status consistency, players kept,
games complete, team minutes, ranges) arrive here as dbt test results.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Any

from backfill_runner.checkpoint import TestFailure
from backfill_runner.dbt_session import NodeOutcome
from backfill_runner.figures import MonthFigures, RawFigures, SummaryFigures
from backfill_runner.plan import DateRange
from backfill_runner.settings import (
    MIN_MONTH_COMPARED_ROWS,
    VOLUME_WINDOW,
    GateSettings,
)


class Verdict(StrEnum):
    OK = "ok"
    WARN = "warn"
    ERROR = "error"
    SKIPPED = "skipped"


@dataclass(frozen=True, slots=True)
class GateResult:
    name: str
    value: str
    band: str
    verdict: Verdict
    detail: str = ""

    def describe(self) -> str:
        text = f"gate {self.name}: {self.value} ({self.verdict}; band {self.band})"
        return f"{text}: {self.detail}" if self.detail else text

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def pct(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{100 * value:.{digits}f}%"


def _band_pct(low: float, high: float) -> str:
    return f"{100 * low:g}-{100 * high:g}%"


def _null_band(
    name: str,
    rate: float | None,
    ok_min: float,
    ok_max: float,
    warn_max: float,
    what: str,
) -> GateResult:
    band = f"ok {_band_pct(ok_min, ok_max)}; warn to {100 * warn_max:g}%; error above"
    if rate is None:
        return GateResult(name, "no rows", band, Verdict.ERROR, f"{what} has no rows")
    if ok_min <= rate <= ok_max:
        verdict = Verdict.OK
    elif rate <= warn_max:
        verdict = Verdict.WARN
    else:
        verdict = Verdict.ERROR
    return GateResult(name, pct(rate), band, verdict, what)


def preflight_gate(raw: RawFigures, settings: GateSettings) -> GateResult:
    band = (
        f"ok < {100 * settings.preflight_raw_null_warn:g}%; warn to "
        f"{100 * settings.preflight_raw_null_error:g}%; stop above"
    )
    detail = (
        f"gamebook active {pct(raw.gamebook_null_rate)} of "
        f"{raw.gamebook_active_rows:,}; Ball Don't Lie {pct(raw.bdl_null_rate)} of "
        f"{raw.bdl_rows:,}"
    )
    rate = raw.null_rate
    if rate is None:
        return GateResult(
            "pre-flight raw minutes NULL", "no raw rows", band, Verdict.ERROR, detail
        )
    if rate < settings.preflight_raw_null_warn:
        verdict = Verdict.OK
    elif rate <= settings.preflight_raw_null_error:
        verdict = Verdict.WARN
    else:
        verdict = Verdict.ERROR
    return GateResult("pre-flight raw minutes NULL", pct(rate), band, verdict, detail)


def sample_gate(
    figures: SummaryFigures, window: DateRange, settings: GateSettings
) -> GateResult:
    return _null_band(
        "sample week minutes NULL",
        figures.null_rate,
        settings.sample_null_ok_min,
        settings.sample_null_ok_max,
        settings.sample_null_warn_max,
        f"{window.label}, {figures.null_rows:,} of {figures.rows:,} rows",
    )


def _totals(months: Sequence[MonthFigures]) -> dict[str, int]:
    keys = (
        "summary_rows",
        "null_rows",
        "active_rows",
        "active_null_rows",
        "raw_bdl_rows",
        "compared_bdl_rows",
    )
    return {key: sum(getattr(month, key) for month in months) for key in keys}


def null_band_gate(
    months: Sequence[MonthFigures], settings: GateSettings
) -> GateResult:
    totals = _totals(months)
    rate = (
        totals["null_rows"] / totals["summary_rows"] if totals["summary_rows"] else None
    )
    return _null_band(
        "NULL band (whole range)",
        rate,
        settings.null_band_ok_min,
        settings.null_band_ok_max,
        settings.null_band_warn_max,
        f"{totals['null_rows']:,} of {totals['summary_rows']:,} rows; dnp and "
        "inactive rows have no minutes by design",
    )


def played_has_minutes_gate(
    months: Sequence[MonthFigures], settings: GateSettings
) -> GateResult:
    """The real invariant: a player who played has minutes."""
    totals = _totals(months)
    band = f"at most {100 * settings.played_minutes_null_max:g}%"
    if not totals["active_rows"]:
        return GateResult(
            "played has minutes (whole range)", "no active rows", band, Verdict.ERROR
        )
    rate = totals["active_null_rows"] / totals["active_rows"]
    verdict = Verdict.OK if rate <= settings.played_minutes_null_max else Verdict.ERROR
    return GateResult(
        "played has minutes (whole range)",
        pct(rate),
        band,
        verdict,
        f"{totals['active_null_rows']:,} of {totals['active_rows']:,} active rows",
    )


def volume_gate(
    months: Sequence[MonthFigures], window: DateRange, settings: GateSettings
) -> GateResult:
    rows = _totals(months)["summary_rows"]
    band = f"{settings.volume_min:,}-{settings.volume_max:,} rows (warn outside)"
    if window != VOLUME_WINDOW:
        return GateResult(
            "volume",
            f"{rows:,} rows",
            band,
            Verdict.SKIPPED,
            f"the band is for {VOLUME_WINDOW.label} only",
        )
    ok = settings.volume_min <= rows <= settings.volume_max
    return GateResult(
        "volume", f"{rows:,} rows", band, Verdict.OK if ok else Verdict.WARN
    )


def _coverage_verdict(rate: float, settings: GateSettings) -> Verdict:
    if settings.coverage_ok_min <= rate <= settings.coverage_ok_max:
        return Verdict.OK
    if rate < settings.coverage_warn_min:
        return Verdict.ERROR
    return Verdict.WARN


def coverage_gates(
    months: Sequence[MonthFigures], settings: GateSettings
) -> list[GateResult]:
    """Coverage = rows of players who played / Ball Don't Lie rows of those games.

    The compared rows are the newest load of the games the summary covers, as in
    the pgs_coverage_vs_raw tests; a month under MIN_MONTH_COMPARED_ROWS is not
    judged on its own.
    """
    band = (
        f"ok {_band_pct(settings.coverage_ok_min, settings.coverage_ok_max)}; "
        f"warn {100 * settings.coverage_warn_min:g}%+; error below"
    )
    totals = _totals(months)
    gates: list[GateResult] = []
    if totals["compared_bdl_rows"]:
        rate = totals["active_rows"] / totals["compared_bdl_rows"]
        gates.append(
            GateResult(
                "coverage vs raw (whole range)",
                pct(rate, 1),
                band,
                _coverage_verdict(rate, settings),
                f"{totals['active_rows']:,} played rows / "
                f"{totals['compared_bdl_rows']:,} Ball Don't Lie rows of the "
                "summarised games",
            )
        )
    else:
        gates.append(
            GateResult(
                "coverage vs raw (whole range)", "no raw rows", band, Verdict.ERROR
            )
        )
    rated = [
        (m, m.coverage)
        for m in months
        if m.coverage is not None and m.compared_bdl_rows >= MIN_MONTH_COMPARED_ROWS
    ]
    if rated:
        order = [Verdict.OK, Verdict.SKIPPED, Verdict.WARN, Verdict.ERROR]
        worst_month, worst_rate = max(
            rated,
            key=lambda pair: (
                order.index(_coverage_verdict(pair[1], settings)),
                -pair[1],
            ),
        )
        outside = sum(
            _coverage_verdict(rate, settings) is not Verdict.OK for _, rate in rated
        )
        gates.append(
            GateResult(
                "coverage vs raw (by month)",
                f"worst {worst_month.month:%Y-%m} {pct(worst_rate, 1)}",
                band,
                _coverage_verdict(worst_rate, settings),
                f"{outside} of {len(rated)} months outside the ok band (months "
                f"under {MIN_MONTH_COMPARED_ROWS} compared rows not judged)",
            )
        )
    return gates


def months_gate(months: Sequence[MonthFigures], settings: GateSettings) -> GateResult:
    """No month with summarised games without rows, none at 90% NULL or more."""
    empty = [m for m in months if m.compared_bdl_rows and not m.summary_rows]
    high = [
        m
        for m in months
        if m.null_rate is not None and m.null_rate >= settings.month_null_max
    ]
    band = (
        "every month with games has rows, each < "
        f"{100 * settings.month_null_max:g}% NULL"
    )
    problems = [f"{m.month:%Y-%m} has no rows" for m in empty] + [
        f"{m.month:%Y-%m} is {pct(m.null_rate)} NULL" for m in high
    ]
    value = f"{len(empty)} empty, {len(high)} at or above the NULL limit"
    verdict = Verdict.ERROR if problems else Verdict.OK
    return GateResult("months", value, band, verdict, "; ".join(problems[:6]))


def dbt_test_gates(failures: Iterable[TestFailure], scope: str) -> list[GateResult]:
    return [
        GateResult(
            f"dbt test {failure.name}",
            "error"
            if failure.failures is None
            else f"{failure.failures:,} failing rows",
            "0 failing rows",
            Verdict.WARN if failure.status == "warn" else Verdict.ERROR,
            f"{scope}{': ' + failure.message if failure.message else ''}",
        )
        for failure in failures
    ]


def tests_of(
    nodes: Iterable[NodeOutcome],
) -> tuple[list[NodeOutcome], list[TestFailure]]:
    """The test nodes of a dbt result, and those that failed or warned."""
    tests = [n for n in nodes if n.resource_type in ("test", "unit_test")]
    problems = [
        TestFailure(n.name, n.status, n.failures, n.message)
        for n in tests
        if n.status in ("fail", "error", "warn")
    ]
    return tests, problems


def worst(gates: Iterable[GateResult]) -> Verdict:
    verdicts = {gate.verdict for gate in gates}
    for verdict in (Verdict.ERROR, Verdict.WARN):
        if verdict in verdicts:
            return verdict
    return Verdict.OK
