"""``python child_usage.py USAGE_JSON COMMAND...``: run COMMAND, then write its CPU
time and peak RSS to USAGE_JSON and exit with its exit code.

The benchmark starts every measured process through this small launcher. On
Linux a process's peak RSS (``ru_maxrss``) starts at the RSS of the process it
was forked from: forked straight from the benchmark, which holds the generated
raw data in memory, every child reported the benchmark's own size (634 MiB in
every case of an earlier run). Forked from this launcher (~15 MiB), a child
reports its own peak.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path


def main(argv: list[str]) -> int:
    usage_path, command = Path(argv[0]), argv[1:]
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    usage_path.write_text(
        json.dumps(
            {
                "cpu_s": usage.ru_utime + usage.ru_stime,
                # Linux: KiB; the child and the children it waited for
                "peak_rss_mib": usage.ru_maxrss / 1024,
            }
        )
    )
    return os.waitstatus_to_exitcode(status)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
