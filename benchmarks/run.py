"""Benchmark t86audit against the pure-Python floor and a hand-written pandas audit.

One command, from a fresh checkout (``pip install -e '.[benchmark]'`` first)::

    python benchmarks/run.py                      # 100,000, 300,000 and 1,000,000 entries
    python benchmarks/run.py --sizes 100000       # a quick run
    python benchmarks/run.py --sizes 300000 --no-readme   # the size of the targets

For each size it generates the population (fixed seed, canonical columns, under
``benchmarks/data/``, reused when present) and measures, each in a subprocess of its own so
that peak memory is that measurement's alone (``ru_maxrss`` from ``wait4``):

* ``floor``: ``csv.reader`` reading the file, the pure-Python floor;
* ``t86audit``: ``python -m t86audit audit FILE --format json --output ...``, the full default
  rule pack end to end (CSV in, JSON report out; the command line streams the file);
* ``pandas``: ``benchmarks/pandas_audit.py``, the six checks an analyst would write by hand.

It also times a ten-entry file audited from the command line (best of five runs, interpreter
start-up included). Results go to ``benchmarks/results.json`` (or ``--results``) and, unless
``--no-readme``, to the results table of ``benchmarks/README.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
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


def measure(target: list[str], env: dict[str, str] | None = None) -> Measured:
    """Run ``python TARGET...`` in a subprocess; its wall seconds and peak memory (MB).

    ``target`` is what follows ``python``: ``["-m", "t86audit", ...]`` or a script and its
    arguments. The subprocess writes its own peak (see ``_peak.py``).
    """
    OUT.mkdir(exist_ok=True)
    peak_file = OUT / "peak.txt"
    argv = [sys.executable, str(HERE / "_peak.py"), str(peak_file), *target]
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


def run_size(size: int, seed: int, *, pandas: bool) -> dict[str, Any]:
    """Every measurement for one population size."""
    path = population(size, seed)
    OUT.mkdir(exist_ok=True)
    floor_script = OUT / "floor.py"
    floor_script.write_text(_FLOOR, encoding="utf-8")
    floor = measure([str(floor_script), str(path)])
    floor_inner = float(floor.stdout.split()[0])
    report = OUT / f"report-{size}.json"
    full = measure(
        [
            "-m",
            "t86audit",
            "audit",
            str(path),
            "--format",
            "json",
            "--output",
            str(report),
            "--force",
        ]
    )
    single = measure(
        [
            "-m",
            "t86audit",
            "audit",
            str(path),
            "--format",
            "json",
            "--output",
            str(report),
            "--force",
            "--jobs",
            "1",
        ]
    )
    findings = len(json.loads(report.read_text())["findings"])
    result: dict[str, Any] = {
        "entries": size,
        "rows": sum(1 for _ in path.open(encoding="utf-8")) - 1,
        "floor": {
            "seconds": floor.seconds,
            "cpu_seconds": floor.cpu_seconds,
            "inner_seconds": floor_inner,
            "peak_mb": floor.peak_mb,
        },
        "t86audit": {
            "seconds": full.seconds,
            "cpu_seconds": full.cpu_seconds,
            "peak_mb": full.peak_mb,
        },
        "t86audit_jobs1": {
            "seconds": single.seconds,
            "cpu_seconds": single.cpu_seconds,
            "peak_mb": single.peak_mb,
        },
        "findings": findings,
        "load_average": load_average(),
    }
    if pandas:
        flagged = measure([str(HERE / "pandas_audit.py"), str(path), str(OUT / "pandas.json")])
        result["pandas"] = {
            "seconds": flagged.seconds,
            "cpu_seconds": flagged.cpu_seconds,
            "peak_mb": flagged.peak_mb,
        }
    return result


def _cpu(part: dict[str, Any]) -> float:
    # Results written before CPU time was recorded fall back to the wall time.
    return float(part.get("cpu_seconds") or part["seconds"])


def table(results: dict[str, Any]) -> str:
    """The README's results table (markdown), and the targets at 300,000 entries if measured."""
    lines = [
        (
            "| entries | csv.reader floor | t86audit full pack | entries/s | x floor "
            "| --jobs 1 | x floor | pandas audit | x pandas | peak memory t86audit / pandas "
            "| load |"
        ),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in results["runs"]:
        floor, full, pandas = run["floor"], run["t86audit"], run.get("pandas")
        load = run.get("load_average")
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
            "job sharing the machine inflates less. The full pack runs as the command does by "
            "default (every core for inputs above about 2 MB); --jobs 1 in one process. Peak "
            "memory is of all processes together (proportional set sizes). Load is the "
            "one-minute load average after the run."
        ),
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
    return "\n".join(lines)


def targets(run: dict[str, Any], ten_entry_seconds: float) -> list[str]:
    """The table of the issue's targets, measured on the run at :data:`TARGET_SIZE` entries."""
    floor, full, pandas = run["floor"], run["t86audit"], run.get("pandas")

    def met(ok: bool) -> str:
        return "yes" if ok else "no"

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


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description="Benchmark t86audit (see benchmarks/README.md).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, TARGET_SIZE, 1_000_000])
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--no-pandas", action="store_true", help="skip the pandas audit")
    parser.add_argument("--no-readme", action="store_true", help="leave README.md as it is")
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="where to write the results JSON"
    )
    args = parser.parse_args()
    pandas = not args.no_pandas
    if pandas:
        try:
            import pandas as _  # noqa: F401, PLC0415
        except ImportError:
            print("pandas is not installed: pip install -e '.[benchmark]' (or pass --no-pandas)")
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
        },
        "runs": [],
    }
    for size in args.sizes:
        run = run_size(size, args.seed, pandas=pandas)
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
