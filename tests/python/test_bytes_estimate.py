"""The dry run's bytes table on BigQuery: figures, cost and unknown chunks.

The figures come from BigQuery's dry-run jobs, which the emulator refuses
(tests/python/bigquery/test_bigquery_dry_run.py runs that path); here, what the
runner prints for the answers BigQuery gives.
"""

from __future__ import annotations

from datetime import date

from backfill_runner.bytes_estimate import (
    TIB,
    ChunkBytes,
    cost_usd,
    estimate_lines,
    format_bytes,
)
from backfill_runner.plan import DateRange

JANUARY = DateRange(date(2022, 1, 1), date(2022, 1, 31))
FEBRUARY = DateRange(date(2022, 2, 1), date(2022, 2, 28))


def test_cost_is_bytes_at_the_price_per_tib() -> None:
    assert cost_usd(TIB, 6.25) == 6.25
    assert cost_usd(TIB // 4, 6.25) == 1.5625
    assert cost_usd(0, 6.25) == 0


def test_bytes_read_in_binary_units() -> None:
    assert format_bytes(512) == "512 B"
    assert format_bytes(3 * 1024**3 // 2) == "1.50 GiB"
    assert format_bytes(2 * TIB) == "2.00 TiB"


def test_each_chunk_then_the_total() -> None:
    lines = estimate_lines(
        [ChunkBytes(JANUARY, 3 * 1024**3), ChunkBytes(FEBRUARY, 1024**3)], 6.25
    )
    assert "6.25 USD/TiB" in lines[0]
    assert "2022-01-01..2022-01-31" in lines[2] and "3.00 GiB" in lines[2]
    assert "0.0183" in lines[2]  # 3 GiB at 6.25 USD/TiB
    assert lines[-1] == "  total: 4.00 GiB, 0.0244 USD"


def test_a_refused_chunk_is_unknown_and_named() -> None:
    lines = estimate_lines(
        [
            ChunkBytes(JANUARY, 1024**3),
            ChunkBytes(FEBRUARY, None, "400 Syntax error at [1:8]"),
        ],
        5.0,
    )
    assert "unknown" in lines[3] and "400 Syntax error at [1:8]" in lines[3]
    assert lines[-1] == (
        "  total: 1.00 GiB, 0.0049 USD (1 of 2 chunks unknown: the total "
        "counts the others)"
    )
