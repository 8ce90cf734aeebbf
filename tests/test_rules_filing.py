"""FIL rules: entry numbers, duplicates, bills, filing times, EDA, port codes, entry type."""

import datetime as dt
import random
import types
import zoneinfo
from pathlib import PurePath

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import t86audit
from t86audit.engine import run_rules
from t86audit.io._columns import CANONICAL_COLUMNS
from t86audit.model import compute_check_digit
from t86audit.policy import Milestone, PolicyTable
from t86audit.reference import Port
from t86audit.refset import ReferenceSet
from t86audit.rules import filing
from t86audit.rules._examples import num, population
from t86audit.testing import make_entry, make_population


RULES = {r.code: r for r in filing.RULES}
EASTERN = zoneinfo.ZoneInfo("America/New_York")


def naive(*fields):
    """A naive date-time: U.S. Eastern by the input contract."""
    return dt.datetime(*fields)  # noqa: DTZ001 - naive means Eastern


def run(code, entries, *, options=None, policy=None, reference=None):
    """Run one FIL rule over ``entries`` and return its findings."""
    rule = RULES[code].with_options(**(options or {}))
    result = run_rules(
        entries,
        [rule],
        policy=policy,
        reference=ReferenceSet() if reference is None else reference,
        fail_fast=True,
    )
    return list(result.findings)


def flagged(code, entries, **kwargs):
    """The entry numbers a rule flags, in finding order."""
    return [f.entry_number for f in run(code, entries, **kwargs)]


def messages(code, entries, **kwargs):
    """The messages of a rule's findings, in finding order."""
    return [f.message for f in run(code, entries, **kwargs)]


# --------------------------------------------------------------------------------------------
# The family as a whole


def test_family_codes_names_and_severities():
    """Sixteen rules FIL001-FIL016; the planted problem names are rule names."""
    assert [r.code for r in filing.RULES] == [f"FIL{i:03d}" for i in range(1, 17)]
    names = {r.name for r in filing.RULES}
    assert {
        "entry-number-malformed",
        "entry-number-check-digit",
        "duplicate-entry-number",
        "bill-of-lading-reused",
        "filed-after-arrival",
        "filed-more-than-15-days-after-arrival",
        "estimated-arrival-date-missing",
        "estimated-arrival-date-far-from-arrival",
        "port-code-unknown",
        "port-code-historical",
    } <= names
    warnings = {r.code for r in filing.RULES if r.severity is t86audit.Severity.WARNING}
    assert warnings == {
        "FIL002",  # the check digit's formula is UNVERIFIED: severity follows the basis
        "FIL004",
        "FIL006",
        "FIL007",
        "FIL010",
        "FIL011",
        "FIL013",
        "FIL014",
        "FIL015",
    }


def test_clean_population_gets_no_filing_finding():
    """Clean factory entries over a year of arrivals trip no FIL rule."""
    entries = make_population(400, days=365, start=dt.date(2024, 1, 1))
    result = run_rules(entries, list(filing.RULES), reference=ReferenceSet(), fail_fast=True)

    assert result.findings == ()


def test_findings_name_canonical_columns():
    """Every FIL finding names a canonical input column as its data element."""
    entries = population(
        {"entry_number": "B76-324527-8"},
        {"bill_of_lading": ""},
        {"port_code": "9999"},
        {"arrival_date": dt.date(2024, 9, 3), "estimated_arrival_date": dt.date(2024, 10, 1)},
        {"entry_type": ""},
        {"filed_at": dt.datetime(2024, 6, 5, 9, 0, tzinfo=EASTERN)},
    )
    result = run_rules(entries, list(filing.RULES), reference=ReferenceSet(), fail_fast=True)

    assert len(result.findings) == 6
    assert all(f.field in CANONICAL_COLUMNS for f in result.findings)


# --------------------------------------------------------------------------------------------
# FIL001 / FIL002


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("", "is blank"),
        ("B76-324527-8", "serial '324527' (6 characters), not 7 digits"),
        ("B7-0324527-8", "filer code 'B7', not 3 letters or digits"),
        ("B760324527", "has 10 letters and digits, not 11"),
        ("B7 60324527 8", "contains spaces"),
        ("B76-0324527-X", "check digit 'X', not one digit"),
        ("B76-03245A7-8", "serial '03245A7'"),
        ("B760-324527-8", "filer code 'B760'"),
        ("B7603245-278", "dashes in the wrong places"),
        ("B76#0324527#8", "characters other than letters, digits and dashes"),
    ],
)
def test_malformed_entry_number_says_why(raw, reason):
    """The malformed-number message names what is wrong with the shape."""
    found = messages("FIL001", population({"entry_number": raw}))

    assert len(found) == 1
    assert reason in found[0]


@settings(max_examples=100, deadline=None)
@given(
    # (000 is a filer code CBP assigns to no one: FIL001's, tested apart.)
    filer=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=3, max_size=3).filter(
        lambda code: code != "000"
    ),
    serial=st.integers(min_value=0, max_value=9_999_999),
    shift=st.integers(min_value=1, max_value=9),
    dashes=st.booleans(),
)
def test_check_digit_rule_matches_the_formula(filer, serial, shift, dashes):
    """A right check digit passes both rules; any other digit is FIL002's, never FIL001's."""
    digits = f"{serial:07d}"
    check = compute_check_digit(filer, digits)
    sep = "-" if dashes else ""
    good = f"{filer}{sep}{digits}{sep}{check}"
    bad = f"{filer}{sep}{digits}{sep}{(check + shift) % 10}"
    entries = [make_entry(entry_number=good), make_entry(entry_number=bad)]

    assert flagged("FIL001", entries) == []
    findings = run("FIL002", entries)
    assert [f.entry_number for f in findings] == [bad]
    assert findings[0].expected == f"{filer}-{digits}-{check}"


# --------------------------------------------------------------------------------------------
# FIL003 / FIL004


def test_duplicate_number_spelled_two_ways_is_one_number():
    """'B76-0000001-5' and 'b7600000015' on different filings are one reused number."""
    entries = [
        make_entry(entry_number=num(1)),
        make_entry(entry_number=num(1).replace("-", "").lower(), arrival_date="2024-08-06"),
    ]
    findings = run("FIL003", entries)

    assert sorted(f.entry_number for f in findings) == sorted(e.number for e in entries)
    assert "differ in arrival_date" in findings[0].message


def test_duplicate_message_names_sources_and_differences(tmp_path):
    """Across two files, each finding says where the other filing is and what differs."""
    one = make_entry(entry_number=num(1), source=str(tmp_path / "jan.csv"), source_rows=[4])
    two = make_entry(
        entry_number=num(1), value="20.00", source=str(tmp_path / "feb.csv"), source_rows=[9]
    )
    found = {PurePath(f.source).name: f.message for f in run("FIL003", [one, two])}

    assert found == {
        "jan.csv": f"entry number '{num(1)}' (arriving 2024-06-03 in jan.csv row 4) is also "
        "used by 1 other record(s): arriving 2024-06-03 in feb.csv row 9; the filings differ "
        "in lines",
        "feb.csv": f"entry number '{num(1)}' (arriving 2024-06-03 in feb.csv row 9) is also "
        "used by 1 other record(s): arriving 2024-06-03 in jan.csv row 4; the filings differ "
        "in lines",
    }


def test_same_filing_spelled_differently_is_a_repeat_not_a_duplicate():
    """One filing exported with a naive Eastern time and with the same instant in UTC."""
    eastern = make_entry(entry_number=num(1), filed_at=naive(2024, 6, 2, 18, 30))
    utc = make_entry(
        entry_number=num(1),
        filed_at=dt.datetime(2024, 6, 2, 22, 30, tzinfo=dt.UTC),
        bill_of_lading=eastern.bill_of_lading.replace("-", " "),
    )

    assert flagged("FIL003", [eastern, utc]) == []
    assert flagged("FIL004", [eastern, utc]) == [num(1), num(1)]


def test_repeat_and_duplicate_together():
    """Two copies of one filing plus a different filing: all three share a reused number."""
    entries = population({}, {"entry_number": num(1)}, {"entry_number": num(1), "value": "9.00"})

    assert len(run("FIL003", entries)) == 3
    assert len(run("FIL004", entries)) == 2


# --------------------------------------------------------------------------------------------
# FIL005 / FIL006 / FIL007


@pytest.mark.parametrize(
    ("text", "bills"),
    [
        ("", ()),
        ("   ", ()),
        ("N/A", ()),
        ("tbd", ()),
        ("0000000", ()),
        ("176-12345675", ("17612345675",)),
        ("176 1234 5675", ("17612345675",)),
        ("MAEU 123456789", ("MAEU123456789",)),
        ("176-12345675/1", ("176123456751",)),
        ("SZX/12345678", ("SZX12345678",)),
        ("176-12345675, 176-12345686", ("17612345675", "17612345686")),
        ("176-12345675; 176-12345675", ("17612345675",)),
        # A house bill with its master air waybill: one shipment, named by the house bill.
        ("HAWB001234 and 176-12345675", ("HAWB001234",)),
        ("176-12345675 / SZX0098123", ("SZX0098123",)),
        ("MAWB 176-12345675 HAWB SZX0098123", ("SZX0098123",)),
        ("MBL: MAEU123456789 / HBL: SZX0098123", ("SZX0098123",)),
        ("176-12345675 / 176-12345686", ("17612345675", "17612345686")),
    ],
)
def test_bill_numbers_are_read_from_the_field(text, bills):
    """Placeholders name no bill; separators split bills; spacing and dashes do not count."""
    assert filing._bill_numbers(text) == bills


def test_bill_placeholder_and_blank_are_missing():
    """A blank bill and 'TBD' are reported, with what was filed."""
    entries = population({"bill_of_lading": ""}, {"bill_of_lading": "TBD"}, {})
    found = run("FIL005", entries)

    assert [f.entry_number for f in found] == [num(1), num(2)]
    assert [f.message for f in found] == [
        "bill of lading is blank",
        "bill of lading 'TBD' is a placeholder, not a bill number",
    ]


def test_bill_reuse_window_is_an_option():
    """Bills 100 days apart are reused by default, not with max_days_apart=30."""
    entries = population(
        {"bill_of_lading": "176-12345675", "arrival_date": dt.date(2024, 3, 1)},
        {"bill_of_lading": "176-12345675", "arrival_date": dt.date(2024, 6, 9)},
    )

    assert flagged("FIL007", entries) == [num(1), num(2)]
    assert flagged("FIL007", entries, options={"max_days_apart": 30}) == []
    assert flagged("FIL007", entries, options={"max_days_apart": "100"}) == [num(1), num(2)]


def test_bill_reuse_counts_only_entries_within_the_window():
    """The middle entry of three (a year apart each) is near both others; the ends are not."""
    days = [dt.date(2022, 1, 10), dt.date(2022, 12, 20), dt.date(2023, 12, 1)]
    entries = population(*({"bill_of_lading": "ABC1234567", "arrival_date": d} for d in days))
    found = {f.entry_number: f for f in run("FIL007", entries)}

    assert set(found) == {num(1), num(2), num(3)}
    assert found[num(2)].related_entries == (num(1), num(3))
    assert found[num(1)].related_entries == (num(2),)
    assert "also on 1 other entry" in found[num(3)].message


def test_bill_on_copies_of_one_entry_is_not_reuse():
    """Two records of one entry number share its bill: FIL003/FIL004's business, not FIL007's."""
    entries = population({}, {"entry_number": num(1), "value": "20.00"})

    assert flagged("FIL007", entries) == []


def test_one_of_two_bills_reused():
    """An entry listing two bills is reported for the one that another entry also carries."""
    entries = population(
        {"bill_of_lading": "176-12345675, 176-12345686"}, {"bill_of_lading": "176-12345686"}
    )
    found = run("FIL007", entries)

    assert [f.entry_number for f in found] == [num(1), num(2)]
    assert found[0].message.startswith("bill 17612345686 is also on 1 other entry")
    assert found[1].message.startswith("bill '176-12345686' is also on 1 other entry")


def test_master_bill_on_many_entries_stays_fast_and_bounded():
    """3,000 entries under one master bill: every one flagged, related entries capped."""
    entries = [make_entry(serial=i, bill_of_lading="176-99999990") for i in range(1, 3001)]
    found = run("FIL007", entries)

    assert len(found) == 3000
    assert all(len(f.related_entries) == 25 for f in found)
    assert "also on 2999 other entries" in found[0].message
    assert "and 2996 more" in found[0].message


@settings(max_examples=25, deadline=None)
@given(seed=st.integers(min_value=0, max_value=10_000))
def test_group_rules_do_not_depend_on_input_order(seed):
    """Shuffling the population changes no FIL003, FIL004 or FIL007 finding."""
    entries = list(
        population(
            {"bill_of_lading": "176-12345675"},
            {"bill_of_lading": "176 1234 5675", "arrival_date": dt.date(2024, 6, 9)},
            {"entry_number": num(1), "arrival_date": dt.date(2024, 7, 1)},
            {"entry_number": num(2)},
            {"entry_number": num(3), "bill_of_lading": "176-12345675", "value": "3.00"},
            {},
            {"entry_number": num(6)},
            # Entries 1 and 2 have versions without the bill (left out of FIL007's group):
            # one more entry with it, so that the bill is reused whichever versions stand.
            {"bill_of_lading": "176-12345675", "arrival_date": dt.date(2024, 6, 20)},
        )
    )
    shuffled = entries[:]
    random.Random(seed).shuffle(shuffled)
    rules = [RULES["FIL003"], RULES["FIL004"], RULES["FIL007"]]

    def audit(population_):
        result = run_rules(population_, rules, reference=ReferenceSet(), fail_fast=True)
        return [(f.code, f.entry_number, f.message, f.related_entries) for f in result.findings]

    expected = audit(entries)
    assert {code for code, *_ in expected} == {"FIL003", "FIL004", "FIL007"}
    assert audit(shuffled) == expected


# --------------------------------------------------------------------------------------------
# FIL008 / FIL009: time zones, blank times, the policy table


@pytest.mark.parametrize(
    ("filed_at", "late"),
    [
        (naive(2024, 6, 3, 23, 59), False),  # naive: Eastern, still the arrival day
        (naive(2024, 6, 4, 0, 1), True),
        (dt.datetime(2024, 6, 4, 3, 59, tzinfo=dt.UTC), False),  # 23:59 EDT on 3 June
        (dt.datetime(2024, 6, 4, 4, 0, tzinfo=dt.UTC), True),  # 00:00 EDT on 4 June
        (dt.datetime(2024, 6, 4, 11, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai")), False),
        (dt.datetime(2024, 6, 4, 0, 30, tzinfo=EASTERN), True),
    ],
)
def test_filed_after_arrival_uses_eastern_calendar_days(filed_at, late):
    """Lateness is judged on the U.S. Eastern day of transmission against the arrival day."""
    entries = population({"arrival_date": dt.date(2024, 6, 3), "filed_at": filed_at})

    assert flagged("FIL008", entries) == ([num(1)] if late else [])


def test_blank_filing_time_is_not_judged_late():
    """Without a filing time neither late-filing rule reports anything."""
    entries = population(
        {"arrival_date": dt.date(2024, 6, 3), "filed_at": None},
        {"arrival_date": dt.date(2023, 3, 1), "filed_at": None},
    )

    assert flagged("FIL008", entries) == []
    assert flagged("FIL009", entries) == []


def test_late_filing_periods_follow_the_arrival_date():
    """14 Feb 2024 arrival filed 16 days later: FIL009; 15 Feb filed a day later: FIL008."""
    before = {
        "arrival_date": dt.date(2024, 2, 14),
        "filed_at": naive(2024, 3, 1, 10, 0),
        "estimated_arrival_date": None,
    }
    after = {"arrival_date": dt.date(2024, 2, 15), "filed_at": naive(2024, 2, 16, 10, 0)}
    entries = population(before, after)

    assert flagged("FIL009", entries) == [num(1)]
    assert flagged("FIL008", entries) == [num(2)]


def test_late_filing_deadline_comes_from_the_policy_table():
    """A custom table with a 5-day window flags a filing 6 days after arrival and says 5."""
    table = PolicyTable(
        [
            Milestone(
                dt.date(2019, 1, 1),
                "test",
                "a five-day window",
                {"t86_available": True, "filing_deadline_days": 5},
            )
        ],
        version="test",
    )
    entries = population(
        {"arrival_date": dt.date(2024, 6, 3), "filed_at": naive(2024, 6, 9, 10, 0)},
        {"arrival_date": dt.date(2024, 6, 3), "filed_at": naive(2024, 6, 8, 10, 0)},
    )
    found = run("FIL009", entries, policy=table)

    assert [f.entry_number for f in found] == [num(1)]
    assert found[0].message.endswith("6 days after arrival on 2024-06-03; the limit was 5 days")
    assert found[0].expected == "within 5 days after arrival (by 2024-06-08)"
    assert flagged("FIL008", entries, policy=table) == []


def test_no_deadline_before_the_t86_test():
    """An entry arriving before the T86 test had no filing window to miss."""
    entries = population(
        {"arrival_date": dt.date(2019, 8, 15), "filed_at": naive(2019, 9, 30, 9, 0)}
    )

    assert flagged("FIL008", entries) == []
    assert flagged("FIL009", entries) == []


# --------------------------------------------------------------------------------------------
# FIL010 / FIL011


def test_eda_requirement_follows_the_filing_day_not_the_arrival():
    """Filed 24 Jul for arrival 26 Jul: not required; filed late on 26 Jul for 20 Jul: required."""
    entries = population(
        {
            "arrival_date": dt.date(2024, 7, 26),
            "filed_at": naive(2024, 7, 24, 9, 0),
            "estimated_arrival_date": None,
        },
        {
            "arrival_date": dt.date(2024, 7, 20),
            "filed_at": naive(2024, 7, 26, 9, 0),
            "estimated_arrival_date": None,
        },
    )
    found = run("FIL010", entries)

    assert [f.entry_number for f in found] == [num(2)]
    assert found[0].message.endswith("mandatory for a T86 filed 2024-07-26")


def test_eda_requirement_without_filing_time_uses_arrival_date():
    """No filing time: the arrival date decides, and the message says so."""
    entries = population(
        {"arrival_date": dt.date(2024, 7, 24), "filed_at": None, "estimated_arrival_date": None},
        {"arrival_date": dt.date(2024, 7, 25), "filed_at": None, "estimated_arrival_date": None},
    )
    found = run("FIL010", entries)

    assert [f.entry_number for f in found] == [num(2)]
    assert "(the arrival date; no filing time was given)" in found[0].message


@pytest.mark.parametrize(("offset", "hit"), [(-8, True), (-7, False), (7, False), (8, True)])
def test_eda_distance_limit_is_inclusive(offset, hit):
    """An EDA exactly max_days away passes; one day more is flagged, on either side."""
    arrival = dt.date(2024, 9, 10)
    entries = population(
        {"arrival_date": arrival, "estimated_arrival_date": arrival + dt.timedelta(days=offset)}
    )

    assert flagged("FIL011", entries) == ([num(1)] if hit else [])


# --------------------------------------------------------------------------------------------
# FIL012 / FIL013 / FIL014


@pytest.mark.parametrize(
    ("port", "codes"),
    [
        ("4701", []),
        (" 4701 ", []),
        ("101", []),
        ("1012", []),
        ("9999", ["FIL012"]),
        ("47O1", ["FIL012"]),
        ("47011", ["FIL012"]),
        ("", ["FIL012"]),
        ("7000", ["FIL014"]),
        ("7099", ["FIL014"]),
        ("8000", ["FIL014"]),
        ("9232", ["FIL014"]),
        ("2711", ["FIL013"]),
    ],
)
def test_port_codes(port, codes):
    """Each port code is reported by the right rule (arrival 2024-06-03)."""
    entries = population({"port_code": port})
    found = run_rules(
        entries,
        [RULES["FIL012"], RULES["FIL013"], RULES["FIL014"]],
        reference=ReferenceSet(),
        fail_fast=True,
    ).findings

    assert [f.code for f in found] == codes


def test_port_rules_use_the_reference_set_given():
    """A user's port table replaces the bundled one; a historical code without years is suspect."""
    ports = {
        "1111": Port("1111", "NEW HUB", "11", "cbp_ace_appendix_e", "", True),
        "2222": Port("2222", "OLD PIER", "22", "census_historical", "", True),
    }
    reference = types.SimpleNamespace(ports=types.SimpleNamespace(get=ports.get))
    entries = population({"port_code": "1111"}, {"port_code": "2222"}, {"port_code": "4701"})

    assert flagged("FIL012", entries, reference=reference) == [num(3)]
    assert messages("FIL013", entries, reference=reference) == [
        "port code 2222 (OLD PIER) is in neither current port list; in no current reference"
    ]


def test_port_rules_fall_back_to_the_bundled_table():
    """Run without a reference set, the port rules still use the bundled list."""
    entries = population({"port_code": "9999"}, {"port_code": "4701"})
    result = run_rules(entries, [RULES["FIL012"]], reference=None, fail_fast=True)

    assert [f.entry_number for f in result.findings] == [num(1)]


# --------------------------------------------------------------------------------------------
# FIL015


@pytest.mark.parametrize(
    ("entry_type", "hit"),
    [
        ("86", False),
        (" 86 ", False),
        ("086", False),
        ("", True),
        ("  ", True),
        ("T86X", True),
        ("01", False),
        ("1", False),
        ("11", False),
    ],
)
def test_entry_type(entry_type, hit):
    """Only a blank or unreadable type is reported; other types are out of the rules' scope."""
    assert flagged("FIL015", population({"entry_type": entry_type})) == ([num(1)] if hit else [])


# --------------------------------------------------------------------------------------------
# End to end through the loader


def test_csv_times_with_offsets_are_judged_in_eastern_time(tmp_path):
    """A UTC filing time read from CSV late in the Eastern evening is not 'after arrival'."""
    header = (
        "entry_number,arrival_date,filed_at,estimated_arrival_date,port_code,bill_of_lading,"
        "consignee_name,consignee_address,consignee_country,seller_name,seller_address,"
        "seller_country,description,hts_number,country_of_origin,value_usd,quantity"
    )
    rest = (
        "Ann Lee,1 Main St,US,Saigon Threadworks,1 Le Loi,VN,"
        "women's cotton knit t-shirt,6109.10.00.40,VN,14.99,1"
    )
    filed = ["2024-06-04T03:30:00Z", "2024-06-04T04:30:00Z", "2024-06-04T00:10:00"]
    rows = [
        f"{num(i)},2024-06-03,{time},2024-06-03,4701,176-1000000{i},{rest}"
        for i, time in enumerate(filed, start=1)
    ]
    path = tmp_path / "t86.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    loaded = t86audit.load(path)
    result = run_rules(loaded.entries, [RULES["FIL008"]], reference=ReferenceSet())

    assert loaded.errors == ()
    assert [f.entry_number for f in result.findings] == [num(2), num(3)]


@pytest.mark.parametrize(
    ("text", "bills"),
    [
        # A master with two house bills is two shipments.
        (
            "MAWB 176-12345675 HAWB SZX0098123, SZX0098124",
            ("17612345675", "SZX0098123", "SZX0098124"),
        ),
        # Two air waybills, one labelled master, are two bills.
        ("MAWB 176-12345675 / 176-12345686", ("17612345675", "17612345686")),
        # A label is not part of the number: the same house bill on two entries is one key.
        ("HAWB SZX0098123", ("SZX0098123",)),
        ("HBL: SZX0098123", ("SZX0098123",)),
        ("HAWB N/A", ()),
    ],
)
def test_labels_split_bills_and_are_not_part_of_the_number(text, bills):
    """Master and house labels, as brokers' systems write them."""
    assert filing._bill_numbers(text) == bills


def test_a_house_bill_reused_with_and_without_its_master_is_one_bill():
    """FIL007 sees 'MAWB ... HAWB X' on one entry and 'HAWB X' on another as one bill."""
    entries = population(
        {"bill_of_lading": "MAWB 176-12345675 HAWB SZX0098123"},
        {"bill_of_lading": "HAWB SZX0098123"},
    )
    assert flagged("FIL007", entries) == [num(1), num(2)]
    assert flagged("FIL006", entries) == []
