"""Twentieth session: the fixes of its review passes and the verdicts keyed without the date."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import t86audit
from t86audit.cli import main
from t86audit.engine import run_rules
from t86audit.exceptions import RuleDefinitionError
from t86audit.model import Entry, us_eastern
from t86audit.policy import default_policy
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.rules import RuleContext
from t86audit.testing import CSV_COLUMNS, make_entry, make_population, to_csv_rows


RULES = list(RuleRegistry.default())
REFERENCE = ReferenceSet()

# --- HTS002/HTS003/HTS004/HTS008: a number valid in every revision is judged once -----------

_NUMBERS = (
    "6109.10.00.12",  # valid in every bundled revision
    "0901.11.00.35",  # added by HTSUS 2025 revision 16
    "0901.11.00.45",  # removed by revision 16
    "6109.10.00.99",  # never valid
    "9802.00.50.60",  # Chapter 98: turns on CBP's CSMS of October 2024
    "9903.88.03",  # Chapter 99 alone
    "6109.10",  # short
)
_DAYS = (
    dt.date(2019, 3, 2),
    dt.date(2021, 3, 2),
    dt.date(2024, 2, 20),
    dt.date(2024, 6, 3),
    dt.date(2024, 11, 4),
    dt.date(2025, 3, 3),
    dt.date(2025, 6, 5),
    dt.date(2025, 6, 6),
    dt.date(2025, 6, 20),
    dt.date(2025, 8, 1),
    dt.date(2026, 2, 1),
)


def _dated_population() -> list[Entry]:
    entries: list[Entry] = []
    serial = 0
    for day in _DAYS:
        for number in _NUMBERS:
            serial += 1
            entries.append(
                make_entry(
                    serial=serial,
                    arrival_date=day,
                    lines=[
                        {"description": "women's cotton knit t-shirt", "hts_number": number},
                        {"description": "quartz wristwatch returned", "hts_number": number},
                    ],
                )
            )
    return entries


def test_dated_hts_rules_give_the_same_findings_cached_or_not():
    """A number met on many days: the dated messages stay with their own entries."""
    entries = _dated_population()
    codes = ["HTS002", "HTS003", "HTS004", "HTS008"]
    rules = [r for r in RULES if r.code in codes]
    cached = run_rules(entries, rules, reference=REFERENCE)
    plain = run_rules(entries, rules, reference=REFERENCE, cache_verdicts=False)
    assert cached.findings == plain.findings
    found = {(f.code, f.entry_number, f.message) for f in cached.findings}
    assert {code for code, _, _ in found} == set(codes)
    # Each dated finding names its own entry's arrival date.
    by_number = {e.entry_number.raw: e for e in entries}
    for f in cached.findings:
        if "arrived" in f.message:
            day = by_number[str(f.entry_number)].arrival_date
            assert day.isoformat() in f.message


def test_the_always_valid_number_is_judged_once_whatever_the_day():
    """The test the HTS rules declare: a number valid throughout is the same on every day."""
    hts002 = next(r for r in RULES if r.code == "HTS002")
    assert hts002.same_every_day is not None
    name, test = hts002.same_every_day
    assert name == "line.hts_number"
    context = RuleContext(hts002.options, default_policy(), REFERENCE)
    assert test("6109.10.00.12", context)
    assert test("6109.10", context)
    assert not test("0901.11.00.35", context)  # changed by a revision
    assert not test("6109.10.00.99", context)  # invalid: the message names the date
    assert not test("9802.00.50.60", context)  # Chapter 98: before or after the CSMS


def test_same_every_day_must_name_a_declared_input_and_the_date():
    hts002 = next(r for r in RULES if r.code == "HTS002")
    with pytest.raises(RuleDefinitionError, match=r"same_every_day names 'line\.hts_number'"):
        attrs.evolve(hts002, reads=("line.hts_number", "line.description"))
    assert hts002.same_every_day is not None
    test = hts002.same_every_day[1]
    with pytest.raises(RuleDefinitionError, match="same_every_day"):
        attrs.evolve(hts002, same_every_day=("line.quantity", test))


# --- review pass fixes --------------------------------------------------------------------


def _audit(entries: list[Entry], **options: object) -> t86audit.Report:
    return t86audit.audit(entries, **options)  # type: ignore[arg-type]


def test_a_sub_cent_total_over_the_threshold_is_quoted_as_judged():
    """800.004 USD is over 800.00; the finding must not print it as 800.00."""
    entry = make_entry(serial=1, value="800.004")
    report = _audit([entry], select=["VAL001"])
    (finding,) = report.findings
    assert finding.observed == "800.004"
    assert "entry total 800.004 USD" in finding.message
    clean = _audit([make_entry(serial=2, value="800.00")], select=["VAL001"])
    assert not clean.findings


def test_the_exposure_rounds_an_entered_value_half_up():
    entry = make_entry(
        serial=3,
        lines=[
            {
                "description": "men's cotton knit t-shirt",
                "hts_number": "6109.10.00.12",
                "value_usd": "799.995",
            },
            {
                "description": "men's cotton knit t-shirt",
                "hts_number": "6109.10.00.12",
                "value_usd": "0.01",
                "line_number": 2,
            },
        ],
    )
    report = _audit([entry])
    assert report.exposure is not None
    (estimate,) = report.exposure.to_dict()["entries"]
    assert estimate["entered_value_usd"] == "800.01"


def test_a_sample_with_an_uncomputable_loss_is_not_projected():
    """A wine entry's loss (excise not estimated) would count as zero: no projection."""
    from t86audit.sample import draw_samples  # noqa: PLC0415

    wine = [
        make_entry(
            serial=10 + i,
            value=None,
            lines=[
                {
                    "description": "red wine in 750 ml bottles",
                    "hts_number": "2204.21.50.40",
                    "country_of_origin": "FR",
                    "value_usd": "900.00",
                    "quantity": "12",
                }
            ],
        )
        for i in range(2)
    ]
    shirts = [make_entry(serial=20 + i, value="900.00") for i in range(2)]
    population = wine + shirts
    (sample,) = draw_samples(population, count=1, size=4, seed=1)
    report = _audit(population, samples=[sample])
    assert report.exposure is not None
    data = report.exposure.to_dict()
    assert data["projections"] == []
    (unmade,) = data["projections_not_made"]
    assert unmade["sample"] == sample.id
    assert "not computable" in unmade["reason"]
    assert wine[0].number in unmade["reason"]
    text = report.render("text")
    assert "not projected" in text


def test_elg011_reads_a_quota_number_filed_beside_the_goods(tmp_path):
    from t86audit.reference import QuotaTable  # noqa: PLC0415

    table = tmp_path / "quota.csv"
    table.write_text(
        'hts,quota,country_code\n9903.45.21,"Section 201 solar cell TRQ, in quota",\n',
        encoding="utf-8",
    )
    entry = make_entry(
        serial=30,
        lines=[
            {
                "description": "crystalline silicon photovoltaic cells",
                "hts_number": "8541.42.00.10",
                "additional_hts": "9903.45.21",
                "country_of_origin": "MY",
                "value_usd": "300.00",
            }
        ],
    )
    reference = ReferenceSet(quota=QuotaTable.from_csv(table))
    report = _audit([entry], select=["ELG011"], reference=reference)
    (finding,) = report.findings
    assert "filed with '9903.45.21'" in finding.message
    assert "solar cell TRQ" in finding.message


def test_a_confirmed_adcvd_entry_is_estimated_as_a_formal_entry():
    from t86audit.exposure import estimate_entry  # noqa: PLC0415

    entry = make_entry(
        serial=40,
        arrival_date=dt.date(2024, 6, 3),
        lines=[
            {
                "description": "cased graphite pencils",
                "hts_number": "9609.10.00.00",
                "country_of_origin": "CN",
                "value_usd": "50.00",
                "quantity": "1",
                "quantity_unit": "GROSS",
            }
        ],
    )
    confirmed = estimate_entry(entry, ["ELG010"])
    assert confirmed.entry_kind == "formal"
    assert "type 03" in confirmed.entry_kind_note
    assert confirmed.fees_usd == Decimal("31.67")  # the FY2024 formal minimum
    possible = estimate_entry(entry, ["ELG009"])
    assert possible.entry_kind == "informal"


def test_a_late_t86_that_entered_gated_goods_is_priced_on_its_filing_day():
    """ELG003 holds the goods entered when the late T86 was sent (4 Feb 2025): the fentanyl
    duty in force from that day is owed, not the rates of the arrival day."""
    from t86audit.exposure import estimate_entry  # noqa: PLC0415

    entry = make_entry(
        serial=50,
        arrival_date=dt.date(2025, 2, 3),
        filed_at=dt.datetime(2025, 2, 4, 10, 0, tzinfo=us_eastern()),
        lines=[
            {
                "description": "women's cotton knit t-shirt",
                "hts_number": "6109.10.00.40",
                "country_of_origin": "CN",
                "value_usd": "100.00",
                "quantity": "2",
            }
        ],
    )
    late = estimate_entry(entry, ["ELG003"])
    assert late.duty_usd == Decimal("34.00")  # 16.5% + 7.5% (301) + 10% (fentanyl)
    assert late.arrival_date == dt.date(2025, 2, 3)
    dates = {a.rate_date for line in late.lines for a in line.amounts if a.rate_date}
    assert dates == {dt.date(2025, 2, 4)}
    other = estimate_entry(entry, ["VAL001"])
    assert other.duty_usd == Decimal("24.00")  # the arrival day's rates


@pytest.mark.parametrize(
    ("description", "hts"),
    [
        ("OBD2 car diagnostic scanner", "9031.80.80.85"),
        ("Sewing kit, travel size, needles and thread", "9605.00.00.00"),
        ("French press coffee maker, glass and stainless steel", "8210.00.00.00"),
        ("Press on Nails Short Square Glossy 24 Pcs", "3926.40.00.90"),
        ("Steering wheel cover, leather", "4205.00.80.00"),
        ("kite with string", "9503.00.00.90"),
    ],
)
def test_hts006_passes_goods_filed_where_cbp_rules_them(description: str, hts: str):
    entry = make_entry(
        serial=60, lines=[{"description": description, "hts_number": hts, "value_usd": "20"}]
    )
    assert not _audit([entry], select=["HTS006"]).findings


def test_hts006_names_the_headings_its_table_gives():
    entry = make_entry(
        serial=61,
        lines=[
            {"description": "wireless earphones", "hts_number": "6110.20.20.10", "value_usd": "20"}
        ],
    )
    (finding,) = _audit([entry], select=["HTS006"]).findings
    assert "goods of headings 8517, 8518" in finding.message


@pytest.mark.parametrize("description", ["Oranges", "Fish", "Sunglasses", "Socks", "Refrigerator"])
def test_des006_passes_the_reference_s_acceptable_one_word_examples(description: str):
    entry = make_entry(
        serial=70, lines=[{"description": description, "hts_number": "0805.10.00.60"}]
    )
    assert not _audit([entry], select=["DES006"]).findings
    vague = make_entry(serial=71, lines=[{"description": "Widget", "hts_number": "0805.10.00.60"}])
    assert [f.code for f in _audit([vague], select=["DES006"]).findings] == ["DES006"]


def _with_added(added: str, origin: str, hts: str = "8541.42.00.10") -> Entry:
    return make_entry(
        serial=80,
        lines=[
            {
                "description": "crystalline silicon photovoltaic cells",
                "hts_number": hts,
                "additional_hts": added,
                "country_of_origin": origin,
                "value_usd": "300.00",
            }
        ],
    )


def test_a_bundled_chapter_99_quota_line_is_quota_goods_and_no_trade_action_note():
    """9903.45.21 is the in-quota line of the Section 201 solar TRQ: ELG011, not ELG014."""
    report = _audit([_with_added("9903.45.21", "MY")], select=["ELG011", "ELG014"])
    assert [f.code for f in report.findings] == ["ELG011"]
    assert "in-quota line" in report.findings[0].message
    assert "note 18" in report.findings[0].message


def test_a_country_quota_line_binds_only_its_countries():
    korean = _audit([_with_added("9903.80.05", "KR", "7208.39.00.30")], select=["ELG011"])
    assert [f.code for f in korean.findings] == ["ELG011"]
    chinese = _audit([_with_added("9903.80.05", "CN", "7208.39.00.30")], select=["ELG011"])
    assert not chinese.findings


def test_a_plain_section_232_duty_line_is_still_only_a_note():
    report = _audit(
        [_with_added("9903.80.01", "VN", "7323.93.00.80")], select=["ELG011", "ELG014"]
    )
    assert [f.code for f in report.findings] == ["ELG014"]


def test_the_bundled_chapter_99_quota_lines_hold_the_known_quotas_and_no_duty_lines():
    from t86audit.rules.eligibility import chapter99_quota_lines  # noqa: PLC0415

    lines = chapter99_quota_lines()
    for number in ("99034501", "99034502", "99034521", "99034522", "99038005", "99038058"):
        assert number in lines
    for number in ("99038001", "99038501", "99034525", "99038803"):
        assert number not in lines
    assert lines["99038005"][2] == frozenset({"AR", "BR", "KR"})


@pytest.mark.parametrize(
    "description",
    [
        "bicycle parts",
        "phone accessories",
        "birthday gift",
        "Christmas gift",
        "consolidated cargo",
        "baby clothes",
    ],
)
def test_des003_flags_a_vague_head_with_one_word_before_it(description: str):
    entry = make_entry(serial=90, lines=[{"description": description}])
    assert [f.code for f in _audit([entry], select=["DES003"]).findings] == ["DES003"]


@pytest.mark.parametrize(
    "description",
    [
        "bicycle brake parts, steel",
        "T-shirt sample",
        "chocolate gift box",
        "gift box of dark chocolate truffles",
        "silicone phone case accessory for iPhone 15",
        "party balloons, latex",
    ],
)
def test_des003_passes_descriptions_that_name_the_goods(description: str):
    entry = make_entry(serial=91, lines=[{"description": description}])
    assert not _audit([entry], select=["DES003"]).findings


def test_t86_rules_that_judged_no_entry_are_not_applicable():
    """An export of formal and informal entries only: no T86 rule passed anything."""
    entries = [
        make_entry(serial=100, entry_type="11"),
        make_entry(serial=101, entry_type="01", value="3000.00"),
    ]
    report = _audit(entries)
    statuses = {r.rule.code: (r.status, r.reason) for r in report.result.rule_results}
    assert statuses["VAL001"][0] == "not_applicable"
    assert "no entry of the types the rule judges (86)" in statuses["VAL001"][1]
    assert "passed" not in {status for status, _ in statuses.values()}
    mixed = _audit([*entries, make_entry(serial=102)])
    assert {r.rule.code: r.status for r in mixed.result.rule_results}["VAL001"] == "passed"


@pytest.mark.parametrize(
    ("field", "bills"),
    [
        ("HAWB SGN123456 HAWB SGN123457", ("SGN123456", "SGN123457")),
        ("HAWB: SGN1234567 / HAWB: SGN1234568", ("SGN1234567", "SGN1234568")),
        ("MB/L: COSU6381234560 HB/L: SGNLAX2401123", ("SGNLAX2401123",)),
        ("AWB N/A", ()),
        ("B/L TBD", ()),
        ("No B/L", ()),
        ("N/A / N/A", ()),
        ("TBD/TBD", ()),
        ("XXXXXXXX", ()),
        ("AWB 176-66554434", ("17666554434",)),
        ("B/L No. MAEU241112299", ("MAEU241112299",)),
        ("BL# MAEU241112299", ("MAEU241112299",)),
        ("020-12121233 / N/A", ("02012121233",)),
        ("BLUE123456", ("BLUE123456",)),
        ("MAWB 176-12345675 HAWB SZX0098123", ("SZX0098123",)),
    ],
)
def test_bill_fields_as_brokers_write_them(field: str, bills: tuple[str, ...]):
    from t86audit.rules.filing import _bill_numbers  # noqa: PLC0415

    assert _bill_numbers(field) == bills


def test_two_house_bills_are_two_bills_not_a_rule_error():
    entry = make_entry(serial=110, bill_of_lading="HAWB SGN123456 HAWB SGN123457")
    report = _audit([entry], select=["FIL005", "FIL006", "FIL007"])
    statuses = {r.rule.code: r.status for r in report.result.rule_results}
    assert statuses == {"FIL005": "passed", "FIL006": "failed", "FIL007": "passed"}


def test_a_labelled_bill_is_the_same_bill_unlabelled():
    entries = [
        make_entry(serial=111, bill_of_lading="AWB 176-66554434"),
        make_entry(serial=112, bill_of_lading="176-66554434"),
    ]
    codes = [f.code for f in _audit(entries, select=["FIL007"]).findings]
    assert codes
    assert set(codes) == {"FIL007"}


@pytest.mark.parametrize(
    "seller",
    [
        {"name": "深圳市光明贸易有限公司", "address": "深圳市南山区科技园", "country": "CN"},
        {
            "name": "\u041e\u041e\u041e \u0420\u043e\u043c\u0430\u0448\u043a\u0430",
            "address": "\u041c\u043e\u0441\u043a\u0432\u0430 1",
            "country": "RU",
        },
        {"name": "서울뷰티랩 주식회사", "address": "서울특별시 강남구", "country": "KR"},
    ],
)
def test_a_party_written_in_another_script_is_no_placeholder(seller: dict[str, str]):
    entry = make_entry(serial=120, seller=seller)
    assert not _audit([entry], select=["CON008"]).findings


@pytest.mark.parametrize(
    "name",
    [
        "John Poe, c.o. Coastal Freight",
        "Jane Roe \u2105 Planet Express",
        "Jane Doe c/o ABC Logistics",
    ],
)
def test_con006_reads_every_way_of_writing_care_of(name: str):
    entry = make_entry(serial=121, consignee={"name": name})
    assert not _audit([entry], select=["CON006"]).findings


@pytest.mark.parametrize(
    "name",
    [
        "D.H.L.",
        "U.P.S.",
        "ABC Customs Brokers Inc",
        "Global Forwarders LLC",
        "United Parcel Service",
    ],
)
def test_con006_finds_carriers_written_with_periods_plurals_or_in_full(name: str):
    entry = make_entry(serial=122, consignee={"name": name})
    assert [f.code for f in _audit([entry], select=["CON006"]).findings] == ["CON006"]


@pytest.mark.parametrize(
    "name", ["-", "***", "First Name Last Name", "n/a n/a", "Customer 4821", "Customer #00917"]
)
def test_con005_finds_symbols_and_placeholder_variants(name: str):
    entry = make_entry(serial=123, consignee={"name": name})
    assert [f.code for f in _audit([entry], select=["CON005"]).findings] == ["CON005"]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"name": "J.R. Smith"}, {"name": "J. R. Smith"}),
        ({"name": "Đỗ Thị Lan"}, {"name": "Do Thi Lan"}),
        ({"name": "Søren Berg"}, {"name": "Soren Berg"}),
        ({"address": "P. O. Box 1235"}, {"address": "Post Office Box 1235"}),
        ({"address": "Rural Route 2 Box 45"}, {"address": "RR 2 Box 45"}),
        ({"address": "12 Oak Trail"}, {"address": "12 Oak Trl"}),
        ({"address": "10 Elm St Apt No. 4"}, {"address": "10 Elm St Apt 4"}),
        ({"state": "CA", "postal_code": "90210"}, {"state": "California", "postal_code": ""}),
    ],
)
def test_one_person_written_two_ways_is_one_consignee_day(
    one: dict[str, str], other: dict[str, str]
):
    """$450 and $400 to one person on one day: VAL002 adds them up."""
    base = {"name": "Alex Morgan", "address": "9 Vine St", "city": "Beverly Hills"}
    entries = [
        make_entry(serial=124, consignee={**base, **one}, value="450.00"),
        make_entry(serial=125, consignee={**base, **other}, value="400.00"),
    ]
    assert [f.code for f in _audit(entries, select=["VAL002"]).findings] == ["VAL002"]


def test_two_people_at_one_house_number_range_stay_apart():
    """The conservative side: 12-14 Main St is not 1214 Main St."""
    entries = [
        make_entry(
            serial=126,
            consignee={"name": "Alex Morgan", "address": "12-14 Main St"},
            value="450.00",
        ),
        make_entry(
            serial=127,
            consignee={"name": "Alex Morgan", "address": "1214 Main St"},
            value="400.00",
        ),
    ]
    assert not _audit(entries, select=["VAL002"]).findings


def _rows_file(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _continued(tmp_path: Path, *, scattered: bool = False) -> tuple[Path, str]:
    """A population whose entry 3 gives its number on its first row only (a report layout)."""
    rows = to_csv_rows(make_population(8, seed=5))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    first = next(i for i, row in enumerate(rows) if row["entry_number"] == numbers[3])
    more = dict.fromkeys(CSV_COLUMNS, "")
    more.update(
        line_number="9",
        description="women's cotton knit t-shirt",
        hts_number="6109.10.00.40",
        country_of_origin="VN",
        value_usd="500.00",
        quantity="1",
    )
    rows.insert(first + 1, more)
    if scattered:
        rows.append(dict(rows[0], line_number="7"))  # entry 0 comes back: rows not adjacent
    return _rows_file(tmp_path / "continued.csv", rows), numbers[3]


@pytest.mark.parametrize("scattered", [False, True])
def test_a_continuation_row_rejects_its_entry_whole_on_every_path(tmp_path: Path, scattered: bool):
    """Report-style exports give an entry's number on its first row only: the entry must not be
    audited on part of its lines (its value understated)."""
    path, number = _continued(tmp_path, scattered=scattered)
    loaded = t86audit.load(path)
    assert number not in {e.number for e in loaded.entries}
    messages = [e.message for e in loaded.errors]
    assert any("a continuation row" in m and number in m for m in messages)
    assert loaded.rows_read == sum(len(e.source_rows) for e in loaded.entries) + len(loaded.errors)
    for jobs in ("1", "2"):
        out = tmp_path / f"report-{jobs}.json"
        status = main(
            ["audit", str(path), "--jobs", jobs, "--format", "json", "--output", str(out)],
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert status in (0, 1)
        report = json.loads(out.read_text(encoding="utf-8"))
        assert number not in {e["entry_number"] for e in report["entries"]}
        assert report["input"]["entries_loaded"] == len(loaded.entries)


def test_a_row_with_another_bill_is_an_entry_without_a_number_not_a_continuation(tmp_path):
    rows = to_csv_rows(make_population(4, seed=6))
    lost = dict(rows[1], entry_number="", bill_of_lading="176-99999995")
    rows.insert(2, lost)
    loaded = t86audit.load(_rows_file(tmp_path / "lost.csv", rows))
    assert len(loaded.entries) == 4
    (error,) = loaded.errors
    assert "cannot be assigned to an entry" in error.message


def _workbook(path: Path, rows: list[dict[str, str]], *, hidden_first: bool = False) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    if hidden_first:
        stale = sheet
        stale.title = "Raw (old)"
        stale.append(CSV_COLUMNS)
        stale.append([rows[0][c] for c in CSV_COLUMNS])
        stale.sheet_state = "hidden"
        sheet = book.create_sheet("Entries")
        book.active = 1
    sheet.append(CSV_COLUMNS)
    for row in rows:
        sheet.append([row[c] for c in CSV_COLUMNS])
    book.save(path)
    return path


def test_a_workbook_error_value_is_a_load_error_of_its_entry(tmp_path: Path):
    rows = to_csv_rows(make_population(3, seed=7))
    rows[0]["consignee_name"] = "#N/A"
    loaded = t86audit.load(_workbook(tmp_path / "errors.xlsx", rows))
    assert rows[0]["entry_number"] not in {e.number for e in loaded.entries}
    assert any(
        e.column == "consignee_name" and e.value == "#N/A" and "Excel's error #N/A" in e.message
        for e in loaded.errors
    )
    assert loaded.rows_read == sum(len(e.source_rows) for e in loaded.entries) + len(loaded.errors)


def test_a_hidden_first_worksheet_is_passed_over(tmp_path: Path):
    rows = to_csv_rows(make_population(3, seed=8))
    loaded = t86audit.load(_workbook(tmp_path / "hidden.xlsx", rows, hidden_first=True))
    assert loaded.rows_read == len(rows)
    assert len(loaded.entries) == 3


def test_references_in_exponent_notation_are_load_errors(tmp_path: Path):
    rows = to_csv_rows(make_population(3, seed=9))
    rows[0]["bill_of_lading"] = "7.38242E+10"
    last = rows[-1]["entry_number"]
    for row in rows:
        if row["entry_number"] == last:
            row["entry_number"] = "1.23457E+10"
    loaded = t86audit.load(_rows_file(tmp_path / "exponent.csv", rows))
    assert len(loaded.entries) == 1
    columns = {e.column for e in loaded.errors}
    assert columns == {"bill_of_lading", "entry_number"}
    assert all("exponent notation" in e.message for e in loaded.errors)


@pytest.mark.parametrize("beside", ["N/A", "-", "0"])
def test_hts005_a_placeholder_beside_a_chapter_99_number_is_no_goods_number(beside: str):
    entry = make_entry(
        serial=130,
        lines=[
            {
                "description": "bamboo serving tray",
                "hts_number": "9903.88.03",
                "additional_hts": beside,
                "country_of_origin": "CN",
            }
        ],
    )
    assert [f.code for f in _audit([entry], select=["HTS005"]).findings] == ["HTS005"]


@pytest.mark.parametrize("pga", ["no", "not declared", "missing"])
def test_elg012_no_data_written_out_is_no_data(pga: str):
    entry = make_entry(
        serial=131,
        pga_data=pga,
        lines=[{"description": "butter cookies", "hts_number": "1905.90.90.90"}],
    )
    report = _audit(
        [entry], select=["ELG012"], options={"ELG012": {"hts_flags": {"1905.90.90.90": ["FD4"]}}}
    )
    assert [f.code for f in report.findings] == ["ELG012"]


def test_hts007_goods_renumbered_by_a_2025_revision_are_classified_alike():
    def tealights(serial: int, hts: str, day: dt.date) -> Entry:
        return make_entry(
            serial=serial,
            arrival_date=day,
            lines=[{"description": "glass tealight cups, pack of 50", "hts_number": hts}],
        )

    entries = [
        tealights(140, "7013.99.40.90", dt.date(2024, 8, 1)),
        tealights(141, "7013.99.40.90", dt.date(2024, 9, 1)),
        tealights(142, "7013.99.40.01", dt.date(2025, 7, 8)),
    ]
    assert not _audit(entries, select=["HTS007"]).findings
    entries.append(tealights(143, "3924.90.56.50", dt.date(2025, 7, 9)))
    found = _audit(entries, select=["HTS007"]).findings
    assert len(found) == 4
    assert "7013.99.40 (3 entries)" in found[0].message


@pytest.mark.parametrize(
    "hts",
    ["6109100040.0", "6109\u00a010\u00a000\u00a040", "6109\u201310\u201300\u201340"],
)
def test_hts_numbers_as_spreadsheets_and_word_processors_write_them(hts: str):
    """A float's '.0', a no-break space and an en dash: the number is read, not flagged."""
    entry = make_entry(
        serial=150, lines=[{"description": "women's cotton knit t-shirt", "hts_number": hts}]
    )
    assert not _audit([entry], select=["HTS"]).findings
    assert entry.lines[0].hts_digits == "6109100040"


def test_the_rejection_note_reads_in_order(tmp_path: Path):
    rows = to_csv_rows(make_population(4, seed=10))
    rows[1]["arrival_date"] = "2024-02-31"
    path = _rows_file(tmp_path / "bad.csv", rows)
    err = io.StringIO()
    main(
        ["audit", str(path), "--format", "json", "--output", str(tmp_path / "r.json")],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert "rows rejected; most of them, 2 row(s) for column arrival_date, e.g." in err.getvalue()


@pytest.mark.parametrize(
    "country", ["PRI", "Puerto Rico, USA", "Estados Unidos", "EE.UU.", "United States (PR)"]
)
def test_con002_reads_more_spellings_of_the_united_states(country: str):
    entry = make_entry(serial=160, consignee={"country": country})
    assert not _audit([entry], select=["CON002"]).findings


def test_a_dated_totals_row_is_no_entry(tmp_path: Path):
    rows = to_csv_rows(make_population(3, seed=11))
    total = dict.fromkeys(CSV_COLUMNS, "")
    total.update(entry_number="Grand Total:", arrival_date="2024-06-03", value_usd="87.31")
    rows.append(total)
    loaded = t86audit.load(_rows_file(tmp_path / "totals.csv", rows))
    assert len(loaded.entries) == 3
    (error,) = loaded.errors
    assert (error.column, error.value) == ("entry_number", "Grand Total:")
    assert "totals or footer row" in error.message


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("M. S. Smith", "D. R. Smith"),
        ("M.S. Smith", "Smith"),
        ("John M. R. Lee", "John D. R. Lee"),
    ],
)
def test_initials_that_spell_an_honorific_are_initials(one: str, other: str):
    """'M. S.' joined is 'MS', a person's initials, not 'Ms.': two people stay two."""
    entries = [
        make_entry(serial=170, consignee={"name": one}, value="450.00"),
        make_entry(serial=171, consignee={"name": other}, value="400.00"),
    ]
    assert not _audit(entries, select=["VAL002"]).findings


def test_an_honorific_as_written_is_still_dropped():
    entries = [
        make_entry(serial=172, consignee={"name": "Ms. Dana Smith"}, value="450.00"),
        make_entry(serial=173, consignee={"name": "Dana Smith"}, value="400.00"),
    ]
    assert [f.code for f in _audit(entries, select=["VAL002"]).findings] == ["VAL002"]


@pytest.mark.parametrize(
    ("field", "bills"),
    [
        ("MAEU B/L 123456789", ("MAEU123456789",)),
        ("MSCU B/L 123456789", ("MSCU123456789",)),
        ("176 AWB 12345675", ("17612345675",)),
        ("EGLV 1403 BL 0012345", ("EGLV14030012345",)),
    ],
)
def test_a_plain_label_inside_a_bill_drops_out_without_splitting_it(
    field: str, bills: tuple[str, ...]
):
    from t86audit.rules.filing import _bill_numbers  # noqa: PLC0415

    assert _bill_numbers(field) == bills


@pytest.mark.parametrize(
    "description",
    ["Doll with accessories", "Bicycle with spare parts", "Sofa, 3 parts", "Epoxy, 2-part"],
)
def test_des003_parts_added_to_named_goods_or_counted_pass(description: str):
    entry = make_entry(serial=174, lines=[{"description": description}])
    assert not _audit([entry], select=["DES003"]).findings


@pytest.mark.parametrize("name", ["Amazon Customer", "Occupant", "Name Surname", "Test Test"])
def test_con005_more_placeholder_names(name: str):
    entry = make_entry(serial=180, consignee={"name": name})
    assert [f.code for f in _audit([entry], select=["CON005"]).findings] == ["CON005"]


@pytest.mark.parametrize("address", ["Address not provided", "No address", "same as billing"])
def test_con001_placeholder_addresses(address: str):
    entry = make_entry(serial=181, consignee={"address": address})
    assert [f.code for f in _audit([entry], select=["CON001"]).findings] == ["CON001"]


@pytest.mark.parametrize(
    "name", ["Flexport Inc", "Expeditors International", "C.H. Robinson", "Metro Couriers Inc"]
)
def test_con006_named_forwarders(name: str):
    entry = make_entry(serial=182, consignee={"name": name})
    assert [f.code for f in _audit([entry], select=["CON006"]).findings] == ["CON006"]


@pytest.mark.parametrize("mode", ["Mail (EMS)", "50", "Registered Mail", "ePacket", "VNPost"])
def test_elg004_more_ways_of_writing_mail(mode: str):
    entry = make_entry(serial=183, mode=mode)
    assert [f.code for f in _audit([entry], select=["ELG004"]).findings] == ["ELG004"]


def test_elg004_air_by_code_is_not_mail():
    entry = make_entry(serial=184, mode="40")
    assert not _audit([entry], select=["ELG004"]).findings


@pytest.mark.parametrize("eda", ["TBD", "N/A", "000000"])
def test_a_placeholder_eda_is_fil010s_missing_date_not_a_load_error(tmp_path: Path, eda: str):
    rows = to_csv_rows(make_population(2, seed=13))
    for row in rows:
        row.update(
            arrival_date="2024-09-10", filed_at="2024-09-09T10:00:00", estimated_arrival_date=eda
        )
    loaded = t86audit.load(_rows_file(tmp_path / "eda.csv", rows))
    assert not loaded.errors
    found = _audit(list(loaded.entries), select=["FIL010"]).findings
    assert len(found) == 2
    assert f"estimated date of arrival is {eda!r}, no date" in found[0].message


@pytest.mark.parametrize(("hts", "digits"), [("6912.00", 6), ("9503.00", 6), ("6109.10", 6)])
def test_a_dotted_subheading_keeps_its_zeros(hts: str, digits: int):
    """'6912.00' is six digits filed with a dot, not a float's '.00': HTS001 says six."""
    entry = make_entry(serial=190, lines=[{"description": "ceramic mug", "hts_number": hts}])
    (finding,) = _audit([entry], select=["HTS001"]).findings
    assert f"has {digits} digits, not 10" in finding.message
