"""Acknowledged raw defects of a run, read from dbt, for the report and console.

An acknowledgeable test (its test metadata carries ``acknowledged_as``) returns
one row per broken team-game with an ``outcome``: ``failure`` (the test errors),
``acknowledged`` (excused by seeds/acknowledged_raw_defects.csv) or ``stale``
(an acknowledgement in range that matches nothing any more); the last two only
warn. A warning test's rows are stored by ``dbt test --store-failures``
(failing_rows.py); after the final validation the runner reads the acknowledged
and stale rows of each acknowledgeable test from there, so the report lists them
apart from the failures.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from backfill_runner.dbt_session import DbtSession
from backfill_runner.verdicts import TestVerdict

LISTED_OUTCOMES = ("acknowledged", "stale")
# every acknowledgeable test's columns; the rest are the test's own diagnostics
_COMMON = {
    "game_date",
    "game_id",
    "team_abbr",
    "outcome",
    "acknowledgement_reason",
    "acknowledged_on",
}


@dataclass(frozen=True, slots=True)
class AcknowledgedDefect:
    """One acknowledged (or stale) team-game of one test."""

    test_name: str
    outcome: str
    game_date: str
    game_id: str
    team_abbr: str
    reason: str
    acknowledged_on: str
    detail: str  # the test's diagnostics, "name=value, ..."; empty when stale

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


def acknowledgeable_tests(session: DbtSession) -> set[str]:
    """The tests given ``acknowledged_as`` in the parsed project."""
    if session.manifest is None:
        session.parse()
    names = set()
    for node in session.manifest.nodes.values():
        metadata = getattr(node, "test_metadata", None)
        if metadata is not None and metadata.kwargs.get("acknowledged_as"):
            names.add(node.name)
    return names


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def _defect(test_name: str, row: dict[str, Any]) -> AcknowledgedDefect:
    detail = ", ".join(
        f"{name}={_text(value)}"
        for name, value in row.items()
        if name not in _COMMON and value is not None
    )
    return AcknowledgedDefect(
        test_name=test_name,
        outcome=_text(row.get("outcome")),
        game_date=_text(row.get("game_date")),
        game_id=_text(row.get("game_id")),
        team_abbr=_text(row.get("team_abbr")),
        reason=_text(row.get("acknowledgement_reason")),
        acknowledged_on=_text(row.get("acknowledged_on")),
        detail=detail,
    )


def read_acknowledged_defects(
    session: DbtSession, verdicts: Sequence[TestVerdict]
) -> list[AcknowledgedDefect]:
    """The acknowledged and stale rows of the acknowledgeable tests among
    ``verdicts``, read from where dbt stored each test's rows."""
    names = acknowledgeable_tests(session)
    listed = ", ".join(f"'{outcome}'" for outcome in LISTED_OUTCOMES)
    defects = []
    for verdict in verdicts:
        if verdict.name not in names or not verdict.stored_in:
            continue
        rows = session.query(
            f"select * from {verdict.stored_in} where outcome in ({listed})"
        )
        defects += [_defect(verdict.name, row) for row in rows]
    return sorted(defects, key=lambda d: (d.outcome, d.game_date, d.game_id))


def console_lines(defects: Sequence[AcknowledgedDefect]) -> list[str]:
    """One line per defect, for the end of the run."""
    return [
        f"{d.outcome} raw defect: {d.test_name} {d.game_id} {d.team_abbr}"
        + (f" ({d.detail})" if d.detail else "")
        + (f": {d.reason}" if d.reason else "")
        for d in defects
    ]


def markdown_lines(
    defects: Sequence[AcknowledgedDefect],
    table: Any,
) -> list[str]:
    """The report's section; ``table`` renders a header and rows as Markdown."""
    acknowledged = [d for d in defects if d.outcome == "acknowledged"]
    stale = [d for d in defects if d.outcome == "stale"]
    lines = [
        "## Acknowledged raw defects",
        "",
        "Defects of the raw data in this range that a person has checked and "
        "recorded in `seeds/acknowledged_raw_defects.csv`; the named test skips "
        "exactly these team-games, and the summary flags their rows "
        "(`is_team_box_score_incomplete`). They are not failures.",
        "",
    ]
    header = ["test", "game", "team", "observed", "reason", "acknowledged on"]
    if acknowledged:
        lines += table(
            header,
            [
                [
                    d.test_name,
                    d.game_id,
                    d.team_abbr,
                    d.detail,
                    d.reason,
                    d.acknowledged_on,
                ]
                for d in acknowledged
            ],
        )
    else:
        lines.append("None in this range.")
    if stale:
        lines += [
            "",
            "Stale acknowledgements (they match nothing in this range any more: "
            "the raw data was fixed; remove them from the seed):",
            "",
            *table(
                ["test", "game", "team", "reason", "acknowledged on"],
                [
                    [d.test_name, d.game_id, d.team_abbr, d.reason, d.acknowledged_on]
                    for d in stale
                ],
            ),
        ]
    return lines
