"""Tests of t86audit.testing: the factories and strategies rule authors build examples with."""

import csv
import datetime as dt
import importlib
import importlib.util
import io
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from t86audit.model import Entry, EntryNumber, LineItem, Party
from t86audit.testing import (
    CSV_COLUMNS,
    DEFAULT_ARRIVAL,
    make_bill_of_lading,
    make_entry,
    make_entry_number,
    make_line,
    make_party,
    make_population,
    to_csv_rows,
)
from t86audit.testing.strategies import (
    DEFECTS,
    csv_rows,
    entries,
    entry_numbers,
    line_items,
    parties,
    populations,
)


FIRST_DAY = dt.date(2019, 9, 28)
LAST_DAY = dt.date(2025, 8, 28)
CHINA_GATES = ((dt.date(2025, 2, 4), dt.date(2025, 2, 6)), (dt.date(2025, 5, 2), LAST_DAY))
VAGUE = {"gift", "gifts", "accessories", "parts", "daily necessities", "consolidated"}
PLACEHOLDERS = {"n/a", "na", "customer", "consignee", "tbd", "unknown", "12345", "0"}
PROPERTY = settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def gated(day: dt.date) -> bool:
    return any(first <= day <= last for first, last in CHINA_GATES)


def assert_clean(entry: Entry) -> None:
    """The invariants every default entry keeps, whatever built it."""
    assert entry.entry_number.is_check_digit_valid
    assert entry.entry_type == "86"
    assert FIRST_DAY <= entry.arrival_date <= LAST_DAY
    assert entry.filed_at is not None
    assert entry.filed_at.date() < entry.arrival_date
    assert entry.estimated_arrival_date == entry.arrival_date
    assert entry.mode in {"air", "truck", "ocean"}
    assert entry.bill_of_lading
    assert entry.consignee.name.strip()
    assert entry.consignee.address.strip()
    assert entry.consignee.country == "US"
    assert entry.seller.name.strip()
    assert entry.seller.address.strip()
    assert entry.seller.country not in {"", "US", "CN", "HK"}
    assert entry.lines
    assert Decimal("0.01") < entry.total_value <= Decimal("800.00")
    for line in entry.lines:
        assert len(line.hts_digits) == 10
        assert not line.hts_digits.startswith(("98", "99", "22", "24"))
        assert line.description.strip().lower() not in VAGUE
        assert line.value_usd is not None
        assert isinstance(line.value_usd, Decimal)
        assert line.value_usd > 0
    if entry.origins & {"CN", "HK"}:
        assert not gated(entry.arrival_date)


# -- factories ---------------------------------------------------------------------------


def test_make_entry_default_is_clean():
    """The default entry is valid: check digit, 10-digit HTS, under $800, U.S. consignee."""
    entry = make_entry()

    assert_clean(entry)
    assert entry.number == "B76-0000001-5"
    assert entry.arrival_date == DEFAULT_ARRIVAL
    assert entry.port_code == "4701"
    assert entry.total_value == Decimal("14.99")
    assert entry.lines[0].hts_number == "6109.10.00.40"
    assert entry.lines[0].country_of_origin == "VN"
    assert entry.seller.country == "VN"
    assert entry.filed_at == dt.datetime(2024, 6, 2, 18, 30)  # noqa: DTZ001 - naive means Eastern


def test_make_entry_value_shortcut_accepts_str_int_and_decimal():
    """value= sets the single line's value exactly, from str, int or Decimal."""
    values = [make_entry(value=v).total_value for v in ("850.00", 850, Decimal("850.00"))]

    assert values == [Decimal("850.00")] * 3
    assert make_entry(value="0.01").lines[0].value_raw == "0.01"


def test_make_entry_value_none_leaves_the_value_blank():
    """value=None files the single line without a value (blank, not zero)."""
    line = make_entry(value=None).lines[0]

    assert line.value_usd is None
    assert line.value_raw == ""


def test_make_entry_order_reference_shortcut():
    """order_reference= applies to the lines built for the entry, not to given LineItems."""
    given_line = make_line(line_number=2, order_reference="KEEP")
    entry = make_entry(order_reference="PO-77", lines=[{}, given_line])

    assert [line.order_reference for line in entry.lines] == ["PO-77", "KEEP"]


def test_explicit_entry_numbers_keep_bills_and_orders_distinct():
    """Entries built from distinct explicit numbers (valid or not) share no bill or order."""
    numbers = [
        make_entry_number("B76", 1),
        make_entry_number("H3K", 1),
        "B76-0000002-0",
        "bad 1",
        "bad 2",
    ]
    built = [make_entry(entry_number=n) for n in numbers]

    assert [e.number for e in built] == numbers
    assert len({e.bill_of_lading for e in built}) == len(numbers)
    assert len({e.lines[0].order_reference for e in built}) == len(numbers)


def test_make_entry_rejects_float_money():
    """A float amount is refused, because it cannot hold cents exactly."""
    with pytest.raises(TypeError, match="value"):
        make_entry(value=850.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="value_usd"):
        make_line(value_usd=1.1)  # type: ignore[arg-type]


def test_make_entry_value_with_several_lines_is_an_error():
    """value= is ambiguous on a multi-line entry, so it raises."""
    with pytest.raises(ValueError, match="single line"):
        make_entry(lines=[{}, {}], value=10)


def test_make_entry_partial_consignee_override_keeps_other_fields():
    """A consignee mapping changes only the fields it names."""
    entry = make_entry(consignee={"name": "", "country": "CN"})

    assert entry.consignee.name == ""
    assert entry.consignee.country == "CN"
    assert entry.consignee.address == "1845 Maple Avenue"
    assert make_entry(consignee=Party(name="X")).consignee == Party(name="X")


def test_make_entry_lines_from_dicts_and_line_items():
    """Line mappings get numbers and the entry's order reference; LineItems are kept as is."""
    given_line = make_line(line_number=7, description="golf balls", value_usd="28.00")
    entry = make_entry(serial=42, lines=[{"description": "gift"}, given_line])

    assert [line.line_number for line in entry.lines] == [1, 7]
    assert entry.lines[0].description == "gift"
    assert entry.lines[0].order_reference == "ORD-B76-0000042"
    assert entry.lines[1] is given_line
    assert entry.total_value == Decimal("42.99")


def test_make_entry_serial_and_filer_code_give_distinct_valid_numbers():
    """Distinct serials give distinct valid numbers, bills and order references."""
    built = [make_entry(serial=s, filer_code="H3K") for s in range(1, 21)]

    assert len({e.entry_number.key for e in built}) == 20
    assert len({e.bill_of_lading for e in built}) == 20
    assert all(e.entry_number.is_check_digit_valid for e in built)
    assert all(e.filer_code == "H3K" for e in built)


def test_make_entry_explicit_number_and_blank_dates():
    """An explicit entry number is kept as filed; None leaves filed_at and the EDA blank."""
    entry = make_entry(entry_number="B76-0324527-9", filed_at=None, estimated_arrival_date=None)

    assert entry.number == "B76-0324527-9"
    assert not entry.entry_number.is_check_digit_valid
    assert entry.filed_at is None
    assert entry.filed_at_raw == ""
    assert entry.estimated_arrival_date is None


def test_make_entry_dates_follow_the_arrival_date():
    """filed_at and the EDA default relative to an overridden arrival date (ISO text works)."""
    entry = make_entry(arrival_date="2025-01-10", estimated_arrival_date="2025-01-09")

    assert entry.arrival_date == dt.date(2025, 1, 10)
    assert entry.arrival_date_raw == "2025-01-10"
    assert entry.filed_at is not None
    assert entry.filed_at.date() == dt.date(2025, 1, 9)
    assert entry.estimated_arrival_date == dt.date(2025, 1, 9)


def test_make_entry_number_known_example():
    """CATAIR Appendix E's example B76-0324527-8 comes out, from an int or a string serial."""
    assert make_entry_number("B76", 324527) == "B76-0324527-8"
    assert make_entry_number("b76", "0324527") == "B76-0324527-8"
    with pytest.raises(ValueError, match="serial"):
        make_entry_number("B76", 10_000_000)
    with pytest.raises(ValueError, match="serial"):
        make_entry_number("B76", "12345")


def test_make_bill_of_lading_is_an_air_waybill():
    """Bills are airline prefix, seven digits and a mod-7 check digit."""
    assert make_bill_of_lading(1234567) == "176-12345675"


def test_make_party_roles():
    """make_party builds the U.S. consignee or the foreign seller, with overrides."""
    seller = make_party("seller", address="")

    assert make_party().country == "US"
    assert make_party(name="TBD").name == "TBD"
    assert seller.country == "VN"
    assert seller.address == ""
    with pytest.raises(TypeError):
        make_party(colour="red")


def test_make_population_distinct_clean_and_deterministic():
    """make_population gives clean entries with distinct numbers, the same for the same seed."""
    first = make_population(200, seed=3)
    again = make_population(200, seed=3)
    other = make_population(200, seed=4)

    assert first == again
    assert first != other
    assert len({e.entry_number.key for e in first}) == 200
    assert len({e.bill_of_lading for e in first}) == 200
    assert len({(e.consignee.name, e.consignee.address) for e in first}) == 200
    for entry in first:
        assert_clean(entry)
        assert DEFAULT_ARRIVAL <= entry.arrival_date < DEFAULT_ARRIVAL + dt.timedelta(days=30)


def test_make_population_window_checks():
    """Dates outside the T86 window and bad sizes are refused."""
    assert make_population(0) == []
    with pytest.raises(ValueError, match="T86 window"):
        make_population(3, start=dt.date(2025, 8, 20), days=30)
    with pytest.raises(ValueError, match="n >= 0"):
        make_population(-1)


def test_to_csv_rows_follow_the_contract_columns():
    """One row per line, every canonical column, entry fields repeated, raw text kept."""
    bad = make_line(line_number=2, value_usd=None, value_raw="abc")
    entry = make_entry(lines=[{}, bad], estimated_arrival_date=None)
    rows = to_csv_rows([entry])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    writer.writerows(rows)

    assert len(rows) == 2
    assert all(list(row) == list(CSV_COLUMNS) for row in rows)
    assert rows[0]["entry_number"] == rows[1]["entry_number"] == "B76-0000001-5"
    assert rows[0]["filed_at"] == "2024-06-02T18:30:00"
    assert rows[0]["estimated_arrival_date"] == ""
    assert rows[1]["value_usd"] == "abc"
    assert buffer.getvalue().splitlines()[0] == ",".join(CSV_COLUMNS)


def test_testing_package_does_not_import_hypothesis():
    """Importing t86audit.testing must not need Hypothesis (it is a test extra)."""
    code = "import sys, t86audit.testing; print('hypothesis' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "False"


def test_strategies_without_hypothesis_say_how_to_install(monkeypatch):
    """Without Hypothesis, importing the strategies explains which extra to install."""
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, "t86audit.testing.strategies")

    with pytest.raises(ImportError, match=r"pip install t86audit\[test\]"):
        importlib.import_module("t86audit.testing.strategies")


# -- strategies: defaults ----------------------------------------------------------------


@PROPERTY
@given(entries())
def test_default_entries_are_clean(entry):
    """Without switches, every generated entry keeps the clean invariants."""
    assert_clean(entry)


@PROPERTY
@given(entry_numbers())
def test_valid_entry_numbers_have_right_check_digit(number):
    """entry_numbers() are well formed with the right check digit."""
    assert EntryNumber(number).is_check_digit_valid


@PROPERTY
@given(entry_numbers(valid=False))
def test_invalid_entry_numbers_are_never_valid(number):
    """entry_numbers(valid=False) never yields a valid number."""
    assert not EntryNumber(number).is_check_digit_valid


@PROPERTY
@given(parties(), parties("seller"))
def test_parties_are_complete(consignee, seller):
    """Consignees are complete U.S. parties; sellers have name, address and a foreign country."""
    assert consignee.country == "US"
    assert all([consignee.name, consignee.address, consignee.city, consignee.state])
    assert seller.name
    assert seller.address
    assert seller.country not in {"US", "CN", "HK"}


@PROPERTY
@given(line_items(min_value=Decimal("5.00"), max_value=Decimal("9.99")))
def test_line_items_respect_value_bounds(line):
    """line_items() keeps values within the bounds given and HTS numbers at 10 digits."""
    assert isinstance(line, LineItem)
    assert line.value_usd is not None
    assert Decimal("5.00") <= line.value_usd <= Decimal("9.99")
    assert len(line.hts_digits) == 10


def test_line_items_reject_inverted_bounds():
    """min_value above max_value is an error at definition time."""
    with pytest.raises(ValueError, match="min_value"):
        line_items(min_value=Decimal(10), max_value=Decimal(5))


# -- strategies: each defect switch produces its defect ----------------------------------


def _late(entry: Entry) -> bool:
    assert entry.filed_at is not None
    days = (entry.filed_at.date() - entry.arrival_date).days
    if entry.arrival_date >= dt.date(2024, 2, 15):
        return days >= 1
    return days > 15


DEFECT_CHECKS: dict[str, Callable[[Entry], bool]] = {
    "bad_check_digit": lambda e: (
        e.entry_number.is_well_formed and not e.entry_number.is_check_digit_valid
    ),
    "malformed_entry_number": lambda e: not e.entry_number.is_well_formed,
    "blank_consignee": lambda e: not e.consignee.name.strip() or not e.consignee.address.strip(),
    "foreign_consignee": lambda e: e.consignee.country != "US",
    "placeholder_consignee": lambda e: e.consignee.name.strip().lower() in PLACEHOLDERS,
    "over_threshold": lambda e: e.total_value > Decimal(800),
    "vague_description": lambda e: any(
        line.description.strip().lower() in VAGUE for line in e.lines
    ),
    "short_hts": lambda e: any(len(line.hts_digits) < 10 for line in e.lines),
    "chapter_98": lambda e: any(line.hts_digits.startswith("98") for line in e.lines),
    "china_origin": lambda e: bool(e.origins & {"CN", "HK"}) and gated(e.arrival_date),
    "mail_mode": lambda e: e.mode.lower() == "mail",
    "late_filing": _late,
    "missing_eda": lambda e: (
        e.estimated_arrival_date is None
        and e.filed_at is not None
        and e.filed_at.date() >= dt.date(2024, 7, 25)
    ),
    "alcohol": lambda e: any(line.hts_digits.startswith(("2203", "2204")) for line in e.lines),
    "tobacco": lambda e: any(line.hts_digits.startswith(("2402", "2403")) for line in e.lines),
}


def test_every_defect_switch_has_a_check():
    """The checks below cover exactly the advertised switches."""
    assert set(DEFECT_CHECKS) == set(DEFECTS)


@pytest.mark.parametrize("defect", DEFECTS)
def test_each_defect_switch_forces_its_defect(defect):
    """Switching a defect on makes every generated entry show it."""
    check = DEFECT_CHECKS[defect]

    @settings(max_examples=15, deadline=None, database=None)
    @given(entries(**{defect: True}))
    def run(entry: Entry) -> None:
        assert check(entry)

    run()


@pytest.mark.parametrize("defect", DEFECTS)
def test_defaults_do_not_show_any_defect(defect):
    """With every switch off, no defect check fires."""
    check = DEFECT_CHECKS[defect]

    @settings(max_examples=10, deadline=None, database=None)
    @given(entries())
    def run(entry: Entry) -> None:
        assert not check(entry)

    run()


@PROPERTY
@given(entries(over_threshold=True, alcohol=True, tobacco=True, short_hts=True, china_origin=True))
def test_defects_combine(entry):
    """Several switches at once all hold, each on its own line when it is line-level."""
    for name in ("over_threshold", "alcohol", "tobacco", "short_hts", "china_origin"):
        assert DEFECT_CHECKS[name](entry)


def test_conflicting_or_unknown_switches_raise():
    """Mutually exclusive or misspelt switches are errors, not silent no-ops."""
    with pytest.raises(ValueError, match="exclude"):
        entries(bad_check_digit=True, malformed_entry_number=True)
    with pytest.raises(TypeError, match="unknown defect"):
        populations(over_treshold=True)
    with pytest.raises(ValueError, match="min_lines"):
        entries(min_lines=3, max_lines=2)


# -- strategies: populations -------------------------------------------------------------


@PROPERTY
@given(populations(min_size=2, max_size=8))
def test_populations_have_distinct_numbers_and_bills(population):
    """Distinct populations never repeat an entry number key or a bill."""
    assert 2 <= len(population) <= 8
    assert len({e.entry_number.key for e in population}) == len(population)
    assert len({e.bill_of_lading for e in population}) == len(population)


@PROPERTY
@given(populations(min_size=1, max_size=6, malformed_entry_number=True))
def test_populations_keep_malformed_numbers_distinct(population):
    """Defects apply to every entry and malformed numbers stay distinct."""
    assert all(not e.entry_number.is_well_formed for e in population)
    assert len({e.entry_number.key for e in population}) == len(population)


@settings(max_examples=10, deadline=None)
@given(csv_rows(max_size=4), st.data())
def test_csv_rows_have_canonical_columns(rows, data):
    """csv_rows() gives one dict per line with exactly the canonical columns."""
    assert rows
    assert all(tuple(row) == CSV_COLUMNS for row in rows)
    row = data.draw(st.sampled_from(rows))
    assert EntryNumber(row["entry_number"]).is_check_digit_valid


# -- example population ------------------------------------------------------------------


def _load_generator(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "generate_population", EXAMPLES / "generate_population.py"
    )
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look their module up in sys.modules while the module executes.
    monkeypatch.setitem(sys.modules, spec.name, module)
    spec.loader.exec_module(module)
    return module


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_example_data_is_reproducible(tmp_path, monkeypatch):
    """The generator, run with its defaults, rewrites the committed example files byte for byte."""
    generator = _load_generator(monkeypatch)
    generator.main(["--output", str(tmp_path / "entries.csv")])

    for name in ("entries.csv", "entries-2.csv", "planted.csv"):
        assert (tmp_path / name).read_bytes() == (EXAMPLES / "data" / name).read_bytes(), name


def test_planted_problems_name_entries_in_the_files():
    """Every planted problem names an entry number present in the file it cites."""
    data = EXAMPLES / "data"
    numbers = {
        name: {row["entry_number"] for row in _rows(data / name)}
        for name in ("entries.csv", "entries-2.csv")
    }
    planted = _rows(data / "planted.csv")
    families = {row["family"] for row in planted}

    assert {"VAL", "CON", "DES", "HTS", "ELG", "FIL", "LOAD"} <= families
    for row in planted:
        assert row["entry_number"] in numbers[row["file"]], row


def test_clean_example_entries_keep_the_invariants():
    """Entries not named in planted.csv are clean by the invariants of this module."""
    data = EXAMPLES / "data"
    planted = {row["entry_number"] for row in _rows(data / "planted.csv")}
    rows = [row for row in _rows(data / "entries.csv") if row["entry_number"] not in planted]
    totals: dict[str, Decimal] = {}
    for row in rows:
        number = EntryNumber(row["entry_number"])
        assert number.is_check_digit_valid, row
        assert FIRST_DAY <= dt.date.fromisoformat(row["arrival_date"]) <= LAST_DAY
        assert row["consignee_country"] == "US"
        assert len(LineItem(1, hts_number=row["hts_number"]).hts_digits) == 10
        totals[row["entry_number"]] = totals.get(row["entry_number"], Decimal(0)) + Decimal(
            row["value_usd"]
        )
    assert len(totals) > 2500
    assert max(totals.values()) <= Decimal(700)


def test_example_files_use_the_canonical_columns():
    """Both example files carry every canonical column in contract order."""
    for name in ("entries.csv", "entries-2.csv"):
        with (EXAMPLES / "data" / name).open(newline="") as handle:
            header = next(csv.reader(handle))

        # additional_hts (December 2026) is optional; the example files predate it.
        assert tuple(header) == tuple(c for c in CSV_COLUMNS if c != "additional_hts")
