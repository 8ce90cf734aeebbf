"""Audit CSV files with ``audit_dask`` on a local two-worker Dask cluster, and time it.

Usage (``benchmarks/run.py --dask`` runs it in a subprocess of its own, through ``_peak.py``)::

    python benchmarks/dask_audit.py REPORT.json PART1.csv PART2.csv ...

Starts ``distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` with the
worker settings docs/scaling.md recommends (the statistical profiler off, the memory and
system monitors and the event-loop tick slowed down), set with ``dask.config.set`` before the
cluster starts so the nannies hand them to the worker processes. Then runs
``audit_dask(files, client=client)`` and writes the JSON report to ``REPORT.json``, as
``t86audit audit ... --format json --output REPORT.json`` writes its own.

Prints one JSON object on standard output:

* ``startup_seconds``: starting the cluster and connecting the client;
* ``audit_seconds``: ``audit_dask`` and writing the report (what the command line's wall time
  covers, less interpreter start-up);
* ``report_seconds``: the report-writing part of ``audit_seconds``;
* ``shutdown_seconds``: closing the client and the cluster;
* ``script_seconds``: from the first line of this script to the end (imports included;
  interpreter start-up is not, the caller's wall time has it);
* ``worker_peak_mb``: each worker process's resident high-water mark (``VmHWM`` of
  ``/proc/self/status``, read inside the worker with ``client.run`` after the audit);
* ``driver_peak_mb``: the same for this process (the driver, which also runs the scheduler
  and the nannies of a ``LocalCluster``);
* ``worker_config``: the settings as the workers see them (to show they arrived).
"""

from __future__ import annotations

import time


STARTED = time.perf_counter()

import importlib  # noqa: E402
import json  # noqa: E402
import sys  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any  # noqa: E402


WORKERS = 2
"""Worker processes, one thread each (the audit is pure Python: threads share one GIL)."""

WORKER_SETTINGS: dict[str, Any] = {
    "distributed.worker.profile.enabled": False,
    "distributed.worker.memory.monitor-interval": "2s",
    "distributed.admin.system-monitor.interval": "2s",
    "distributed.admin.tick.interval": "1s",
}
"""docs/scaling.md, "Worker settings that matter": Dask's defaults cost a pure-Python audit."""


def peak_mb() -> float:
    """This process's resident high-water mark (``VmHWM``), in MB; 0 where /proc is missing."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def seen_settings() -> dict[str, Any]:
    """The :data:`WORKER_SETTINGS` keys as the Dask configuration of this process has them."""
    import dask  # noqa: PLC0415

    return {key: dask.config.get(key) for key in WORKER_SETTINGS}


def main() -> None:
    """Start the cluster, audit the files, write the report, print the figures as JSON."""
    import dask  # noqa: PLC0415

    from t86audit.distributed import audit_dask  # noqa: PLC0415

    # Untyped in part (LocalCluster, Client): used as Any, so the types check with or without it.
    distributed: Any = importlib.import_module("distributed")

    output = Path(sys.argv[1])
    files = [str(Path(name).resolve()) for name in sys.argv[2:]]
    if not files:
        sys.exit("usage: dask_audit.py REPORT.json FILE...")
    with dask.config.set(WORKER_SETTINGS):
        started = time.perf_counter()
        cluster = distributed.LocalCluster(
            n_workers=WORKERS,
            threads_per_worker=1,
            processes=True,
            dashboard_address=":0",  # any free port: runs side by side never clash on 8787
            silence_logs=40,
        )
        client = distributed.Client(cluster)
        client.wait_for_workers(WORKERS)
        startup = time.perf_counter() - started

        started = time.perf_counter()
        report = audit_dask(files, client=client)
        written = time.perf_counter()
        with output.open("w", encoding="utf-8", newline="") as handle:
            report.write("json", handle)
        audit = time.perf_counter() - started
        writing = time.perf_counter() - written

        workers: dict[str, float] = client.run(peak_mb)
        config: dict[str, dict[str, Any]] = client.run(seen_settings)
        started = time.perf_counter()
        client.close()
        cluster.close()
        shutdown = time.perf_counter() - started
    figures = {
        "files": len(files),
        "workers": WORKERS,
        "startup_seconds": startup,
        "audit_seconds": audit,
        "report_seconds": writing,
        "shutdown_seconds": shutdown,
        "script_seconds": time.perf_counter() - STARTED,
        "worker_peak_mb": sorted(workers.values(), reverse=True),
        "driver_peak_mb": peak_mb(),
        "worker_config": next(iter(config.values()), {}),
        "findings": len(report.findings),
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
