"""Report content: findings, rules and entries, samples, patterns, letter, waivers, trail."""

import csv
import datetime as dt
import hashlib
import json
import sys

import pytest

import t86audit
from t86audit.report import CULPABILITY_NOTE, DISCLAIMER, Report
from t86audit.report.csv import COLUMNS
from t86audit.sample import draw_samples
from t86audit.testing import CSV_COLUMNS, make_entry, make_population, make_sample, to_csv_rows
from t86audit.waivers import Waiver


AT = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
DRAWN = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


def person(i):
    """A distinct consignee, so no group rule links the entries."""
    return {"name": f"Person {i}", "address": f"{i} Main Street"}


def entries_with_violations(k, n=10):
    """``n`` entries of which the first ``k`` are over the $800 threshold (VAL001)."""
    return [
        make_entry(serial=i, value="950.00" if i <= k else "20.00", consignee=person(i))
        for i in range(1, n + 1)
    ]


def test_findings_sorted_by_severity_then_code_then_entry():
    """Violations come before warnings; within a severity, by code then entry number."""
    entries = [
        make_entry(serial=3, value="950.00", consignee=person(3)),
        make_entry(serial=1, value="950.00", consignee=person(1)),
        make_entry(serial=2, consignee={"name": "", "address": "2 Main Street"}),
        make_entry(serial=4, lines=[{"description": "gift"}], consignee=person(4)),
    ]
    report = t86audit.audit(entries, generated_at=AT)
    keys = [(-f.severity.rank, f.code, f.entry_number) for f in report.findings]

    assert keys == sorted(keys)
    assert {f.code for f in report.findings} >= {"VAL001", "CON001"}


def test_every_entry_listed_and_clean_entries_are_clean():
    """The per-entry summary lists every audited entry; one without findings reads clean."""
    report = t86audit.audit(entries_with_violations(1, 3), select=["VAL001"], generated_at=AT)
    rows = {r.entry_number: r for r in report.entry_rows}
    data = report.to_dict()

    assert len(rows) == 3
    assert rows["B76-0000001-5"].status == "violation"
    assert rows["B76-0000001-5"].violations == 1
    assert [rows[n].status for n in ("B76-0000002-3", "B76-0000003-1")] == ["clean", "clean"]
    assert [e["status"] for e in data["entries"]] == ["violation", "clean", "clean"]
    assert "clean" in report.to_text()


def test_rule_table_has_status_count_and_severity():
    """Each rule shows its status, finding count and severity, in JSON and in text."""
    report = t86audit.audit(entries_with_violations(2, 3), select=["VAL"], generated_at=AT)
    rules = {r["code"]: r for r in report.to_dict()["rules"]}

    assert rules["VAL001"]["status"] == "failed"
    assert rules["VAL001"]["findings"] == 2
    assert rules["VAL001"]["severity"] == "violation"
    assert rules["VAL003"]["status"] == "passed"
    assert "VAL001  entry-value-over-threshold" in report.to_text()


# Reference section 6.2: k of 10 -> (95% interval low %, high %, one-sided upper bound %).
TABLE_6_2 = {
    0: ("0.0%", "30.8%", "25.9%"),
    1: ("0.3%", "44.5%", "39.4%"),
    2: ("2.5%", "55.6%", "50.7%"),
    3: ("6.7%", "65.2%", "60.7%"),
    5: ("18.7%", "81.3%", "77.8%"),
    10: ("69.2%", "100.0%", "100.0%"),  # all ten failed: the bound is 100% (issue 15)
}


@pytest.mark.parametrize("k", sorted(TABLE_6_2))
def test_random_sample_bounds_equal_reference_table(k):
    """A seeded random sample of 10 with k violating entries reports the section 6.2 values."""
    population = entries_with_violations(k)
    (sample,) = draw_samples(population, size=10, seed=7, drawn_at=DRAWN)
    report = t86audit.audit(population, samples=[sample], select=["VAL001"], generated_at=AT)
    (ev,) = report.samples
    low, high, upper = TABLE_6_2[k]
    text = report.to_text()
    js = report.to_dict()["samples"][0]

    assert ev.entries_with_violations == k
    assert f"95% interval (exact, two-sided)       {low} to {high}" in text
    assert f"95% upper bound (exact, one-sided)    {upper}" in text
    assert ev.upper_bound_95 is not None
    assert f"{100 * ev.upper_bound_95:.1f}%" == upper
    assert js["projectable"] is True
    assert ev.rate_interval_95 is not None
    assert js["rate_interval_95"] == [round(x, 4) for x in ev.rate_interval_95]
    assert js["point_estimate"] == k / 10
    assert js["zero_failure_sample_size"] == 59


def test_contract_example_interval_for_clean_random_sample():
    """Zero of ten gives the contract's [0.0, 0.3085] and 0.2589."""
    population = entries_with_violations(0)
    samples = draw_samples(population, size=10, seed=1, drawn_at=DRAWN)
    js = t86audit.audit(population, samples=samples, select=["VAL001"]).to_dict()["samples"][0]

    assert js["rate_interval_95"] == [0.0, 0.3085]
    assert js["upper_bound_95"] == 0.2589


@pytest.mark.parametrize(("rate", "size"), [(0.10, 29), (0.05, 59), (0.02, 149), (0.01, 299)])
def test_zero_failure_sample_size_for_chosen_rate(rate, size):
    """Each sample states how many clean random entries a chosen rate needs (section 6.2)."""
    population = entries_with_violations(0)
    samples = draw_samples(population, size=10, seed=1, drawn_at=DRAWN)
    report = t86audit.audit(population, samples=samples, select=["VAL001"], target_rate=rate)

    assert report.samples[0].zero_failure_sample_size == size
    assert report.to_dict()["samples"][0]["target_rate"] == rate


@pytest.mark.parametrize("method", ["judgment", "cited"])
def test_judgment_and_cited_samples_are_not_projected(method):
    """A judgment or cited sample describes its ten entries and gives no interval."""
    population = entries_with_violations(3)
    sample = make_sample(population, method=method, id="CBP-1")
    report = t86audit.audit(population, samples=[sample], select=["VAL001"], generated_at=AT)
    (ev,) = report.samples
    js = report.to_dict()["samples"][0]
    text = report.to_text()

    assert ev.entries_with_violations == 3
    assert (ev.rate_interval_95, ev.upper_bound_95, ev.point_estimate) == (None, None, None)
    assert js["projectable"] is False
    assert (js["rate_interval_95"], js["upper_bound_95"], js["point_estimate"]) == (
        None,
        None,
        None,
    )
    assert js["entries"] == [e.number for e in population]
    assert [r["violations"] for r in js["entry_results"]] == [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]
    assert f"Not projectable: a {method} sample describes only its own 10 entries" in text
    assert "3 of 10" in text


def test_sample_provenance_and_population_check():
    """A sample carries its seed, time, population fingerprint, and whether it still matches."""
    population = entries_with_violations(0, 12)
    (sample,) = draw_samples(population, size=10, seed=42, drawn_at=DRAWN)
    same = t86audit.audit(population, samples=[sample], select=["VAL001"]).to_dict()
    changed = t86audit.audit(
        [*population, make_entry(serial=99, consignee=person(99))],
        samples=[sample],
        select=["VAL001"],
    ).to_dict()
    provenance = same["samples"][0]["provenance"]

    assert provenance["seed"] == 42
    assert provenance["drawn_at"] == "2026-01-01T00:00:00+00:00"
    assert provenance["population_size"] == 12
    assert provenance["population_matches"] is True
    assert changed["samples"][0]["provenance"]["population_matches"] is False


def pattern_population():
    """Seller A: 3 entries, 2 over threshold; seller B: 2 clean entries; two ports, two months."""
    seller_a = {"name": "Alpha Exports Ltd", "address": "1 Harbour Road", "country": "VN"}
    seller_b = {"name": "Beta Goods Co", "address": "2 River Road", "country": "TH"}
    return [
        make_entry(
            serial=1,
            value="950.00",
            seller=seller_a,
            consignee=person(1),
            port_code="4701",
            arrival_date="2024-06-03",
        ),
        make_entry(
            serial=2,
            value="990.00",
            seller=seller_a,
            consignee=person(2),
            port_code="4701",
            arrival_date="2024-07-03",
        ),
        make_entry(
            serial=3,
            seller={**seller_a, "name": "ALPHA  exports ltd"},
            consignee=person(3),
            port_code="2720",
            arrival_date="2024-07-04",
        ),
        make_entry(serial=4, seller=seller_b, consignee=person(4), port_code="2720"),
        make_entry(serial=5, seller=seller_b, consignee=person(5), port_code="2720"),
    ]


def test_pattern_view_counts_findings_by_seller_port_and_month():
    """Findings are counted against each seller, port and month, with group sizes."""
    report = t86audit.audit(pattern_population(), select=["VAL001"], generated_at=AT)
    dims = {d.name: d for d in report.patterns}
    (seller,) = dims["seller"].groups
    (port,) = dims["port"].groups
    months = {g.value: g for g in dims["month"].groups}

    assert [d.name for d in report.patterns] == [
        "seller",
        "consignee",
        "filer_code",
        "port",
        "month",
    ]
    assert dims["seller"].distinct_values == 2
    assert (seller.value, seller.entries, seller.entries_flagged) == ("Alpha Exports Ltd", 3, 2)
    assert seller.rate == pytest.approx(2 / 3)
    assert [(t.code, t.findings, t.entries) for t in seller.rules] == [("VAL001", 2, 2)]
    assert (port.value, port.entries, port.violations) == ("4701", 2, 2)
    assert set(months) == {"2024-06", "2024-07"}
    assert (months["2024-06"].entries, months["2024-07"].entries) == (3, 2)
    assert dims["filer_code"].groups[0].value == "B76"


def test_pattern_view_in_json_and_human_formats():
    """The JSON carries every group; text, Markdown and HTML show the pattern tables."""
    report = t86audit.audit(pattern_population(), select=["VAL001"], generated_at=AT)
    patterns = report.to_dict()["patterns"]
    seller = next(p for p in patterns if p["dimension"] == "seller")

    assert seller["groups"][0]["rules"] == [{"code": "VAL001", "findings": 2, "entries": 2}]
    assert seller["groups"][0]["rate_flagged"] == 0.6667
    for rendered in (report.to_text(), report.to_markdown(), report.to_html()):
        assert "Alpha Exports Ltd" in rendered
        assert "By seller" in rendered


def test_letter_response_gives_findings_with_law_and_passed_checks():
    """Each cited entry gets its findings with law and reasonable care, or the checks it passed."""
    population = entries_with_violations(1, 3)
    cited = make_sample(population[:2], method="cited", id="CBP-letter", population=population)
    report = t86audit.audit(population, samples=[cited], select=["VAL"], generated_at=AT)
    flagged, clean = report.letter_response
    letter = report.to_dict()["letter_response"]

    assert [f.code for f in flagged.findings] == ["VAL001"]
    assert "VAL001" not in [r.code for r in flagged.passed]
    assert clean.findings == ()
    assert [r.code for r in clean.passed] == [r.rule.code for r in report.rules]
    assert letter["culpability_note"] == CULPABILITY_NOTE
    first = letter["entries"][0]
    assert first["samples"] == ["CBP-letter"]
    val001 = report.rule("VAL001")
    assert val001 is not None
    assert first["findings"][0]["reasonable_care"] == val001.reasonable_care
    assert first["findings"][0]["citations"]
    assert first["lines"][0]["value_usd"] == "950.00"
    assert {c["code"] for c in letter["entries"][1]["checks_passed"]} >= {"VAL001", "VAL002"}
    md = report.to_markdown()
    assert "Reasonable care" in md
    assert "Checks passed" in md


def test_letter_response_does_not_vouch_for_rules_that_could_not_run():
    """A rule that was not applicable is listed as not checked, never as passed."""
    population = entries_with_violations(0, 2)
    cited = make_sample(population, method="cited")
    report = t86audit.audit(population, samples=[cited], generated_at=AT)
    not_run = {r.rule.code for r in report.rules if r.status in ("not_applicable", "error")}
    item = report.letter_response[0]

    assert not_run, "the bundled rules include some that need user tables"
    assert not_run.isdisjoint(r.code for r in item.passed)
    assert {r.rule.code for r in item.not_checked} - set(item.not_in_force) == not_run


def test_entry_named_by_another_entrys_finding_is_not_reported_as_passing_that_rule():
    """Earlier shipments named in a one-person-one-day finding do not 'pass' that rule."""
    same = {"name": "Maria Lopez", "address": "9 Elm Street"}
    population = [
        make_entry(serial=i, value="300.00", consignee=same, order_reference=f"O{i}")
        for i in (1, 2, 3)
    ]
    cited = make_sample(population, method="cited")
    report = t86audit.audit(population, samples=[cited], select=["VAL002"], generated_at=AT)
    by_number = {item.entry.number: item for item in report.letter_response}
    flagged = [n for n, item in by_number.items() if item.findings]
    named = [n for n, item in by_number.items() if item.related_findings]

    assert flagged
    assert named
    for number in named:
        assert "VAL002" not in [r.code for r in by_number[number].passed]


def test_waived_findings_stay_marked_and_do_not_fail():
    """A waived finding is still reported, marked with the waiver, and leaves --fail-on clear."""
    population = entries_with_violations(1, 2)
    waiver = Waiver("B76-0000001-5", "VAL001", "corrected by PSC", "J. Ortiz", dt.date(2026, 1, 1))
    report = t86audit.audit(population, select=["VAL001"], waivers=[waiver], generated_at=AT)
    (finding,) = report.findings
    js = report.to_dict()

    assert finding.waived
    assert finding.waiver_reason == "corrected by PSC"
    assert not report.has_at_least("violation")
    assert js["findings"][0]["waiver"]["reviewer"] == "J. Ortiz"
    assert js["counts"]["waived"] == 1
    assert js["entries"][0]["status"] == "waived"
    assert "WAIVED by J. Ortiz on 2026-01-01: corrected by PSC" in report.to_text()


def test_waived_violation_does_not_count_in_a_sample():
    """A sample's entries with a violation exclude waived violations."""
    population = entries_with_violations(2)
    sample = make_sample(population)
    waiver = {
        "entry_number": "b7600000015",
        "code": "val001",
        "reason": "ok",
        "reviewer": "R",
        "date": "2026-01-01",
    }
    report = t86audit.audit(population, samples=[sample], select=["VAL001"], waivers=[waiver])

    assert report.samples[0].entries_with_violations == 1


def test_unused_waivers_are_reported_with_the_reason():
    """An unmatched waiver is listed with why: rule not run, unknown entry, no finding."""
    population = entries_with_violations(1, 2)
    given = [
        Waiver("B76-0000001-5", "DES001", "n/a", "R", dt.date(2026, 1, 1)),
        Waiver("B76-9999999-0", "VAL001", "n/a", "R", dt.date(2026, 1, 1)),
        Waiver("B76-0000002-3", "VAL001", "n/a", "R", dt.date(2026, 1, 1)),
    ]
    report = t86audit.audit(population, select=["VAL001"], waivers=given)
    items = report.to_dict()["waivers"]["items"]

    assert [u.why for u in report.unused_waivers] == [
        "rule DES001 did not run in this audit",
        "entry B76-9999999-0 is not in the audited population",
        "no VAL001 finding on entry B76-0000002-3",
    ]
    assert [i["used"] for i in items] == [False, False, False]
    assert report.has_at_least("violation")


def test_audit_trail_records_versions_inputs_seed_and_options(tmp_path):
    """The trail has tool, packs, policy, reference data, inputs with hashes, seeds, options."""
    population = entries_with_violations(0, 12)
    samples = draw_samples(population, size=10, seed=11, drawn_at=DRAWN)
    report = t86audit.audit(
        population,
        samples=samples,
        select=["VAL", "DES"],
        ignore=["DES003"],
        options={"VAL005": {"window_days": 5}},
        generated_at=AT,
        invocation={"format": "json"},
    )
    trail = report.to_dict()["audit_trail"]

    assert trail["tool"] == {"name": "t86audit", "version": t86audit.__version__}
    assert trail["generated_at"] == AT.isoformat()
    assert trail["packs"][0]["name"] == "core"
    assert trail["policy_table_version"]
    assert trail["seeds"] == [11]
    assert trail["options"]["select"] == ["VAL", "DES"]
    assert trail["options"]["ignore"] == ["DES003"]
    assert trail["options"]["rule_options"] == {"VAL005": {"window_days": "5"}}
    assert trail["invocation"] == {"format": "json"}
    assert len(trail["population_fingerprint"]) == 64
    assert any(s["name"] == "vague_terms" for s in trail["reference_data"])


def test_input_files_with_hashes_and_row_counts_are_in_the_trail(tmp_path):
    """A loaded file appears with its SHA-256 and rows read."""
    path = tmp_path / "entries.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(to_csv_rows(make_population(3)))
    report = t86audit.audit(t86audit.load(path), select=["VAL001"], generated_at=AT)
    (source,) = report.to_dict()["audit_trail"]["inputs"]

    assert source["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert source["rows_read"] == sum(len(e.lines) for e in make_population(3))


def test_same_audit_renders_to_the_same_bytes():
    """With a fixed generated_at, every format is byte-for-byte reproducible."""

    def build():
        population = pattern_population()
        return t86audit.audit(population, samples=[make_sample(population[:3])], generated_at=AT)

    first, second = build(), build()
    for fmt in ("text", "markdown", "html", "json", "csv"):
        assert first.render(fmt) == second.render(fmt), fmt


def test_render_rejects_an_unknown_format():
    """An unknown format name is an error that lists the formats."""
    report = t86audit.audit([], select=["VAL001"])

    with pytest.raises(ValueError, match="markdown"):
        report.render("pdf")


def test_empty_population_reports_nothing_found():
    """Auditing no entries gives an empty, well-formed report in every format."""
    report = t86audit.audit([], generated_at=AT)

    assert report.entry_rows == ()
    assert report.to_dict()["patterns"] == []
    for fmt in ("text", "markdown", "html", "json", "csv"):
        assert report.render(fmt)


def test_generator_population_is_streamed_once_and_still_gives_patterns():
    """Entries given as a generator are read once; the pattern view still has every entry."""
    consumed = []

    def stream():
        for entry in pattern_population():
            consumed.append(entry.number)
            yield entry

    report = t86audit.audit(stream(), select=["VAL001"])

    assert len(consumed) == 5
    assert sum(g.entries for g in report.patterns[0].groups) <= 5
    assert report.patterns[0].distinct_values == 2


def test_notebook_display_is_tables_without_ipython():
    """_repr_html_ and _repr_markdown_ give tables and do not import IPython."""
    had_ipython = "IPython" in sys.modules
    report = t86audit.audit(entries_with_violations(1, 2), select=["VAL001"], generated_at=AT)
    html_view = report._repr_html_()
    md_view = report._repr_markdown_()

    assert "<table>" in html_view
    assert "VAL001" in html_view
    assert "| Severity |" in md_view
    assert DISCLAIMER in md_view
    assert ("IPython" in sys.modules) == had_ipython


def test_to_records_has_one_row_per_finding_with_the_csv_columns():
    """to_records gives plain values keyed by the CSV columns."""
    report = t86audit.audit(entries_with_violations(2, 3), select=["VAL001"], generated_at=AT)
    records = report.to_records()

    assert len(records) == 2
    assert list(records[0]) == list(COLUMNS)
    assert records[0]["waived"] is False
    assert records[0]["seller"] == report.facts[0].seller


def test_to_dataframe_with_pandas():
    """to_dataframe has one row per finding and the CSV columns."""
    pytest.importorskip("pandas")
    report = t86audit.audit(entries_with_violations(2, 3), select=["VAL001"], generated_at=AT)
    frame = report.to_dataframe()

    assert frame.shape == (2, len(COLUMNS))
    assert list(frame["code"]) == ["VAL001", "VAL001"]


def test_the_entry_table_as_a_dataframe_is_the_json_reports_entries():
    """to_dataframe("entries"): one row per audited entry, the JSON report's entry table."""
    pytest.importorskip("pandas")
    report = t86audit.audit(entries_with_violations(2, 3), select=["VAL001"], generated_at=AT)
    frame = report.to_dataframe("entries")
    listed = json.loads(report.to_json())["entries"]

    assert len(frame) == len(listed) == len(report.entries) == 3
    rows = frame.to_dict("records")
    for row, expected in zip(rows, listed, strict=True):
        assert {**row, "samples": list(row["samples"])} == expected
    assert sorted(frame["status"]) == ["clean", "violation", "violation"]
    with pytest.raises(ValueError, match="'findings' or the 'entries'"):
        report.to_dataframe("exposure")  # type: ignore[arg-type]


def test_to_dataframe_without_pandas_says_how_to_install(monkeypatch):
    """Without pandas, to_dataframe raises ImportError naming the extra."""
    monkeypatch.setitem(sys.modules, "pandas", None)
    report = t86audit.audit([], select=["VAL001"])

    with pytest.raises(ImportError, match=r"t86audit\[pandas\]"):
        report.to_dataframe()


def test_report_is_frozen():
    """A report is a value: its fields cannot be reassigned."""
    report = t86audit.audit([], select=["VAL001"])

    with pytest.raises(AttributeError):
        report.generated_at = AT  # type: ignore[misc]
    assert isinstance(report, Report)


def test_json_keeps_the_contract_keys_in_order():
    """The contract's keys are present, and the JSON parses back."""
    report = t86audit.audit(entries_with_violations(1, 2), select=["VAL001"], generated_at=AT)
    data = json.loads(report.to_json())
    contract = [
        "schema_version",
        "tool",
        "generated_at",
        "input",
        "rules",
        "findings",
        "samples",
        "load_errors",
    ]

    assert [k for k in data if k in contract] == contract
    assert data["schema_version"] == 2
    finding = data["findings"][0]
    assert finding["line_number"] is None or isinstance(finding["line_number"], int)
    assert finding["entry_number"] == "B76-0000001-5"
    assert finding["citations"] == [str(c) for c in report.findings[0].citations]


def test_what_a_notebook_shows_of_a_report_is_a_line_not_the_whole_audit():
    """The result and the exposure show their counts and totals (their attrs reprs held every
    finding and estimate: megabytes for a year's filings)."""
    entries = [make_entry(serial=i, value="950.00") for i in range(1, 40)]
    report = t86audit.audit(entries, select=["VAL001"])
    assert repr(report.result) == (
        f"<AuditResult findings=39 rules=1 entries=39 samples=0 "
        f"policy_version={report.result.policy_version!r}>"
    )
    shown = repr(report.exposure)
    assert shown.startswith("<Exposure entries=39 not_computable=")
    assert "loss_of_revenue_usd=" in shown
    assert len(shown) < 160
