"""What a hand-worked review of the exposure and the AD/CVD rules found (nineteenth session).

* ELG009 (an AD/CVD match to read the scope of) and ELG010 (the match, confirmed in scope) read
  one ``confirmed_cases`` setting: a case confirmed for either moves its matches to ELG010.
  Before, confirming a case for ELG010 left ELG009 warning about the same line, and confirming
  it for ELG009 alone silenced both rules.
* The 19 CFR 143.21 note an estimate makes (formal entry may have been required; quota goods
  needed it) reaches the JSON report, the worksheet and the human formats.
* The exposure's total duty adds the computable entries' duties only, as the loss does and as
  each entry's own ``duty_usd`` (``null`` when not computable) shows.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

import t86audit
from t86audit.exposure import WORKSHEET_COLUMNS
from t86audit.registry import RuleRegistry
from t86audit.testing import CSV_COLUMNS, make_entry, make_line, to_csv_rows


PENCILS = "9609.10.00.00"
"""Cased pencils: the bundled AD/CVD table names them in order A-570-827 (China)."""


def _pencils(serial: int = 1, origin: str = "CN") -> t86audit.Entry:
    line = make_line(
        description="wooden cased graphite pencils",
        hts_number=PENCILS,
        country_of_origin=origin,
        value_usd="6.00",
    )
    return make_entry(serial=serial, arrival_date="2024-06-03", lines=[line])


def _adcvd_codes(options: dict[str, dict[str, object]]) -> list[str]:
    report = t86audit.audit([_pencils()], select=["ELG009", "ELG010"], options=options)
    return sorted(f.code for f in report.findings)


def test_an_unconfirmed_match_is_elg009s_warning_alone() -> None:
    assert _adcvd_codes({}) == ["ELG009"]


def test_a_case_confirmed_for_elg010_moves_the_match_from_elg009() -> None:
    assert _adcvd_codes({"ELG010": {"confirmed_cases": ["A-570-827"]}}) == ["ELG010"]


def test_a_case_confirmed_for_elg009_is_elg010s_finding_not_silence() -> None:
    assert _adcvd_codes({"ELG009": {"confirmed_cases": "A-570-827"}}) == ["ELG010"]


def test_a_value_given_to_the_rule_itself_wins_over_the_shared_one() -> None:
    # ELG009 told explicitly that no case is confirmed keeps warning; ELG010 takes its own.
    options: dict[str, dict[str, object]] = {
        "ELG009": {"confirmed_cases": []},
        "ELG010": {"confirmed_cases": ["A-570-827"]},
    }
    assert _adcvd_codes(options) == ["ELG009", "ELG010"]


def test_a_shared_option_value_of_the_wrong_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="confirmed_cases"):
        t86audit.audit([_pencils()], select=["ELG009"], options={"ELG010": {"confirmed_cases": 5}})


def test_the_rule_pages_say_the_option_is_shared() -> None:
    from t86audit.docgen import render_rule  # noqa: PLC0415

    registry = RuleRegistry.default()
    assert "applies to ELG009 too" in render_rule(registry.get("ELG009")).replace("`", "")
    assert "applies to ELG010 too" in render_rule(registry.get("ELG010")).replace("`", "")


def _chinese_entry(serial: int, value: str, day: str) -> t86audit.Entry:
    line = make_line(
        description="silicon rectifier diodes",
        hts_number="8541.10.00.80",
        country_of_origin="CN",
        value_usd=value,
    )
    return make_entry(serial=serial, arrival_date=day, lines=[line])


def _json(report: t86audit.Report) -> dict[str, object]:
    buffer = io.StringIO()
    report.write("json", buffer)
    document: dict[str, object] = json.loads(buffer.getvalue())
    return document


def test_the_143_21_note_reaches_the_json_the_worksheet_and_the_document() -> None:
    # $900 of Chinese diodes in Dec 2024: over the threshold (VAL001), Section 301 (List 2, 25%)
    # on a line over $250, so 143.21(a) may have required a formal entry.
    report = t86audit.audit([_chinese_entry(1, "900.00", "2024-12-16")])
    exposure = report.exposure
    assert exposure is not None
    (estimate,) = exposure.entries
    assert estimate.entry_kind == "informal"
    assert "143.21(a)" in estimate.entry_kind_note
    (listed,) = _json(report)["exposure"]["entries"]  # type: ignore[index]
    assert listed["entry_kind_note"] == estimate.entry_kind_note
    assert "entry_kind_note" in WORKSHEET_COLUMNS
    rows = list(exposure.worksheet_rows())
    mine = [row for row in rows if row["entry_number"] == estimate.entry_number]
    notes = {row["entry_kind_note"] for row in mine}
    assert notes == {estimate.entry_kind_note}
    markdown = io.StringIO()
    report.write("markdown", markdown)
    text = markdown.getvalue()
    assert "informal (note 1)" in text
    assert "Note 1: 19 CFR 143.21(a) excludes from informal entry" in text


def test_an_entry_without_doubt_has_an_empty_note_and_no_mark() -> None:
    # $900 of Vietnamese t-shirts: no chapter 99 duty, nothing in doubt.
    line = make_line(country_of_origin="VN", value_usd="900.00")
    report = t86audit.audit([make_entry(serial=2, arrival_date="2024-12-16", lines=[line])])
    assert report.exposure is not None
    (estimate,) = report.exposure.entries
    assert estimate.entry_kind_note == ""
    (listed,) = _json(report)["exposure"]["entries"]  # type: ignore[index]
    assert listed["entry_kind_note"] == ""
    markdown = io.StringIO()
    report.write("markdown", markdown)
    assert "(note 1)" not in markdown.getvalue()


def test_the_total_duty_adds_the_computable_entries_only() -> None:
    # 2016-03-09: $250 over the $200 threshold, but no MPF row covers FY2016, so the entry is
    # not computable although its duty is known; 2024-06-03: a computable entry.
    old = make_entry(
        serial=3,
        arrival_date="2016-03-09",
        lines=[make_line(country_of_origin="VN", value_usd="250.00")],
    )
    new = make_entry(
        serial=4,
        arrival_date="2024-06-03",
        lines=[make_line(country_of_origin="VN", value_usd="900.00")],
    )
    report = t86audit.audit([old, new])
    exposure = report.exposure
    assert exposure is not None
    by_number = {e.entry_number: e for e in exposure.entries}
    assert len(by_number) == 2
    not_computable = [e for e in exposure.entries if not e.computable]
    computable = [e for e in exposure.entries if e.computable]
    assert len(not_computable) == 1
    assert not_computable[0].duty_usd is not None  # known, but not added
    assert exposure.duty_usd == sum((e.duty_usd or Decimal(0) for e in computable), Decimal(0))
    fees_of_computable = sum((e.fees_usd for e in computable), Decimal(0))
    assert exposure.duty_usd + fees_of_computable == exposure.loss_of_revenue_usd
    totals = _json(report)["exposure"]["totals"]  # type: ignore[index]
    entries = _json(report)["exposure"]["entries"]  # type: ignore[index]
    listed = sum(Decimal(e["duty_usd"]) for e in entries if e["duty_usd"] is not None)
    assert Decimal(totals["duty_usd"]) == listed


def test_the_worksheet_csv_has_the_note_column_after_the_entry_kind() -> None:
    index = WORKSHEET_COLUMNS.index("entry_kind")
    assert WORKSHEET_COLUMNS[index + 1] == "entry_kind_note"
    report = t86audit.audit([_chinese_entry(5, "900.00", "2024-12-16")])
    assert report.exposure is not None
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, WORKSHEET_COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(report.exposure.worksheet_rows())
    header = buffer.getvalue().splitlines()[0].split(",")
    assert header[index + 1] == "entry_kind_note"


@pytest.mark.parametrize(
    ("country", "flagged"),
    [
        ("U.S.A.", False),
        ("U S", False),
        ("u.s.", False),
        ("United States of America", False),
        ("Puerto Rico", False),
        ("CA", True),
        ("Canada", True),
        ("U.K.", True),
    ],
)
def test_a_us_country_written_with_punctuation_is_not_abroad(country: str, flagged: bool) -> None:
    entry = make_entry(serial=6, consignee={"country": country})
    report = t86audit.audit([entry], select=["CON002"])
    assert [f.code for f in report.findings] == (["CON002"] if flagged else [])


def _write_csv(
    path: Path, rows: list[dict[str, str]], *, header_again_at: int | None = None
) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        for index, row in enumerate(rows):
            if index == header_again_at:
                writer.writeheader()
            writer.writerow(row)


def _entries_700_and_500() -> list[t86audit.Entry]:
    return [
        make_entry(serial=7, lines=[make_line(value_usd="700.00", country_of_origin="VN")]),
        make_entry(
            serial=8,
            lines=[
                make_line(line_number=1, value_usd="300.00", country_of_origin="VN"),
                make_line(line_number=2, value_usd="200.00", country_of_origin="VN"),
            ],
        ),
    ]


def test_a_row_held_twice_counts_once_and_is_a_load_error(tmp_path: Path) -> None:
    rows = to_csv_rows(_entries_700_and_500())
    path = tmp_path / "twice.csv"
    _write_csv(path, [rows[0], rows[0], rows[1], rows[2]])
    loaded = t86audit.load(path)
    assert [len(e.lines) for e in loaded.entries] == [1, 2]
    assert loaded.entries[0].total_value == Decimal("700.00")
    (error,) = loaded.errors
    assert (error.row, error.column, error.value) == (2, "line_number", "1")
    assert "repeats row 1" in error.message
    assert loaded.rows_read == 4 == sum(len(e.source_rows) for e in loaded.entries) + 1
    report = t86audit.audit(path, select=["VAL001"])
    assert report.findings == ()


def test_an_export_pasted_after_itself_gives_the_findings_of_one_copy(tmp_path: Path) -> None:
    rows = to_csv_rows(_entries_700_and_500())
    once, twice = tmp_path / "once.csv", tmp_path / "twice.csv"
    _write_csv(once, rows)
    _write_csv(twice, rows + rows, header_again_at=len(rows))
    for jobs in (1, 2):
        one = t86audit.audit(once, jobs=jobs)
        two = t86audit.audit(twice, jobs=jobs)
        assert [(f.code, f.entry_number) for f in two.findings] == [
            (f.code, f.entry_number) for f in one.findings
        ]
        assert not [f for f in two.findings if f.code == "VAL001"]
    loaded = t86audit.load(twice)
    # The repeated header and the three repeated rows are the load errors; nothing is lost.
    assert loaded.rows_read == len(loaded.errors) + sum(len(e.source_rows) for e in loaded.entries)
    assert sum("repeats row" in e.message for e in loaded.errors) == 3


def test_rows_of_one_line_number_that_differ_stay_two_lines(tmp_path: Path) -> None:
    entry = make_entry(
        serial=9,
        lines=[
            make_line(line_number=1, value_usd="500.00", country_of_origin="VN"),
            make_line(line_number=1, value_usd="400.00", country_of_origin="VN"),
        ],
    )
    path = tmp_path / "same-number.csv"
    _write_csv(path, to_csv_rows([entry]))
    loaded = t86audit.load(path)
    assert loaded.errors == ()
    assert loaded.entries[0].total_value == Decimal("900.00")


def test_identical_rows_without_line_numbers_are_two_lines(tmp_path: Path) -> None:
    entry = make_entry(serial=10, lines=[make_line(value_usd="450.00", country_of_origin="VN")])
    (row,) = to_csv_rows([entry])
    row = {**row, "line_number": ""}
    path = tmp_path / "unnumbered.csv"
    _write_csv(path, [row, row])
    loaded = t86audit.load(path)
    assert loaded.errors == ()
    assert [line.line_number for line in loaded.entries[0].lines] == [1, 2]
    assert loaded.entries[0].total_value == Decimal("900.00")


def test_a_utf8_file_read_as_cp1252_is_named_utf8_in_the_error(tmp_path: Path) -> None:
    rows = to_csv_rows(_entries_700_and_500())
    path = tmp_path / "bom.csv"
    _write_csv(path, rows)
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert len(t86audit.load(path).entries) == 2  # read as UTF-8, the mark is dropped
    with pytest.raises(t86audit.InputError, match="this file is UTF-8, so read it without"):
        t86audit.load(path, encoding="cp1252")


def test_an_output_in_a_missing_folder_is_refused_before_the_audit(tmp_path: Path) -> None:
    from t86audit.cli import main  # noqa: PLC0415

    source = tmp_path / "in.csv"
    _write_csv(source, to_csv_rows(_entries_700_and_500()))
    missing = tmp_path / "no-such-folder" / "report.json"
    err = io.StringIO()
    with contextlib.redirect_stderr(err):
        status = main(["audit", str(source), "--output", str(missing)])
    assert status == 2
    assert f"cannot write {missing}: the folder {missing.parent} does not exist" in err.getvalue()
    assert ".tmp" not in err.getvalue()


def test_a_negative_discount_line_does_not_bring_an_article_under_the_threshold() -> None:
    entry = make_entry(
        serial=11,
        lines=[
            make_line(line_number=1, value_usd="900.00", country_of_origin="VN"),
            make_line(line_number=2, value_usd="-200.00", country_of_origin="VN"),
        ],
    )
    assert entry.total_value == Decimal("900.00")
    report = t86audit.audit([entry], select=["VAL001", "VAL003"])
    codes = sorted(f.code for f in report.findings)
    assert codes == ["VAL001", "VAL003"]
    (over,) = [f for f in report.findings if f.code == "VAL001"]
    assert "900.00" in over.message
    assert "negative line value is not counted" in over.message


def test_a_blank_origin_or_quantity_is_a_finding_not_a_clean_entry(tmp_path: Path) -> None:
    entry = make_entry(
        serial=12,
        arrival_date="2025-06-10",
        lines=[
            make_line(line_number=1, country_of_origin="", value_usd="40.00"),
            make_line(line_number=2, country_of_origin="VN", quantity=None, value_usd="20.00"),
        ],
    )
    path = tmp_path / "blank.csv"
    _write_csv(path, to_csv_rows([entry]))
    report = t86audit.audit(path, select=["FIL016", "ELG003"])
    found = sorted((f.code, f.line_number, f.field) for f in report.findings)
    assert found == [("FIL016", 1, "country_of_origin"), ("FIL016", 2, "quantity")]
    (summary,) = report.entries
    assert summary.violations == 2


def _workbook(tmp_path: Path, formula: str | None) -> Path:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Entries"
    rows = to_csv_rows(_entries_700_and_500())
    sheet.append(list(CSV_COLUMNS))
    for row in rows:
        sheet.append([row[column] for column in CSV_COLUMNS])
    if formula is not None:
        column = CSV_COLUMNS.index("value_usd") + 1
        sheet.cell(row=2, column=column, value=formula)
    path = tmp_path / "entries.xlsx"
    workbook.save(path)
    return path


def test_a_formula_never_calculated_refuses_the_workbook_naming_the_cell(tmp_path: Path) -> None:
    path = _workbook(tmp_path, "=450+450")
    with pytest.raises(t86audit.InputError, match=r"cell \w+2 holds the formula '=450\+450'"):
        t86audit.load(path)


def test_a_workbook_without_formulas_loads_as_before(tmp_path: Path) -> None:
    loaded = t86audit.load(_workbook(tmp_path, None))
    assert [e.total_value for e in loaded.entries] == [Decimal("700.00"), Decimal("500.00")]


def _to(name: str, address: str, serial: int, value: str, **fields: object) -> t86audit.Entry:
    line = make_line(
        value_usd=value,
        country_of_origin="VN",
        order_reference=str(fields.pop("order_reference", f"ORD-{serial}")),
    )
    return make_entry(
        serial=serial,
        consignee={"name": name, "address": address},
        lines=[line],
        **fields,  # type: ignore[arg-type]
    )


def test_val002_takes_the_day_in_filing_order_by_the_instant_not_the_text() -> None:
    # 07:30 at -07:00 is 10:30 Eastern: after the 09:00 Eastern filing of the other entry.
    later = _to(
        "Maria Lopez",
        "12 Main St",
        1,
        "500.00",
        filed_at=dt.datetime(2024, 6, 3, 7, 30, tzinfo=dt.timezone(dt.timedelta(hours=-7))),
    )
    earlier = _to(
        "Maria Lopez",
        "12 Main St",
        2,
        "400.00",
        filed_at=dt.datetime(2024, 6, 3, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-4))),
    )
    report = t86audit.audit([later, earlier], select=["VAL002"])
    assert [f.entry_number for f in report.findings] == [later.number]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("Mary O'Brien", "12 Main St"), ("MARY OBRIEN", "12 Main St")),
        (("Ridgeway Cycle Shop LLC", "9 Elm St"), ("Ridgeway Cycle Shop, L.L.C.", "9 Elm St")),
        (("Ana Diaz", "12 St. Mark's Place"), ("Ana Diaz", "12 St Marks Pl")),
    ],
)
def test_punctuation_inside_a_word_does_not_make_another_person(
    first: tuple[str, str], second: tuple[str, str]
) -> None:
    report = t86audit.audit(
        [_to(*first, 3, "500.00"), _to(*second, 4, "400.00")], select=["VAL002"]
    )
    assert [f.code for f in report.findings] == ["VAL002"]


def test_apartment_numbers_written_with_a_period_stay_apart() -> None:
    report = t86audit.audit(
        [
            _to("Ana Diaz", "5 Oak Rd Apt.4", 5, "500.00"),
            _to("Ana Diaz", "5 Oak Rd Apt.5", 6, "400.00"),
        ],
        select=["VAL002"],
    )
    assert report.findings == ()


@pytest.mark.parametrize("placeholder", ["N/A", "none", "-", "0", "TBD"])
def test_a_placeholder_order_reference_names_no_order(placeholder: str) -> None:
    shipments = [
        _to(
            "Li Wei",
            "7 Pine Ave",
            7,
            "450.00",
            arrival_date="2024-03-01",
            order_reference=placeholder,
        ),
        _to(
            "Li Wei",
            "7 Pine Ave",
            8,
            "450.00",
            arrival_date="2024-04-17",
            order_reference=placeholder,
        ),
    ]
    assert t86audit.audit(shipments, select=["VAL005"]).findings == ()
    shared = [
        _to(
            "Li Wei", "7 Pine Ave", 9, "450.00", arrival_date="2024-03-01", order_reference="PO-77"
        ),
        _to(
            "Li Wei",
            "7 Pine Ave",
            10,
            "450.00",
            arrival_date="2024-04-17",
            order_reference="PO-77",
        ),
    ]
    assert len(t86audit.audit(shared, select=["VAL005"]).findings) == 2


@pytest.mark.parametrize("bill", ["TO FOLLOW", "Not provided"])
def test_a_bill_to_follow_is_a_missing_bill_not_a_reused_one(bill: str) -> None:
    entries = [
        make_entry(serial=11, bill_of_lading=bill),
        make_entry(serial=12, bill_of_lading=bill),
    ]
    codes = sorted(f.code for f in t86audit.audit(entries, select=["FIL005", "FIL007"]).findings)
    assert codes == ["FIL005", "FIL005"]


def test_fil007_names_another_entry_once_however_many_copies_the_data_holds() -> None:
    bill = "176-12345675"
    first = make_entry(serial=13, bill_of_lading=bill)
    second = make_entry(serial=14, bill_of_lading=bill)
    report = t86audit.audit([first, second, second, second], select=["FIL007"])
    about_first = [f for f in report.findings if f.entry_number == first.number]
    (finding,) = about_first
    assert "also on 1 other entry" in finding.message
    assert finding.related_entries == (second.number,)


def _population_file(tmp_path: Path, count: int = 30) -> tuple[Path, list[t86audit.Entry]]:
    entries = [
        make_entry(serial=100 + i, lines=[make_line(value_usd="20.00", country_of_origin="VN")])
        for i in range(count)
    ]
    path = tmp_path / "population.csv"
    _write_csv(path, to_csv_rows(entries))
    return path, entries


def _samples_file(tmp_path: Path, numbers: list[str], method: str = "random") -> Path:
    document = {
        "samples": [{"id": "R", "method": method, "seed": 2, "entries": numbers}],
    }
    path = tmp_path / f"samples-{method}.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def test_a_hand_picked_sample_called_random_is_refused(tmp_path: Path) -> None:
    from t86audit.cli import main  # noqa: PLC0415

    path, entries = _population_file(tmp_path)
    drawn = t86audit.draw_samples(entries, size=10, seed=2)[0].entry_numbers
    picked = [e.number for e in entries if e.number not in drawn][:10]
    err = io.StringIO()
    out = io.StringIO()
    hand = _samples_file(tmp_path, picked)
    assert main(["audit", str(path), "--samples", str(hand)], stdout=out, stderr=err) == 2
    assert "is marked random with seed 2, but its entries are not a draw" in err.getvalue()
    with pytest.raises(t86audit.InputError, match="not a draw of that seed"):
        t86audit.read_samples(hand, entries)
    # The seed's own draw is read, and a judgment sample of the same entries too.
    assert t86audit.read_samples(_samples_file(tmp_path, list(drawn)), entries)[0].projectable
    judged = t86audit.read_samples(_samples_file(tmp_path, picked, "judgment"), entries)
    assert not judged[0].projectable


def test_redaction_leaves_a_quoted_description_that_equals_a_name(tmp_path: Path) -> None:
    gift = make_entry(serial=120, lines=[make_line(description="gift", country_of_origin="VN")])
    named = make_entry(serial=121, consignee={"name": "Gift"})
    report = t86audit.audit([gift, named], select=["DES002"], redact_key=b"k" * 32)
    (finding,) = report.findings
    assert finding.observed == "gift"
    assert "description 'gift' is only the vague term" in finding.message


def test_cite_refuses_drawing_options_and_checks_the_size(tmp_path: Path) -> None:
    from t86audit.cli import main  # noqa: PLC0415

    path, entries = _population_file(tmp_path, 12)
    cited = ",".join(e.number for e in entries[:2])
    for extra, message in (
        (["--seed", "5"], "--seed draws a sample; --cite rebuilds"),
        (["--size", "10"], "should have 10 entries but 2 were given"),
    ):
        err = io.StringIO()
        status = main(
            ["sample", str(path), "--cite", cited, *extra], stdout=io.StringIO(), stderr=err
        )
        assert status == 2
        assert message in err.getvalue()
    out = io.StringIO()
    assert main(["sample", str(path), "--cite", cited, "--size", "2"], stdout=out) == 0
    assert json.loads(out.getvalue())["samples"][0]["size"] == 2


def test_a_waiver_of_a_code_no_rule_has_says_so(tmp_path: Path) -> None:
    path, entries = _population_file(tmp_path, 3)
    waivers = [
        {
            "entry_number": entries[0].number,
            "code": "XYZ999",
            "reviewer": "JO",
            "date": "2024-06-20",
            "reason": "typo",
        }
    ]
    report = t86audit.audit(path, waivers=waivers)
    (unused,) = report.unused_waivers
    assert unused.why.startswith("no rule has the code XYZ999")


def test_an_unknown_entry_in_a_samples_file_names_the_file(tmp_path: Path) -> None:
    _, entries = _population_file(tmp_path, 12)
    bad = _samples_file(tmp_path, ["ZZZ-1234567-8"], "cited")
    with pytest.raises(t86audit.UnknownEntriesError, match=r"samples-cited\.json: 1 entry"):
        t86audit.read_samples(bad, entries)


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("HK SAR", "HK"),
        ("Hong Kong Special Administrative Region", "HK"),
        ("Hong Kong S.A.R., China", "HK"),
        ("China (PRC)", "CN"),
        ("Peoples Rep. of China", "CN"),
        ("CN - China", "CN"),
        ("Taiwan, Province of China", "TW"),  # its ISO name (session 21): Taiwan, not China
        ("Republic of China", "REPUBLIC OF CHINA"),
        ("Macao SAR, China", "MACAO SAR, CHINA"),
        ("Indochina", "INDOCHINA"),
    ],
)
def test_longer_spellings_of_china_and_hong_kong_are_read(written: str, code: str) -> None:
    from t86audit.normalize import origin_code  # noqa: PLC0415

    assert origin_code(written) == code
    entry = make_entry(
        serial=130, arrival_date="2025-06-02", lines=[make_line(country_of_origin=written)]
    )
    flagged = [f.code for f in t86audit.audit([entry], select=["ELG003"]).findings]
    assert flagged == (["ELG003"] if code in ("CN", "HK") else [])


def test_no_filing_deadline_or_eda_finding_after_type_86_ended() -> None:
    entry = make_entry(
        serial=131,
        arrival_date="2025-09-03",
        filed_at=dt.datetime(2025, 9, 4, 10, 0, tzinfo=dt.UTC),
        estimated_arrival_date=None,
    )
    codes = [f.code for f in t86audit.audit([entry], select=["ELG002", "FIL"]).findings]
    assert codes == ["ELG002"]


def test_a_term_known_only_from_carriers_reports_is_a_warning() -> None:
    line = make_line(description="pharmaceuticals", hts_number="3004.90.92.90")
    report = t86audit.audit([make_entry(serial=132, lines=[line])], select=["DES"])
    assert [(f.code, str(f.severity)) for f in report.findings] == [("DES004", "warning")]


@pytest.mark.parametrize(
    ("description", "hts"),
    [
        ("laptop sleeve", "4202.92.91.00"),
        ("Tablet Sleeve", "4202.92.91.00"),
        ("laptop sleeve neoprene 13 inch", "4202.92.91.00"),
        ("PopSocket phone grip", "3926.90.99.89"),
        ("fountain pen ink", "3215.90.50.00"),
        ("shirt buttons", "9606.21.40.00"),
        ("coat buttons", "9606.22.00.00"),
        ("cabinet handles", "8302.42.30.65"),
    ],
)
def test_hts006_takes_a_last_word_such_as_sleeve_for_the_goods(description: str, hts: str) -> None:
    line = make_line(description=description, hts_number=hts, country_of_origin="VN")
    report = t86audit.audit(
        [make_entry(serial=140, arrival_date="2025-03-10", lines=[line])], select=["HTS006"]
    )
    assert report.findings == ()


def test_hts006_still_sees_goods_filed_under_another_chapter() -> None:
    line = make_line(description="cotton t-shirt", hts_number="8518.30.20.00")
    report = t86audit.audit(
        [make_entry(serial=141, arrival_date="2025-03-10", lines=[line])], select=["HTS006"]
    )
    assert [f.code for f in report.findings] == ["HTS006"]


def test_a_late_filing_day_without_a_time_takes_the_law_of_that_day(tmp_path: Path) -> None:
    # Arrived 28 Aug 2025, T86 sent "2025-08-29" (no time): the day T86 ended, not the minute
    # before its 12:01 a.m. cut-over.
    entries = [
        make_entry(serial=150, arrival_date="2025-08-28"),
        make_entry(
            serial=151,
            arrival_date="2025-05-01",
            lines=[make_line(country_of_origin="CN", value_usd="20.00")],
        ),
    ]
    rows = to_csv_rows(entries)
    rows[0]["filed_at"] = "2025-08-29"
    rows[1]["filed_at"] = "05/02/2025"
    path = tmp_path / "date-only.csv"
    _write_csv(path, rows)
    report = t86audit.audit(path, select=["ELG002", "ELG003"])
    assert sorted((f.code, f.entry_number) for f in report.findings) == [
        ("ELG002", entries[0].number),
        ("ELG003", entries[1].number),
    ]


@pytest.mark.parametrize(
    ("description", "codes"),
    [
        ("gifts and accessories", ["DES003"]),
        ("parts and accessories", ["DES003"]),
        ("women's apparel", ["DES003"]),
        ("kids clothing", ["DES003"]),
        ("women's dresses", []),
        ("spare parts kit for bicycle brakes", []),
    ],
)
def test_vague_terms_beside_each_other_or_an_audience_add_nothing_specific(
    description: str, codes: list[str]
) -> None:
    line = make_line(description=description, country_of_origin="VN")
    report = t86audit.audit([make_entry(serial=160, lines=[line])], select=["DES"])
    assert [f.code for f in report.findings] == codes


@pytest.mark.parametrize(
    ("description", "codes"),
    [
        # CBP's list as a third party reproduced it: a secondary source, a DES004 warning
        ("Bubbles Brand", ["DES004"]),
        ("Acme trade mark", ["DES004"]),
        ("Bubbles Brand laundry detergent", []),
        ("Nike brand shoes", []),
    ],
)
def test_a_brand_name_by_itself_is_cbps_vague_description(
    description: str, codes: list[str]
) -> None:
    line = make_line(description=description, country_of_origin="VN")
    report = t86audit.audit([make_entry(serial=161, lines=[line])], select=["DES"])
    assert [f.code for f in report.findings] == codes


def test_us_countries_given_as_one_string_is_a_list_of_codes() -> None:
    entries = [
        make_entry(serial=170, consignee={"country": "PR"}),
        make_entry(serial=171, consignee={"country": "GU"}),
    ]
    options = {"CON002": {"us_countries": "US,PR,GU"}}
    assert t86audit.audit(entries, select=["CON002"], options=options).findings == ()


@pytest.mark.parametrize(
    ("country", "codes"),
    [
        ("United States (US)", []),
        ("US - United States", []),
        ("N/A", ["CON001"]),
        ("unknown", ["CON001"]),
        ("NA", ["CON002"]),  # Namibia
    ],
)
def test_a_consignee_country_written_two_ways_or_left_unknown(
    country: str, codes: list[str]
) -> None:
    entry = make_entry(serial=172, consignee={"country": country})
    report = t86audit.audit([entry], select=["CON001", "CON002"])
    assert sorted(f.code for f in report.findings) == codes


def test_placeholder_party_data_is_missing_data() -> None:
    entry = make_entry(
        serial=173,
        consignee={"address": "N/A"},
        seller={"name": "Unknown", "address": "-", "country": "TBD"},
    )
    report = t86audit.audit([entry], select=["CON001", "CON008"])
    assert sorted((f.code, f.field) for f in report.findings) == [
        ("CON001", "consignee_address"),
        ("CON008", "seller_address"),
        ("CON008", "seller_country"),
        ("CON008", "seller_name"),
    ]


@pytest.mark.parametrize(
    ("name", "flagged"),
    [
        ("Jane Doe c/o ABC Logistics", False),
        ("Ups and Downs Cafe", False),
        ("Ems Johnson", False),
        ("Tnt Fireworks Inc", False),
        ("Cargo Pants Outlet", False),
        ("Brokerage Realty LLC", False),
        ("The UPS Store #1234", True),
        ("DHL Express USA", True),
    ],
)
def test_con006_names_a_carrier_not_a_person_or_shop_with_a_carrier_word(
    name: str, flagged: bool
) -> None:
    entry = make_entry(serial=174, consignee={"name": name})
    codes = [f.code for f in t86audit.audit([entry], select=["CON006"]).findings]
    assert codes == (["CON006"] if flagged else [])


def test_con004_needs_a_foreign_seller() -> None:
    us_seller = make_entry(
        serial=175,
        consignee={"name": "Ridgeway Cycle Shop LLC"},
        seller={"name": "Ridgeway Cycle Shop LLC", "country": "US"},
    )
    placeholders = make_entry(serial=176, consignee={"name": "N/A"}, seller={"name": "N/A"})
    report = t86audit.audit([us_seller, placeholders], select=["CON004"])
    assert report.findings == ()


@pytest.mark.parametrize("ior", ["12-3456789-00", "12-3456789 00", "12-3456789AB", "123456789"])
def test_an_ein_with_its_suffix_after_a_hyphen_is_a_known_format(ior: str) -> None:
    entry = make_entry(serial=177, importer_of_record=ior, pga_data="declared")
    assert t86audit.audit([entry], select=["CON010"]).findings == ()


def test_a_share_that_is_not_zero_never_reads_as_zero() -> None:
    from t86audit.report._document import _pct  # noqa: PLC0415

    assert _pct(1 / 2996) == "<0.1%"
    assert _pct(0.0) == "0.0%"
    assert _pct(0.5) == "50.0%"
    assert _pct(2995 / 2996) == ">99.9%"


def test_val004_flags_a_token_value_not_a_cheap_article() -> None:
    cheap = make_entry(serial=180, lines=[make_line(value_usd="0.99", country_of_origin="VN")])
    token = make_entry(serial=181, lines=[make_line(value_usd="0.01", country_of_origin="VN")])
    report = t86audit.audit([cheap, token], select=["VAL004"])
    assert [f.entry_number for f in report.findings] == [token.number]
