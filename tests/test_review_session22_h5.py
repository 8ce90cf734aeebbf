"""Session 22 review (h5): one entry's versions in two groups of a value rule.

Two versions of one entry (one number filed twice with other data: FIL003) that differ in the
arrival date, the consignee or the seller fall in two groups of VAL002 (one person, one day),
VAL005 (one seller to one consignee) or VAL006/VAL007 (one consignee's, one seller's values
just under the threshold). Each group counted its version, though only one can be the filing
ACE accepted: with $400 arriving on each of two days and an entry's $500 versions one on each,
both days were a VAL002 *violation*, one of them necessarily wrong. The engine now tells the
group rules' finish which entry numbers several records carry (``RuleContext.repeated_entries``)
and the rules leave such an entry out of a group it may not belong to, as they already count
versions within a group at their lowest value: a day, split or cluster is reported only if it
is one whichever version stands (catalog VAL002, VAL005-VAL007 limitations).

The expected findings were worked out by hand from the domain reference (3.3 V2: T86 entries
grouped by consignee and arrival day, V on the entries after the running total first exceeds
$800 in manifest order) and the catalog. Every case is audited in one process, with two worker
processes, from CSV files streamed and loaded, and the CSV files with two workers; all must
give the same findings, finding by finding, messages included. One test runs every case
together through ``audit_dask`` and compares its JSON report with the streamed one, byte for
byte. Arrival days are in June 2024 ($800 threshold).
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit import engine
from t86audit._entries import RecordTable
from t86audit.policy import default_policy
from t86audit.rules._base import RuleContext
from t86audit.testing import CSV_COLUMNS, make_entry, make_entry_number, to_csv_rows


AT = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
CODES = frozenset({"VAL002", "VAL005", "VAL006", "VAL007", "FIL003", "FIL004"})
S = "Shenzhen Bright Trading Co"


def E(serial: int) -> str:
    return make_entry_number("B76", serial)


def who(case_no: int, name: str = "Ann Lee", postal_code: str = "02127") -> dict[str, str]:
    """A consignee of the case's own: no case's entries meet another's in a group."""
    return {
        "name": name,
        "address": f"{case_no} Harbor Way",
        "city": "Boston",
        "state": "MA",
        "postal_code": postal_code,
    }


def x(
    serial: int,
    value: str,
    day: int,
    consignee: dict[str, str],
    *,
    hour: int = 8,
    seller: str | None = None,
    file: int = 0,
    **kw: Any,
) -> dict[str, Any]:
    """Entry ``serial`` of one line of ``value`` arriving ``day`` June 2024, filed at ``hour``
    the day before (the filing order is the manifest order); a seller of its own unless given.
    """
    return {
        "_file": file,
        "serial": serial,
        "value": value,
        "arrival_date": dt.date(2024, 6, day),
        # Naive: U.S. Eastern, the input contract.
        "filed_at": dt.datetime(2024, 6, day - 1, hour, 0),  # noqa: DTZ001
        "consignee": consignee,
        "seller": {"name": seller or f"Seller {serial} Trading"},
        **kw,
    }


ANY = object()
CASES: list[dict[str, Any]] = []


def case(
    name: str,
    why: str,
    entries: list[dict[str, Any]],
    expected: list[tuple[Any, ...]],
    *,
    says: dict[int, str] | None = None,
    never_says: str | None = None,
) -> None:
    """``expected``: ``(code, serial, observed, related serials)``; ANY is not compared."""
    CASES.append(
        {
            "name": name,
            "why": why,
            "entries": entries,
            "expected": expected,
            "says": says or {},
            "never_says": never_says,
        }
    )


LEFT_OUT = "so the record here may not be the filing that stands"

case(
    "v1_versions_on_two_days_make_neither_day_over",
    "the brief's case: $400 on 3 and on 4 Jun, entry 3's $500 versions one each day. Each day "
    "is over only if its version stands: no VAL002 (was V on entry 3 for both days); FIL003 "
    "reports both records",
    [
        x(1, "400.00", 3, who(1), hour=7),
        x(2, "400.00", 4, who(1), hour=7),
        x(3, "500.00", 3, who(1)),
        x(3, "500.00", 4, who(1), file=1),
    ],
    [("FIL003", 3, ANY, ANY), ("FIL003", 3, ANY, ANY)],
)

case(
    "v2_a_day_over_without_the_version_is_reported_without_it",
    "3 Jun: 11 (filed first, $500; its other version arrives 4 Jun), 12 $400, 13 $500. "
    "Without 11 the day is $900: V on 13 only, at $900, naming 11 as left out (was V on 12 at "
    "$900 and on 13 at $1,400, both counting 11). 4 Jun: 14 $100 + 11 $500 = $600",
    [
        x(11, "500.00", 3, who(2), hour=7),
        x(11, "500.00", 4, who(2), hour=7, file=1),
        x(12, "400.00", 3, who(2), hour=8),
        x(13, "500.00", 3, who(2), hour=9),
        x(14, "100.00", 4, who(2), hour=9),
    ],
    [
        ("FIL003", 11, ANY, ANY),
        ("FIL003", 11, ANY, ANY),
        ("VAL002", 13, "900.00", (12,)),
    ],
    says={
        13: f"shipment 2 of 2 to 'Ann Lee' arriving 2024-06-03 brings the day's total to "
        f"900.00 USD (day total 900.00 USD), over the 800.00 USD threshold; not counting "
        f"entry {E(11)}: its number is also on other records in the input, with other data "
        f"(see FIL003), {LEFT_OUT}"
    },
)

case(
    "v3_versions_for_two_consignees",
    "entry 21's $500 versions are for Ann Lee and for Bob Stone (another address), on one "
    "day; each has a $400 entry that day. Each person's day is over only if the version for "
    "them stands: no VAL002 (was V for both people)",
    [
        x(21, "500.00", 3, who(3), hour=9),
        x(21, "500.00", 3, who(33, "Bob Stone"), hour=9, file=1),
        x(22, "400.00", 3, who(3)),
        x(23, "400.00", 3, who(33, "Bob Stone")),
    ],
    [("FIL003", 21, ANY, ANY), ("FIL003", 21, ANY, ANY)],
)

case(
    "v4_versions_for_one_name_in_two_zip_codes",
    "entry 31's versions name Ann Lee at one street in ZIP 02127 and in 02128: two people "
    "(by_place). The records met one group (name, street, day) but not one person: 31 is "
    "left out; 32 ($400, 02127) and 33 ($400, 02128) are alone: no VAL002 (was V on 31, "
    "counted with 32)",
    [
        x(31, "500.00", 3, who(4)),
        x(31, "500.00", 3, who(4, postal_code="02128"), file=1),
        x(32, "400.00", 3, who(4), hour=9),
        x(33, "400.00", 3, who(4, postal_code="02128"), hour=9),
    ],
    [("FIL003", 31, ANY, ANY), ("FIL003", 31, ANY, ANY)],
)

case(
    "v5_a_type_01_record_under_the_number_is_not_a_version",
    "entry 41 is a T86 record and a type 01 record. VAL002 and FIL003 judge Type 86 entries "
    "only (catalog): the type 01 record is not counted, and the T86 record counts as before: "
    "$500 + $400 = $900, V on 42",
    [
        x(41, "500.00", 3, who(5), hour=7),
        x(41, "500.00", 3, who(5), hour=7, entry_type="01", file=1),
        x(42, "400.00", 3, who(5), hour=9),
    ],
    [("VAL002", 42, "900.00", (41,))],
    never_says=LEFT_OUT,
)

case(
    "v6_a_copy_in_another_file_is_one_filing",
    "entry 51 exported twice, the same data (FIL004): both copies fall in the same groups, so "
    "it is settled: $500 + $400 = $900, V on 52, as before",
    [
        x(51, "500.00", 3, who(6), hour=7),
        x(51, "500.00", 3, who(6), hour=7, file=1),
        x(52, "400.00", 3, who(6), hour=9),
    ],
    [("FIL004", 51, ANY, ANY), ("FIL004", 51, ANY, ANY), ("VAL002", 52, "900.00", (51,))],
    never_says=LEFT_OUT,
)

case(
    "v7_a_version_last_in_a_day_over_is_not_flagged",
    "3 Jun: 71 $400, 72 $500, 73 $300 (its other version arrives 4 Jun). Over without 73: V "
    "on 72 at $900, naming 73; 73's record here is not flagged (was V on 72 and on 73 at "
    "$1,200)",
    [
        x(71, "400.00", 3, who(7), hour=7),
        x(72, "500.00", 3, who(7), hour=8),
        x(73, "300.00", 3, who(7), hour=9),
        x(73, "300.00", 4, who(7), hour=9, file=1),
    ],
    [("FIL003", 73, ANY, ANY), ("FIL003", 73, ANY, ANY), ("VAL002", 72, "900.00", (71,))],
    says={72: f"not counting entry {E(73)}"},
)

case(
    "s1_split_with_a_version_for_another_seller",
    "VAL005: 81 and 82, $450 each from one seller to one buyer on 3 and 4 Jun; 82's other "
    "version names another seller (another group). Without 82 there is no split: no VAL005 "
    "(was W on 81 and 82)",
    [
        x(81, "450.00", 3, who(8), seller=S),
        x(82, "450.00", 4, who(8), seller=S),
        x(82, "450.00", 4, who(8), seller="Other Export Co", file=1),
    ],
    [("FIL003", 82, ANY, ANY), ("FIL003", 82, ANY, ANY)],
)

case(
    "s2_split_with_versions_on_two_days",
    "VAL005: 91 $450 on 3 Jun; 92 $450 filed for 4 Jun and again for 10 Jun, one seller and "
    "buyer. The 4 Jun version makes a two-day split, the 10 Jun one none: 92 is left out, no "
    "VAL005 (was W on 91 and 92, counting the earlier version)",
    [
        x(91, "450.00", 3, who(9), seller=S),
        x(92, "450.00", 4, who(9), seller=S),
        x(92, "450.00", 10, who(9), seller=S, file=1),
    ],
    [("FIL003", 92, ANY, ANY), ("FIL003", 92, ANY, ANY)],
)

case(
    "s3_split_over_without_the_version_names_it",
    "VAL005: 101 $450 (3 Jun), 102 $450 and 103 $100 (4 Jun), one seller to one buyer; 103's "
    "other version is for another buyer. 101 + 102 = $900 is a split whichever version of 103 "
    "stands: W on 101 and 102 at $900, naming 103 (was $1,000 with 103)",
    [
        x(101, "450.00", 3, who(10), seller=S),
        x(102, "450.00", 4, who(10), seller=S),
        x(103, "100.00", 4, who(10), seller=S),
        x(103, "100.00", 4, who(110, "Bob Stone"), seller=S, file=1),
    ],
    [
        ("FIL003", 103, ANY, ANY),
        ("FIL003", 103, ANY, ANY),
        ("VAL005", 101, "900.00", ANY),
        ("VAL005", 102, "900.00", ANY),
    ],
    says={101: f"total 900.00 USD, over 800.00 USD; not counting entry {E(103)}"},
)

case(
    "c1_cluster_with_a_version_outside_the_band",
    "VAL006: 111-113 to one consignee at $795, $799.99, $790; 113's other version is $500, "
    "outside the band (in no VAL006 group). Whichever stands decides the third entry: no "
    "VAL006 (was W on all three)",
    [
        x(111, "795.00", 3, who(11)),
        x(112, "799.99", 10, who(11)),
        x(113, "790.00", 20, who(11)),
        x(113, "500.00", 20, who(11), file=1),
    ],
    [("FIL003", 113, ANY, ANY), ("FIL003", 113, ANY, ANY)],
)

case(
    "c2_seller_cluster_with_a_version_for_another_seller",
    "VAL007: 121-123 from one seller to three buyers at $785, $799, $780.50; 123's other "
    "version names another seller. Two remain for each seller: no VAL007 (was W on all three)",
    [
        x(121, "785.00", 3, who(12), seller="Acme Export Ltd"),
        x(122, "799.00", 4, who(212, "Wu Fang"), seller="Acme Export Ltd"),
        x(123, "780.50", 5, who(312, "Li Bo"), seller="Acme Export Ltd"),
        x(123, "780.50", 5, who(312, "Li Bo"), seller="Bright Star Ltd", file=1),
    ],
    [("FIL003", 123, ANY, ANY), ("FIL003", 123, ANY, ANY)],
)

case(
    "c3_cluster_over_without_the_version_names_it",
    "VAL006: 131-134 to one consignee in the band; 134's other version is $300. Three remain, "
    "a cluster whichever stands: W on 131-133 saying 3 entries, naming 134 (was 4 entries, "
    "134 included)",
    [
        x(131, "795.00", 3, who(13)),
        x(132, "799.99", 10, who(13)),
        x(133, "790.00", 17, who(13)),
        x(134, "780.00", 24, who(13)),
        x(134, "300.00", 24, who(13), file=1),
    ],
    [
        ("FIL003", 134, ANY, ANY),
        ("FIL003", 134, ANY, ANY),
        ("VAL006", 131, "795.00", (132, 133)),
        ("VAL006", 132, "799.99", (131, 133)),
        ("VAL006", 133, "790.00", (131, 132)),
    ],
    says={
        131: f"3 entries for consignee 'Ann Lee' are valued within 50.00 USD under the 800.00 "
        f"USD threshold; this one totals 795.00 USD; not counting entry {E(134)}"
    },
)


# --- running the cases ------------------------------------------------------------------------


def _entries(specs: list[dict[str, Any]]) -> list[Any]:
    return [make_entry(**{k: v for k, v in e.items() if k != "_file"}) for e in specs]


def _files(specs: list[dict[str, Any]], folder: Path, stem: str) -> list[Path]:
    """The entries as CSV files, one per ``_file`` index (a second version goes in another)."""
    by_file: dict[int, list[Any]] = {}
    for e, entry in zip(specs, _entries(specs), strict=True):
        by_file.setdefault(e["_file"], []).append(entry)
    paths = []
    for index, entries in sorted(by_file.items()):
        path = folder / f"{stem}_{index}.csv"
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=CSV_COLUMNS)
            writer.writeheader()
            writer.writerows(to_csv_rows(entries))
        paths.append(path)
    return paths


def _rows(report: t86audit.Report) -> list[tuple[Any, ...]]:
    return sorted(
        (
            f.code,
            f.entry_number,
            f.observed,
            tuple(f.related_entries),
            # FIL003's message names the files a record came from: only the value rules'.
            f.message if f.code.startswith("VAL") else "",
        )
        for f in report.findings
        if f.code in CODES
    )


def _audit(population: Any, jobs: int = 1) -> t86audit.Report:
    return t86audit.audit(population, exposure=False, jobs=jobs, generated_at=AT)


def _compare(rows: list[tuple[Any, ...]], spec: dict[str, Any]) -> None:
    messages = [f"{code} {number}: {message}" for code, number, _, _, message in rows]
    wanted = [
        (code, E(serial), observed, related if related is ANY else tuple(E(s) for s in related))
        for code, serial, observed, related in spec["expected"]
    ]
    assert len(rows) == len(wanted), (spec["why"], messages)
    remaining = [row[:4] for row in rows]
    for item in wanted:
        match = next(
            (
                row
                for row in remaining
                if row[:2] == item[:2]
                and (item[2] is ANY or row[2] == item[2])
                and (item[3] is ANY or row[3] == item[3])
            ),
            None,
        )
        assert match is not None, (spec["why"], item, messages)
        remaining.remove(match)
    for serial, phrase in spec["says"].items():
        texts = [m for c, n, _, _, m in rows if n == E(serial) and c.startswith("VAL")]
        assert texts, serial
        assert all(phrase in t for t in texts), (phrase, texts)
    if spec["never_says"]:
        assert not any(spec["never_says"] in m for *_, m in rows), messages


@pytest.mark.parametrize("spec", CASES, ids=[c["name"] for c in CASES])
def test_case(spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One process, two workers, the CSV files streamed and loaded: the expected findings."""
    entries = _entries(spec["entries"])
    one = _rows(_audit(entries))
    _compare(one, spec)
    # A worker gets no fewer than 2,000 entries; one here, so that each worker folds part of
    # the case and the versions' records reach the driver from different processes.
    monkeypatch.setattr(engine, "_MIN_SLICE", 1)
    assert _rows(_audit(entries, jobs=2)) == one
    paths = [str(p) for p in _files(spec["entries"], tmp_path, spec["name"])]
    assert _rows(_audit(paths)) == one  # streamed (groups read again at the end)
    assert _rows(_audit(paths, jobs=2)) == one
    loaded = t86audit.load(*paths)
    assert not loaded.errors, loaded.errors
    assert _rows(_audit(loaded)) == one
    assert _rows(_audit(loaded, jobs=2)) == one


def _everything() -> list[dict[str, Any]]:
    return [e for spec in CASES for e in spec["entries"]]


def test_all_cases_together_give_each_case_s_findings(tmp_path: Path) -> None:
    """No case's entries meet another's: together, the union of their findings."""
    together = _rows(_audit(_entries(_everything())))
    apart = sorted(row for spec in CASES for row in _rows(_audit(_entries(spec["entries"]))))
    assert together == apart


def test_dask_gives_the_streamed_report_byte_for_byte(client, tmp_path: Path) -> None:
    """``audit_dask`` finishes on the driver: its report is the one-process report, byte for
    byte, with each version's record read by another worker (the two files)."""
    from t86audit.distributed import audit_dask  # noqa: PLC0415

    paths = [str(p) for p in _files(_everything(), tmp_path, "all")]
    assert len(paths) == 2
    expected = t86audit.audit(paths, generated_at=AT)
    got = audit_dask(paths, client=client, generated_at=AT)
    assert got.to_json() == expected.to_json()
    codes = {f.code for f in expected.findings}
    assert {"VAL002", "VAL005", "VAL006", "FIL003", "FIL004"} <= codes
    assert any(LEFT_OUT in f.message for f in expected.findings)


# --- the engine's part ------------------------------------------------------------------------


def test_record_table_counts_numbers_written_two_ways() -> None:
    """A number with and without its dashes, in either case, is one number (FIL003's key)."""
    table = RecordTable()
    entries = [
        make_entry(serial=1),
        make_entry(entry_number=E(1).replace("-", "").lower()),
        make_entry(serial=2),
        make_entry(serial=3),
        make_entry(serial=3, entry_type="01"),
        make_entry(serial=3),
    ]
    table.add_many(entries, [e.entry_number.key for e in entries])
    key1, key3 = entries[0].entry_number.key, entries[3].entry_number.key
    assert table.repeats() == {key1: 2, key3: 3}
    assert table.repeats(lambda code: code != "01") == {key1: 2, key3: 2}
    assert RecordTable().repeats() == {}


def test_repeated_entries_is_known_only_while_the_groups_are_finished(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Worked out once per audit, only when a group asks; empty outside the finish."""
    calls: list[int] = []
    original = RecordTable.repeats

    def counted(self: RecordTable, judged: Any = None) -> dict[str, int]:
        calls.append(len(self))
        return original(self, judged)

    monkeypatch.setattr(RecordTable, "repeats", counted)
    quiet = _entries([x(1, "100.00", 3, who(1)), x(2, "100.00", 3, who(1))])
    _audit(quiet)
    assert calls == []  # no group over the threshold: nothing asked, nothing worked out
    busy = _entries([e for spec in CASES[:3] for e in spec["entries"]])
    report = _audit(busy)
    assert len(calls) == 1  # several groups and rules asked: worked out once
    assert any(f.code == "VAL002" for f in report.findings)
    assert RuleContext({}, default_policy(), None).repeated_entries == {}  # type: ignore[arg-type]
