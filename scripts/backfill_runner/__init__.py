"""The backfill runner: rebuilds player_game_summary over a date range in chunks,
into an audit copy, and publishes it once dbt's tests pass.

Modules, one job each:

* ``errors``      -- the exceptions the runner raises and their exit codes
* ``plan``        -- dates, ranges and the split of a range into chunks
* ``settings``    -- the run's options and the gate thresholds from dbt_project.yml
* ``checkpoint``  -- the durable per-chunk record, written atomically
* ``lock``        -- one runner per target: a pid file, stale ones taken over
* ``signals``     -- SIGTERM as Ctrl-C, and signals held back while saving
* ``dbt_session`` -- dbt through ``dbtRunner``, the manifest parsed once
* ``figures``     -- the counts the report and the progress lines describe
* ``verdicts``    -- dbt test results as the runner's only verdicts
* ``failing_rows``-- the first rows of a failing test, from --store-failures
* ``publishing``  -- diff, publish and rollback: dbt run-operations
* ``progress``    -- console and log file output, the progress bar
* ``chart``       -- the month-by-month PNG chart
* ``report``      -- the Markdown (and JSON) report
* ``context``     -- what every step shares: options, session, checkpoint
* ``validation``  -- the dbt test steps (selectors.yml) and how they are shown
* ``chunks``      -- the upstream work tables, the sample week, the chunk loop
* ``modes``       -- backfill (write, audit, publish), dry run, rollback
* ``runner``      -- the entry point: a mode's outcome as an exit code
* ``cli``         -- argument parsing and exit codes
"""
