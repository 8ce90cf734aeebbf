"""The benchmark's population generator (benchmarks/generate.py), for tests that need one."""

from __future__ import annotations

import importlib.util
from pathlib import Path


ROOT = Path(__file__).resolve().parent.parent


def write_benchmark_population(path: Path, entries: int) -> Path:
    """Write ``entries`` entries of the benchmark population (its default seed) to ``path``."""
    spec = importlib.util.spec_from_file_location(
        "bench_generate", ROOT / "benchmarks" / "generate.py"
    )
    assert spec is not None
    assert spec.loader is not None
    generate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generate)
    generate.generate(entries, generate.DEFAULT_SEED, path)
    return path
