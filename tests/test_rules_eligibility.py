"""ELG rules: dated gates from the policy table, excluded goods, and the user-supplied tables."""

import csv
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import t86audit
from t86audit.engine import run_rules
from t86audit.policy import PolicyTable, default_policy
from t86audit.reference import AdcvdTable, PgaFlagTable, QuotaTable
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.testing import make_entry


ROOT = Path(__file__).resolve().parent.parent
TABLES = ROOT / "examples" / "tables"
DATA = ROOT / "examples" / "data"
RULES = {r.code: r for r in RuleRegistry.default() if r.family == "ELG"}


def run(code, entries, reference=None, **options):
    """Run one ELG rule; return (status, findings)."""
    rule = RULES[code].with_options(**options)
    result = run_rules(entries, [rule], reference=reference or ReferenceSet(), fail_fast=True)
    return result.rule_results[0], result.findings


def line(hts, origin="VN", value="20.00", description="goods"):
    """A line mapping for make_entry."""
    return {
        "hts_number": hts,
        "country_of_origin": origin,
        "value_usd": value,
        "description": description,
    }


def example_tables():
    """The example tables of examples/tables, as the CLI would load them."""
    return ReferenceSet(
        quota=QuotaTable.from_csv(TABLES / "quota.csv"),
        pga_flags=PgaFlagTable.from_csv(TABLES / "pga_flags.csv"),
        adcvd=AdcvdTable.from_csv(TABLES / "adcvd_orders.csv", TABLES / "adcvd_order_hts.csv"),
    )


# --- dated gates ------------------------------------------------------------------------------


@settings(max_examples=80, deadline=None)
@given(arrival=st.dates(dt.date(2018, 1, 1), dt.date(2027, 12, 31)))
def test_test_window_gates_follow_the_policy_dates(arrival):
    """ELG001 flags arrivals before 28 Sep 2019, ELG002 those from 29 Aug 2025, never both."""
    entries = [make_entry(arrival_date=arrival)]

    _, before = run("ELG001", entries)
    _, after = run("ELG002", entries)

    assert bool(before) == (arrival < dt.date(2019, 9, 28))
    assert bool(after) == (arrival >= dt.date(2025, 8, 29))


def test_test_window_comes_from_the_policy_table_not_the_code():
    """With a policy table whose test never ended, a September 2025 arrival is not flagged."""
    milestones = [m for m in default_policy().milestones if m.key != "t86-ended"]
    policy = PolicyTable(milestones, version="no-end")
    entries = [make_entry(arrival_date=dt.date(2025, 9, 3))]
    rule = RULES["ELG002"]

    assert run_rules(entries, [rule], policy=policy, reference=ReferenceSet()).findings == ()
    assert len(run_rules(entries, [rule], reference=ReferenceSet()).findings) == 1


def test_arrival_after_end_names_the_end_date_and_order():
    """The message gives the day T86 ended and the order that ended it."""
    _, findings = run("ELG002", [make_entry(arrival_date="2025-09-15")])

    assert "2025-08-29" in findings[0].message
    assert "EO 14324" in findings[0].message
    assert findings[0].expected == "before 2025-08-29"


@pytest.mark.parametrize(
    ("arrival", "flagged"),
    [
        ("2025-02-03", False),
        ("2025-02-04", True),
        ("2025-02-06", True),
        ("2025-02-07", False),
        ("2025-05-01", False),
        ("2025-05-02", True),
        ("2025-08-28", True),
        ("2025-08-29", False),  # every T86 is ELG002's finding from here
    ],
)
def test_china_gate_follows_the_dated_periods(arrival, flagged):
    """A CN line is flagged only inside the gated periods, while T86 was still available."""
    entries = [make_entry(arrival_date=arrival, lines=[line("6912.00.44.00", "CN")])]

    _, findings = run("ELG003", entries)

    assert bool(findings) == flagged


def test_china_gate_flags_only_the_china_or_hong_kong_lines():
    """In a mixed entry only the CN and HK lines are reported, each with its line number."""
    entries = [
        make_entry(
            arrival_date="2025-06-10",
            lines=[
                line("6912.00.44.00", "VN"),
                line("6912.00.44.00", "hk"),
                line("4202.92.31.20", "CN"),
            ],
        )
    ]

    _, findings = run("ELG003", entries)

    assert [(f.line_number, f.observed) for f in findings] == [(2, "hk"), (3, "CN")]
    assert all(f.field == "country_of_origin" for f in findings)


def test_mail_mode_matches_case_and_spacing_and_the_option():
    """'International  Mail' is mail; the option can add a mode name.

    (Session 21: 'Royal Mail Tracked' was the unmatched example, but it names the default 'royal
    mail' and is flagged now; Spain's post, 'Correos', is named by no default.)
    """
    entries = [
        make_entry(serial=1, mode="International  Mail"),
        make_entry(serial=2, mode="Correos Certificado"),
    ]

    _, default = run("ELG004", entries)
    _, extended = run("ELG004", entries, mail_modes="international mail, correos certificado")

    assert [f.entry_number for f in default] == [entries[0].number]
    assert [f.entry_number for f in extended] == [e.number for e in entries]


# --- excluded goods ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "hts", "flagged"),
    [
        ("ELG005", "2208.30.60.20", True),  # whisky
        ("ELG005", "2206.00.15.00", True),  # cider
        ("ELG005", "2207.10.30.00", True),  # undenatured alcohol for beverages
        ("ELG005", "2207.10.60.90", False),  # undenatured alcohol, not for beverages
        ("ELG005", "2209.00.00.00", False),  # vinegar
        ("ELG007", "2402.90.00.00", True),  # cigarettes of tobacco substitutes
        ("ELG007", "2403.19.20.20", False),  # pipe tobacco is ELG008's
        ("ELG008", "2403.99.20.30", True),
        ("ELG008", "2404.11.00.00", True),  # heated tobacco
        ("ELG008", "2401.10.63.30", False),  # leaf tobacco: quota goods, not ELG008
        ("ELG008", "2402.20.80.00", False),  # cigarettes are ELG007's
    ],
)
def test_excluded_goods_by_hts(code, hts, flagged):
    """Each exclusion covers its headings and no neighbouring ones."""
    _, findings = run(code, [make_entry(lines=[line(hts)])])

    assert bool(findings) == flagged


def test_hts_prefix_options_accept_a_comma_separated_string():
    """A prefix list given as text (as --option passes a non-JSON value) works like a list."""
    entries = [make_entry(lines=[line("2401.10.63.30")])]

    _, findings = run("ELG008", entries, hts_prefixes="2401, 2403")

    assert [f.line_number for f in findings] == [1]
    assert "(2401)" in findings[0].message


def test_perfume_threshold_is_the_whole_shipment():
    """Perfume at $3 in a $30 shipment is flagged: the $5 limit is on the whole shipment."""
    entries = [
        make_entry(
            lines=[line("3303.00.30.00", "FR", "3.00"), line("6109.10.00.40", "VN", "27.00")]
        )
    ]

    _, findings = run("ELG006", entries)

    assert [f.line_number for f in findings] == [1]
    assert "30.00 USD" in findings[0].message


# --- AD/CVD -----------------------------------------------------------------------------------


def test_adcvd_warning_names_the_case_and_the_confirmed_match_is_a_violation():
    """With the example orders, pencils (confirmed) are ELG010's and candles ELG009's."""
    reference = example_tables()
    pencils = make_entry(serial=1, lines=[line("9609.10.00.00", "CN")])
    candles = make_entry(serial=2, lines=[line("3406.00.00.00", "CN")])

    _, warnings = run("ELG009", [pencils, candles], reference)
    status, violations = run("ELG010", [pencils, candles], reference)

    assert [f.entry_number for f in warnings] == [candles.number]
    assert "A-570-504" in warnings[0].message
    assert [f.entry_number for f in violations] == [pencils.number]
    assert "A-570-827" in violations[0].message
    assert status.status == "failed"


def test_adcvd_in_scope_is_not_applicable_without_confirmations():
    """The bundled table confirms nothing, so ELG010 cannot run and never reads as passed."""
    status, findings = run("ELG010", [make_entry()])

    assert status.status == "not_applicable"
    assert "confirmed" in status.reason
    assert findings == ()


# --- quota ------------------------------------------------------------------------------------


def test_quota_rule_runs_on_the_bundled_list_without_a_table():
    """No user table: ELG011 still runs, on the bundled quota list (raw cane sugar flagged)."""
    status, findings = run("ELG011", [make_entry(lines=[line("1701.14.10.40", "BR")])])

    assert status.status == "failed"
    assert "additional U.S. note 5 to chapter 17" in findings[0].message


def test_quota_rule_with_the_example_table():
    """The example table extends the bundled list: both name raw cane sugar; refined sugar
    (1701.99.10.50), absent from the example table, is quota goods in the bundled list."""
    entries = [
        make_entry(serial=1, lines=[line("1701.14.10.40", "BR")]),
        make_entry(serial=2, lines=[line("1701.99.10.50", "BR")]),
        make_entry(serial=3, lines=[line("6109.10.00.40", "VN")]),
    ]

    status, findings = run("ELG011", entries, example_tables())

    assert status.status == "failed"
    assert [f.entry_number for f in findings] == [entries[0].number, entries[1].number]
    assert "sugar tariff-rate quota" in findings[0].message
    assert "bundled quota list" in findings[0].message
    assert "sugar tariff-rate quota" not in findings[1].message


# --- PGA flags --------------------------------------------------------------------------------


def test_pga_rules_are_not_applicable_without_a_table():
    """Without a PGA flag table both PGA rules report not_applicable, never passed."""
    for code in ("ELG012", "ELG013"):
        status, _ = run(code, [make_entry()])

        assert status.status == "not_applicable"
        assert "--pga-flags FILE" in status.reason


def test_pga_data_missing_finds_the_planted_entries_with_the_example_table():
    """With the example table, ELG012 flags exactly the population's planted cookie entries."""
    with (DATA / "planted.csv").open(encoding="utf-8", newline="") as handle:
        planted = {
            row["entry_number"]
            for row in csv.DictReader(handle)
            if row["problem"] == "pga-data-missing"
        }
    loaded = t86audit.load(DATA / "entries.csv", DATA / "entries-2.csv")

    report = t86audit.audit(
        loaded,
        select=["ELG012", "ELG013"],
        reference=example_tables(),
        generated_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC),
    )

    assert len(planted) == 3
    assert {f.entry_number for f in report.findings if f.code == "ELG012"} == planted
    assert not [f for f in report.findings if f.code == "ELG013"]
    assert "pga_flags" in {s.name for s in report.snapshots}


def test_disclaiming_a_required_flag_is_a_warning_but_a_may_flag_is_not():
    """Lipstick (FD2, R) disclaimed is reported; food containers (FD1, M) disclaimed are not."""
    reference = example_tables()
    lipstick = make_entry(serial=1, pga_data="disclaimed", lines=[line("3304.10.00.00", "KR")])
    containers = make_entry(serial=2, pga_data="disclaimed", lines=[line("3924.10.40.00")])

    _, findings = run("ELG013", [lipstick, containers], reference)

    assert [f.entry_number for f in findings] == [lipstick.number]
    assert "FD2" in findings[0].message
    assert "AM7" not in findings[0].message  # M flags may be disclaimed


def test_inline_flags_override_the_table_for_the_numbers_they_list():
    """The hts_flags option can clear a number's flags; other numbers keep the table's."""
    reference = example_tables()
    cookies = make_entry(serial=1, lines=[line("1905.90.90.90", "DK")])
    chocolate = make_entry(serial=2, lines=[line("1806.90.15.00", "BE")])

    _, findings = run("ELG012", [cookies, chocolate], reference, hts_flags={"1905.90.90.90": []})

    assert [f.entry_number for f in findings] == [chocolate.number]


def test_fd0_alone_asks_for_no_pga_data():
    """FD0 ('FDA has no interest') does not make a line need PGA data."""
    entries = [make_entry(lines=[line("4901.99.00.93")])]

    _, findings = run("ELG012", entries, hts_flags={"4901.99": "FD0"})

    assert findings == ()


# --- Section 301/201/232 ----------------------------------------------------------------------


def test_heading_9903_gets_an_info_note_only():
    """A 9903 line gets one info note explaining that trade-action goods stayed eligible."""
    entries = [make_entry(lines=[line("9903.88.03.00", "CN"), line("6109.10.00.40")])]

    _, findings = run("ELG014", entries)

    assert [(f.line_number, f.severity) for f in findings] == [(1, t86audit.Severity.INFO)]
    assert "never" in findings[0].message
