"""Measure HTS006 (description inconsistent with the HTS number) on its labelled evaluation set.

Usage::

    python scripts/evaluate_hts006.py [--csv tests/data/hts006_eval.csv] [--errors]

The set (``tests/data/hts006_eval.csv``) holds e-commerce style descriptions paired with real
10-digit numbers of the bundled HTSUS snapshot: each product once under its own number
(``consistent``) and once under the number of an unrelated product from another chapter
(``inconsistent``). Products are split into ``dev`` (used while building the matcher) and
``test`` (held out). A positive is a pair HTS006 would flag. Prints TP/FP/FN/TN, precision and
recall per split; ``--errors`` lists the misjudged rows.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path
from typing import NamedTuple

from t86audit.reference import hts_schedule
from t86audit.rules.classification import description_fit


DEFAULT_CSV = Path(__file__).resolve().parent.parent / "tests" / "data" / "hts006_eval.csv"
MIN_KNOWN_WORDS = 2  # HTS006's default option


class Scores(NamedTuple):
    """Confusion counts of one split (positive: the pair is flagged as inconsistent)."""

    tp: int
    fp: int
    fn: int
    tn: int

    @property
    def precision(self) -> float:
        """Share of flagged pairs that are truly inconsistent (1.0 when nothing is flagged)."""
        flagged = self.tp + self.fp
        return self.tp / flagged if flagged else 1.0

    @property
    def recall(self) -> float:
        """Share of inconsistent pairs that are flagged."""
        wrong = self.tp + self.fn
        return self.tp / wrong if wrong else 1.0


def read_rows(path: Path) -> list[dict[str, str]]:
    """The rows of the evaluation set."""
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def flagged(description: str, hts_number: str) -> bool:
    """Whether HTS006 (default options, bundled snapshot) flags the pair."""
    fit = description_fit(hts_schedule(), hts_number, description)
    return fit is not None and fit.is_inconsistent(MIN_KNOWN_WORDS)


def evaluate(rows: list[dict[str, str]]) -> dict[str, tuple[Scores, list[dict[str, str]]]]:
    """Scores and misjudged rows per split (and ``all``)."""
    results: dict[str, tuple[Scores, list[dict[str, str]]]] = {}
    for split in [*sorted({row["split"] for row in rows}), "all"]:
        counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
        errors = []
        for row in rows:
            if split not in ("all", row["split"]):
                continue
            wrong = row["label"] == "inconsistent"
            hit = flagged(row["description"], row["hts_number"])
            key = ("t" if hit == wrong else "f") + ("p" if hit else "n")
            counts[key] += 1
            if hit != wrong:
                errors.append(row)
        results[split] = (Scores(**counts), errors)
    return results


def main() -> None:
    """Print the scores per split."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument("--errors", action="store_true", help="list the misjudged rows")
    args = parser.parse_args()
    results = evaluate(read_rows(args.csv))
    print(f"{'split':6} {'rows':>5} {'TP':>4} {'FP':>4} {'FN':>4} {'TN':>4} precision recall")
    for split, (scores, _) in results.items():
        rows = sum(scores)
        print(
            f"{split:6} {rows:5d} {scores.tp:4d} {scores.fp:4d} {scores.fn:4d} {scores.tn:4d} "
            f"{scores.precision:9.3f} {scores.recall:6.3f}"
        )
    if args.errors:
        for split, (_, errors) in results.items():
            if split == "all":
                continue
            for row in errors:
                kind = "FP" if row["label"] == "consistent" else "FN"
                number, description, note = row["hts_number"], row["description"], row["note"]
                print(f"{split} {kind} {number} {description!r}  [{note}]")


if __name__ == "__main__":
    main()
