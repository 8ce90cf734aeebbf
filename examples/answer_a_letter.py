"""Rebuild the ten entries a CBP letter cited, audit them in their population, and test whether
the problem is systemic with a random sample.

    python examples/answer_a_letter.py

The "letter" here cites ten entries of the example data; replace CITED with your letter's numbers.
"""

import datetime as dt
import sys

import t86audit


CITED = [
    "B76-0411564-5",
    "B76-0411889-6",
    "B76-0410715-4",
    "B76-0410746-9",
    "B76-0410181-9",
    "B76-0410622-2",
    "B76-0410850-9",
    "B76-0411406-9",
    "B76-0412303-7",
    "B76-0410415-1",
]


def main() -> int:
    loaded = t86audit.load("examples/data/entries.csv")
    letter = t86audit.cited_sample(
        loaded.entries, CITED, id="CBP-1", note="CBP letter (example), judgment sample 1"
    )
    # A random sample of 59 supports "under 5% of entries" if it shows no violation.
    random_sample = t86audit.draw_samples(loaded.entries, size=59, seed=2024, id_prefix="R")
    report = t86audit.audit(
        loaded,
        samples=[letter, *random_sample],
        generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )

    for number in CITED:
        key = t86audit.EntryNumber(number).key
        findings = [f for f in report.findings if t86audit.EntryNumber(f.entry_number).key == key]
        print(f"\n{number}: {len(findings)} finding(s)")
        for f in findings:
            print(f"  {f.severity.value:9} {f.code} {f.field}: {f.message}")
            print(f"            law: {'; '.join(str(c) for c in f.citations)}")

    for evaluation in report.samples:
        s = evaluation.sample
        line = (
            f"\nsample {s.id} ({s.method}, {s.size} entries): "
            f"{evaluation.entries_with_violations} with a violation"
        )
        if evaluation.rate_interval_95 is not None:
            low, high = evaluation.rate_interval_95
            line += f"; population rate 95% interval {low:.1%} to {high:.1%}"
        else:
            line += "; not projectable (describes its own entries only)"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
