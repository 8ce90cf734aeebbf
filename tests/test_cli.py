"""The command line: audit formats, output files, waivers, --fail-on, exit status, no traceback."""

import csv
import hashlib
import io
import json
import os
import stat

import pytest

from t86audit.cli import main
from t86audit.testing import CSV_COLUMNS, make_entry, to_csv_rows


AT = "2026-01-01T00:00:00+00:00"


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


@pytest.fixture
def entries_csv(tmp_path):
    """Three entries: one over the threshold (violation), two clean."""
    entries = [
        make_entry(serial=1, value="950.00", consignee={"name": "Ann Lee", "address": "1 A St"}),
        make_entry(serial=2, consignee={"name": "Bo Chen", "address": "2 B St"}),
        make_entry(serial=3, consignee={"name": "Cy Diaz", "address": "3 C St"}),
    ]
    path = tmp_path / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(to_csv_rows(entries))
    return path


@pytest.fixture
def waivers_csv(tmp_path):
    path = tmp_path / "waivers.csv"
    path.write_text(
        "entry_number,code,reason,reviewer,date\n"
        "B76-0000001-5,VAL001,Value corrected by PSC,J. Ortiz,2024-07-03\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("fmt", "marker"),
    [
        ("text", "t86audit report\n==============="),
        ("markdown", "# t86audit report"),
        ("html", "<!DOCTYPE html>"),
        ("json", '"schema_version": 2'),
        ("csv", '"severity","code","name"'),
    ],
)
def test_audit_writes_each_format(entries_csv, fmt, marker):
    """Every --format writes its report to standard output and exits 0."""
    status, out, err = run("audit", str(entries_csv), "--format", fmt, "--generated-at", AT)

    assert status == 0, err
    assert marker in out
    assert "VAL001" in out


def test_audit_output_is_byte_identical_across_runs(entries_csv, tmp_path):
    """Two runs with the same --generated-at write the same bytes, in every format."""
    for fmt in ("text", "markdown", "html", "json", "csv"):
        first, second = tmp_path / f"a.{fmt}", tmp_path / f"b.{fmt}"
        for target in (first, second):
            status, _, err = run(
                "audit",
                str(entries_csv),
                "--format",
                fmt,
                "--output",
                str(target),
                "--generated-at",
                AT,
            )
            assert status == 0, err
        assert first.read_bytes() == second.read_bytes(), fmt


def test_output_file_is_not_overwritten_without_force(entries_csv, tmp_path):
    """An existing --output is refused (exit 2, one line) unless --force is given."""
    target = tmp_path / "report.json"
    target.write_text("keep", encoding="utf-8")
    status, _, err = run("audit", str(entries_csv), "--format", "json", "-o", str(target))

    assert status == 2
    assert err.count("\n") == 1
    assert "--force" in err
    assert target.read_text(encoding="utf-8") == "keep"
    status, _, _ = run("audit", str(entries_csv), "--format", "json", "-o", str(target), "--force")
    assert status == 0
    assert json.loads(target.read_text(encoding="utf-8"))["schema_version"] == 2


def test_fail_on_violation_exits_1(entries_csv):
    """--fail-on violation exits 1 when an unwaived violation exists; without it, 0."""
    assert run("audit", str(entries_csv), "--fail-on", "violation")[0] == 1
    assert run("audit", str(entries_csv))[0] == 0


def test_fail_on_warning_counts_violations_too(entries_csv):
    """--fail-on warning exits 1 for a violation (a violation is worse than a warning)."""
    assert run("audit", str(entries_csv), "--fail-on", "warning")[0] == 1


def test_waived_findings_do_not_trip_fail_on(entries_csv, waivers_csv):
    """With the only violation waived, --fail-on violation exits 0 and the report marks it."""
    status, out, err = run(
        "audit",
        str(entries_csv),
        "--waivers",
        str(waivers_csv),
        "--fail-on",
        "violation",
        "--format",
        "json",
    )
    document = json.loads(out)

    assert status == 0, err
    assert document["findings"][0]["waived"] is True
    assert document["findings"][0]["waiver"]["reviewer"] == "J. Ortiz"
    assert (
        document["audit_trail"]["waivers_file"]["sha256"]
        == hashlib.sha256(waivers_csv.read_bytes()).hexdigest()
    )


def test_unused_waiver_is_noted_on_stderr(entries_csv, tmp_path):
    """A waiver that matches nothing is reported, not silently ignored."""
    path = tmp_path / "w.csv"
    path.write_text(
        "entry_number,code,reason,reviewer,date\nB76-0000002-3,VAL001,old,R,2024-01-01\n",
        encoding="utf-8",
    )
    status, out, err = run("audit", str(entries_csv), "--waivers", str(path))

    assert status == 0
    assert "1 waiver(s) matched no finding" in err
    assert "no VAL001 finding on entry B76-0000002-3" in out


def test_bad_waivers_file_is_one_line_exit_2(entries_csv, tmp_path):
    """A malformed waiver row exits 2 with one line naming file, row, column and value."""
    path = tmp_path / "w.csv"
    path.write_text(
        "entry_number,code,reason,reviewer,date\nB76-0000001-5,VAL001,ok,R,2024-02-30\n",
        encoding="utf-8",
    )
    status, out, err = run("audit", str(entries_csv), "--waivers", str(path))

    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "Traceback" not in err
    assert str(path) in err
    assert "row 1" in err
    assert "'date'" in err
    assert "2024-02-30" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["audit", "missing.csv"],
        ["audit", "{csv}", "--waivers", "missing-waivers.csv"],
        ["audit", "{csv}", "--samples", "missing-samples.json"],
        ["audit", "{csv}", "--select", "NOPE"],
        ["audit", "{csv}", "--target-rate", "1.5"],
        ["audit", "{csv}", "--generated-at", "yesterday"],
        ["audit", "{csv}", "--option", "VAL005.window_days=abc"],
        ["audit", "{csv}", "--option", "VAL005.nope=1"],
        ["audit", "{csv}", "--option", "VAL004.nominal_usd=one dollar"],
        ["explain", "XYZ999"],
    ],
)
def test_errors_exit_2_with_one_line_and_no_traceback(entries_csv, tmp_path, monkeypatch, argv):
    """Unreadable input and bad options exit 2 with a single line on standard error."""
    monkeypatch.chdir(tmp_path)
    status, _, err = run(*[a.replace("{csv}", str(entries_csv)) for a in argv])

    assert status == 2
    assert err.count("\n") == 1
    assert err.startswith(f"t86audit {argv[0]}: error: ")
    assert "Traceback" not in err


def test_unknown_format_is_a_usage_error(entries_csv, capsys):
    """--format must be one of the five formats (argparse exits 2)."""
    status, _, _ = run("audit", str(entries_csv), "--format", "pdf")

    assert status == 2
    assert "invalid choice" in capsys.readouterr().err


def test_the_output_name_chooses_the_format_unless_format_is_given(entries_csv, tmp_path):
    """--output report.html writes HTML and report.xlsx a workbook (they held a text report);
    an unknown suffix gives text; --format, when given, decides."""
    html = tmp_path / "report.html"
    assert run("audit", str(entries_csv), "-o", str(html), "--generated-at", AT)[0] == 0
    assert html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    book = tmp_path / "report.xlsx"
    assert run("audit", str(entries_csv), "-o", str(book), "--generated-at", AT)[0] == 0
    assert book.read_bytes()[:4] == b"PK\x03\x04"  # a zip: the workbook
    other = tmp_path / "report.out"
    assert run("audit", str(entries_csv), "-o", str(other), "--generated-at", AT)[0] == 0
    assert other.read_text(encoding="utf-8").startswith("t86audit report\n")
    chosen = tmp_path / "chosen.html"
    status, _, _ = run(
        "audit", str(entries_csv), "-o", str(chosen), "--format", "text", "--generated-at", AT
    )
    assert status == 0
    assert chosen.read_text(encoding="utf-8").startswith("t86audit report\n")


def test_cite_takes_numbers_as_a_letter_lists_them(entries_csv, tmp_path):
    """One per line, or separated by semicolons; inner spaces and case do not matter."""
    samples = tmp_path / "samples.json"
    status, _, err = run(
        "sample",
        str(entries_csv),
        "--cite",
        "b7600000015\nB76 0000002 3 ;",
        "--drawn-at",
        AT,
        "--output",
        str(samples),
    )
    assert status == 0, err
    (sample,) = json.loads(samples.read_text(encoding="utf-8"))["samples"]
    assert sample["entries"] == ["B76-0000001-5", "B76-0000002-3"]


def test_an_audit_with_samples_streams_its_input(entries_csv, tmp_path, monkeypatch):
    """--samples no longer loads the population in memory: a first pass keeps the entries'
    numbers and the sampled entries, then the audit streams; the report is the same."""
    import t86audit.cli  # noqa: PLC0415

    samples = tmp_path / "samples.json"
    status, _, err = run(
        "sample", str(entries_csv), "--cite", "B76-0000001-5", "--drawn-at", AT,
        "--output", str(samples),
    )  # fmt: skip
    assert status == 0, err
    argv = ["audit", str(entries_csv), "--samples", str(samples), "--format", "json"]
    status, expected, err = run(*argv, "--generated-at", AT)
    assert status == 0, err

    def no_load(*_args: object) -> None:
        raise AssertionError("the population was loaded in memory")

    monkeypatch.setattr(t86audit.cli, "_load", no_load)
    status, streamed, err = run(*argv, "--generated-at", AT)
    assert status == 0, err
    assert streamed == expected
    assert json.loads(streamed)["samples"][0]["entries"] == ["B76-0000001-5"]


def test_samples_file_flows_into_the_report(entries_csv, tmp_path):
    """A cited sample from `t86audit sample --cite` gets the letter response and provenance."""
    samples = tmp_path / "samples.json"
    status, _, err = run(
        "sample",
        str(entries_csv),
        "--cite",
        "B76-0000001-5,B76-0000002-3",
        "--drawn-at",
        AT,
        "--output",
        str(samples),
    )
    assert status == 0, err
    status, out, err = run(
        "audit",
        str(entries_csv),
        "--samples",
        str(samples),
        "--format",
        "json",
        "--generated-at",
        AT,
    )
    document = json.loads(out)

    assert status == 0, err
    (sample,) = document["samples"]
    assert sample["projectable"] is False
    assert sample["rate_interval_95"] is None
    assert [e["entry_number"] for e in document["letter_response"]["entries"]] == [
        "B76-0000001-5",
        "B76-0000002-3",
    ]
    invocation = document["audit_trail"]["invocation"]
    assert invocation["samples_file"]["sha256"] == hashlib.sha256(samples.read_bytes()).hexdigest()


def test_target_rate_option_sets_the_zero_failure_size(entries_csv, tmp_path):
    """--target-rate 0.01 gives 299 entries for a clean sample."""
    samples = tmp_path / "samples.json"
    run("sample", str(entries_csv), "--size", "3", "--seed", "1", "--output", str(samples))
    status, out, _ = run(
        "audit",
        str(entries_csv),
        "--samples",
        str(samples),
        "--format",
        "json",
        "--target-rate",
        "0.01",
    )

    assert status == 0
    assert json.loads(out)["samples"][0]["zero_failure_sample_size"] == 299


def test_rules_and_explain_still_work():
    """`rules` (text and JSON) and `explain` keep working."""
    status, text, _ = run("rules")
    assert status == 0
    assert "VAL001" in text
    status, listing, _ = run("rules", "--format", "json")
    assert status == 0
    assert {"code", "name", "family", "severity", "pack", "citations", "summary"} <= set(
        json.loads(listing)[0]
    )
    status, explained, _ = run("explain", "VAL001")
    assert status == 0
    assert "What a careful filer does" in explained


def test_user_reference_tables_enable_table_rules(tmp_path):
    """--pga-flags feeds the rules that need it; without it they are not applicable.

    ELG011 runs on the bundled quota list (butter cookies, 1905.90.90, are not quota goods)."""
    path = tmp_path / "cookies.csv"
    cookies = make_entry(
        lines=[
            {
                "description": "butter cookies, tin of 500 g",
                "hts_number": "1905.90.90.90",
                "value_usd": "12.00",
            }
        ]
    )
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(to_csv_rows([cookies]))
    flags = tmp_path / "flags.csv"
    flags.write_text("hts,flags\n1905.90.90.90,FD4\n", encoding="utf-8")

    code, out, _ = run("audit", str(path), "--select", "ELG012,ELG011", "--format", "json")
    without = {r["code"]: r["status"] for r in json.loads(out)["rules"]}
    code2, out2, _ = run(
        "audit", str(path), "--select", "ELG012", "--format", "json", "--pga-flags", str(flags)
    )
    report = json.loads(out2)

    assert (code, code2) == (0, 0)
    assert without == {"ELG011": "passed", "ELG012": "not_applicable"}
    assert [f["code"] for f in report["findings"]] == ["ELG012"]
    assert "pga_flags" in {s["name"] for s in report["audit_trail"]["reference_data"]}


def test_adcvd_hts_without_orders_is_a_usage_error(entries_csv, tmp_path):
    """A table of HTS numbers without its orders cannot be used."""
    code, _, err = run("audit", str(entries_csv), "--adcvd-hts", str(tmp_path / "x.csv"))

    assert code == 2
    assert "--adcvd-hts needs --adcvd" in err


def test_redact_hides_party_names_in_every_format(entries_csv, tmp_path, monkeypatch):
    """--redact with a key file replaces consignee names; the same key gives the same pseudonym."""
    key = tmp_path / "key.txt"
    key.write_text("ab" * 32, encoding="utf-8")
    monkeypatch.delenv("T86AUDIT_REDACT_KEY", raising=False)
    outputs = []
    for fmt in ("text", "markdown", "html", "json", "csv"):
        code, out, err = run(
            "audit",
            str(entries_csv),
            "--redact-key-file",
            str(key),
            "--format",
            fmt,
            "--generated-at",
            AT,
        )
        assert code == 0, err
        outputs.append(out)
    again = run(
        "audit",
        str(entries_csv),
        "--redact-key-file",
        str(key),
        "--format",
        "json",
        "--generated-at",
        AT,
    )[1]

    assert all("Ann Lee" not in out and "1 A St" not in out for out in outputs)
    assert "Consignee-" in outputs[3]
    assert again == outputs[3]


def test_redact_without_a_key_is_one_line_exit_2(entries_csv, monkeypatch):
    """--redact needs a key: a clear usage error, not a traceback."""
    monkeypatch.delenv("T86AUDIT_REDACT_KEY", raising=False)
    code, _, err = run("audit", str(entries_csv), "--redact")

    assert code == 2
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_two_cited_samples_from_two_files(entries_csv, tmp_path):
    """Two letters' samples, each with its own --id, are audited together; a clash is an error."""
    numbers = ["B76-0000001-5", "B76-0000002-3"]
    for index, number in enumerate(numbers, start=1):
        code, _, err = run(
            "sample",
            str(entries_csv),
            "--cite",
            number,
            "--id",
            f"CBP-{index}",
            "--output",
            str(tmp_path / f"s{index}.json"),
        )
        assert code == 0, err
    code, out, _ = run(
        "audit",
        str(entries_csv),
        "--samples",
        str(tmp_path / "s1.json"),
        "--samples",
        str(tmp_path / "s2.json"),
        "--format",
        "json",
    )
    clash, _, err = run(
        "audit",
        str(entries_csv),
        "--samples",
        str(tmp_path / "s1.json"),
        "--samples",
        str(tmp_path / "s1.json"),
    )

    assert code == 0
    assert [s["id"] for s in json.loads(out)["samples"]] == ["CBP-1", "CBP-2"]
    assert clash == 2
    assert "CBP-1" in err


def test_output_file_gets_ordinary_permissions(entries_csv, tmp_path):
    """A report written with --output is readable like any file the user creates (not 0600)."""
    target = tmp_path / "report.txt"
    umask = os.umask(0o022)
    try:
        code, _, _ = run("audit", str(entries_csv), "--output", str(target))
    finally:
        os.umask(umask)

    assert code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o644
