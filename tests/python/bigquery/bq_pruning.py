"""Which SQL statements dbt-bigquery issues would scan a partitioned table whole.

BigQuery bills a query by the partitions it reads, and prunes only on a filter
of the partition column against constants. The summary (live, audit and backup
copies' source) and the raw feeds are partitioned by game_date, so every
statement that names one of them must filter game_date with literal dates,
once for each time it names one (a MERGE names its target and its source, and
each side needs its own filter).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

# The partitioned tables a backfill reads or writes, by identifier: the summary
# (in nba_analytics and nba_backfill_audit) and the two raw feeds.
PARTITIONED_TABLES = (
    "player_game_summary",
    "nbac_gamebook_player_stats",
    "bdl_player_boxscores",
)
PARTITION_COLUMN = "game_date"

# A reference to one of them: the quoted identifier as dbt renders a relation,
# never a longer name that starts with it (player_game_summary__dbt_tmp, the
# backups player_game_summary__<publish>, the stored test failures).
_TABLE_REFERENCE = re.compile(
    r"`(" + "|".join(PARTITIONED_TABLES) + r")`(?!\w)", re.IGNORECASE
)
_LITERAL_DATE = (
    r"(?:cast\(\s*'\d{4}-\d{2}-\d{2}'\s+as\s+date\s*\)|date\s+'\d{4}-\d{2}-\d{2}')"
)
# game_date (qualified or quoted or not) between two literal dates, or compared
# with one
_PARTITION_FILTER = re.compile(
    r"`?"
    + PARTITION_COLUMN
    + r"`?\s+(?:between\s+"
    + _LITERAL_DATE
    + r"\s+and\s+"
    + _LITERAL_DATE
    + r"|(?:>=|<=|=|<|>)\s*"
    + _LITERAL_DATE
    + r")",
    re.IGNORECASE,
)


@dataclass
class StatementLog:
    """Every SQL statement dbt sends: its SQLQuery events, as a dbtRunner callback."""

    statements: list[str] = field(default_factory=list)

    def __call__(self, message: Any) -> None:
        if message.info.name == "SQLQuery":
            self.statements.append(str(message.data.sql))


def unpruned(sql: str) -> list[str]:
    """The partitioned tables sql names more often than it filters game_date."""
    references = [m.group(1).lower() for m in _TABLE_REFERENCE.finditer(sql)]
    filters = len(_PARTITION_FILTER.findall(sql))
    return sorted(set(references)) if len(references) > filters else []


def unpruned_statements(statements: list[str]) -> list[tuple[list[str], str]]:
    """(tables, statement) for every statement that would not prune."""
    return [(tables, sql) for sql in statements if (tables := unpruned(sql))]
