"""Session 22 review (h8): one entry's versions in two groups of CON007, HTS007 or FIL007.

h5 found that two versions of one entry (one number filed twice with other data: FIL003) that
fall in two groups of a value rule were counted in each; the other group rules had the same
flaw. CON007 counted the names at an address on a day from every record, so an entry filed
for 'Ann Lee' and corrected to 'Anne Lee' was two names, and an entry whose versions arrive on
two days was at the address both days; HTS007 counted an entry as giving a description every
number its versions gave it ('this entry uses 8518.22.00.00, 8518.29.80.00'), and a version
under another description as using this one; FIL007 counted an entry whose other version
carries another bill, or arrives on a day outside the window, as reusing the bill. Each rule
now leaves such an entry out of the group (``unsettled``), as the value rules do: a finding
is reported only if it holds whichever version is the filing ACE accepted, and its message
names the entries left out. FIL003 and FIL004 are the rules that report the versions and
copies themselves: one group per number, nothing to leave out.

The expected findings were worked out by hand (before the fix was written) from the domain
reference (3.4 C6: many names at one address on one day, W; 3.5 H7: one description under
several numbers, W; 3.7 F4: one bill on more than one T86) and the catalog. Every case is
audited in one process, with two worker processes, from CSV files streamed and loaded; all
must give the same findings, messages included, and ``audit_dask`` must give the streamed
JSON report byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit import engine
from t86audit.testing import (
    CSV_COLUMNS,
    make_bill_of_lading,
    make_entry,
    make_entry_number,
    to_csv_rows,
)


AT = dt.datetime(2026, 12, 7, tzinfo=dt.UTC)
CODES = frozenset({"CON007", "HTS007", "FIL007", "FIL003", "FIL004"})
NAMES = ["Ann Lee", "Bob Diaz", "Cara Moss", "Dan Kim", "Eve Ortiz", "Finn Cole"]
LEFT_OUT = "so the record here may not be the filing that stands"


def E(serial: int) -> str:
    return make_entry_number("B76", serial)


def at(case_no: int, name: str, postal_code: str = "02127") -> dict[str, str]:
    """A consignee at the case's own address: no case's entries meet another's in a group."""
    return {
        "name": name,
        "address": f"{case_no} Harbor Way Unit 2",
        "city": "Boston",
        "state": "MA",
        "postal_code": postal_code,
    }


def x(serial: int, day: int = 3, *, file: int = 0, month: int = 6, year: int = 2024, **kw: Any):
    """Entry ``serial`` arriving ``day`` June 2024 (by default), in input file ``file``."""
    return {"_file": file, "serial": serial, "arrival_date": dt.date(year, month, day), **kw}


def hts(description: str, number: str) -> dict[str, Any]:
    """One line of ``description`` under ``number`` (a bluetooth speaker's chapter 85)."""
    return {"lines": [{"description": description, "hts_number": number, "value_usd": "20.00"}]}


def bill(n: int) -> str:
    return make_bill_of_lading(9_000_000 + n)


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
    options: dict[str, dict[str, Any]] | None = None,
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
            "options": options,
        }
    )


def con(serial: int, observed: str, entries: range) -> tuple[Any, ...]:
    """CON007 on ``serial``, citing the other entries of ``entries``."""
    return ("CON007", serial, observed, tuple(s for s in entries if s != serial))


def fil003(serial: int) -> list[tuple[Any, ...]]:
    return [("FIL003", serial, ANY, ANY), ("FIL003", serial, ANY, ANY)]


# --- CON007: many names at one address on one day (max_names 4) ---------------------------

case(
    "k1_a_name_corrected_is_one_name",
    "the brief's case: entry 1 filed for 'Ann Lee' and again for 'Anne Lee' at one address on "
    "one day, with Bob, Cara and Dan: four entries, four names whichever version stands. No "
    "CON007 (was W on 1-4 saying 5 names)",
    [
        x(1, consignee=at(1, "Ann Lee")),
        x(1, consignee=at(1, "Anne Lee"), file=1),
        x(2, consignee=at(1, "Bob Diaz")),
        x(3, consignee=at(1, "Cara Moss")),
        x(4, consignee=at(1, "Dan Kim")),
    ],
    fil003(1),
)

case(
    "k2_versions_on_two_days",
    "entry 15 for Eve Ortiz at one address, its versions arriving 3 and 4 Jun; 3 Jun also has "
    "Ann, Bob, Cara, Dan. 3 Jun has five names only if the 3 Jun version stands: no CON007 "
    "(was W on 11-15)",
    [
        *(x(11 + i, consignee=at(2, NAMES[i])) for i in range(4)),
        x(15, consignee=at(2, "Eve Ortiz")),
        x(15, 4, consignee=at(2, "Eve Ortiz"), file=1),
    ],
    fil003(15),
)

case(
    "k3_over_without_the_version_names_it",
    "3 Jun at one address: Ann, Bob, Cara, Dan, Eve (21-25) and 26 for Finn Cole, whose other "
    "version is at another address. Five names whichever stands: W on 21-25 saying 5 names and "
    "naming 26 as left out; 26 is not flagged (was W on 21-26 saying 6 names)",
    [
        *(x(21 + i, consignee=at(3, NAMES[i])) for i in range(5)),
        x(26, consignee=at(3, "Finn Cole")),
        x(26, consignee=at(33, "Finn Cole"), file=1),
    ],
    [
        *fil003(26),
        *(con(21 + i, "3 Harbor Way Unit 2", range(21, 26)) for i in range(5)),
    ],
    says={
        21: f"5 different consignee names received entries at '3 Harbor Way Unit 2' on "
        f"2024-06-03; not counting entry {E(26)}: its number is also on other records in the "
        f"input, with other data (see FIL003), {LEFT_OUT}"
    },
)

case(
    "k4_a_copy_is_one_filing",
    "entry 35 (Eve) exported twice, the same data (FIL004), with Ann, Bob, Cara, Dan: five "
    "names, settled: W on 31-35 as before, nothing left out",
    [
        *(x(31 + i, consignee=at(4, NAMES[i])) for i in range(4)),
        x(35, consignee=at(4, "Eve Ortiz")),
        x(35, consignee=at(4, "Eve Ortiz"), file=1),
    ],
    [
        ("FIL004", 35, ANY, ANY),
        ("FIL004", 35, ANY, ANY),
        *(con(31 + i, "4 Harbor Way Unit 2", range(31, 36)) for i in range(5)),
    ],
    never_says=LEFT_OUT,
)

case(
    "k5_versions_that_agree_on_the_name_and_day",
    "entry 45's versions differ in value only, and in how the name is written ('ORTIZ, EVE', "
    "'Eve Ortiz': one name); with Ann, Bob, Cara, Dan: five names whichever stands. W on "
    "41-45 as before, nothing left out",
    [
        *(x(41 + i, consignee=at(5, NAMES[i])) for i in range(4)),
        x(45, consignee=at(5, "Eve Ortiz"), value="20.00"),
        x(45, consignee=at(5, "ORTIZ, EVE"), value="25.00", file=1),
    ],
    [*fil003(45), *(con(41 + i, "5 Harbor Way Unit 2", range(41, 46)) for i in range(5))],
    never_says=LEFT_OUT,
)

case(
    "k6_versions_in_two_zip_codes",
    "entry 55's versions are at one street in ZIP 02127 and in 02128 (two addresses: "
    "by_place), Eve both times; 02127 has Ann, Bob, Cara, Dan. Five names at 02127 only if "
    "that version stands: no CON007 (was W on 51-55)",
    [
        *(x(51 + i, consignee=at(6, NAMES[i])) for i in range(4)),
        x(55, consignee=at(6, "Eve Ortiz")),
        x(55, consignee=at(6, "Eve Ortiz", postal_code="02128"), file=1),
    ],
    fil003(55),
)

# --- HTS007: one description under several numbers (min_entries 2) --------------------------

SPK = "8518.22.00.00"
SPK2 = "8518.29.80.00"

case(
    "h1_a_number_corrected_is_not_two_numbers",
    "the brief's case: entry 61 filed for 'portable bluetooth speaker' under 8518.22.00.00 and "
    "again under 8518.29.80.00; 62 gives it 8518.22.00.00. The two entries disagree only if "
    "61's second version stands: no HTS007 (was W on 61, 'this entry uses 8518.22.00.00, "
    "8518.29.80.00', and on 62)",
    [
        x(61, **hts("portable bluetooth speaker", SPK)),
        x(61, file=1, **hts("portable bluetooth speaker", SPK2)),
        x(62, **hts("portable bluetooth speaker", SPK)),
    ],
    fil003(61),
)

case(
    "h2_one_entry_corrected_alone_with_min_entries_1",
    "min_entries 1 (one entry may be a finding: two lines under two numbers). Entry 63's "
    "versions give 'wireless bluetooth speaker' two numbers, one each: the entry that stands "
    "uses one. No HTS007 (was W on 63, '2 numbers across 1 entries')",
    [
        x(63, **hts("wireless bluetooth speaker", SPK)),
        x(63, file=1, **hts("wireless bluetooth speaker", SPK2)),
    ],
    fil003(63),
    options={"HTS007": {"min_entries": 1}},
)

case(
    "h3_a_version_under_another_description",
    "entry 71's versions describe it as 'waterproof bluetooth speaker' and 'waterproof "
    "bluetooth speaker with microphone', both 8518.22.00.00; 72 gives 'waterproof bluetooth "
    "speaker' 8518.29.80.00. 71 is in that description's group only if its first version "
    "stands: no HTS007 (was W on 71 and 72)",
    [
        x(71, **hts("waterproof bluetooth speaker", SPK)),
        x(71, file=1, **hts("waterproof bluetooth speaker with microphone", SPK)),
        x(72, **hts("waterproof bluetooth speaker", SPK2)),
    ],
    fil003(71),
)

case(
    "h4_disagreement_without_the_version_names_it",
    "'mini bluetooth speaker': 81 under 8518.22.00.00, 82 under 8518.29.80.00, 83's versions "
    "one under each. 81 and 82 disagree whichever stands: W on 81 and 82, '2 numbers across 2 "
    "entries', naming 83 (was W on 81-83, 83 counted under both numbers)",
    [
        x(81, **hts("mini bluetooth speaker", SPK)),
        x(82, **hts("mini bluetooth speaker", SPK2)),
        x(83, **hts("mini bluetooth speaker", SPK)),
        x(83, file=1, **hts("mini bluetooth speaker", SPK2)),
    ],
    [
        *fil003(83),
        ("HTS007", 81, "8518.22.00.00", (82,)),
        ("HTS007", 82, "8518.29.80.00", (81,)),
    ],
    says={
        81: "is classified under 2 numbers across 2 entries: 8518.22.00.00 (1 entry), "
        "8518.29.80.00 (1 entry); this entry uses 8518.22.00.00;",
        82: f"or at least one number is wrong; not counting entry {E(83)}: its number is also",
    },
)

case(
    "h5_versions_that_agree_on_the_number",
    "'outdoor bluetooth speaker': 91's versions differ in value only, both 8518.22.00.00; 92 "
    "gives 8518.29.80.00. They disagree whichever stands: W on 91 and 92 as before",
    [
        x(91, **hts("outdoor bluetooth speaker", SPK)),
        x(
            91,
            file=1,
            lines=[
                {
                    "description": "outdoor bluetooth speaker",
                    "hts_number": SPK,
                    "value_usd": "30.00",
                }
            ],
        ),
        x(92, **hts("outdoor bluetooth speaker", SPK2)),
    ],
    [*fil003(91), ("HTS007", 91, SPK, (92,)), ("HTS007", 92, SPK2, (91,))],
    never_says=LEFT_OUT,
)

case(
    "h6_a_copy_is_one_filing",
    "'travel bluetooth speaker': 95 exported twice (FIL004) under 8518.22.00.00, 96 under "
    "8518.29.80.00: W on 95 and 96 as before",
    [
        x(95, **hts("travel bluetooth speaker", SPK)),
        x(95, file=1, **hts("travel bluetooth speaker", SPK)),
        x(96, **hts("travel bluetooth speaker", SPK2)),
    ],
    [
        ("FIL004", 95, ANY, ANY),
        ("FIL004", 95, ANY, ANY),
        ("HTS007", 95, SPK, (96,)),
        ("HTS007", 96, SPK2, (95,)),
    ],
    never_says=LEFT_OUT,
)

# --- FIL007: one bill on more than one entry (max_days_apart 365) ----------------------------

case(
    "f1_a_bill_corrected_is_not_reused",
    "entry 101 filed under bill X and again under bill Y; 102 under bill X. X is on two "
    "entries only if 101's first version stands: no FIL007 (was W on 101 and 102)",
    [
        x(101, bill_of_lading=bill(1)),
        x(101, file=1, bill_of_lading=bill(2)),
        x(102, 4, bill_of_lading=bill(1)),
    ],
    fil003(101),
)

case(
    "f2_versions_on_days_in_and_outside_the_window",
    "bill X: 111's versions arrive 1 May 2024 and 5 Jun 2025, 112 arrives 1 Jun 2025 (396 "
    "and 4 days apart; the window is 365). They are compared only if the second version "
    "stands: no FIL007 (was W on 111's 2025 record and on 112)",
    [
        x(111, 1, month=5, bill_of_lading=bill(11)),
        x(111, 5, year=2025, file=1, bill_of_lading=bill(11)),
        x(112, 1, year=2025, bill_of_lading=bill(11)),
    ],
    fil003(111),
)

case(
    "f3_reused_without_the_version_names_it",
    "bill X on 121, 122 and 123; 123's other version carries bill Y. 121 and 122 share X "
    "whichever stands: W on 121 and 122, each 'on 1 other entry', naming 123 (was W on 121-123, "
    "each on 2 others)",
    [
        x(121, bill_of_lading=bill(21)),
        x(122, 4, bill_of_lading=bill(21)),
        x(123, 5, bill_of_lading=bill(21)),
        x(123, 5, file=1, bill_of_lading=bill(22)),
    ],
    [*fil003(123), ("FIL007", 121, bill(21), (122,)), ("FIL007", 122, bill(21), (121,))],
    says={
        121: f"is also on 1 other entry arriving within 365 days: {E(122)}; not counting "
        f"entry {E(123)}"
    },
)

case(
    "f4_versions_that_agree_on_the_bill_and_day",
    "bill X on 131 (its versions differ in value only) and 132: W on both as before",
    [
        x(131, bill_of_lading=bill(31), value="20.00"),
        x(131, file=1, bill_of_lading=bill(31), value="30.00"),
        x(132, 4, bill_of_lading=bill(31)),
    ],
    [*fil003(131), ("FIL007", 131, bill(31), (132,)), ("FIL007", 132, bill(31), (131,))],
    never_says=LEFT_OUT,
)

case(
    "f5_a_copy_is_one_filing",
    "bill X on 141 (exported twice: FIL004) and 142: W on both as before, 141 once",
    [
        x(141, bill_of_lading=bill(41)),
        x(141, file=1, bill_of_lading=bill(41)),
        x(142, 4, bill_of_lading=bill(41)),
    ],
    [
        ("FIL004", 141, ANY, ANY),
        ("FIL004", 141, ANY, ANY),
        ("FIL007", 141, bill(41), (142,)),
        ("FIL007", 142, bill(41), (141,)),
    ],
    never_says=LEFT_OUT,
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
            # FIL003's and FIL004's messages name the files a record came from.
            "" if f.code in {"FIL003", "FIL004"} else f.message,
        )
        for f in report.findings
        if f.code in CODES
    )


def _audit(population: Any, spec: dict[str, Any] | None = None, jobs: int = 1) -> t86audit.Report:
    options = None if spec is None else spec["options"]
    return t86audit.audit(population, exposure=False, jobs=jobs, generated_at=AT, options=options)


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
        texts = [m for c, n, _, _, m in rows if n == E(serial) and c not in {"FIL003", "FIL004"}]
        assert texts, serial
        assert all(phrase in t for t in texts), (phrase, texts)
    if spec["never_says"]:
        assert not any(spec["never_says"] in m for *_, m in rows), messages


@pytest.mark.parametrize("spec", CASES, ids=[c["name"] for c in CASES])
def test_case(spec: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """One process, two workers, the CSV files streamed and loaded: the expected findings."""
    entries = _entries(spec["entries"])
    one = _rows(_audit(entries, spec))
    _compare(one, spec)
    # A worker gets no fewer than 2,000 entries; one here, so that each worker folds part of
    # the case and the versions' records reach the driver from different processes.
    monkeypatch.setattr(engine, "_MIN_SLICE", 1)
    assert _rows(_audit(entries, spec, jobs=2)) == one
    paths = [str(p) for p in _files(spec["entries"], tmp_path, spec["name"])]
    assert _rows(_audit(paths, spec)) == one  # streamed (groups read again at the end)
    assert _rows(_audit(paths, spec, jobs=2)) == one
    loaded = t86audit.load(*paths)
    assert not loaded.errors, loaded.errors
    assert _rows(_audit(loaded, spec)) == one
    assert _rows(_audit(loaded, spec, jobs=2)) == one


def _everything() -> list[dict[str, Any]]:
    return [e for spec in CASES if spec["options"] is None for e in spec["entries"]]


def test_all_cases_together_give_each_case_s_findings() -> None:
    """No case's entries meet another's: together, the union of their findings."""
    together = _rows(_audit(_entries(_everything())))
    apart = sorted(
        row
        for spec in CASES
        if spec["options"] is None
        for row in _rows(_audit(_entries(spec["entries"])))
    )
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
    assert {"CON007", "HTS007", "FIL007", "FIL003", "FIL004"} <= codes
    assert sum(LEFT_OUT in f.message for f in expected.findings if f.code in CODES) >= 3


def test_groups_that_cannot_be_reported_never_ask_for_the_repeated_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The numbers several records carry are worked out (a pass over every entry number) only
    when a group can yield a finding: a bill on two entries two years apart (a recycled
    serial), four names at an address, one description under one number never ask."""
    from t86audit._entries import RecordTable  # noqa: PLC0415

    calls: list[int] = []
    original = RecordTable.repeats

    def counted(self: RecordTable, judged: Any = None) -> dict[str, int]:
        calls.append(len(self))
        return original(self, judged)

    monkeypatch.setattr(RecordTable, "repeats", counted)
    quiet = [
        x(201, 3, year=2022, bill_of_lading=bill(51)),
        x(202, 3, year=2024, bill_of_lading=bill(51)),
        *(x(203 + i, consignee=at(20, NAMES[i])) for i in range(4)),
        x(203, 4, file=1, consignee=at(20, "Ann Lee")),  # a version: asked about by nobody
    ]
    report = _audit(_entries(quiet))
    assert calls == []
    assert {f.code for f in report.findings} & CODES == {"FIL003"}
    loud = [*quiet, x(207, 9, year=2024, bill_of_lading=bill(51))]  # 202 and 207: reused
    report = _audit(_entries(loud))
    assert len(calls) == 1
    assert {f.entry_number for f in report.findings if f.code == "FIL007"} == {E(202), E(207)}
