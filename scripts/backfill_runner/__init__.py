"""The backfill runner: rebuilds player_game_summary over a date range in chunks.

Modules, one job each:

* ``errors``      -- the exceptions the runner raises and their exit codes
* ``plan``        -- dates, ranges and the split of a range into chunks
* ``settings``    -- the run's options and the gate thresholds from dbt_project.yml
* ``checkpoint``  -- the durable per-chunk record, written atomically
* ``lock``        -- one runner per target: a pid file, stale ones taken over
* ``signals``     -- SIGTERM as Ctrl-C, and signals held back while saving
* ``dbt_session`` -- dbt through ``dbtRunner``, the manifest parsed once
* ``figures``     -- the engine-portable queries (through dbt) behind every figure
* ``gates``       -- the validation gates of docs/domain.md and their verdicts
* ``backup``      -- the backup of the range before the first write, and rollback
* ``progress``    -- console and log file output, the progress bar
* ``chart``       -- the month-by-month PNG chart
* ``report``      -- the Markdown (and JSON) report
* ``runner``      -- the order of work: pre-flight, sample, chunks, validation
* ``cli``         -- argument parsing and exit codes
"""
