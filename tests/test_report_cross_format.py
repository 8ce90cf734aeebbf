"""Every report format says the same thing: the figures agree and each carries its contract.

A counsel reads the HTML, a compliance officer the workbook, a script the JSON or CSV: the counts,
the entries, the findings, the waivers, the samples and the exposure figures must be the same in
all six formats. The human formats are parsed (their label/value lists and tables), not eyeballed.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from collections import Counter
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

import t86audit
from t86audit.report.csv import COLUMNS
from t86audit.testing import make_entry


openpyxl = pytest.importorskip("openpyxl")

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "examples" / "data"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
HUMAN = ("text", "markdown", "html")


# --- parsing the human formats -------------------------------------------------------------


class _Tables(HTMLParser):
    """The HTML's tables (header cells, rows of cell text) and its <dt>/<dd> pairs."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self.pairs: list[tuple[str, str]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False
        self._dt: str | None = None
        self._def: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th"):
            self._cell = []
        elif tag in ("dt", "dd"):
            self._def = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            header, rows = self.tables[-1]
            if self._in_head:
                header.extend(self._row)
            else:
                rows.append(self._row)
            self._row = None
        elif tag == "dt" and self._def is not None:
            self._dt = "".join(self._def).strip()
            self._def = None
        elif tag == "dd" and self._def is not None and self._dt is not None:
            self.pairs.append((self._dt, "".join(self._def).strip()))
            self._def = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._def is not None:
            self._def.append(data)


def _text_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    """The text report's tables: a header line over a dashed line gives the column spans."""
    lines = text.splitlines()
    tables = []
    for i in range(1, len(lines)):
        rule = lines[i]
        if not rule or not re.fullmatch(r"-+( +-+)*", rule):
            continue
        spans = [(m.start(), m.end()) for m in re.finditer(r"-+", rule)]
        if len(spans) < 2:
            continue

        def cells(line: str, spans: list[tuple[int, int]] = spans) -> list[str]:
            out = []
            for k, (start, _end) in enumerate(spans):
                stop = spans[k + 1][0] if k + 1 < len(spans) else len(line)
                out.append(line[start:stop].strip())
            return out

        rows = []
        for line in lines[i + 1 :]:
            if not line.strip():
                break
            rows.append(cells(line))
        tables.append((cells(lines[i - 1]), rows))
    return tables


def _markdown_tables(text: str) -> list[tuple[list[str], list[list[str]]]]:
    lines = text.splitlines()
    tables = []

    def cells(line: str) -> list[str]:
        parts = re.split(r"(?<!\\)\|", line.strip())[1:-1]
        return [re.sub(r"\\(.)", r"\1", p.strip()) for p in parts]

    for i in range(1, len(lines)):
        if re.fullmatch(r"\|( ?-+:? ?\|)+", lines[i].strip()) and lines[i - 1].startswith("|"):
            rows = []
            for line in lines[i + 1 :]:
                if not line.startswith("|"):
                    break
                rows.append(cells(line))
            tables.append((cells(lines[i - 1]), rows))
    return tables


def _strip_md(value: str) -> str:
    value = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", value)
    return re.sub(r"\\(.)", r"\1", value).replace("**", "")


def parse_human(fmt: str, document: str) -> dict[str, Any]:
    """Label/value pairs and tables of a text, Markdown or HTML report."""
    if fmt == "html":
        parser = _Tables()
        parser.feed(document)
        tables = [(h, [[html.unescape(c) for c in r] for r in rows]) for h, rows in parser.tables]
        return {"pairs": parser.pairs, "tables": tables}
    if fmt == "markdown":
        pairs = [
            (m.group(1), _strip_md(m.group(2)))
            for m in re.finditer(r"^- \*\*(.+?):\*\* (.*)$", document, re.M)
        ]
        tables = [
            (h, [[_strip_md(c) for c in r] for r in rows])
            for h, rows in _markdown_tables(document)
        ]
        return {"pairs": pairs, "tables": tables}
    pairs = [
        (m.group(1).strip(), m.group(2).strip())
        for m in re.finditer(r"^(\S[^\n]*?) {2,}(\S[^\n]*)$", document, re.M)
    ]
    return {"pairs": pairs, "tables": _text_tables(document)}


def values(parsed: dict[str, Any], label: str) -> list[str]:
    return [v for k, v in parsed["pairs"] if k == label]


def table(parsed: dict[str, Any], *header: str) -> list[dict[str, str]]:
    """The rows of the first table whose header starts with ``header``, as dicts."""
    for head, rows in parsed["tables"]:
        if tuple(head[: len(header)]) == header:
            # A repeated header (the exposure table's two "Entry" columns) keeps its first cell.
            out = []
            for row in rows:
                cells: dict[str, str] = {}
                for name, cell in zip(head, row, strict=False):
                    cells.setdefault(name, cell)
                out.append(cells)
            return out
    msg = f"no table {header}"
    raise AssertionError(msg)


def number(text: str) -> int:
    return int(text.replace(",", ""))


def money(text: str) -> Decimal:
    return Decimal(text.replace("$", "").replace(",", ""))


# --- the reports ------------------------------------------------------------------------------


def _render_all(report: t86audit.Report, tmp: Path) -> dict[str, Any]:
    out: dict[str, Any] = {"report": report}
    for fmt in ("json", "csv", *HUMAN):
        out[fmt] = report.render(fmt)
    path = report.save(tmp / "report.xlsx")
    out["xlsx"] = openpyxl.load_workbook(path, read_only=True)
    out["doc"] = json.loads(out["json"])
    out["csv_rows"] = list(csv.reader(io.StringIO(out["csv"], newline="")))
    for fmt in HUMAN:
        out[f"parsed_{fmt}"] = parse_human(fmt, out[fmt])
    return out


def _waivers_file(tmp: Path) -> Path:
    base = t86audit.audit(DATA / "entries.csv", generated_at=AT, exposure=False)
    chosen: dict[str, Any] = {}
    for finding in base.findings:
        if finding.severity.value != "info" and finding.code not in chosen and len(chosen) < 4:
            chosen[finding.code] = finding
    # Waive one VAL001 too, an ineligibility finding: the exposure must not change.
    val = next(f for f in base.findings if f.code == "VAL001")
    chosen["VAL001"] = val
    path = tmp / "waivers.csv"
    lines = ["entry_number,code,reason,reviewer,date"]
    lines += [f"{f.entry_number},{code},checked,J. Ortiz,2026-01-10" for code, f in chosen.items()]
    lines.append("B76-0000000-0,VAL001,stale,J. Ortiz,2026-01-10")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module", params=["entries", "entries-2", "waivers", "samples"])
def rendered(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    tmp = tmp_path_factory.mktemp(request.param)
    name = "entries-2.csv" if request.param == "entries-2" else "entries.csv"
    kwargs: dict[str, Any] = {"generated_at": AT}
    if request.param in ("waivers", "samples"):
        kwargs["waivers"] = _waivers_file(tmp)
    population: Any = DATA / name
    if request.param == "samples":
        from t86audit.sample import draw_samples  # noqa: PLC0415

        population = t86audit.load(DATA / name)
        kwargs["samples"] = draw_samples(population, size=10, count=2, seed=7, drawn_at=AT)
    return _render_all(t86audit.audit(population, **kwargs), tmp)


def _sheet(out: dict[str, Any], name: str) -> list[list[Any]]:
    # Days are date cells (since the nineteenth session): compared as the ISO text of the day.
    return [
        [v.date().isoformat() if isinstance(v, dt.datetime) else v for v in row]
        for row in out["xlsx"][name].iter_rows(values_only=True)
    ]


def _summary_sheet(out: dict[str, Any]) -> dict[str, Any]:
    return {
        row[0]: row[1] for row in _sheet(out, "Summary") if len(row) > 1 and row[0] is not None
    }


# --- the checks -------------------------------------------------------------------------------


def test_counts_by_severity_agree(rendered: dict[str, Any]) -> None:
    report, doc = rendered["report"], rendered["doc"]
    by_severity = Counter(f["severity"] for f in doc["findings"])
    waived = sum(f["waived"] for f in doc["findings"])
    for severity in ("violation", "warning", "info"):
        assert doc["counts"][severity] == by_severity[severity] == report.counts()[severity]
    assert doc["counts"]["waived"] == waived == report.waived_count
    csv_severity = Counter(row[0] for row in rendered["csv_rows"][1:])
    assert csv_severity == by_severity
    summary = _summary_sheet(rendered)
    assert summary["violations"] == by_severity["violation"]
    assert summary["warnings"] == by_severity["warning"]
    assert summary["infos"] == by_severity["info"]
    assert summary["waived"] == waived
    for fmt in HUMAN:
        parsed = rendered[f"parsed_{fmt}"]
        assert number(values(parsed, "Violations")[0]) == by_severity["violation"], fmt
        assert number(values(parsed, "Warnings")[0]) == by_severity["warning"], fmt
        assert number(values(parsed, "Info notes")[0]) == by_severity["info"], fmt
        assert number(values(parsed, "Waived findings")[0]) == waived, fmt


def test_entries_audited_and_clean_agree(rendered: dict[str, Any]) -> None:
    doc = rendered["doc"]
    entries = doc["entries"]
    clean = sum(1 for e in entries if e["status"] == "clean")
    assert doc["input"]["entries_loaded"] == len(entries)
    summary = _summary_sheet(rendered)
    assert summary["entries audited"] == len(entries)
    assert summary["entries loaded"] == doc["input"]["entries_loaded"]
    assert summary["rows read"] == doc["input"]["rows_read"]
    assert summary["rows rejected (see Load errors)"] == doc["input"]["rows_rejected"]
    assert summary["entries with a finding"] == sum(
        1 for e in entries if e["violations"] + e["warnings"] + e["infos"]
    )
    for fmt in HUMAN:
        parsed = rendered[f"parsed_{fmt}"]
        audited = [v for v in values(parsed, "Entries audited") if "clean" in v]
        assert audited == [f"{len(entries):,} ({clean:,} clean)"], fmt
        rows = values(parsed, "Input rows")
        read, rejected = doc["input"]["rows_read"], doc["input"]["rows_rejected"]
        assert rows == [f"{read:,} read, {rejected:,} rejected"], fmt


def test_entries_per_rule_agree(rendered: dict[str, Any]) -> None:
    doc = rendered["doc"]
    affected: dict[str, set[str]] = {}
    for f in doc["findings"]:
        affected.setdefault(f["code"], set()).add(f["entry_number"])
    findings = Counter(f["code"] for f in doc["findings"])
    waived = Counter(f["code"] for f in doc["findings"] if f["waived"])
    rules = {r["code"]: r for r in doc["rules"]}
    for code, count in findings.items():
        assert rules[code]["findings"] == count
        assert rules[code]["waived"] == waived[code]
    summary = _sheet(rendered, "Summary")
    start = next(i for i, row in enumerate(summary) if row and row[0] == "Findings by rule")
    sheet = {row[0]: row for row in summary[start + 1 :] if row and row[0] in affected}
    assert {code: row[3] for code, row in sheet.items()} == dict(findings)
    assert {code: row[4] for code, row in sheet.items()} == {
        c: len(e) for c, e in affected.items()
    }
    for fmt in HUMAN:
        parsed = rendered[f"parsed_{fmt}"]
        by_rule = table(parsed, "Code", "Rule", "What it means") if affected else []
        assert {r["Code"]: number(r["Entries affected"]) for r in by_rule} == {
            c: len(e) for c, e in affected.items()
        }, fmt
        appendix = table(parsed, "Code", "Rule", "What it checks")
        assert {r["Code"]: number(r["Findings"]) for r in appendix if r["Code"] in rules} == {
            c: r["findings"] for c, r in rules.items()
        }, fmt
        assert {r["Code"]: number(r["Waived"]) for r in appendix} == {
            c: r["waived"] for c, r in rules.items()
        }, fmt


def test_findings_same_in_json_csv_xlsx_and_records(rendered: dict[str, Any]) -> None:
    doc, report = rendered["doc"], rendered["report"]
    header, *rows = rendered["csv_rows"]
    assert tuple(header) == COLUMNS
    assert len(rows) == len(doc["findings"])
    sheet_header, *sheet_rows = _sheet(rendered, "Findings")
    assert tuple(sheet_header) == COLUMNS
    assert len(sheet_rows) == len(rows)
    records = report.to_records()
    frame = report.to_dataframe()
    assert list(frame.columns) == list(COLUMNS)
    assert len(frame) == len(rows)
    for finding, row, sheet_row, record in zip(
        doc["findings"], rows, sheet_rows, records, strict=True
    ):
        cells = dict(zip(COLUMNS, row, strict=True))
        sheet_cells = dict(zip(COLUMNS, sheet_row, strict=True))
        for key in ("severity", "code", "name", "entry_number", "field", "basis"):
            assert cells[key] == finding[key] == (sheet_cells[key] or "") == record[key], key
        for key in ("observed", "expected", "message"):
            # The CSV may neutralise a formula; the JSON keeps the value as filed.
            assert cells[key].removeprefix("'") == finding[key].removeprefix("'"), key
            assert (sheet_cells[key] or "") == cells[key], key
        line = finding["line_number"]
        assert cells["line_number"] == ("" if line is None else str(line))
        assert sheet_cells["line_number"] == line
        # The CSV marks a citation issued after the entry as the JSON's details do.
        assert cells["citations"] == "; ".join(
            f"{c['text']} [{c['later_note']}]" if c["later_guidance"] else c["text"]
            for c in finding["citation_details"]
        )
        assert [c["text"] for c in finding["citation_details"]] == finding["citations"]
        assert cells["related_entries"] == " ".join(finding["related_entries"])
        assert cells["samples"] == " ".join(finding["samples"])
        assert cells["policy_period"] == finding["policy_period"]
        assert cells["waived"] == ("true" if finding["waived"] else "false")
        assert sheet_cells["waived"] == cells["waived"]
        waiver = finding["waiver"] or {}
        assert cells["waiver_reviewer"] == (waiver.get("reviewer") or "")
        assert cells["waiver_date"] == (waiver.get("date") or "")
        assert cells["source"] == (finding["source"] or "")
        assert cells["source_rows"] == " ".join(str(r) for r in finding["source_rows"])
        for key in COLUMNS:
            expected = cells[key]
            got = sheet_cells[key]
            got = "" if got is None else str(got)
            assert got == expected, (key, finding["code"], finding["entry_number"])


def test_entries_same_in_json_xlsx_and_dataframe(rendered: dict[str, Any]) -> None:
    doc, report = rendered["doc"], rendered["report"]
    header, *rows = _sheet(rendered, "Entries")
    frame = report.to_dataframe("entries")
    assert len(rows) == len(doc["entries"]) == len(frame)
    records = frame.to_dict("records")
    for entry, row, record in zip(doc["entries"], rows, records, strict=True):
        cells = dict(zip(header, row, strict=True))
        for key in header:
            value = entry[key]
            if isinstance(value, list):
                value = " ".join(value) if value else None
            if value == "":
                value = None
            assert cells[key] == value, (key, entry["entry_number"])
            frame_value = record[key]
            if isinstance(frame_value, tuple):
                frame_value = " ".join(frame_value) if frame_value else None
            if isinstance(frame_value, dt.date):
                frame_value = frame_value.isoformat()
            if frame_value == "":
                frame_value = None
            assert frame_value == value, (key, entry["entry_number"])


def test_samples_agree(rendered: dict[str, Any]) -> None:
    doc = rendered["doc"]
    header, *rows = _sheet(rendered, "Samples")
    assert len(rows) == len(doc["samples"])
    for sample, row in zip(doc["samples"], rows, strict=True):
        cells = dict(zip(header, row, strict=True))
        assert cells["id"] == sample["id"]
        assert cells["size"] == sample["size"] == len(sample["entries"])
        assert cells["entries_with_violations"] == sample["entries_with_violations"]
        assert cells["entries"] == " ".join(sample["entries"])
        interval = sample["rate_interval_95"] or [None, None]
        assert [cells["rate_interval_95_low"], cells["rate_interval_95_high"]] == interval
        assert cells["upper_bound_95"] == sample["upper_bound_95"]
        assert cells["point_estimate"] == sample["point_estimate"]
    for fmt in HUMAN:
        parsed = rendered[f"parsed_{fmt}"]
        if not doc["samples"]:
            continue
        shown = table(parsed, "Sample", "Method", "Size")
        assert [
            (r["Sample"], number(r["Size"]), number(r["With a violation"])) for r in shown
        ] == [(s["id"], s["size"], s["entries_with_violations"]) for s in doc["samples"]], fmt


def test_csv_header_is_the_documented_one() -> None:
    doc = (ROOT / "docs" / "reading-a-report.md").read_text(encoding="utf-8")
    listed = re.search(r"one row per finding with the columns (.+?)\. Every cell", doc, re.S)
    assert listed is not None
    names = [n.strip(" `\n") for n in listed.group(1).replace("\n", " ").split(",")]
    assert tuple(names) == COLUMNS


def test_load_errors_agree(rendered: dict[str, Any]) -> None:
    doc = rendered["doc"]
    header, *rows = _sheet(rendered, "Load errors")
    assert tuple(header) == ("source", "row", "column", "value", "message")
    assert [list(r) for r in rows] == [
        [e["source"], e["row"], e["column"], e["value"] or None, e["message"]]
        for e in doc["load_errors"]
    ]
    assert doc["input"]["rows_rejected"] == len(
        {(e["source"], e["row"]) for e in doc["load_errors"]}
    )


def test_exposure_totals_agree(rendered: dict[str, Any]) -> None:
    exposure = rendered["doc"]["exposure"]
    totals = exposure["totals"]
    listed = exposure["entries"]
    assert totals["entries"] == len(listed)
    computable = [e for e in listed if e["computable"]]
    for key in ("duty_usd", "loss_of_revenue_usd"):
        assert Decimal(totals[key]) == sum((Decimal(e[key]) for e in computable), Decimal(0))
    # Fees are summed over every listed entry (estimating-exposure.md), computable or not: the
    # fee amounts of each entry are in its entry_amounts even when its fees_usd is null.
    fees = [
        Decimal(a["amount_usd"])
        for e in listed
        for a in e["entry_amounts"]
        if a["kind"] == "fee" and a["amount_usd"] is not None
    ]
    assert Decimal(totals["fees_usd"]) == sum(fees, Decimal(0))
    assert Decimal(totals["entered_value_usd"]) == sum(
        (Decimal(e["entered_value_usd"]) for e in listed), Decimal(0)
    )
    if not listed:
        return
    ceilings = {c["culpability"]: c for c in exposure["penalty_ranges"]["ceilings"]}
    for fmt in HUMAN:
        parsed = rendered[f"parsed_{fmt}"]
        assert [money(v) for v in values(parsed, "Loss of revenue")] == [
            Decimal(totals["loss_of_revenue_usd"])
        ], fmt
        assert [money(v.split(" (")[0]) for v in values(parsed, "Duties")] == [
            Decimal(totals["duty_usd"])
        ], fmt
        # "$65.95 ($60.80 of the computable entries, ...)" when some entries are not
        # computable: the total first, then the fees that with the duties make the loss.
        shown_fees = values(parsed, "Fees (MPF, HMF)")
        assert [money(v.split(" (")[0]) for v in shown_fees] == [Decimal(totals["fees_usd"])], fmt
        if totals["not_computable_entries"]:
            (fees_text,) = shown_fees
            loss_fees = money(fees_text.split(" (")[1].split(" of the computable")[0])
            assert loss_fees + Decimal(totals["duty_usd"]) == Decimal(
                totals["loss_of_revenue_usd"]
            ), fmt
        assert [money(v) for v in values(parsed, "Entered value")] == [
            Decimal(totals["entered_value_usd"])
        ], fmt
        assert [number(v) for v in values(parsed, "Ineligible entries")] == [totals["entries"]]
        shown = table(parsed, "Culpability", "Provision")
        assert [money(r["Ceiling"]) for r in shown] == [
            Decimal(c["total_usd"]) for c in ceilings.values()
        ], fmt
        per_entry = table(parsed, "Entry", "Arrival", "Reasons")
        assert [r["Entry"] for r in per_entry] == [e["entry_number"] for e in listed], fmt
        for row, entry in zip(per_entry, listed, strict=True):
            assert row["Arrival"] == entry["arrival_date"]
            assert money(row["Value"]) == Decimal(entry["entered_value_usd"])
            if entry["computable"]:
                assert money(row["Loss"]) == Decimal(entry["loss_of_revenue_usd"]), fmt


_MONEY_KEY = re.compile(r"_usd$")


def _money_values(node: Any, path: str = "") -> list[tuple[str, Any]]:
    found: list[tuple[str, Any]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if _MONEY_KEY.search(key) and not isinstance(value, dict | list):
                found.append((f"{path}.{key}", value))
            found += _money_values(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            found += _money_values(value, f"{path}[{i}]")
    return found


def test_money_is_two_decimal_strings_everywhere(rendered: dict[str, Any]) -> None:
    doc = rendered["doc"]
    for path, value in _money_values(doc):
        if value is None:
            continue
        if isinstance(value, list):
            continue
        assert isinstance(value, str), path
        assert re.fullmatch(r"-?\d+\.\d\d", value), (path, value)
    noise = re.compile(r"\d\.\d*0000000\d|\d\.\d*9999999\d")
    for fmt in ("json", "csv", *HUMAN):
        assert not noise.search(rendered[fmt]), fmt
    for fmt in HUMAN:
        # An amount with cents has exactly two ($812.40); a whole amount in prose ($800) none.
        for amount in re.findall(r"\$\d[\d,]*(?:\.\d+)?", rendered[fmt]):
            assert re.fullmatch(r"\$\d{1,3}(,\d{3})*(\.\d\d)?", amount), (fmt, amount)


def test_dates_are_iso(rendered: dict[str, Any]) -> None:
    doc = rendered["doc"]
    for entry in doc["entries"]:
        dt.date.fromisoformat(entry["arrival_date"])
    for e in doc["exposure"]["entries"]:
        dt.date.fromisoformat(e["arrival_date"])
    header, *rows = _sheet(rendered, "Entries")
    at = header.index("arrival_date")
    for row in rows:
        assert isinstance(row[at], str)
        dt.date.fromisoformat(row[at])
    for row in rendered["csv_rows"][1:]:
        arrival = row[COLUMNS.index("arrival_date")]
        if arrival:
            dt.date.fromisoformat(arrival)
        waived = row[COLUMNS.index("waiver_date")]
        if waived:
            dt.date.fromisoformat(waived)


def test_json_matches_schema_and_contract(rendered: dict[str, Any]) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
    doc = rendered["doc"]
    jsonschema.validate(doc, schema)
    for key in (
        "schema_version",
        "tool",
        "generated_at",
        "input",
        "rules",
        "findings",
        "samples",
        "load_errors",
    ):
        assert key in doc
    assert set(doc["input"]) >= {"sources", "rows_read", "entries_loaded", "rows_rejected"}
    finding_keys = {
        "code",
        "name",
        "severity",
        "entry_number",
        "line_number",
        "field",
        "observed",
        "expected",
        "message",
        "citations",
        "related_entries",
        "waived",
    }
    for finding in doc["findings"]:
        assert set(finding) >= finding_keys
    for rule in doc["rules"]:
        assert set(rule) >= {"code", "name", "severity", "status", "findings"}
    sample_keys = {
        "id",
        "method",
        "seed",
        "size",
        "entries",
        "entries_with_violations",
        "projectable",
        "rate_interval_95",
        "upper_bound_95",
    }
    for sample in doc["samples"]:
        assert set(sample) >= sample_keys
    for error in doc["load_errors"]:
        assert set(error) >= {"source", "row", "column", "value", "message"}
    entry_keys = {
        "entry_number",
        "reasons",
        "entered_value_usd",
        "duty_usd",
        "fees_usd",
        "loss_of_revenue_usd",
        "computable",
        "not_computable_reason",
        "penalty_70531",
        "lines",
    }
    for entry in doc["exposure"]["entries"]:
        assert set(entry) >= entry_keys
    read = doc["input"]["rows_read"]
    assert read == sum(s["rows_read"] for s in doc["input"]["sources"])
    assert read == sum(e["rows"] for e in doc["entries"]) + doc["input"]["rows_rejected"]


# --- formula neutralisation on a small hostile input -----------------------------------------

HOSTILE = ("=1+2", "+SUM(A1)", "-5+3", "@cmd", "  =HYPERLINK(1)")


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    entries = [
        make_entry(
            serial=i + 1,
            value="950.00",
            consignee={"name": bad, "address": "1 Main Street"},
            seller={"name": bad, "address": "2 High St", "country": "VN"},
            lines=[{"description": bad, "value_usd": "950.00"}],
        )
        for i, bad in enumerate(HOSTILE)
    ]
    return _render_all(t86audit.audit(entries, generated_at=AT), tmp_path_factory.mktemp("h"))


def _formula_like(value: str) -> bool:
    return value.lstrip()[:1] in ("=", "+", "-", "@")


def test_csv_and_xlsx_neutralise_formulas(hostile: dict[str, Any]) -> None:
    _header, *rows = hostile["csv_rows"]
    assert rows
    seen = set()
    for row in rows:
        for value in row:
            assert not _formula_like(value), value
            if value.startswith("'"):
                seen.add(value[1:])
    assert set(HOSTILE) <= seen
    for name in ("Findings", "Entries", "Samples", "Load errors", "Summary"):
        for row in _sheet(hostile, name):
            for value in row:
                if isinstance(value, str):
                    assert not _formula_like(value), (name, value)
    entries_sheet = _sheet(hostile, "Entries")
    consignees = {row[entries_sheet[0].index("consignee")] for row in entries_sheet[1:]}
    assert consignees == {"'" + bad for bad in HOSTILE}
    doc = hostile["doc"]
    assert {e["consignee"] for e in doc["entries"]} == set(HOSTILE)
