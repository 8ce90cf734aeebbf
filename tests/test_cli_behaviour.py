"""A command line that behaves: no silent empty audit, errors in option words, suggestions,
refusals before work, quiet pipes, hand-written samples files (issue 15, items 4 and 5)."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import t86audit
from t86audit.cli import cli_wording, main
from t86audit.io._source import ENCODING_HINT
from t86audit.testing import CSV_COLUMNS, make_entry, to_csv_rows


ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "data" / "entries.csv"
AT = "2026-01-01T00:00:00+00:00"
PYTHON_WORDS = ("=True", "=False", "format='", "encoding='", "sheet='", "allow_population")


def run(*argv):
    out, err = io.StringIO(), io.StringIO()
    status = main([str(a) for a in argv], stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def write_rows(path, rows):
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def entries_csv(tmp_path):
    entries = [
        make_entry(
            serial=s, value="950.00" if s == 1 else "20.00", consignee={"name": f"Ann Lee {s}"}
        )
        for s in range(1, 11)
    ]
    return write_rows(tmp_path / "entries.csv", to_csv_rows(entries))


# -- item 4: no silent empty audit ------------------------------------------------------------


def test_every_row_rejected_exits_2_with_count_and_commonest_reason(tmp_path):
    """Dates no reader accepts: not 'Entries audited 0, no findings', but one line and exit 2."""
    rows = to_csv_rows([make_entry(serial=s) for s in range(1, 6)])
    for row in rows:
        # Day or month first, with dots: never guessed (session 22 reads "15.08.2019", whose
        # only reading is 15 Aug, but not this one).
        row["arrival_date"] = "05.08.2019"
    path = write_rows(tmp_path / "export.csv", rows)

    for fmt in ("text", "json"):
        status, out, err = run("audit", path, "--format", fmt)
        assert status == 2
        assert out == ""
        assert err.count("\n") == 1
        assert err.startswith("t86audit audit: error: no entry loaded: 5 of 5 input rows rejected")
        assert "most of them, 5 row(s) for column arrival_date" in err
        assert "'05.08.2019'" in err
    target = tmp_path / "report.html"
    status, _, _ = run("audit", path, "--format", "html", "--output", target)
    assert status == 2
    assert not target.exists()


def test_excel_dates_in_a_csv_are_read_not_rejected(tmp_path):
    """What Excel or pandas writes for dates ('2019-08-15 00:00:00', '8/12/2019 8:10') loads."""
    rows = to_csv_rows([make_entry(serial=s) for s in range(1, 4)])
    rows[0]["arrival_date"] = "2024-06-03 00:00:00"
    rows[1]["arrival_date"] = "6/3/2024 8:10"
    rows[2]["filed_at"] = "6/2/2024 18:30"
    path = write_rows(tmp_path / "pandas.csv", rows)
    status, out, err = run("audit", path, "--format", "json", "--generated-at", AT)
    assert status == 0, err
    assert err == ""
    assert json.loads(out)["input"]["entries_loaded"] == 3


def test_some_rows_rejected_are_noted_and_max_rejected_turns_them_into_exit_1(tmp_path):
    rows = to_csv_rows([make_entry(serial=s) for s in range(1, 11)])
    rows[3]["value_usd"] = "abc"
    path = write_rows(tmp_path / "export.csv", rows)

    status, out, err = run("audit", path)
    assert status == 0
    assert out
    assert err.startswith("t86audit audit: note: 1 of 10 input rows rejected")
    assert "column value_usd" in err

    assert run("audit", path, "--max-rejected", "1")[0] == 0
    assert run("audit", path, "--max-rejected", "10%")[0] == 0
    for limit in ("0", "5%"):
        status, out, err = run("audit", path, "--max-rejected", limit)
        assert status == 1
        assert out  # the report is still written
        assert "more than --max-rejected" in err
    status, _, err = run("audit", path, "--max-rejected", "lots")
    assert status == 2


def test_select_and_ignore_leaving_no_rule_is_a_usage_error(entries_csv):
    status, out, err = run("audit", entries_csv, "--select", "VAL001", "--ignore", "VAL001")
    assert status == 2
    assert out == ""
    assert err == (
        "t86audit audit: error: --select VAL001 --ignore VAL001 leaves no rule to run; "
        "an audit that checks nothing is not run\n"
    )
    status, _, err = run("audit", entries_csv, "--ignore", "VAL,CON,DES,HTS,ELG,FIL")
    assert status == 2
    assert "leaves no rule to run" in err


# -- item 5: a CLI that behaves ---------------------------------------------------------------


def test_existing_output_is_refused_before_the_audit_runs(entries_csv, tmp_path, monkeypatch):
    target = tmp_path / "report.txt"
    target.write_text("keep me", encoding="utf-8")

    def no_audit(*args, **kwargs):
        raise AssertionError("the audit ran")

    monkeypatch.setattr("t86audit.api.audit", no_audit)
    status, _, err = run("audit", entries_csv, "--output", target)
    assert status == 2
    assert err == f"t86audit audit: error: {target} already exists; pass --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "keep me"
    status, _, err = run("sample", entries_csv, "--seed", "1", "--output", target)
    assert status == 2
    assert "--force" in err


@pytest.mark.parametrize("fmt", ["JSON", "Html", "CSV"])
def test_format_is_case_insensitive(entries_csv, fmt):
    status, out, err = run("audit", entries_csv, "--format", fmt, "--generated-at", AT)
    assert status == 0, err
    assert "VAL001" in out


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["audit", "{csv}", "--fromat", "json"], "did you mean --format?"),
        (["audit", "{csv}", "--fail-onn", "warning"], "did you mean --fail-on?"),
        (["audit", "{csv}", "--format", "jsn"], "did you mean 'json'?"),
        (["load", "{csv}", "--encodng", "latin-1"], "did you mean --encoding?"),
    ],
)
def test_mistyped_options_suggest_the_right_one(entries_csv, capsys, argv, hint):
    status = main([a.format(csv=entries_csv) for a in argv])
    assert status == 2
    assert hint in capsys.readouterr().err


def test_abbreviated_options_still_work(entries_csv):
    status, out, _ = run("audit", entries_csv, "--form", "json", "--generated-at", AT)
    assert status == 0
    assert json.loads(out)["schema_version"] >= 1


def test_errors_name_options_not_python_keywords(entries_csv, tmp_path):
    """Encoding, format and population errors say --encoding, --input-format, ..."""
    latin = tmp_path / "latin.csv"
    latin.write_bytes(entries_csv.read_bytes().replace(b"Ann Lee 1", b"Ren\xe9 Lee"))
    odd = tmp_path / "entries.dat"
    odd.write_bytes(entries_csv.read_bytes())
    samples = tmp_path / "samples.json"
    assert run("sample", entries_csv, "--seed", "3", "--size", "3", "--output", samples)[0] == 0
    larger = write_rows(
        tmp_path / "larger.csv", to_csv_rows([make_entry(serial=s) for s in range(1, 13)])
    )
    cases = {
        "--encoding latin-1": ["audit", latin],
        "--input-format csv": ["audit", odd],
        "--allow-population-change": ["audit", larger, "--samples", samples],
    }
    for option, argv in cases.items():
        status, _, err = run(*argv)
        assert status == 2, err
        assert option in err
        assert err.count("\n") == 1
        assert not any(word in err for word in PYTHON_WORDS), err
    assert run("audit", odd, "--input-format", "csv")[0] == 0
    status, _, err = run(
        "audit", larger, "--samples", samples, "--allow-population-change", "--generated-at", AT
    )
    assert status == 0, err


def test_cli_wording_covers_the_library_hints():
    assert cli_wording(ENCODING_HINT) == "pass --encoding latin-1 if the file is not UTF-8"
    assert "=" not in cli_wording("pass allow_population_change=True to go on")


def test_scattered_rows_of_an_ordinary_file_load_without_a_note(tmp_path):
    """Loading in memory when rows are not adjacent is the tool's business: no note."""
    rows = to_csv_rows([make_entry(serial=1), make_entry(serial=2)])
    rows.append(dict(rows[0], line_number="2"))  # entry 1's second line after entry 2
    path = write_rows(tmp_path / "scattered.csv", rows)
    status, out, err = run("audit", path, "--generated-at", AT)
    assert status == 0
    assert out
    assert err == ""
    status, out, err = run("load", path)
    assert (status, err) == (0, "")
    assert "entries loaded: 2 (3 rows)" in out


def test_a_large_scattered_input_is_read_again_with_a_note(tmp_path, monkeypatch):
    """Above the note's size the command line says the rows are read again, entry by entry."""
    import t86audit.cli  # noqa: PLC0415

    monkeypatch.setattr(t86audit.cli, "_FALLBACK_NOTE_BYTES", 0)
    rows = to_csv_rows([make_entry(serial=1), make_entry(serial=2)])
    rows.append(dict(rows[0], line_number="2"))
    path = write_rows(tmp_path / "scattered.csv", rows)
    status, out, err = run("load", path)
    assert status == 0
    assert "entries loaded: 2 (3 rows)" in out
    assert "rows of some entries are not adjacent" in err
    assert "read again entry by entry" in err


def test_closed_pipe_ends_quietly():
    """`t86audit audit ... | head -1`: no traceback, no BrokenPipeError."""
    script = (
        f'"{sys.executable}" -m t86audit audit "{EXAMPLE}" --select VAL --format json | head -n 1'
    )
    done = subprocess.run(
        script,
        shell=True,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT / "src")},
    )
    assert done.stdout == "{\n"
    assert "Traceback" not in done.stderr
    assert "BrokenPipe" not in done.stderr
    assert "Exception ignored" not in done.stderr


def test_hand_written_samples_file_needs_only_id_method_and_entries(tmp_path):
    """A letter's sample typed by hand: id, method, entries; the rest is checked when present."""
    entries = [
        make_entry(
            serial=s,
            value="950.00" if s <= 2 else "20.00",
            consignee={"name": f"Ann Lee {s}", "address": f"{s} A St"},
        )
        for s in range(1, 6)
    ]
    path = write_rows(tmp_path / "entries.csv", to_csv_rows(entries))
    numbers = [str(e.entry_number) for e in entries]
    samples = tmp_path / "letter.json"
    samples.write_text(
        json.dumps({"samples": [{"id": "CBP-1", "method": "cited", "entries": numbers[:3]}]}),
        encoding="utf-8",
    )
    status, out, err = run("audit", path, "--samples", samples, "--format", "json")
    assert status == 0, err
    (sample,) = json.loads(out)["samples"]
    assert (sample["id"], sample["size"], sample["entries_with_violations"]) == ("CBP-1", 3, 2)

    samples.write_text(
        json.dumps(
            {"samples": [{"id": "CBP-1", "method": "cited", "entries": numbers[:3], "size": 4}]}
        ),
        encoding="utf-8",
    )
    status, _, err = run("audit", path, "--samples", samples)
    assert status == 2
    assert "'size' is 4 but 3 entries are listed" in err


def test_random_sample_in_which_every_entry_fails_has_upper_bound_one(tmp_path):
    entries = [make_entry(serial=s, value="950.00") for s in range(1, 13)]
    path = write_rows(tmp_path / "entries.csv", to_csv_rows(entries))
    samples = tmp_path / "samples.json"
    document = {
        "samples": [
            {
                "id": "R1",
                "method": "random",
                "seed": 7,
                # The seed's own draw: a hand-picked "random" sample is refused.
                "entries": list(t86audit.draw_samples(entries, size=10, seed=7)[0].entry_numbers),
                "drawn_at": "2024-06-11T09:00:00+00:00",
            }
        ]
    }
    samples.write_text(json.dumps(document), encoding="utf-8")
    status, out, err = run("audit", path, "--samples", samples, "--format", "json")
    assert status == 0, err
    (sample,) = json.loads(out)["samples"]
    assert sample["entries_with_violations"] == 10
    assert sample["upper_bound_95"] == 1.0
