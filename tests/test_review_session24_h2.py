"""Session 24, h2: a blank entry type outside the T86 test is presumed, not a violation.

A record whose entry type is blank is audited as a presumed Type 86 (FIL015). On a date when no
T86 could be made (domain reference 1: the test ran from 28 Sep 2019; ACE rejected every T86 from
12:01 a.m. EDT 29 Aug 2025) it is more likely a formal (01) or informal (11) entry, for which the
de minimis conditions (19 U.S.C. 1321(a)(2)(C), 19 CFR 10.151, 10.153) never applied. The rules
that bear only on a de minimis claim then give presumed warnings, as ELG001/ELG002 already did,
and the exposure does not price the record. The second half checks the China/Hong Kong gate
(domain reference D3) and its citations by hand-built entries on its boundary days.

Every expectation below was worked out from the domain reference, not copied from the code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import pytest

import t86audit
from t86audit._citations import cite
from t86audit.engine import run_rules
from t86audit.findings import Finding, Severity
from t86audit.model import Entry
from t86audit.policy import default_policy
from t86audit.registry import RuleRegistry
from t86audit.rules import presumed_not_t86
from t86audit.testing import make_entry, make_line


AT = dt.datetime(2026, 12, 5, 12, 0, tzinfo=dt.UTC)
RULES = list(RuleRegistry.default())
PRESUMED = "this holds only if the record was a T86"
EASTERN_WINTER = dt.timezone(dt.timedelta(hours=-5))  # EST, 4 Feb 2025
EASTERN_SUMMER = dt.timezone(dt.timedelta(hours=-4))  # EDT, 2 May and 29 Aug 2025


def _entry(
    serial: int,
    day: str,
    *,
    entry_type: str = "",
    value: str = "950.00",
    filed_at: dt.datetime | None = None,
    consignee: str = "Jordan Ellis",
    **extra: Any,
) -> Entry:
    """A clean entry but for its type, value and date; one consignee per name."""
    options: dict[str, Any] = {} if filed_at is None else {"filed_at": filed_at}
    if "lines" not in extra:
        options["value"] = value
    return make_entry(
        serial=serial,
        arrival_date=day,
        entry_type=entry_type,
        consignee={"name": consignee, "address": f"{serial} Elm Street"}
        if consignee != "Jordan Ellis"
        else None,
        **options,
        **extra,
    )


def _by(findings: Iterable[Finding], number: str) -> dict[str, Finding]:
    return {f.code: f for f in findings if f.entry_number == number}


# --------------------------------------------------------------------------------------------
# Which findings are presumed


@pytest.mark.parametrize("day", ["2018-06-15", "2025-10-15"])
def test_value_over_the_limit_on_a_blank_type_outside_the_test_is_a_presumed_warning(
    day: str,
) -> None:
    entry = _entry(1, day)
    found = _by(t86audit.audit([entry], generated_at=AT).findings, entry.number)
    # ELG001 (before 28 Sep 2019) or ELG002 (from 29 Aug 2025), FIL015 for the blank type, and
    # VAL001 for $950 over the statute's $800: all warnings, none a violation.
    gate = "ELG001" if day < "2019" else "ELG002"
    assert set(found) == {gate, "FIL015", "VAL001"}
    assert {f.severity for f in found.values()} == {Severity.WARNING}
    assert PRESUMED in found["VAL001"].message
    assert found["VAL001"].observed == "950.00"


@pytest.mark.parametrize("day", ["2018-06-15", "2025-10-15"])
def test_the_same_record_typed_86_keeps_its_violations(day: str) -> None:
    entry = _entry(1, day, entry_type="86")
    found = _by(t86audit.audit([entry], generated_at=AT).findings, entry.number)
    gate = "ELG001" if day < "2019" else "ELG002"
    assert found[gate].severity is Severity.VIOLATION
    assert found["VAL001"].severity is Severity.VIOLATION
    assert PRESUMED not in found["VAL001"].message


def test_a_blank_type_inside_the_test_is_still_judged_as_a_t86() -> None:
    # 3 Jun 2024: T86 was open; a blank type is presumed a T86 and judged as one.
    entry = _entry(1, "2024-06-03")
    report = t86audit.audit([entry], generated_at=AT)
    found = _by(report.findings, entry.number)
    assert found["VAL001"].severity is Severity.VIOLATION
    assert PRESUMED not in found["VAL001"].message
    assert report.exposure is not None
    assert [e.entry_number for e in report.exposure.entries] == [entry.number]
    assert report.exposure.not_priced == ()


def test_one_person_one_day_on_blank_types_outside_the_test() -> None:
    # $950 + $500 + $400 to one person on 15 Jun 2018: every shipment is over $800 once counted
    # (950, 1450, 1850), so VAL002 flags all three, each a presumed warning.
    entries = [_entry(1, "2018-06-15"), _entry(2, "2018-06-15", value="500.00")]
    entries.append(_entry(3, "2018-06-15", value="400.00"))
    findings = t86audit.audit(entries, generated_at=AT).findings
    val002 = [f for f in findings if f.code == "VAL002"]
    assert len(val002) == 3
    assert all(f.severity is Severity.WARNING and PRESUMED in f.message for f in val002)
    # VAL005 (one seller's split to one buyer) is a warning anyway; it says so too.
    assert all(PRESUMED in f.message for f in findings if f.code == "VAL005")
    assert not [f for f in findings if f.severity is Severity.VIOLATION]


@pytest.mark.parametrize(
    ("code", "hts", "description", "value"),
    [
        ("ELG005", "2204.21.50.40", "red wine, 750 ml", "24.00"),
        ("ELG006", "3303.00.30.00", "eau de parfum, 50 ml", "45.00"),
        ("ELG007", "2402.10.80.80", "hand-rolled cigars, box of 10", "24.00"),
        ("ELG011", "1701.14.10.20", "raw cane sugar, 1 kg", "6.00"),
    ],
)
def test_goods_kept_out_of_the_exemption_are_presumed_on_a_blank_type(
    code: str, hts: str, description: str, value: str
) -> None:
    # 19 CFR 10.153(e), (g) keep these goods out of de minimis; a type 01/11 entry of them is
    # lawful. Blank type in 2018: warning; typed 86 in 2018: violation (10.153 predates T86).
    line: dict[str, Any] = {"hts_number": hts, "description": description, "value_usd": value}
    blank = _entry(1, "2018-06-15", lines=[make_line(**line)])
    typed = _entry(2, "2018-06-15", entry_type="86", lines=[make_line(**line)])
    findings = t86audit.audit([blank, typed], generated_at=AT).findings
    assert _by(findings, blank.number)[code].severity is Severity.WARNING
    assert PRESUMED in _by(findings, blank.number)[code].message
    assert _by(findings, typed.number)[code].severity is Severity.VIOLATION


def test_requirements_of_every_entry_type_are_not_presumed() -> None:
    # A vague description (19 CFR 4.7a, 122.48a ...) and a malformed entry number (19 CFR
    # 142.3a) are faults whatever the entry type: they stay violations on a blank type of 2018.
    vague = _entry(1, "2018-06-15", value="20.00", lines=[make_line(description="gift")])
    malformed = _entry(2, "2018-06-15", value="20.00", entry_number="B76-12345")
    findings = t86audit.audit([vague, malformed], generated_at=AT).findings
    assert _by(findings, vague.number)["DES002"].severity is Severity.VIOLATION
    assert _by(findings, malformed.number)["FIL001"].severity is Severity.VIOLATION


def _late(minute: int) -> dt.datetime:
    """29 Aug 2025, ``minute`` minutes (and 30 seconds) after midnight EDT."""
    midnight = dt.datetime(2025, 8, 29, tzinfo=EASTERN_SUMMER)
    return midnight + dt.timedelta(minutes=minute, seconds=30)


def test_a_blank_type_filed_after_the_end_is_presumed_like_elg002() -> None:
    # Arrived 28 Aug 2025, transmitted 10:00 EDT 29 Aug: a T86 would have been made after the
    # 12:01 a.m. cut-over (ELG002, presumed); a type 11 may be filed after arrival, so the
    # late filing (FIL008) and the value (VAL001) are presumed too.
    entry = _entry(1, "2025-08-28", filed_at=_late(600))
    found = _by(t86audit.audit([entry], generated_at=AT).findings, entry.number)
    for code in ("ELG002", "FIL008", "VAL001"):
        assert found[code].severity is Severity.WARNING, code
    assert PRESUMED in found["FIL008"].message
    assert presumed_not_t86(entry, default_policy())


def test_a_blank_type_filed_before_the_cut_over_minute_is_a_t86() -> None:
    # Transmitted 00:00:30 EDT 29 Aug 2025, before 12:01 a.m.: T86 was still accepted, so the
    # record is a presumed T86: filed after arrival (FIL008) and over $800 (VAL001), violations.
    entry = _entry(1, "2025-08-28", filed_at=_late(0))
    found = _by(t86audit.audit([entry], generated_at=AT).findings, entry.number)
    assert "ELG002" not in found
    assert found["FIL008"].severity is Severity.VIOLATION
    assert found["VAL001"].severity is Severity.VIOLATION
    assert not presumed_not_t86(entry, default_policy())


def test_cached_verdicts_keep_blank_and_typed_records_apart() -> None:
    # One HTS number, origin and value on blank and typed records, in and out of the test, late
    # and on time: the cache must not copy one record's verdict (presumed or not) to another.
    wine: dict[str, Any] = {
        "hts_number": "2204.21.50.40",
        "description": "red wine",
        "value_usd": "900.00",
    }
    entries = [
        _entry(s, day, entry_type=t, lines=[make_line(**wine)], filed_at=f, consignee=f"C {s}")
        for s, (day, t, f) in enumerate(
            [
                ("2018-06-15", "86", None),
                ("2018-06-15", "", None),
                ("2018-06-15", "86", None),
                ("2024-06-03", "", None),
                ("2025-08-28", "", _late(600)),
                ("2025-08-28", "", _late(0)),
                ("2025-08-28", "86", _late(600)),
                ("2025-10-15", "", None),
            ],
            start=1,
        )
    ]
    cached = run_rules(entries, RULES).findings
    plain = run_rules(entries, RULES, cache_verdicts=False).findings
    assert cached == plain
    severity = {f.entry_number: f.severity for f in cached if f.code == "ELG005"}
    assert [severity[e.number] for e in entries] == [
        Severity.VIOLATION,
        Severity.WARNING,
        Severity.VIOLATION,
        Severity.VIOLATION,  # blank type inside the test: a presumed T86
        Severity.WARNING,  # blank type filed after the end
        Severity.VIOLATION,  # blank type filed in the minute before the cut-over
        Severity.VIOLATION,  # type 86 filed after the end: a T86 of wine
        Severity.WARNING,
    ]


def test_presumed_group_findings_are_the_same_in_worker_processes() -> None:
    entries = [_entry(s, "2025-10-15", value="450.00") for s in range(1, 5)]
    entries += [_entry(s, "2024-06-03", value="450.00") for s in range(5, 9)]
    one = t86audit.audit(entries, generated_at=AT, jobs=1)
    two = t86audit.audit(entries, generated_at=AT, jobs=2)
    assert one.findings == two.findings
    severities = {(f.entry_number, f.severity) for f in one.findings if f.code == "VAL002"}
    # Four $450 shipments a day: the 2nd to 4th pass $800 (900, 1350, 1800). In Oct 2025
    # (blank, outside the test) warnings; on 3 Jun 2024 (blank, inside) violations.
    assert severities == {
        *((entries[i].number, Severity.WARNING) for i in (1, 2, 3)),
        *((entries[i].number, Severity.VIOLATION) for i in (5, 6, 7)),
    }


# --------------------------------------------------------------------------------------------
# The exposure does not price presumed records


def test_exposure_leaves_out_and_names_the_records_it_does_not_price() -> None:
    entries = [
        _entry(1, "2018-06-15"),  # blank, before the test: not priced
        _entry(2, "2025-10-15", consignee="Ann Wu"),  # blank, after the end: not priced
        _entry(3, "2024-06-03", consignee="Bo Li"),  # blank, inside: priced
        _entry(4, "2025-10-15", entry_type="86", consignee="Cy Ng"),  # typed: priced
    ]
    report = t86audit.audit(entries, generated_at=AT)
    exposure = report.exposure
    assert exposure is not None
    assert [e.entry_number for e in exposure.entries] == [entries[2].number, entries[3].number]
    assert exposure.not_priced == (
        (entries[0].number, ("ELG001", "VAL001")),
        (entries[1].number, ("ELG002", "VAL001")),
    )
    assert exposure.missing == ()
    assert exposure.penalty_ranges.entries == 2
    totals = exposure.totals()
    assert totals["entries"] == 2
    # Only the priced entries' values: $950 twice.
    assert totals["entered_value_usd"] == "1900.00"
    assert {g.label for g in exposure.by_month} == {"2024-06", "2025-10"}
    (note,) = [n for n in exposure.notes if n.startswith("Not priced")]
    assert entries[0].number in note
    assert entries[1].number in note
    assert "ELG001, ELG002, VAL001" in note
    data = json.loads(report.render("json"))["exposure"]
    assert note in data["notes"]
    assert [e["entry_number"] for e in data["entries"]] == [entries[2].number, entries[3].number]
    total_row = list(exposure.worksheet_rows())[-1]
    assert total_row["entry_number"] == "TOTAL"
    assert note in total_row["note"]


def test_a_report_with_nothing_priced_says_why() -> None:
    report = t86audit.audit([_entry(1, "2018-06-15")], generated_at=AT)
    text = report.render("markdown")
    assert "Not priced: 1 entry (B76-0000001-5)" in text
    assert "No entry is priced: the note above says why." in text
    assert "No finding makes an entry ineligible" not in text


def test_a_random_sample_holding_a_record_not_priced_is_not_projected() -> None:
    entries = [_entry(1, "2025-10-15")]
    entries += [_entry(s, "2024-06-03", consignee=f"P {s}") for s in range(2, 6)]
    (sample,) = t86audit.draw_samples(entries, size=5, seed=7, drawn_at=AT)
    exposure = t86audit.audit(entries, samples=[sample], generated_at=AT).exposure
    assert exposure is not None
    assert exposure.projections == ()
    ((sample_id, reason),) = exposure.not_projected
    assert sample_id == sample.id
    assert reason.startswith(f"1 sampled entry is not priced ({entries[0].number})")
    # The four priced entries: $950 each of Vietnamese cotton t-shirts, 3 Jun 2024.
    assert len(exposure.entries) == 4
    assert all(
        e.loss_of_revenue_usd and e.loss_of_revenue_usd > Decimal(0) for e in exposure.entries
    )


# --------------------------------------------------------------------------------------------
# D3: the China and Hong Kong gate and its citations


def _cn(serial: int, day: str, filed_at: dt.datetime | None = None) -> Entry:
    return _entry(
        serial,
        day,
        entry_type="86",
        filed_at=filed_at,
        consignee=f"Lee {serial}",
        lines=[make_line(country_of_origin="CN")],
    )


_FIRST = ["EO 14195", "CSMS 63992482", "CSMS 64082249"]
_SECOND = ["EO 14256", "CSMS 64792502"]


@pytest.mark.parametrize(
    ("day", "filed_at", "cited"),
    [
        ("2025-02-03", None, None),
        ("2025-02-04", None, _FIRST),
        ("2025-02-06", None, _FIRST),
        ("2025-02-07", None, None),  # EO 14200: de minimis resumed
        ("2025-05-01", None, None),
        ("2025-05-02", None, _SECOND),
        ("2025-08-28", None, _SECOND),  # the last day of T86
        # Late T86s: judged at transmission, 12:01 a.m. Eastern cut-overs.
        ("2025-02-03", dt.datetime(2025, 2, 4, 0, 0, 30, tzinfo=EASTERN_WINTER), None),
        ("2025-02-03", dt.datetime(2025, 2, 4, 0, 5, tzinfo=EASTERN_WINTER), _FIRST),
        ("2025-02-06", dt.datetime(2025, 2, 7, 0, 0, 30, tzinfo=EASTERN_WINTER), None),
        ("2025-05-01", dt.datetime(2025, 5, 2, 0, 0, 30, tzinfo=EASTERN_SUMMER), None),
        ("2025-05-01", dt.datetime(2025, 5, 2, 0, 2, tzinfo=EASTERN_SUMMER), _SECOND),
    ],
)
def test_china_gate_days_and_citations(
    day: str, filed_at: dt.datetime | None, cited: list[str] | None
) -> None:
    entry = _cn(1, day, filed_at)
    found = _by(t86audit.audit([entry], select=["ELG003"], generated_at=AT).findings, entry.number)
    if cited is None:
        assert found == {}
        return
    finding = found["ELG003"]
    assert finding.severity is Severity.VIOLATION
    assert [str(c) for c in finding.citations] == cited
    # The CSMS announcing the end of the first gate is CBP's later word on it, not its basis.
    later = {str(c) for c in finding.citations if c.later_guidance}
    assert later == ({"CSMS 64082249"} if cited == _FIRST else set())


def test_eo_14195_dates_say_the_window_it_is_cited_for() -> None:
    eo_14195, csms_63992482 = cite("eo-14195"), cite("csms-63992482")
    assert eo_14195.until == dt.date(2025, 2, 7)
    assert eo_14195.date_text == "in force from 4 Feb 2025 until 6 Feb 2025, 12:01 a.m. EST"
    assert csms_63992482.date_text.endswith("; cited on entries until 6 Feb 2025")


def test_the_presumption_adds_nothing_to_a_typed_entrys_cache_key() -> None:
    # ELG005-ELG011 read Entry.untyped_dates: one value (None) for every typed entry, whatever
    # its dates, so a typed population's verdicts are shared as before; a blank type is keyed
    # by its arrival date and, when sent on a later Eastern day, its filing time.
    assert _entry(1, "2018-06-15", entry_type="86").untyped_dates is None
    assert _entry(2, "2025-08-28", entry_type="86", filed_at=_late(600)).untyped_dates is None
    assert _entry(3, "2018-06-15").untyped_dates == (dt.date(2018, 6, 15), None, "")
    late = _entry(4, "2025-08-28", filed_at=_late(600))
    assert late.untyped_dates == (dt.date(2025, 8, 28), _late(600), late.filed_at_raw)
