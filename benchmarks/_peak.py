"""Run a module or script and write its peak memory (MB) to a file at exit.

``python benchmarks/_peak.py OUT -m module args...`` or ``... OUT script.py args...``.
The peak is of all its processes together: the process's own high-water mark (``VmHWM``,
which starts afresh at ``exec``), or, when it starts worker processes, the largest sum of the
proportional set sizes (``Pss``: shared pages split between the processes sharing them) of the
process and its descendants, sampled every 20 ms (unless ``T86AUDIT_PEAK_SAMPLING=0``: then
only the high-water mark, for runs that are timed rather than sized). ``ru_maxrss`` from
``wait4`` would include the benchmark runner's memory copied at fork, and sums of resident
sizes would count pages a forked worker shares with its parent twice.
"""

from __future__ import annotations

import atexit
import os
import resource
import runpy
import sys
import threading
from pathlib import Path


_SAMPLED = [0.0]


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _descendants(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = list(Path(f"/proc/{pid}/task").iterdir())
    except OSError:
        return found
    for task in tasks:
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in map(int, children):
            found.append(child)
            found.extend(_descendants(child))
    return found


def _pss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _sample() -> None:
    me = os.getpid()
    while True:
        pids = _descendants(me)
        if pids:
            total = _pss_mb(me) + sum(_pss_mb(pid) for pid in pids)
            _SAMPLED[0] = max(_SAMPLED[0], total)
        threading.Event().wait(0.02)


def main() -> None:
    """Run the target given on the command line, as ``python`` would."""
    out = Path(sys.argv[1])
    atexit.register(lambda: out.write_text(f"{max(_peak_mb(), _SAMPLED[0]):.1f}\n"))
    # The sampler reads every process's smaps_rollup each 20 ms, which costs a multi-process
    # run several percent of a small machine's time: timed runs switch it off (run.py).
    if os.environ.get("T86AUDIT_PEAK_SAMPLING", "1") != "0":
        threading.Thread(target=_sample, daemon=True).start()
    if sys.argv[2] == "-m":
        sys.argv = [sys.argv[3], *sys.argv[4:]]
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    else:
        sys.argv = sys.argv[2:]
        runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
