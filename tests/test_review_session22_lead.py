"""Session 22, lead: fastening ties are not neckties (HTS006's product table)."""

from __future__ import annotations

import pytest

import t86audit
from t86audit.testing import make_entry


def _hts006(description: str, hts: str) -> list[str]:
    entry = make_entry(
        lines=[{"description": description, "hts_number": hts, "country_of_origin": "VN"}],
        arrival_date="2024-06-03",
    )
    return [f.message for f in t86audit.audit([entry], select=["HTS006"]).findings]


@pytest.mark.parametrize(
    "description",
    ["plastic twist ties 500 pcs", "nylon zip ties 100 pack", "black cable ties 8 inch"],
)
def test_fastening_ties_under_plastics_are_not_read_as_neckties(description: str) -> None:
    # Before: "names ties, goods of chapters 61, 62" (neckties) under 3926.90, where they belong.
    assert _hts006(description, "3926.90.99.89") == []


def test_fastening_ties_under_toys_are_warned_as_fastening_ties() -> None:
    (message,) = _hts006("plastic twist ties 500 pcs", "9503.00.00.90")
    assert "names twist ties" in message
    assert "3926" in message


def test_a_necktie_is_still_a_necktie() -> None:
    (message,) = _hts006("silk necktie", "3926.90.99.89")
    assert "necktie" in message
    assert "chapters 61, 62" in message
    assert _hts006("mens silk tie", "6215.10.00.25") == []


def test_an_entry_giving_one_description_two_numbers_cites_the_entries_it_conflicts_with() -> None:
    # Entry 1 files 'polyester dress' on two lines under two numbers; entry 2 under one of
    # them. Before: entry 1's HTS007 finding cited no related entry (entry 2's number is one of
    # its own), so the reader could not find what it disagrees with.
    entries = [
        make_entry(
            serial=1,
            lines=[
                {"description": "polyester dress", "hts_number": "6104.43.20.10"},
                {"description": "polyester dress", "hts_number": "6204.43.40.30"},
            ],
            arrival_date="2024-06-03",
        ),
        make_entry(
            serial=2,
            lines=[{"description": "polyester dress", "hts_number": "6104.43.20.10"}],
            arrival_date="2024-06-04",
        ),
    ]
    found = {
        f.entry_number: f.related_entries
        for f in t86audit.audit(entries, select=["HTS007"]).findings
    }
    assert found == {"B76-0000001-5": ("B76-0000002-3",), "B76-0000002-3": ("B76-0000001-5",)}
