"""Session 21 review: a rule not in force on a cited or sampled entry's dates is not a pass.

The letter response listed every rule that ran without a finding on an entry as a check the
entry passed. Several rules judge only entries of some policy periods (FIL009's 15-day limit,
arrivals before 15 Feb 2024); on an entry of another period they find nothing because they do
not judge it, and "passed" told counsel the entry met a requirement that was not law on its
date. Each such rule now declares ``in_force`` from the same test its check makes, and the
letter response lists it for such an entry as not in force on its dates (not checked, with the
reason), never as passed.
"""

from __future__ import annotations

import datetime as dt
import json
import pickle
import re
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest

import t86audit
from t86audit.engine import run_rules
from t86audit.findings import Citation, Hit
from t86audit.model import Entry
from t86audit.policy import PolicyPeriod, PolicyTable, default_policy
from t86audit.refset import ReferenceSet
from t86audit.rules import BUILTIN_PACK, Example, RuleContext, RulePack, on_arrival, rule
from t86audit.sample import cited_sample
from t86audit.testing import make_entry, make_line


AT = dt.datetime(2026, 12, 1, tzinfo=dt.UTC)
EASTERN = ZoneInfo("America/New_York")
ROOT = Path(__file__).resolve().parents[1]

GATED = {"ELG003", "FIL008", "FIL009", "FIL010", "FIL011", "HTS004", "HTS008"} | {
    # Session 23 (h1): the rules whose requirement is a term of the T86 test stand down before
    # it began and after it ended (in_force=DURING_T86_TEST).
    *("CON001", "CON005", "CON008", "CON009", "CON010"),
    *("FIL005", "FIL006", "FIL007", "FIL012", "FIL013", "FIL014", "FIL016"),
    *("HTS001", "HTS002", "HTS003", "HTS005", "VAL003", "ELG004", "ELG012", "ELG013", "ELG014"),
}
"""The built-in rules whose check returns early on the policy period (read from the rules:
``grep -n "ctx.period(\\|policy.at\\|in_force=" src/t86audit/rules/*.py``)."""


def _eastern(day: str, hour: int = 20) -> dt.datetime:
    return dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour), tzinfo=EASTERN)


def _letter(entry: Entry, **audit: object) -> t86audit.report._model.LetterEntry:
    """The letter response of ``entry`` cited alone, beside three ordinary entries."""
    population = [entry, *(make_entry(serial=s) for s in range(901, 904))]
    sample = cited_sample(population, [entry.number], id="CBP-1", drawn_at=AT)
    report = t86audit.audit(population, samples=[sample], generated_at=AT, **audit)  # type: ignore[arg-type]
    (item,) = report.letter_response
    return item


# One entry per gated rule and side: (rule, the entry, in force?). The entries of the "not in
# force" side are chosen so that the rule would flag them if it judged them, where they can be.
CASES: list[tuple[str, str, dict[str, object], bool]] = [
    # FIL008: filed after arrival, from 15 Feb 2024.
    (
        "FIL008",
        "arrived 2023-03-01, filed 5 days later (within the 15 days of the time)",
        {"arrival_date": "2023-03-01", "filed_at": _eastern("2023-03-06")},
        False,
    ),
    (
        "FIL008",
        "arrived 2024-06-03, filed the evening before",
        {"arrival_date": "2024-06-03"},
        True,
    ),
    # FIL009: more than 15 days after arrival, before 15 Feb 2024.
    (
        "FIL009",
        "arrived 2024-03-01, filed 19 days later (FIL008 flags it)",
        {"arrival_date": "2024-03-01", "filed_at": _eastern("2024-03-20")},
        False,
    ),
    (
        "FIL009",
        "arrived 2023-03-01, filed 10 days later",
        {"arrival_date": "2023-03-01", "filed_at": _eastern("2023-03-11")},
        True,
    ),
    # FIL010: EDA mandatory on a T86 submitted from 25 Jul 2024.
    (
        "FIL010",
        "no EDA, filed 2024-07-24 for arrival on 2024-07-26",
        {
            "arrival_date": "2024-07-26",
            "filed_at": _eastern("2024-07-24"),
            "estimated_arrival_date": None,
        },
        False,
    ),
    (
        "FIL010",
        "EDA given, filed 2024-09-02 for arrival on 2024-09-03",
        {"arrival_date": "2024-09-03", "filed_at": _eastern("2024-09-02")},
        True,
    ),
    # FIL011: an EDA far from arrival, on a T86 submitted while the EDA was mandatory
    # (session 22: from 25 Jul 2024, as FIL010; it was judged on every T86 before).
    (
        "FIL011",
        "arrived 2025-09-03, after T86 ended, EDA 10 days after (ELG002 flags it)",
        {"arrival_date": "2025-09-03", "estimated_arrival_date": "2025-09-13"},
        False,
    ),
    (
        "FIL011",
        "arrived 2024-06-03, filed the evening before, before the EDA was required",
        {"arrival_date": "2024-06-03", "estimated_arrival_date": "2024-06-02"},
        False,
    ),
    (
        "FIL011",
        "arrived 2024-09-03, filed the evening before, EDA the day before",
        {"arrival_date": "2024-09-03", "estimated_arrival_date": "2024-09-02"},
        True,
    ),
    # ELG003: China/Hong Kong goods excluded (4-7 Feb 2025, from 2 May 2025 to T86's end).
    (
        "ELG003",
        "CN origin arriving 2024-06-03, when such goods were eligible",
        {"arrival_date": "2024-06-03", "lines": [make_line(country_of_origin="CN")]},
        False,
    ),
    (
        "ELG003",
        "CN origin arriving 2025-02-06, T86 transmitted late on 2025-02-07 (gate paused)",
        {
            "arrival_date": "2025-02-06",
            "filed_at": _eastern("2025-02-07", 10),
            "estimated_arrival_date": "2025-02-06",
            "lines": [make_line(country_of_origin="CN")],
        },
        False,
    ),
    ("ELG003", "VN origin arriving 2025-06-02", {"arrival_date": "2025-06-02"}, True),
    # HTS004: Chapter 98 after CBP's CSMS (4 Oct 2024); HTS008 before it.
    (
        "HTS004",
        "a Chapter 1-97 number, arriving 2024-02-20",
        {"arrival_date": "2024-02-20"},
        False,
    ),
    ("HTS004", "a Chapter 1-97 number, arriving 2024-11-04", {"arrival_date": "2024-11-04"}, True),
    (
        "HTS008",
        "a Chapter 1-97 number, arriving 2024-11-04",
        {"arrival_date": "2024-11-04"},
        False,
    ),
    ("HTS008", "a Chapter 1-97 number, arriving 2024-02-20", {"arrival_date": "2024-02-20"}, True),
]


@pytest.mark.parametrize(
    ("code", "fields", "in_force"),
    [
        pytest.param(code, fields, in_force, id=f"{code}: {title}")
        for code, title, fields, in_force in CASES
    ],
)
def test_a_gated_rule_is_passed_only_where_it_is_in_force(
    code: str, fields: dict[str, object], in_force: bool
) -> None:
    item = _letter(make_entry(serial=7, **fields))  # type: ignore[arg-type]
    assert code not in {f.code for f in item.findings}
    passed = {r.code for r in item.passed}
    unchecked = {r.rule.code: r for r in item.not_checked}
    if in_force:
        assert code in passed
        assert code not in unchecked
        assert code not in item.not_in_force
    else:
        assert code not in passed
        assert code in item.not_in_force
        assert unchecked[code].status == "not_applicable"
        assert unchecked[code].reason.startswith(
            f"not in force on the entry's dates: arrived {item.entry.arrival_date.isoformat()} ("
        )


def test_the_reason_names_the_filing_period_when_the_rule_turns_on_it() -> None:
    """FIL010 judges the day the T86 was submitted: the reason gives both dates' periods."""
    item = _letter(
        make_entry(
            serial=7,
            arrival_date="2024-07-26",
            filed_at=_eastern("2024-07-24"),
            estimated_arrival_date=None,
        )
    )
    reason = next(r.reason for r in item.not_checked if r.rule.code == "FIL010")
    assert reason == (
        "not in force on the entry's dates: arrived 2024-07-26 (eda-required: Estimated date of "
        "arrival mandatory on T86 (errors 282/288)), T86 filed 2024-07-24 (vague-messaging: CBP "
        "national cargo messaging on vague descriptions); the requirement this rule checks did "
        "not apply to it"
    )


def test_fil009_on_a_march_2024_entry_in_every_format() -> None:
    """The review's case: arrived 1 Mar 2024, filed 19 days later. FIL008 flags it; FIL009 was
    listed as passed ('Checks passed: 59 of 60'); now it is not in force on its dates."""
    entry = make_entry(serial=7, arrival_date="2024-03-01", filed_at=_eastern("2024-03-20"))
    population = [entry, *(make_entry(serial=s) for s in range(901, 904))]
    sample = cited_sample(population, [entry.number], id="CBP-1", drawn_at=AT)
    report = t86audit.audit(population, samples=[sample], generated_at=AT)
    (item,) = report.letter_response
    # 2024-03-01: FIL009's 15 days, FIL010's mandatory EDA (and FIL011's check of it),
    # ELG003's gate and HTS004's bar were not law; FIL008 (filed after arrival) and HTS008 were.
    assert set(item.not_in_force) == {"ELG003", "FIL009", "FIL010", "FIL011", "HTS004"}
    ran = sum(1 for r in report.rules if r.status in ("passed", "failed"))
    markdown = report.to_markdown()
    section = markdown[markdown.index(f"### Entry {entry.number}") :]
    assert (
        f"Checks passed: {ran - 6} of {ran - 5}; 5 not in force on its dates; 3 not checked"
        in section
    )
    appendix = markdown.split("## Appendix C.")[1]
    assert "| Did not pass | Not in force | Not checked |" in appendix
    row = next(line for line in appendix.splitlines() if line.startswith(f"| {entry.number}"))
    assert f"| {ran - 6} of {ran - 5} | FIL008 | ELG003, FIL009, FIL010, FIL011, HTS004 |" in row
    # The note says what "not in force" is, not that such a pass means the rule did not apply.
    note = " ".join(appendix.split())
    assert "its pass says only that the requirement did not apply" not in note
    assert "is never counted as passed" in note
    document = json.loads(report.to_json())
    assert document["schema_version"] == 2  # unchanged: no key added, none changed
    (letter,) = document["letter_response"]["entries"]
    assert "FIL009" not in {c["code"] for c in letter["checks_passed"]}
    fil009 = next(c for c in letter["not_checked"] if c["code"] == "FIL009")
    assert fil009["status"] == "not_applicable"
    assert fil009["reason"].startswith("not in force on the entry's dates: arrived 2024-03-01")
    schema = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
    required = next(
        d["required"]
        for d in _objects(schema)
        if "checks_passed" in d.get("required", ()) and "not_checked" in d["required"]
    )
    assert set(letter) == set(required)


def _objects(node: object) -> list[dict[str, Any]]:
    """Every JSON object in a parsed document, depth first."""
    if isinstance(node, dict):
        return [node, *(o for v in node.values() for o in _objects(v))]
    if isinstance(node, list):
        return [o for v in node for o in _objects(v)]
    return []


def _moved(entry: Entry, days: int) -> Entry:
    """The entry with its arrival, filing time and EDA moved by ``days`` (same gaps)."""
    delta = dt.timedelta(days=days)
    return attrs.evolve(
        entry,
        arrival_date=entry.arrival_date + delta,
        arrival_date_raw="",
        filed_at=None if entry.filed_at is None else entry.filed_at + delta,
        filed_at_raw="",
        estimated_arrival_date=(
            None if entry.estimated_arrival_date is None else entry.estimated_arrival_date + delta
        ),
    )


def test_the_declared_in_force_and_the_check_agree_in_every_period() -> None:
    """Each gated rule's flagged examples, moved into every period of the bundled table (a few
    days into it, and its last day): where the rule declares itself not in force, it flags
    nothing; and it never flags an entry it declares not in force."""
    table = default_policy()
    gated = {r.code: r for r in BUILTIN_PACK.rules if r.in_force is not None}
    assert set(gated) == GATED
    silent = flagged = 0
    for code, r in sorted(gated.items()):
        ctx = RuleContext(r.options, table, ReferenceSet())
        for example in r.examples:
            if not example.flagged:
                continue
            for entry in example.build():
                days = [dt.date(2019, 9, 20), dt.date(2010, 1, 4)]
                for period in table.periods[1:]:
                    days.append(period.start + dt.timedelta(days=3))
                    if period.end is not None:
                        days.append(period.end - dt.timedelta(days=1))
                for day in days:
                    moved = _moved(entry, (day - entry.arrival_date).days)
                    configured = r.with_options(**example.options) if example.options else r
                    found = run_rules(
                        [moved], [configured], reference=example.make_reference(), fail_fast=True
                    ).findings
                    if not r.in_force(moved, ctx):  # type: ignore[misc]
                        assert not found, (code, example.title, day)
                        silent += 1
                    elif found:
                        flagged += 1
    # Both sides were met, many times: the test compared something.
    assert silent > 50
    assert flagged > 20


def test_every_flagged_example_of_a_gated_rule_is_in_force() -> None:
    table = default_policy()
    for r in BUILTIN_PACK.rules:
        if r.in_force is None:
            continue
        ctx = RuleContext(r.options, table, ReferenceSet())
        for example in r.examples:
            for entry in example.build():
                if entry.number in example.flagged:
                    assert r.in_force(entry, ctx), (r.code, example.title)


def _pack_rule(in_force: object = None) -> RulePack:
    """A rule pack's rule that never finds anything, with or without an in-force test."""
    extra = {} if in_force is None else {"in_force": in_force}

    @rule(
        "ACM001",
        name="acme-never",
        severity="warning",
        citations=[Citation("CSMS", "1")],
        summary="Never flags anything.",
        rationale="A test rule.",
        reasonable_care="None needed.",
        examples=[
            Example("flags", lambda: [make_entry(value="900.00")], flagged=[make_entry().number]),
            Example("passes", lambda: [make_entry(serial=2)]),
        ],
        **extra,  # type: ignore[arg-type]
    )
    def never(entry: Entry, ctx: RuleContext) -> list[Hit]:
        return []

    return RulePack(name="acme", version="1", prefixes=("ACM",), rules=(never,))


def _registry(pack: RulePack) -> t86audit.registry.RuleRegistry:
    return t86audit.registry.RuleRegistry([BUILTIN_PACK, pack])


def test_a_pack_rule_without_the_declaration_keeps_being_passed() -> None:
    item = _letter(make_entry(serial=7), registry=_registry(_pack_rule()))
    assert "ACM001" in {r.code for r in item.passed}


def _raises(entry: Entry, ctx: RuleContext) -> bool:
    raise ValueError("no period")


def test_an_in_force_test_that_raises_is_not_checked_never_passed() -> None:
    item = _letter(make_entry(serial=7), registry=_registry(_pack_rule(_raises)))
    assert "ACM001" not in {r.code for r in item.passed}
    assert "ACM001" not in item.not_in_force
    reason = next(r.reason for r in item.not_checked if r.rule.code == "ACM001")
    assert reason == (
        "could not tell whether its requirement was in force on the entry's dates "
        "(ValueError: no period)"
    )


def _before_2024(period: PolicyPeriod) -> bool:
    return period.start.year < 2024


def test_a_pack_rule_may_declare_in_force_by_arrival() -> None:
    registry = _registry(_pack_rule(on_arrival(_before_2024)))
    late = _letter(make_entry(serial=7, arrival_date="2024-06-03"), registry=registry)
    assert "ACM001" in late.not_in_force
    early = _letter(make_entry(serial=7, arrival_date="2023-06-05"), registry=registry)
    assert "ACM001" in {r.code for r in early.passed}


_CALLS: list[str] = []


def _counting(entry: Entry, ctx: RuleContext) -> bool:
    _CALLS.append(entry.number)
    return True


def test_the_engine_never_asks_only_the_letter_response_does() -> None:
    """The hot path is untouched: an audit without samples never calls in_force; with a
    cited sample it is asked once per cited entry."""
    registry = _registry(_pack_rule(_counting))
    population = [make_entry(serial=s) for s in range(1, 30)]
    _CALLS.clear()
    report = t86audit.audit(population, registry=registry, generated_at=AT)
    report.to_markdown()
    assert _CALLS == []
    sample = cited_sample(population, [population[3].number], id="C", drawn_at=AT)
    report = t86audit.audit(population, registry=registry, samples=[sample], generated_at=AT)
    report.to_markdown()
    report.to_json()
    assert [population[3].number] == _CALLS


def test_on_arrival_pickles_and_policy_round_trips() -> None:
    gate = on_arrival(_before_2024)
    again = pickle.loads(pickle.dumps(gate))
    assert again.test is _before_2024
    table = default_policy()
    assert PolicyTable.from_periods(table.periods, version=table.version).periods == table.periods


def test_a_custom_policy_table_is_the_one_judged_by() -> None:
    """The letter response judges by the audit's own table (kept as the report's periods),
    not the bundled one: with the 15-day limit extended to 2030, FIL009 is in force in 2024."""
    from t86audit.policy import _MILESTONES  # noqa: PLC0415

    kept = [m for m in _MILESTONES if m.key != "t86-republished"]
    table = PolicyTable(kept, version="test")
    item = _letter(make_entry(serial=7, arrival_date="2024-06-03"), policy=table)
    assert "FIL009" in {r.code for r in item.passed}
    assert "FIL008" in item.not_in_force


def test_walkthrough_count_of_checks_passed_is_the_audits() -> None:
    """Step 5 says how many checks each clean entry of sample 1 passed: the tool's count."""
    text = (ROOT / "docs" / "walkthrough-answering-a-letter.md").read_text(encoding="utf-8")
    match = re.search(r"passed \((\d+) on each of the four clean entries", text)
    assert match is not None
    cited = re.findall(r'"([^"]+)"', re.search(r"CITED_1 = \[(.*?)\]", text, re.S)[1])  # type: ignore[index]
    loaded = t86audit.load(ROOT / "examples" / "data" / "entries.csv")
    sample = t86audit.cited_sample(loaded.entries, cited, id="CBP-1", size=10)
    report = t86audit.audit(loaded, samples=[sample], exposure=False)
    clean = [item for item in report.letter_response if not item.findings]
    assert len(clean) == 4
    assert {len(item.passed) for item in clean} == {int(match[1])}
