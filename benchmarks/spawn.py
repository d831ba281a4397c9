"""Run one command and write its own wall time and peak memory as JSON:

    python benchmarks/spawn.py REPORT.json COMMAND [ARG ...]

Why a launcher: on Linux a process's ``ru_maxrss`` starts from the peak RSS of the address space it
replaced at ``exec``, i.e. of the process that forked it. Spawned straight from ``run.py`` (which
holds the synthetic project in memory, ~170 MB), every command would report at least the driver's
size. Spawned from this small process, the floor is this process's ~10 MB. The wall time is taken
here too, from spawn to reap, so it excludes this launcher's own start-up. stdin, stdout and stderr
are inherited. Exits 0; the command's exit status is in the report.
"""
import json
import os
import sys
import time


def main() -> int:
    report, command = sys.argv[1], sys.argv[2:]
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    wall = time.perf_counter() - start
    with open(report, "w", encoding="utf-8") as handle:
        json.dump({"wall": wall, "maxrss_kb": usage.ru_maxrss, "returncode": os.waitstatus_to_exitcode(status),
                   "user": usage.ru_utime, "system": usage.ru_stime}, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
