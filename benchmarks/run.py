"""Benchmark t86audit against the pure-Python floor and a hand-written pandas audit.

One command, from a fresh checkout (``pip install -e '.[benchmark]'`` first)::

    python benchmarks/run.py                      # 100,000 and 1,000,000 entries (minutes)
    python benchmarks/run.py --sizes 100000       # a quick run
    python benchmarks/run.py --sizes 300000 --no-readme

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
TARGET_FLOOR_RATIO = 6.0
TARGET_PANDAS_RATIO = 1.25
TARGET_MEMORY_MB = 500
TARGET_TEN_ENTRY_SECONDS = 0.5

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
    """One subprocess: wall seconds, peak resident memory and what it printed."""

    seconds: float
    peak_mb: float
    stdout: str


def measure(target: list[str]) -> Measured:
    """Run ``python TARGET...`` in a subprocess; its wall seconds and peak memory (MB).

    ``target`` is what follows ``python``: ``["-m", "t86audit", ...]`` or a script and its
    arguments. The subprocess writes its own peak (see ``_peak.py``).
    """
    OUT.mkdir(exist_ok=True)
    peak_file = OUT / "peak.txt"
    argv = [sys.executable, str(HERE / "_peak.py"), str(peak_file), *target]
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        msg = f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.strip()[-2000:]}"
        raise RuntimeError(msg)
    return Measured(seconds, float(peak_file.read_text()), done.stdout)


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
    """Best wall time of five command-line audits of a ten-entry file."""
    path = DATA / "entries-10.csv"
    generate(10, seed, path)
    best = float("inf")
    for _ in range(5):
        result = measure(["-m", "t86audit", "audit", str(path), "--format", "json"])
        best = min(best, result.seconds)
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
    findings = len(json.loads(report.read_text())["findings"])
    result: dict[str, Any] = {
        "entries": size,
        "rows": sum(1 for _ in path.open(encoding="utf-8")) - 1,
        "floor": {
            "seconds": floor.seconds,
            "inner_seconds": floor_inner,
            "peak_mb": floor.peak_mb,
        },
        "t86audit": {"seconds": full.seconds, "peak_mb": full.peak_mb},
        "findings": findings,
    }
    if pandas:
        flagged = measure([str(HERE / "pandas_audit.py"), str(path), str(OUT / "pandas.json")])
        result["pandas"] = {"seconds": flagged.seconds, "peak_mb": flagged.peak_mb}
    return result


def table(results: dict[str, Any]) -> str:
    """The README's results table (markdown)."""
    lines = [
        (
            "| entries | csv.reader floor | t86audit full pack | entries/s | x floor "
            "| pandas audit | x pandas | peak memory t86audit / pandas |"
        ),
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for run in results["runs"]:
        floor = run["floor"]["seconds"]
        full = run["t86audit"]["seconds"]
        pandas = run.get("pandas")
        lines.append(
            f"| {run['entries']:,} | {floor:.2f} s | {full:.1f} s | "
            f"{run['entries'] / full:,.0f} | {full / floor:.0f}x | "
            + (
                f"{pandas['seconds']:.1f} s | {full / pandas['seconds']:.1f}x | "
                if pandas
                else "- | - | "
            )
            + f"{run['t86audit']['peak_mb']:.0f} MB / "
            + (f"{pandas['peak_mb']:.0f} MB |" if pandas else "- |")
        )
    m = results["machine"]
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
    return "\n".join(lines)


def write_readme(text: str) -> None:
    """Replace the results section of the README."""
    readme = README.read_text(encoding="utf-8")
    head, _, rest = readme.partition(BEGIN)
    _, _, tail = rest.partition(END)
    README.write_text(f"{head}{BEGIN}\n{text}\n{END}{tail}", encoding="utf-8")


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description="Benchmark t86audit (see benchmarks/README.md).")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
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
