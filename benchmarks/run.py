"""Benchmark t86audit against the pure-Python floor and a hand-written pandas audit.

One command, from a fresh checkout (``pip install -e '.[benchmark]'`` first)::

    python benchmarks/run.py                      # 100,000, 300,000 and 1,000,000 entries
    python benchmarks/run.py --sizes 100000       # a quick run
    python benchmarks/run.py --sizes 300000 --no-readme   # the size of the targets
    python benchmarks/run.py --sizes 300000 --dask        # with the Dask measurement

For each size it generates the population (fixed seed, canonical columns, under
``benchmarks/data/``, reused when present) and measures, each in a subprocess of its own so
that peak memory is that measurement's alone (``ru_maxrss`` from ``wait4``):

* ``floor``: ``csv.reader`` reading the file, the pure-Python floor: measured before the
  first measurement and after each (the host's speed drifts), the median of those runs
  taken (all are in ``samples_seconds``);
* ``t86audit``: ``python -m t86audit audit FILE --format json --output ...``, the full default
  rule pack end to end (CSV in, JSON report out; the command line streams the file);
* ``pandas``: ``benchmarks/pandas_audit.py``, the six checks an analyst would write by hand;
* ``dask`` (with ``--dask``; needs ``pip install -e '.[dask]'``): ``benchmarks/dask_audit.py``,
  ``audit_dask`` of the population split into four files at entry boundaries, on a local
  cluster of two worker processes (one thread each) with the worker settings docs/scaling.md
  recommends; its wall time includes the cluster's start-up, and its findings are compared
  with those of the ``--jobs 1`` report of the same population.

It also times a ten-entry file audited from the command line (best of five runs, interpreter
start-up included). Results go to ``benchmarks/results.json`` (or ``--results``) and, unless
``--no-readme``, to the results table of ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, NamedTuple


HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
OUT = HERE / "out"
README = HERE / "README.md"
RESULTS = HERE / "results.json"
BEGIN = "<!-- results:begin -->"
END = "<!-- results:end -->"
TARGET_FLOOR_RATIO = 10.0
TARGET_SINGLE_FLOOR_RATIO = 20.0
TARGET_PANDAS_RATIO = 3.5
TARGET_MEMORY_MB = 300
TARGET_TEN_ENTRY_SECONDS = 0.25
TARGET_SIZE = 300_000
"""The population size the issue's targets are set at."""
DASK_PARTS = 4
"""Files the population is split into for the Dask measurement (one task each)."""
DASK_WORKERS = 2
"""Worker processes of the local Dask cluster (``benchmarks/dask_audit.py``)."""
TARGET_DASK_SPEEDUP = 1.6
"""Issue 16: ``audit_dask`` on two workers this many times faster than ``--jobs 1``."""
TARGET_DASK_WORKER_MB = 400
"""Issue 16: peak resident memory per Dask worker, at :data:`TARGET_DASK_MEMORY_SIZE` entries."""
TARGET_DASK_MEMORY_SIZE = 1_000_000
"""The population size of the per-worker memory target."""

sys.path.insert(0, str(HERE))
from generate import DEFAULT_SEED, generate  # noqa: E402


_FLOOR = """
import csv, sys, time
started = time.perf_counter()
with open(sys.argv[1], newline="", encoding="utf-8") as handle:
    rows = sum(1 for _ in csv.reader(handle))
print(time.perf_counter() - started, rows)
"""


def machine() -> dict[str, str]:
    """What the numbers were measured on."""
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.partition(":")[2].strip()
                break
    except OSError:
        model = platform.processor()
    memory = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
                break
    except OSError:
        pass
    return {
        "cpu": model or "unknown",
        "cores": str(os.cpu_count()),
        "memory": memory or "unknown",
        "python": platform.python_version(),
        "platform": platform.platform(),
    }


class Measured(NamedTuple):
    """One subprocess: wall and CPU seconds, peak resident memory and what it printed.

    ``cpu_seconds`` (user + system time of the subprocess) is what the work cost the
    processor; on a machine shared with other jobs it rises less than the wall time does.
    """

    seconds: float
    peak_mb: float
    stdout: str
    cpu_seconds: float = 0.0


def measure(
    target: list[str], env: dict[str, str] | None = None, *, sampling: bool = False
) -> Measured:
    """Run ``python TARGET...`` in a subprocess; its wall seconds and peak memory (MB).

    ``target`` is what follows ``python``: ``["-m", "t86audit", ...]`` or a script and its
    arguments. The subprocess writes its own peak (see ``_peak.py``): its high-water mark,
    and with ``sampling`` the largest sum of its and its descendants' proportional set sizes,
    sampled every 20 ms, which a multi-process run pays for in time (see :func:`measure_apart`).
    """
    OUT.mkdir(exist_ok=True)
    peak_file = OUT / "peak.txt"
    argv = [sys.executable, str(HERE / "_peak.py"), str(peak_file), *target]
    env = dict(os.environ if env is None else env)
    env["T86AUDIT_PEAK_SAMPLING"] = "1" if sampling else "0"
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False, env=env)
    seconds = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        msg = f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        raise RuntimeError(msg)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Measured(seconds, float(peak_file.read_text()), done.stdout, cpu)


def measure_apart(target: list[str]) -> tuple[Measured, Measured]:
    """A run that may start processes, measured twice: timed, then sized.

    The first run is timed without the memory sampler; the second samples the proportional
    set sizes of the process and its descendants. Sampling five processes' ``smaps_rollup``
    every 20 ms took the Dask run 8 to 10% longer on the two-core benchmark machine (16.9 and
    17.6 s plain against 18.7 and 19.0 s sampled, alternating, 300,000 entries), which would
    count against the multi-process runs only.
    """
    return measure(target), measure(target, sampling=True)


def load_average() -> float | None:
    """The one-minute load average, to show whether other work shared the machine."""
    try:
        return os.getloadavg()[0]
    except OSError:
        return None


def population(size: int, seed: int) -> Path:
    """The benchmark file of ``size`` entries, generated once per size and seed."""
    path = DATA / f"entries-{size}.csv"
    stamp = path.with_suffix(".json")
    wanted = {"entries": size, "seed": seed, "generator": (HERE / "generate.py").stat().st_mtime}
    if path.exists() and stamp.exists() and json.loads(stamp.read_text()) == wanted:
        return path
    started = time.perf_counter()
    rows = generate(size, seed, path)
    stamp.write_text(json.dumps(wanted))
    print(f"generated {path.name}: {rows} rows in {time.perf_counter() - started:.1f}s")
    return path


class Parts(NamedTuple):
    """A population split into files at entry boundaries, for the Dask measurement.

    ``offsets[i]`` is the number of data rows before part ``i`` in the population file: a
    row ``r`` of part ``i`` is row ``r + offsets[i]`` of the population.
    """

    paths: tuple[Path, ...]
    offsets: tuple[int, ...]


def split(path: Path, count: int = DASK_PARTS) -> Parts:
    """``path`` split into ``count`` CSV files of about as many entries each, cached beside it.

    Every part has the population's header; an entry's rows (adjacent in the population) stay
    in one part. The parts are written again when the population file changes (its size or
    modification time) and reused otherwise.
    """
    stamp = path.with_name(f"{path.stem}-parts.json")
    paths = tuple(path.with_name(f"{path.stem}-part{i + 1}of{count}.csv") for i in range(count))
    info = path.stat()
    wanted = {
        "source": path.name,
        "size": info.st_size,
        "mtime_ns": info.st_mtime_ns,
        "parts": count,
    }
    if stamp.exists() and all(p.exists() for p in paths):
        cached = json.loads(stamp.read_text())
        if {k: cached.get(k) for k in wanted} == wanted:
            return Parts(paths, tuple(cached["offsets"]))
    started = time.perf_counter()
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        column = header.index("entry_number")
        entries = 0
        previous: str | None = None
        for row in reader:
            if row[column] != previous:
                entries += 1
                previous = row[column]
    per_part = -(-entries // count)
    offsets: list[int] = []
    rows = 0
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle)
        next(reader)
        previous = None
        seen = 0
        outputs = [p.open("w", newline="", encoding="utf-8") for p in paths]
        try:
            writers = [csv.writer(out, lineterminator="\n") for out in outputs]
            for writer in writers:
                writer.writerow(header)
            part = 0
            offsets.append(0)
            for row in reader:
                if row[column] != previous:
                    previous = row[column]
                    if seen == per_part * (part + 1) and part < count - 1:
                        part += 1
                        offsets.append(rows)
                    seen += 1
                writers[part].writerow(row)
                rows += 1
        finally:
            for out in outputs:
                out.close()
    offsets += [rows] * (count - len(offsets))
    stamp.write_text(json.dumps({**wanted, "offsets": offsets}))
    print(f"split {path.name} into {count} files in {time.perf_counter() - started:.1f}s")
    return Parts(paths, tuple(offsets))


def same_findings(single: Path, dask: Path, population_file: Path, parts: Parts) -> bool:
    """Whether the Dask report's findings are the ``--jobs 1`` report's, in the same order.

    Compares the whole JSON ``findings`` arrays. By design the Dask run reads the parts, so
    its findings name a part as their ``source`` and number ``source_rows`` within it; those
    two fields are mapped back to the population file and its row numbers first (with the
    parts' row offsets), and everything else must be equal as written.
    """
    where = dict(zip((str(p.resolve()) for p in parts.paths), parts.offsets, strict=True))
    expected = json.loads(single.read_text(encoding="utf-8"))["findings"]
    got = json.loads(dask.read_text(encoding="utf-8"))["findings"]
    for finding in got:
        offset = where.get(finding.get("source"))
        if offset is not None:
            finding["source"] = str(population_file)
            finding["source_rows"] = [row + offset for row in finding["source_rows"]]
    return bool(got == expected)


def dask_command(report: Path, parts: Parts) -> list[str]:
    """The Dask measurement's subprocess: ``dask_audit.py`` on the population's parts."""
    return [str(HERE / "dask_audit.py"), str(report), *map(str, parts.paths)]


def run_dask(size: int, path: Path, single_report: Path) -> dict[str, Any]:
    """The Dask measurement of one population (``benchmarks/dask_audit.py``, see there)."""
    parts = split(path)
    report = OUT / f"report-{size}-dask.json"
    done, sized = measure_apart(dask_command(report, parts))
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    memory = json.loads(sized.stdout.strip().splitlines()[-1])
    return {
        "seconds": done.seconds,
        "cpu_seconds": done.cpu_seconds,
        "peak_mb": sized.peak_mb,
        "files": figures["files"],
        "workers": figures["workers"],
        "startup_seconds": figures["startup_seconds"],
        "audit_seconds": figures["audit_seconds"],
        "report_seconds": figures["report_seconds"],
        "shutdown_seconds": figures["shutdown_seconds"],
        "script_seconds": figures["script_seconds"],
        "worker_peak_mb": memory["worker_peak_mb"],
        "driver_peak_mb": memory["driver_peak_mb"],
        "worker_config": figures["worker_config"],
        "findings": figures["findings"],
        "findings_identical": same_findings(single_report, report, path, parts),
        "compared": (
            "the JSON findings arrays of this report and the --jobs 1 report, with each "
            "finding's source and source_rows mapped from the part back to the population"
        ),
    }


def ten_entries(seed: int) -> float:
    """Best wall time of five command-line audits of a ten-entry file.

    Measured as an installed package runs: with its bytecode cached. One run first writes the
    bytecode (``PYTHONDONTWRITEBYTECODE`` is cleared for these runs); without a cache, every
    run would compile the package's source again, which is not what a user's command does.
    """
    path = DATA / "entries-10.csv"
    generate(10, seed, path)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    argv = ["-m", "t86audit", "audit", str(path), "--format", "json"]
    measure(argv, env)
    best = float("inf")
    for _ in range(5):
        best = min(best, measure(argv, env).seconds)
    return best


def run_size(
    size: int, seed: int, *, pandas: bool, dask: bool = False, repeat: int = 1
) -> dict[str, Any]:
    """Every measurement for one population size (the Dask one only if ``dask``).

    With ``repeat`` above 1, the timed runs (the full pack, ``--jobs 1``, pandas, Dask) are
    made again in that order, round after round, until each has ``repeat`` times, the floor
    measured between them; each figure is then the median of its runs, and each speed-up or
    ratio to another run is judged by the median of the rounds' ratios where they pair up.
    The host's speed drifts by a third from minute to minute: one run of each can show
    ratios the machine does not have. Every run's time is kept (``samples_seconds``).
    """
    path = population(size, seed)
    OUT.mkdir(exist_ok=True)
    floor_script = OUT / "floor.py"
    floor_script.write_text(_FLOOR, encoding="utf-8")
    # The host's speed drifts from minute to minute: the floor is measured before and after
    # each measurement and the median taken, so both sides of a ratio see the same host.
    floors = [measure([str(floor_script), str(path)])]
    report = OUT / f"report-{size}.json"
    command = ["-m", "t86audit", "audit", str(path), "--format", "json"]
    command += ["--output", str(report), "--force"]
    full, full_sized = measure_apart(command)
    floors.append(measure([str(floor_script), str(path)]))
    single = measure([*command, "--jobs", "1"])
    floors.append(measure([str(floor_script), str(path)]))
    findings = len(json.loads(report.read_text())["findings"])
    flagged = None
    if pandas:
        flagged = measure([str(HERE / "pandas_audit.py"), str(path), str(OUT / "pandas.json")])
        floors.append(measure([str(floor_script), str(path)]))
    floor = sorted(floors, key=lambda m: m.seconds)[len(floors) // 2]
    result: dict[str, Any] = {
        "entries": size,
        "rows": sum(1 for _ in path.open(encoding="utf-8")) - 1,
        "floor": {
            "seconds": floor.seconds,
            "cpu_seconds": floor.cpu_seconds,
            "inner_seconds": float(floor.stdout.split()[0]),
            "peak_mb": floor.peak_mb,
            "samples_seconds": [m.seconds for m in floors],
        },
        "t86audit": {
            "seconds": full.seconds,
            "cpu_seconds": full.cpu_seconds,
            "peak_mb": full_sized.peak_mb,
        },
        "t86audit_jobs1": {
            "seconds": single.seconds,
            "cpu_seconds": single.cpu_seconds,
            "peak_mb": single.peak_mb,
        },
        "findings": findings,
        "load_average": load_average(),
    }
    if flagged is not None:
        result["pandas"] = {
            "seconds": flagged.seconds,
            "cpu_seconds": flagged.cpu_seconds,
            "peak_mb": flagged.peak_mb,
        }
    if dask:
        # After the --jobs 1 run: ``report`` is its report, the one the findings are checked by.
        measured = run_dask(size, path, report)
        result["dask"] = measured
        result["dask_findings_identical"] = measured.pop("findings_identical")
    timed = {"t86audit": command, "t86audit_jobs1": [*command, "--jobs", "1"]}
    if flagged is not None:
        timed["pandas"] = [str(HERE / "pandas_audit.py"), str(path), str(OUT / "pandas.json")]
    if dask:
        timed["dask"] = dask_command(OUT / f"report-{size}-dask.json", split(path))
    samples: dict[str, list[float]] = {name: [result[name]["seconds"]] for name in timed}
    for _ in range(repeat - 1):
        for name, target in timed.items():
            samples[name].append(measure(target).seconds)
            if name != "dask":
                floors.append(measure([str(floor_script), str(path)]))
    if repeat > 1:
        for name, seconds in samples.items():
            result[name]["samples_seconds"] = seconds
            result[name]["seconds"] = statistics.median(seconds)
        floor = sorted(floors, key=lambda m: m.seconds)[len(floors) // 2]
        result["floor"].update(
            seconds=floor.seconds,
            cpu_seconds=floor.cpu_seconds,
            inner_seconds=float(floor.stdout.split()[0]),
            samples_seconds=[m.seconds for m in floors],
        )
    return result


def _cpu(part: dict[str, Any]) -> float:
    # Results written before CPU time was recorded fall back to the wall time.
    return float(part.get("cpu_seconds") or part["seconds"])


def _speedup(run: dict[str, Any]) -> tuple[float, float] | None:
    """How many times faster the Dask run was than ``--jobs 1``: whole run, and less start-up.

    Both are ratios of wall times from the subprocesses' starts (interpreter start-up and
    imports included on both sides); the second leaves out the Dask cluster's start-up.
    """
    dask, single = run.get("dask"), run.get("t86audit_jobs1")
    if not dask or not single:
        return None
    whole = statistics.median(pair_ratios(run))
    return whole, single["seconds"] / (dask["seconds"] - dask["startup_seconds"])


def pair_ratios(run: dict[str, Any]) -> list[float]:
    """``--jobs 1`` over Dask, wall time, for each round of runs (see :func:`run_size`)."""
    dask, single = run["dask"], run["t86audit_jobs1"]
    singles = single.get("samples_seconds", [single["seconds"]])
    dasks = dask.get("samples_seconds", [dask["seconds"]])
    return [s / d for s, d in zip(singles, dasks, strict=True)]


def _worker_peaks(dask: dict[str, Any]) -> str:
    """The workers' peak memory, largest first: ``"312 / 298 MB"``."""
    return " / ".join(f"{mb:,.0f}" for mb in dask["worker_peak_mb"]) + " MB"


def _yes(ok: bool) -> str:
    return "yes" if ok else "no"


def table(results: dict[str, Any]) -> str:
    """The README's results table (markdown), and the targets at 300,000 entries if measured.

    With Dask measurements (``--dask``) the table has two more columns (the Dask run's wall
    time and its speed-up against ``--jobs 1``), a table of the Dask run's parts follows, and
    the issue's Dask targets follow the others.
    """
    dasked = [run for run in results["runs"] if run.get("dask")]
    lines = [
        (
            "| entries | csv.reader floor | t86audit full pack | entries/s | x floor "
            "| --jobs 1 | x floor | "
            + (f"Dask, {DASK_WORKERS} workers | x faster than one process | " if dasked else "")
            + "pandas audit | x pandas | peak memory t86audit / pandas | load |"
        ),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | "
        + ("---: | ---: | " if dasked else "")
        + "---: | ---: | ---: | ---: |",
    ]
    for run in results["runs"]:
        floor, full, pandas = run["floor"], run["t86audit"], run.get("pandas")
        load = run.get("load_average")
        dask, speedup = run.get("dask"), _speedup(run)
        lines.append(
            f"| {run['entries']:,} | {floor['seconds']:.2f} s | {full['seconds']:.1f} s | "
            f"{run['entries'] / full['seconds']:,.0f} | "
            f"{full['seconds'] / floor['seconds']:.0f}x ({_cpu(full) / _cpu(floor):.0f}x) | "
            + (
                f"{run['t86audit_jobs1']['seconds']:.1f} s | "
                f"{run['t86audit_jobs1']['seconds'] / floor['seconds']:.0f}x | "
                if "t86audit_jobs1" in run
                else "- | - | "
            )
            + (
                (f"{dask['seconds']:.1f} s | " if dask else "- | ")
                + (f"{speedup[0]:.2f}x | " if speedup else "- | ")
                if dasked
                else ""
            )
            + (
                f"{pandas['seconds']:.1f} s | {full['seconds'] / pandas['seconds']:.1f}x "
                f"({_cpu(full) / _cpu(pandas):.1f}x) | "
                if pandas
                else "- | - | "
            )
            + f"{full['peak_mb']:.0f} MB / "
            + (f"{pandas['peak_mb']:.0f} MB" if pandas else "-")
            + (f" | {load:.1f} |" if load is not None else " | - |")
        )
    m = results["machine"]
    lines += [
        "",
        (
            "Ratios are of wall times; in brackets, of CPU times (user + system), which another "
            "job sharing the machine inflates less. The floor is the median of csv.reader runs "
            "made before the first measurement and after each (the host's speed drifts within a "
            "run). The full pack runs as the command does by "
            "default (every core for inputs above about 2 MB); --jobs 1 in one process. Peak "
            "memory is of all processes together (proportional set sizes, sampled every 20 ms "
            "in a second run of the full pack: the sampling would slow the timed run); of one "
            "process, its high-water mark. Load is the one-minute load average after the run."
        ),
    ]
    if dasked:
        lines += ["", *dask_table(dasked)]
    lines += [
        "",
        (
            f"Ten-entry file from the command line: {results['ten_entry_seconds']:.2f} s "
            "(best of five, interpreter start-up included)."
        ),
        "",
        (
            f"Machine: {m['cpu']}, {m['cores']} cores, {m['memory']} RAM, "
            f"Python {m['python']} ({m['platform']}); measured {results['date']}."
        ),
    ]
    at_target = [run for run in results["runs"] if run["entries"] == TARGET_SIZE]
    if at_target:
        lines += ["", *targets(at_target[0], results["ten_entry_seconds"])]
    if dasked:
        lines += ["", *dask_targets(dasked)]
    return "\n".join(lines)


def dask_table(runs: list[dict[str, Any]]) -> list[str]:
    """The Dask runs' parts: start-up, audit, speed-up, memory, and the findings check."""
    lines = [
        (
            "| entries | Dask, whole run | cluster start-up | audit and report "
            "| x faster than one process | peak per worker | driver peak | all processes "
            "| findings identical |"
        ),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for run in runs:
        dask, speedup = run["dask"], _speedup(run)
        lines.append(
            f"| {run['entries']:,} | {dask['seconds']:.1f} s | "
            f"{dask['startup_seconds']:.1f} s | {dask['audit_seconds']:.1f} s | "
            + (f"{speedup[0]:.2f}x ({speedup[1]:.2f}x) | " if speedup else "- | ")
            + f"{_worker_peaks(dask)} | {dask['driver_peak_mb']:,.0f} MB | "
            f"{dask['peak_mb']:,.0f} MB | {_yes(run['dask_findings_identical'])} |"
        )
    lines += [
        "",
        (
            f"Dask: audit_dask of the population split into {DASK_PARTS} files at entry "
            f"boundaries, on a local cluster of {DASK_WORKERS} worker processes (one thread "
            "each, the profiler off and the monitors slowed as docs/scaling.md recommends). "
            "The whole run is the subprocess's wall time (interpreter start-up, imports, "
            "cluster start-up and shutdown included); x faster than one process is --jobs 1's "
            "wall time over it (in brackets, less the cluster's start-up). Peak per worker is "
            "each worker process's VmHWM; the driver (which also runs the scheduler) likewise; "
            "all processes is their proportional set sizes summed (the memory figures are of "
            "a second run, sampled; the times of a run without the sampler). Findings "
            "identical: the "
            "JSON findings equal those of the --jobs 1 report, each finding's source and rows "
            "mapped from its part back to the population file."
        ),
    ]
    return lines


def dask_targets(runs: list[dict[str, Any]]) -> list[str]:
    """The issue's Dask targets (issue 16), on the runs measured with ``--dask``.

    The speed-up is judged at :data:`TARGET_SIZE` entries and the memory per worker at
    :data:`TARGET_DASK_MEMORY_SIZE`; when a size was not measured, the largest Dask run's
    figure is shown with its size, and the target is not judged.
    """

    def at(size: int) -> tuple[dict[str, Any], str]:
        exact = [run for run in runs if run["entries"] == size]
        if exact:
            return exact[0], ""
        largest = max(runs, key=lambda run: run["entries"])
        return largest, f"not measured at {size:,} entries"

    run, missing = at(TARGET_SIZE)
    speedup = _speedup(run)
    dask = run["dask"]
    if speedup and len(pair_ratios(run)) > 1:
        ratios = pair_ratios(run)
        singles = run["t86audit_jobs1"]["samples_seconds"]
        dasks = dask["samples_seconds"]
        speed = (
            f"{run['entries']:,} entries, {len(ratios)} rounds of runs "
            "(--jobs 1 / Dask: "
            + ", ".join(
                f"{a:.1f} / {b:.1f} s = {r:.2f}x"
                for a, b, r in zip(singles, dasks, ratios, strict=True)
            )
            + f"): median {speedup[0]:.2f}x"
        )
        speed_met = missing or _yes(speedup[0] >= TARGET_DASK_SPEEDUP)
    elif speedup:
        speed = (
            f"{run['entries']:,} entries: {dask['seconds']:.1f} s against "
            f"{run['t86audit_jobs1']['seconds']:.1f} s: {speedup[0]:.2f}x "
            f"({speedup[1]:.2f}x less the cluster's {dask['startup_seconds']:.1f} s start-up)"
        )
        speed_met = missing or _yes(speedup[0] >= TARGET_DASK_SPEEDUP)
    else:
        speed, speed_met = f"{run['entries']:,} entries: no --jobs 1 run", "-"
    run, missing = at(TARGET_DASK_MEMORY_SIZE)
    worst = max(run["dask"]["worker_peak_mb"], default=0.0)
    rows = [
        "| target | measured | met |",
        "| --- | --- | --- |",
        (
            f"| audit_dask on {DASK_WORKERS} workers at least {TARGET_DASK_SPEEDUP:g}x faster "
            f"than --jobs 1 ({TARGET_SIZE:,} entries in {DASK_PARTS} files) | {speed} "
            f"| {speed_met} |"
        ),
        (
            f"| peak memory per Dask worker at most {TARGET_DASK_WORKER_MB} MB at "
            f"{TARGET_DASK_MEMORY_SIZE:,} entries | {run['entries']:,} entries: "
            f"{_worker_peaks(run['dask'])} | "
            f"{missing or _yes(worst <= TARGET_DASK_WORKER_MB)} |"
        ),
        (
            "| Dask findings identical to --jobs 1 | "
            + ", ".join(
                f"{r['entries']:,} entries: {_yes(r['dask_findings_identical'])}" for r in runs
            )
            + f" | {_yes(all(r['dask_findings_identical'] for r in runs))} |"
        ),
    ]
    return ["Dask targets (issue 16):", "", *rows]


def targets(run: dict[str, Any], ten_entry_seconds: float) -> list[str]:
    """The table of the issue's targets, measured on the run at :data:`TARGET_SIZE` entries."""
    floor, full, pandas = run["floor"], run["t86audit"], run.get("pandas")

    met = _yes
    rows = [
        "| target | measured | met |",
        "| --- | --- | --- |",
        (
            f"| full pack within {TARGET_FLOOR_RATIO:g}x the csv.reader floor | "
            f"{full['seconds']:.1f} s against {floor['seconds']:.2f} s: "
            f"{full['seconds'] / floor['seconds']:.0f}x (CPU {_cpu(full) / _cpu(floor):.0f}x) | "
            f"{met(full['seconds'] / floor['seconds'] <= TARGET_FLOOR_RATIO)} |"
        ),
    ]
    single = run.get("t86audit_jobs1")
    if single:
        rows.append(
            f"| --jobs 1 within {TARGET_SINGLE_FLOOR_RATIO:g}x the csv.reader floor | "
            f"{single['seconds']:.1f} s: {single['seconds'] / floor['seconds']:.0f}x | "
            f"{met(single['seconds'] / floor['seconds'] <= TARGET_SINGLE_FLOOR_RATIO)} |"
        )
    if pandas:
        rows.append(
            f"| full pack within {TARGET_PANDAS_RATIO:g}x of the pandas audit | "
            f"{full['seconds']:.1f} s against {pandas['seconds']:.1f} s: "
            f"{full['seconds'] / pandas['seconds']:.1f}x "
            f"(CPU {_cpu(full) / _cpu(pandas):.1f}x) | "
            f"{met(full['seconds'] / pandas['seconds'] <= TARGET_PANDAS_RATIO)} |"
        )
    rows += [
        (
            f"| peak memory under {TARGET_MEMORY_MB} MB | {full['peak_mb']:,.0f} MB"
            + (f" (pandas: {pandas['peak_mb']:,.0f} MB)" if pandas else "")
            + f" | {met(full['peak_mb'] < TARGET_MEMORY_MB)} |"
        ),
        (
            f"| ten-entry file from the command line under {TARGET_TEN_ENTRY_SECONDS:g} s | "
            f"{ten_entry_seconds:.2f} s | {met(ten_entry_seconds < TARGET_TEN_ENTRY_SECONDS)} |"
        ),
    ]
    return [f"Targets at {TARGET_SIZE:,} entries:", "", *rows]


def write_readme(text: str) -> None:
    """Replace the results section of the README."""
    readme = README.read_text(encoding="utf-8")
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def dask_missing() -> str | None:
    """The first module the Dask measurement needs that is not installed, if any."""
    for module in ("dask", "distributed", "pandas"):
        if importlib.util.find_spec(module) is None:
            return module
    return None


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description="Benchmark t86audit (see benchmarks/README.md).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, TARGET_SIZE, 1_000_000])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas audit")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md as it is")
    parser.add_argument(
        "--dask",
        action="store_true",
        help=(
            "also audit each size with audit_dask on a local two-worker cluster "
            "(needs pip install -e '.[dask]')"
        ),
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=1,
        metavar="N",
        help=(
            "time the full pack, --jobs 1, pandas and Dask N times each, in rounds, and "
            "report the medians (default 1)"
        ),
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="where to write the results JSON"
    )
    parser.add_argument(
        "--readme-only",
        action="store_true",
        help="measure nothing: write the README's tables again from the results JSON",
    )
    args = parser.parse_args()
    if args.readme_only:
        write_readme(table(json.loads(args.results.read_text(encoding="utf-8"))))
        return
    pandas = not args.no_pandas
    if pandas:
        try:
            import pandas as _  # noqa: F401, PLC0415
        except ImportError:
            print("pandas is not installed: pip install -e '.[benchmark]' (or pass --no-pandas)")
            sys.exit(2)
    if args.dask:
        missing = dask_missing()
        if missing:
            print(
                f"--dask needs the Dask extra ({missing} is not installed): "
                "pip install -e '.[dask]' (or leave out --dask)"
            )
            sys.exit(2)
    results: dict[str, Any] = {
        "machine": machine(),
        "date": time.strftime("%Y-%m-%d"),
        "seed": args.seed,
        "targets": {
            "floor_ratio": TARGET_FLOOR_RATIO,
            "pandas_ratio": TARGET_PANDAS_RATIO,
            "peak_mb": TARGET_MEMORY_MB,
            "ten_entry_seconds": TARGET_TEN_ENTRY_SECONDS,
            "dask_speedup": TARGET_DASK_SPEEDUP,
            "dask_worker_peak_mb": TARGET_DASK_WORKER_MB,
            "dask_worker_peak_entries": TARGET_DASK_MEMORY_SIZE,
        },
        "runs": [],
    }
    for size in args.sizes:
        run = run_size(size, args.seed, pandas=pandas, dask=args.dask, repeat=max(1, args.repeat))
        results["runs"].append(run)
        print(json.dumps(run))
    results["ten_entry_seconds"] = ten_entries(args.seed)
    args.results.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    text = table(results)
    print(text)
    if not args.no_readme:
        write_readme(text)


if __name__ == "__main__":
    main()
