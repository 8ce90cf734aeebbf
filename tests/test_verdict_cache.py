"""Verdicts cached by declared inputs give exactly the findings of calling every rule.

A rule that declares ``reads`` is evaluated once per distinct input and its hits reused for
every other line or entry with the same input. If a declaration missed something the rule
reads (a date in a message, a second field), the cached audit would copy a finding onto an
entry it does not fit. These tests run every built-in rule both ways and compare.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import t86audit
from t86audit.engine import run_rules
from t86audit.findings import Hit
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.testing import strategies
from tests._benchmark_population import write_benchmark_population


ROOT = Path(__file__).resolve().parent.parent
RULES = list(RuleRegistry.default())
REFERENCE = ReferenceSet()


def _both(entries: list[t86audit.Entry]) -> tuple[tuple[object, ...], tuple[object, ...]]:
    cached = run_rules(entries, RULES, reference=REFERENCE)
    plain = run_rules(entries, RULES, reference=REFERENCE, cache_verdicts=False)
    return (
        (cached.findings, [(r.rule.code, r.status, r.findings) for r in cached.rule_results]),
        (plain.findings, [(r.rule.code, r.status, r.findings) for r in plain.rule_results]),
    )


def test_most_rules_declare_their_inputs():
    """The line and entry rules whose inputs repeat across a population are cached."""
    declared = {r.code for r in RULES if r.reads is not None}
    assert {"HTS001", "HTS006", "DES002", "ELG011", "CON001", "FIL012"} <= declared
    assert all(r.scope != "group" for r in RULES if r.reads is not None)


def test_example_population_same_findings_cached_or_not():
    loaded = t86audit.load(ROOT / "examples" / "data" / "entries.csv")
    cached, plain = _both(list(loaded.entries))
    assert cached == plain
    findings = cached[0]
    assert isinstance(findings, tuple)
    assert len(findings) > 100


def test_mixed_export_same_findings_cached_or_not(tmp_path):
    from tests.test_fidelity_export import _export  # noqa: PLC0415

    path = tmp_path / "export.csv"
    path.write_text(_export(), encoding="utf-8")
    cached, plain = _both(list(t86audit.load(path).entries))
    assert cached == plain


def test_benchmark_population_same_findings_cached_or_not(tmp_path):
    path = write_benchmark_population(tmp_path / "bench.csv", 3000)
    cached, plain = _both(list(t86audit.load(path).entries))
    assert cached == plain


def test_bundles_that_stop_caching_give_the_same_findings(tmp_path, monkeypatch):
    """A bundle whose inputs hardly repeat is called directly after its trial, findings alike."""
    import t86audit.engine as engine  # noqa: PLC0415

    made: list[engine._Bundle] = []
    bundles = engine._bundles

    def recorded(runs, fail_fast):
        found = bundles(runs, fail_fast)
        made.extend(found)
        return found

    monkeypatch.setattr(engine, "_bundles", recorded)
    monkeypatch.setattr(engine, "_TRIAL", 64)
    monkeypatch.setattr(engine, "_BATCH_ENTRIES", 16)
    path = write_benchmark_population(tmp_path / "bench.csv", 1500)
    cached, plain = _both(list(t86audit.load(path).entries))
    assert cached == plain
    direct = {run.rule.code for bundle in made if bundle.direct for run in bundle.runs}
    assert {"CON004", "ELG006", "VAL003"} <= direct


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    clean=strategies.populations(max_size=8),
    defective=strategies.populations(
        max_size=6,
        chapter_98=True,
        china_origin=True,
        over_threshold=True,
        vague_description=True,
        missing_eda=True,
    ),
    odd=strategies.populations(
        max_size=6, short_hts=True, mail_mode=True, tobacco=True, foreign_consignee=True
    ),
)
def test_generated_populations_same_findings_cached_or_not(clean, defective, odd):
    """Populations that share lines and parties, with defects, give the same findings."""
    cached, plain = _both([*clean, *defective, *odd])
    assert cached == plain


def test_party_fields_read_one_by_one_give_the_same_findings():
    """Rules keyed by one field of a party (CON002-CON008) copy no finding across addresses.

    The entries share consignee names, countries and sellers but not addresses or cities, so a
    rule that read a field it did not declare would quote one entry's address on another.
    """
    from t86audit.model import Party  # noqa: PLC0415
    from t86audit.testing import make_entry  # noqa: PLC0415

    seller = Party(name="Guangzhou Star Apparel Co", address="8 Huangpu Ave", country="CN")
    consignees = [
        Party(name=name, address=address, city=city, country=country)
        for name in ("Guangzhou Star Apparel Co", "N/A", "DHL Express", "Ann Lee")
        for address, city in (("77 Harbor Way", "Newark"), ("12 Pine St", "Reno"), ("", ""))
        for country in ("US", "CN", "")
    ]
    entries = [
        make_entry(serial=i + 1, consignee=party, seller=seller)
        for i, party in enumerate(consignees)
    ]
    cached, plain = _both(entries)
    assert cached == plain
    codes = {f.code for f in cached[0]}  # type: ignore[attr-defined]
    assert {"CON001", "CON002", "CON003", "CON004", "CON005", "CON006"} <= codes


def test_reads_may_name_a_field_of_a_field_but_nothing_deeper():
    import attrs  # noqa: PLC0415

    from t86audit.exceptions import RuleDefinitionError  # noqa: PLC0415

    con002 = next(r for r in RULES if r.code == "CON002")
    assert con002.reads == (
        "entry.consignee.country",
        "entry.consignee.postal_code",
        "entry.consignee.state",
    )
    assert attrs.evolve(con002, reads=("entry.seller.country", "period")).reads == (
        "entry.seller.country",
        "period",
    )
    with pytest.raises(RuleDefinitionError, match=r"entry\.consignee\.country"):
        attrs.evolve(con002, reads=("entry.consignee.address.line1",))


def test_an_entry_without_a_declared_input_is_judged_uncached():
    """A field of a field that is None (no filing time) does not stop the cached audit."""
    import datetime as dt  # noqa: PLC0415

    import attrs  # noqa: PLC0415

    from t86audit.findings import Hit  # noqa: PLC0415
    from t86audit.testing import make_entry  # noqa: PLC0415

    def late_night(entry, ctx):
        if entry.filed_at is not None and entry.filed_at.hour >= 12:
            yield Hit(entry, message="filed in the afternoon")

    base = next(r for r in RULES if r.code == "CON005")
    late = attrs.evolve(
        base, code="ZZZ010", name="late-filing", check=late_night, reads=("entry.filed_at.hour",)
    )
    entries = [
        make_entry(serial=1, filed_at=dt.datetime(2024, 7, 22, 17, tzinfo=dt.UTC)),
        make_entry(serial=2, filed_at=None),
        make_entry(serial=3, filed_at=dt.datetime(2024, 7, 23, 18, 30, tzinfo=dt.UTC)),
        make_entry(serial=4, filed_at=dt.datetime(2024, 7, 23, 8, tzinfo=dt.UTC)),
    ]
    cached = run_rules(entries, [late], reference=REFERENCE)
    plain = run_rules(entries, [late], reference=REFERENCE, cache_verdicts=False)
    assert cached.findings == plain.findings
    assert [f.entry_number[-9:-2] for f in cached.findings] == ["0000001", "0000003"]
    assert cached.rule_results[0].status == "failed"


def test_a_batch_of_mixed_entry_types_and_repeated_inputs_gives_the_same_findings():
    """Entries of several types in one batch, sharing inputs, are judged by their own rules.

    The pass looks verdicts up a batch of entries at a time; a batch that mixes Type 86 entries
    with formal (01) and informal (11) ones splits by type, and an input met twice in one batch
    is evaluated once. Findings equal those of calling every rule on every entry.
    """
    from t86audit.testing import make_entry  # noqa: PLC0415

    lines = [
        {"description": "scarf", "hts_number": "6117.10.6010", "value_usd": "950.00"},
        {"description": "goods", "hts_number": "3303.00.30.00", "value_usd": "40.00"},
        {"description": "cotton t-shirt", "hts_number": "6109.10.0012", "value_usd": "12.00"},
    ]
    types = ("86", "01", "86", "11", "", "86")
    entries = [
        make_entry(serial=i + 1, entry_type=types[i % len(types)], lines=[lines[i % 3]])
        for i in range(40)
    ]
    cached, plain = _both(entries)
    assert cached == plain
    flagged_types = {
        entries[int(f.entry_number[-9:-2]) - 1].entry_type
        for f in cached[0]  # type: ignore[attr-defined]
        if f.code in {"DES001", "ELG006", "VAL001"}
    }
    assert flagged_types == {"86", ""}


def test_fail_fast_raises_the_error_of_the_first_entry_that_has_one():
    """With fail_fast the pass stops at the first entry any rule fails on, whichever rule it is.

    A rule with declared inputs (looked up a batch at a time without fail_fast) fails on the
    third entry and a rule without fails on the second: the second entry's error is raised.
    """
    import attrs  # noqa: PLC0415

    from t86audit.testing import make_entry  # noqa: PLC0415

    def fails_on(serial: int, text: str) -> Callable[..., Iterator[Hit]]:
        def check(entry: t86audit.Entry, ctx: object) -> Iterator[Hit]:
            if (entry.entry_number.serial or "").endswith(str(serial)):
                raise RuntimeError(text)
            yield from ()

        return check

    base = next(r for r in RULES if r.code == "CON005")
    cached = attrs.evolve(
        base,
        code="ZZZ011",
        name="cached-fails",
        check=fails_on(3, "third"),
        reads=("entry.entry_number",),
    )
    direct = attrs.evolve(
        base, code="ZZZ012", name="direct-fails", check=fails_on(2, "second"), reads=None
    )
    entries = [make_entry(serial=i) for i in range(1, 6)]
    with pytest.raises(RuntimeError, match="second"):
        run_rules(entries, [cached, direct], reference=REFERENCE, fail_fast=True)
    kept = run_rules(entries, [cached, direct], reference=REFERENCE)
    assert [(r.rule.code, r.error_count) for r in kept.rule_results] == [
        ("ZZZ011", 1),
        ("ZZZ012", 1),
    ]
