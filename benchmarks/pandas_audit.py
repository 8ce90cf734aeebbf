"""The audit an analyst would write by hand in pandas: the yardstick for the full rule pack.

Six checks, vectorised the way a competent analyst writes them (one ``read_csv``, string
methods, ``groupby``), over the same canonical CSV file:

* entry value over $800 (the line values summed per entry);
* one consignee's entries on one day over $800 (normalised name and address, arrival date);
* vague descriptions (the bundled list of CBP's vague terms, matched as whole descriptions);
* HTS numbers that are not 10 digits;
* entry-number check digits (CATAIR Appendix E, the Luhn formula);
* bills of lading on more than one entry.

It writes the flagged entries as JSON. It does a fraction of what t86audit's 61 rules do
(no policy periods, no reference tables, no evidence per finding): it is the floor of what
an analyst's ad hoc audit costs, not an equivalent.

Usage::

    python benchmarks/pandas_audit.py benchmarks/data/entries-100000.csv out.json
"""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd


THRESHOLD = 800
_LETTER_DIGITS = {chr(ord("A") + i): str((i % 9) + 1) for i in range(18)} | {
    chr(ord("S") + i): str(i + 2) for i in range(8)
}


def _vague_terms() -> set[str]:
    data = json.loads(resources.files("t86audit").joinpath("data/vague_terms.json").read_text())
    return {phrase.lower() for term in data["terms"] for phrase in term["phrases"]}


def _normalise(text: pd.Series) -> pd.Series:
    return (
        text.str.lower()
        .str.replace(r"[^\w\s]", " ", regex=True)
        .str.replace(r"\s+", " ", regex=True)
        .str.strip()
    )


def _check_digit_ok(numbers: pd.Series) -> pd.Series:
    """Whether each entry number is XXX-NNNNNNN-C with the right check digit (vectorised)."""
    compact = numbers.str.replace(r"[\s-]", "", regex=True).str.upper()
    shaped = compact.str.fullmatch(r"[A-Z0-9]{3}[0-9]{8}")
    text = compact.where(shaped, "00000000000")
    # Filer-code letters become digits (A-I 1-9, J-R 1-9, S-Z 2-9); then Luhn over ten digits.
    for letter, digit in _LETTER_DIGITS.items():
        text = text.str.replace(letter, digit, regex=False)
    digits = np.frombuffer("".join(text).encode("ascii"), dtype=np.uint8).reshape(-1, 11) - 48
    body = digits[:, :10].astype(np.int64)
    doubled = body[:, 1::2] * 2
    doubled = np.where(doubled > 9, doubled - 9, doubled)
    total = body[:, 0::2].sum(axis=1) + doubled.sum(axis=1)
    expected = (10 - total % 10) % 10
    return pd.Series((expected == digits[:, 10]) & shaped.to_numpy(), index=numbers.index)


def audit(path: Path) -> dict[str, list[str]]:
    """Run the six checks; return the flagged entry numbers per check."""
    rows = pd.read_csv(path, dtype=str, keep_default_na=False)
    value = pd.to_numeric(rows["value_usd"].str.replace(r"[$,\s]|USD", "", regex=True))
    rows = rows.assign(value=value.fillna(0))
    entries = rows.groupby("entry_number", sort=False).agg(
        total=("value", "sum"),
        arrival_date=("arrival_date", "first"),
        consignee_name=("consignee_name", "first"),
        consignee_address=("consignee_address", "first"),
        bill=("bill_of_lading", "first"),
    )
    over = entries.index[entries["total"] > THRESHOLD]

    person = _normalise(entries["consignee_name"]) + "|" + _normalise(entries["consignee_address"])
    day_total = entries.groupby([person, entries["arrival_date"]])["total"].transform("sum")
    day_count = entries.groupby([person, entries["arrival_date"]])["total"].transform("size")
    person_day = entries.index[(day_total > THRESHOLD) & (day_count > 1)]

    vague_mask = rows["description"].str.strip().str.lower().isin(_vague_terms())
    vague = rows.loc[vague_mask, "entry_number"].unique()

    hts_digits = rows["hts_number"].str.replace(r"\D", "", regex=True)
    short = rows.loc[hts_digits.str.len() != 10, "entry_number"].unique()

    numbers = entries.index.to_series()
    bad_digit = numbers.index[~_check_digit_ok(numbers)]

    bill = entries["bill"].str.upper().str.replace(r"[^0-9A-Z]", "", regex=True)
    reused_mask = bill.ne("") & bill.groupby(bill).transform("size").gt(1)
    reused = entries.index[reused_mask]

    return {
        "entry_value_over_threshold": sorted(over),
        "consignee_day_over_threshold": sorted(person_day),
        "vague_description": sorted(vague),
        "hts_not_10_digits": sorted(short),
        "entry_number_check_digit": sorted(bad_digit),
        "bill_of_lading_reused": sorted(reused),
    }


def main() -> None:
    """Command line: audit ``argv[1]``, write the flagged entries to ``argv[2]``."""
    flagged = audit(Path(sys.argv[1]))
    Path(sys.argv[2]).write_text(json.dumps(flagged, indent=1), encoding="utf-8")
    print(json.dumps({name: len(numbers) for name, numbers in flagged.items()}))


if __name__ == "__main__":
    main()
