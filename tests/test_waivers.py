"""Waivers: reading the file, clear errors, matching findings, reporting unused waivers."""

import datetime as dt
import hashlib
import io

import pytest

import t86audit
from t86audit.exceptions import InputError
from t86audit.findings import Finding, Severity
from t86audit.testing import make_entry
from t86audit.waivers import (
    Waiver,
    WaiverSet,
    apply_waivers,
    coerce_waivers,
    read_waivers,
)


HEADER = "entry_number,code,reason,reviewer,date\n"


def write(tmp_path, text, name="waivers.csv", encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def finding(entry_number="B76-0000001-5", code="VAL001", line=None):
    return Finding(
        code=code,
        name="x",
        severity=Severity.VIOLATION,
        citations=(),
        entry_number=entry_number,
        message="m",
        line_number=line,
    )


def test_read_waivers_file(tmp_path):
    """A well-formed file gives waivers with source, row, hash; codes are upper-cased."""
    path = write(
        tmp_path,
        "\ufeffEntry_Number , CODE,reason,reviewer,date,ticket\n"
        "B76-0000001-5,val001,Value corrected by PSC,J. Ortiz,2024-07-03,T-1\n"
        ",,,,,\n"
        'b7600000023,DES002,"Description, as amended",K. Lee,2024-07-04,T-2\n',
    )
    ws = read_waivers(path)

    assert [(w.entry_number, w.code, w.row) for w in ws.waivers] == [
        ("B76-0000001-5", "VAL001", 1),
        ("b7600000023", "DES002", 3),
    ]
    assert ws.waivers[1].reason == "Description, as amended"
    assert ws.waivers[0].date == dt.date(2024, 7, 3)
    assert ws.source == str(path)
    assert ws.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_read_waivers_from_a_stream():
    """An open text stream can be read; it has no hash."""
    ws = read_waivers(io.StringIO(HEADER + "B76-0000001-5,VAL001,ok,R,2024-01-01\n"))

    assert len(ws.waivers) == 1
    assert ws.sha256 == ""


@pytest.mark.parametrize(
    ("row", "column", "value", "reason"),
    [
        (",VAL001,ok,R,2024-01-01", "entry_number", "", "blank"),
        ("B76-0000001-5,VAL1,ok,R,2024-01-01", "code", "VAL1", "rule code"),
        ("B76-0000001-5,VAL001,,R,2024-01-01", "reason", "", "blank"),
        ("B76-0000001-5,VAL001,ok, ,2024-01-01", "reviewer", "", "blank"),
        ("B76-0000001-5,VAL001,ok,R,03.07.2024", "date", "03.07.2024", "MM/DD/YYYY"),
        ("B76-0000001-5,VAL001,ok,R,2024-02-30", "date", "2024-02-30", "not a real date"),
        ("B76-0000001-5,VAL001,ok,R,", "date", "", "the date is blank"),
    ],
)
def test_bad_row_names_file_row_column_and_value(tmp_path, row, column, value, reason):
    """A bad row raises InputError with the file, the data row, the column and the value."""
    path = write(tmp_path, HEADER + "B76-0000009-9,VAL002,fine,R,2024-01-01\n" + row + "\n")

    with pytest.raises(InputError, match=reason) as info:
        read_waivers(path)
    error = info.value
    assert (error.source, error.row, error.column, error.value) == (str(path), 2, column, value)
    assert str(path) in str(error)


def test_repeated_waiver_is_an_error(tmp_path):
    """The same entry (by key) and code twice is an error naming the first row."""
    path = write(
        tmp_path,
        HEADER + "B76-0000001-5,VAL001,ok,R,2024-01-01\nb76 0000001 5,val001,again,R,2024-01-02\n",
    )

    with pytest.raises(InputError, match="row 1") as info:
        read_waivers(path)
    assert info.value.row == 2


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("entry_number,code,reason,date\n", "lacks reviewer"),
        ("entry_number,code,code,reason,reviewer,date\n", "twice"),
    ],
)
def test_unusable_file_is_an_error(tmp_path, text, reason):
    """An empty file, a missing or repeated column raise InputError naming the file."""
    path = write(tmp_path, text)

    with pytest.raises(InputError, match=reason) as info:
        read_waivers(path)
    assert info.value.source == str(path)


def test_missing_file_is_an_input_error(tmp_path):
    """A waivers path that does not exist raises InputError, not OSError."""
    with pytest.raises(InputError, match="not found"):
        read_waivers(tmp_path / "nope.csv")


def test_coerce_accepts_waivers_mappings_sets_and_paths(tmp_path):
    """Waiver objects, mappings, a WaiverSet and a path are all accepted."""
    path = write(tmp_path, HEADER + "B76-0000001-5,VAL001,ok,R,2024-01-01\n")
    as_object = Waiver("B76-0000001-5", "val001", "ok", "R", dt.date(2024, 1, 1))
    as_mapping = {
        "entry_number": "B76-0000001-5",
        "code": "VAL001",
        "reason": "ok",
        "reviewer": "R",
        "date": "2024-01-01",
    }

    assert coerce_waivers([as_object]).waivers[0].code == "VAL001"
    assert coerce_waivers([as_mapping]).waivers[0].date == dt.date(2024, 1, 1)
    assert coerce_waivers(path).source == str(path)
    given = WaiverSet(())
    assert coerce_waivers(given) is given
    assert coerce_waivers(None).waivers == ()


def test_coerce_checks_in_memory_waivers():
    """A malformed in-memory waiver is an InputError with its position as the row."""
    good = {
        "entry_number": "B76-0000001-5",
        "code": "VAL001",
        "reason": "ok",
        "reviewer": "R",
        "date": "2024-01-01",
    }

    with pytest.raises(InputError) as info:
        coerce_waivers([good, {**good, "code": "VAL002", "reason": " "}])
    assert (info.value.source, info.value.row, info.value.column) == ("waivers", 2, "reason")
    with pytest.raises(InputError, match="Waiver or a mapping"):
        coerce_waivers(["B76-0000001-5"])  # type: ignore[list-item]
    with pytest.raises(InputError, match="date-time"):
        coerce_waivers([{**good, "date": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)}])


def test_apply_marks_every_finding_of_the_code_on_the_entry():
    """A waiver covers all lines of its entry for its code, and nothing else."""
    findings = [
        finding(line=1),
        finding(line=2),
        finding(code="VAL003"),
        finding(entry_number="B76-0000002-3"),
    ]
    waiver = Waiver("b7600000015", "VAL001", "ok", "R", dt.date(2024, 1, 1))
    out, unused = apply_waivers(findings, [waiver])

    assert [f.waived for f in out] == [True, True, False, False]
    assert out[0].waiver_reason == "ok"
    assert unused == ()


def test_apply_resolves_aliases_and_reports_repeats():
    """An alias code is resolved; a second waiver for the same rule is reported unused."""
    first = Waiver("B76-0000001-5", "OLD001", "ok", "R", dt.date(2024, 1, 1), row=1)
    second = Waiver("B76-0000001-5", "VAL001", "again", "R", dt.date(2024, 1, 1), row=2)
    out, unused = apply_waivers(
        [finding()], [first, second], resolve_code=lambda c: "VAL001" if c == "OLD001" else c
    )

    assert out[0].waived
    assert out[0].waiver_reason == "ok"
    assert [(u.waiver.row, u.why) for u in unused] == [
        (2, "repeats the waiver for VAL001 at row 1")
    ]


def test_audit_reads_a_waivers_file_and_records_it(tmp_path):
    """audit(waivers=path) applies the file and records its path and hash in the trail."""
    path = write(tmp_path, HEADER + "B76-0000001-5,VAL001,reviewed,R,2024-01-01\n")
    report = t86audit.audit([make_entry(value="950.00")], select=["VAL001"], waivers=path)
    trail = report.to_dict()["audit_trail"]["waivers_file"]

    assert report.findings[0].waived
    assert trail["path"] == str(path)
    assert trail["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("filed", ["2024-07-03", "20240703", "07/03/2024", "7/3/2024"])
def test_waiver_dates_take_the_forms_of_the_entries_dates(tmp_path, filed):
    """A reviewer's spreadsheet writes U.S. dates: the forms an entry's date may take."""
    path = write(tmp_path, HEADER + f"B76-0000001-5,VAL001,ok,R,{filed}\n")
    assert read_waivers(path).waivers[0].date == dt.date(2024, 7, 3)
