"""Run a module or script and write its peak resident memory (MB) to a file at exit.

``python benchmarks/_peak.py OUT -m module args...`` or ``... OUT script.py args...``.
The peak is the process's own high-water mark (``VmHWM``), which starts afresh at ``exec``;
``ru_maxrss`` from ``wait4`` would include the benchmark runner's memory copied at fork.
"""

from __future__ import annotations

import atexit
import resource
import runpy
import sys
from pathlib import Path


def _peak_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    """Run the target given on the command line, as ``python`` would."""
    out = Path(sys.argv[1])
    atexit.register(lambda: out.write_text(f"{_peak_mb():.1f}\n"))
    if sys.argv[2] == "-m":
        sys.argv = [sys.argv[3], *sys.argv[4:]]
        runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
    else:
        sys.argv = sys.argv[2:]
        runpy.run_path(sys.argv[0], run_name="__main__")


if __name__ == "__main__":
    main()
