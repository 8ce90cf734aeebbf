"""Audit a whole population of T86 entries and print what matters most.

python examples/audit_population.py [examples/data/entries.csv] [--json report.json]
"""

import argparse
import collections
import sys
from pathlib import Path

import t86audit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="*", default=["examples/data/entries.csv"])
    parser.add_argument("--json", help="also write the JSON report here")
    args = parser.parse_args(argv)

    loaded = t86audit.load(*args.paths)
    print(
        f"{loaded.rows_read} rows read, {loaded.entries_loaded} entries loaded, "
        f"{loaded.rows_rejected} rows rejected"
    )

    report = t86audit.audit(loaded)
    counts = report.counts()
    print(
        f"{counts['violation']} violations and {counts['warning']} warnings "
        f"on {sum(1 for e in report.entries if not e.is_clean)} of {len(report.entries)} entries"
    )

    by_rule = collections.Counter((f.code, f.name) for f in report.findings)
    print("\nmost frequent findings:")
    for (code, name), n in by_rule.most_common(10):
        print(f"  {n:5}  {code} {name}")

    if args.json:
        Path(args.json).write_text(report.to_json(), encoding="utf-8")
        print(f"\nJSON report written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
