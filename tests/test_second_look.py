"""Group rules that look again: groups of one entry yield nothing, so the pass keeps digests.

A number, a bill, a person on a day is almost always met once; only the entries of the group
keys met two or more times are folded, and those are read again at the end (a sequence is read
again, a stream re-read from its files). FIL003 and FIL004 thus make the filing digest only for
numbers used twice. The findings must be the ones a full fold in the pass gives, on one process
or several.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import os
import random
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import t86audit
from t86audit.engine import _Audit, _can_fork, run_rules
from t86audit.io import load, stream
from t86audit.registry import RuleRegistry
from t86audit.rules import filing
from t86audit.rules._base import Rule, _bare_or_list
from t86audit.testing import (
    CSV_COLUMNS,
    make_bill_of_lading,
    make_entry,
    make_line,
    make_party,
    make_population,
    to_csv_rows,
)


WHEN = dt.datetime(2026, 12, 5, tzinfo=dt.UTC)


def write_rows(path: Path, rows: list[dict[str, str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, CSV_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def two_files(tmp_path: Path) -> tuple[Path, Path]:
    """A population, and a second file repeating one filing and reusing another's number."""
    rows = to_csv_rows(make_population(300, seed=5))
    numbers = list(dict.fromkeys(row["entry_number"] for row in rows))
    copied, reused = numbers[10], numbers[200]
    again = [dict(row) for row in rows if row["entry_number"] == copied]
    for row in rows:
        if row["entry_number"] == reused:
            changed = dict(row)
            changed["port_code"] = "2704" if row["port_code"] != "2704" else "4701"
            again.append(changed)
    return write_rows(tmp_path / "a.csv", rows), write_rows(tmp_path / "b.csv", again)


def codes(report: t86audit.Report, *wanted: str) -> list[tuple[str, str]]:
    return [(f.code, f.entry_number) for f in report.findings if f.code in wanted]


def test_a_stream_read_again_gives_the_findings_of_a_full_fold(two_files):
    """Streamed (entries read again from the files) == a one-shot iterable (full fold)."""
    entries = load(*two_files).entries
    full = t86audit.audit(iter(entries), generated_at=WHEN, exposure=False)
    streamed = t86audit.audit(stream(*two_files), generated_at=WHEN, exposure=False, jobs=1)
    in_memory = t86audit.audit(list(entries), generated_at=WHEN, exposure=False, jobs=1)
    found = codes(full, "FIL003", "FIL004")
    assert {code for code, _ in found} == {"FIL003", "FIL004"}
    assert streamed.findings == full.findings
    assert in_memory.findings == full.findings


@pytest.mark.skipif(not _can_fork(), reason="worker processes need fork here")
def test_numbers_repeated_across_workers_parts_are_compared(two_files):
    """With two workers, the copies sit in different parts: the second look still finds them."""
    one = t86audit.audit(stream(*two_files), generated_at=WHEN, exposure=False, jobs=1)
    two = t86audit.audit(stream(*two_files), generated_at=WHEN, exposure=False, jobs=2)
    assert codes(two, "FIL003", "FIL004") == codes(one, "FIL003", "FIL004") != []
    assert two.render("json") == one.render("json")


def test_the_digest_is_made_only_for_numbers_used_twice(two_files, monkeypatch):
    """The pass makes no digest; the second look makes one per entry of a repeated number."""
    made: list[str] = []
    digest = filing._digest

    def counting(entry: object) -> bytes:
        made.append(entry.number)  # type: ignore[attr-defined]
        return digest(entry)  # type: ignore[arg-type]

    monkeypatch.setattr(filing, "_digest", counting)
    entries = load(*two_files).entries
    rules = RuleRegistry.default().select(["FIL003", "FIL004"], ())
    run_rules(entries, rules)
    keys = [e.entry_number.key for e in entries]
    repeated = {k for k in keys if keys.count(k) > 1}
    assert len(repeated) == 2
    assert sorted(made) == sorted(e.number for e in entries if e.entry_number.key in repeated)
    made.clear()
    run_rules(iter(entries), rules)  # cannot be read again: every entry is digested
    assert len(made) == len(entries)


def test_entries_missing_when_read_again_make_the_rule_an_error(two_files):
    """If the entries read again are not the ones the pass met, the rule says so."""
    entries = load(*two_files).entries
    rules = RuleRegistry.default().select(["FIL003"], ())
    result = run_rules(entries, rules, again=lambda wanted: entries[:50])
    (outcome,) = result.rule_results
    assert outcome.status == "error"
    assert "read again" in outcome.errors[0].message
    assert result.findings == ()


# --------------------------------------------------------------------------------------------
# Every group rule whose lone entries pass (Rule.needs_two): the digests kept in the pass and
# the groups folded at the end give the findings a full fold in the pass gives.

GROUP_RULES = [r for r in RuleRegistry.default() if r.scope == "group"]

_NAMES = ["Ana Ruiz", "Ben Ode", "Chen Li", "Dara Kim", "Eli Moss", "Fay Ng"]
_ADDRESSES = ["12 Main Street Apt 4", "12 main st unit 4", "7 Oak Road", "90 Pine Ave"]
_GOODS = [
    ("portable bluetooth speaker", "8518.22.00.00"),
    ("portable bluetooth speaker", "8518.29.80.00"),
    ("women's cotton knit t-shirt", "6109.10.00.40"),
    ("women's cotton knit t-shirt", "6109.10.00.40"),
    ("ceramic coffee mug", "6912.00.48.10"),
]
_SELLERS = ["Shenzhen Best Goods Co", "Osaka Hobby Works K.K.", "Hanoi Craft Ltd"]


def crowded(n: int, seed: int) -> list[t86audit.Entry]:
    """``n`` entries whose group keys collide often: few people, addresses, bills, goods."""
    rng = random.Random(seed)
    entries = []
    for _ in range(n):
        lines = []
        for line_number in range(1, rng.choice((1, 1, 2, 3)) + 1):
            description, hts = rng.choice(_GOODS)
            lines.append(
                make_line(
                    line_number=line_number,
                    description=description,
                    hts_number=hts,
                    value_usd=Decimal(rng.choice(("120.00", "420.00", "765.00", "790.10"))),
                    order_reference=f"ORD-{rng.randrange(8)}",
                )
            )
        entries.append(
            make_entry(
                serial=rng.randrange(1, n // 2 + 2),  # numbers used twice, some filings copied
                arrival_date=dt.date(2024, 6, 3) + dt.timedelta(days=rng.randrange(3)),
                bill_of_lading=make_bill_of_lading(rng.randrange(1, n // 3 + 2)),
                consignee=make_party(name=rng.choice(_NAMES), address=rng.choice(_ADDRESSES)),
                seller=make_party("seller", name=rng.choice(_SELLERS), country="JP"),
                lines=lines,
            )
        )
    # Six names at one address on one day under numbers used once: the group rules leave out
    # an entry whose versions may not be in the group (FIL003), and so many numbers are used
    # twice above that CON007 may otherwise find no address it can report.
    entries.extend(
        make_entry(
            serial=n + i,
            arrival_date=dt.date(2024, 6, 4),
            consignee=make_party(name=name, address=_ADDRESSES[2]),
        )
        for i, name in enumerate(_NAMES, start=1)
    )
    return entries


def outcome(result: t86audit.AuditResult) -> tuple[object, ...]:
    return (
        result.findings,
        [(r.rule.code, r.status, r.findings, r.errors) for r in result.rule_results],
    )


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"CON007": {"max_names": 1}, "HTS007": {"min_entries": 3}, "VAL006": {"min_entries": 2}},
        # Options under which a lone entry can be reported: those rules fold every entry.
        {"CON007": {"max_names": 0}, "HTS007": {"min_entries": 1}, "VAL007": {"min_entries": 1}},
    ],
)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_group_rule_finds_the_same_folding_at_the_end_or_in_the_pass(seed, options):
    entries = crowded(160, seed)
    at_end = run_rules(entries, GROUP_RULES, options=options)
    in_pass = run_rules(iter(entries), GROUP_RULES, options=options)
    assert outcome(at_end) == outcome(in_pass)
    found = {f.code for f in in_pass.findings}
    # The population is crowded enough that the comparison covers most group rules.
    assert {"FIL003", "FIL007", "VAL002", "VAL005", "CON007", "HTS007"} <= found


def test_the_pass_keeps_digests_not_states_for_rules_whose_lone_entries_pass():
    entries = crowded(60, 4)
    rules = RuleRegistry.default().select(["VAL002", "HTS007", "CON007"], ())
    audit = _Audit(
        rules,
        samples=(),
        policy=None,
        reference=None,
        options={"CON007": {"max_names": 0}},
        fail_fast=False,
        cache_verdicts=True,
        again=lambda wanted: entries,
    )
    assert audit.compact == {"VAL002", "HTS007"}  # CON007 can report a lone entry here
    partial = audit.feed(entries)
    assert set(partial.marks) == {"VAL002", "HTS007"}
    assert set(partial.states) == {"CON007"}
    digests, owners, variants = partial.marks["VAL002"]
    assert len(digests) == len(owners) == len(entries)  # one person-day key each
    assert list(owners) == list(range(len(entries)))
    assert variants is None
    assert partial.marks["HTS007"][2] is not None


def test_digests_are_the_same_in_processes_with_other_hash_seeds():
    """Dask workers do not share the driver's hash seed; their digests must still agree."""
    keys = (
        "(('ana ruiz', '12 main st unit 4', dt.date(2024, 6, 3)), 'B7600000015', None, "
        "('x', 3, ('y', None)), ('a', 'b', 'c'), ('caf\u00e9', dt.date(2025, 5, 2)))"
    )
    code = (
        "import datetime as dt; from t86audit.engine import _portable_digest as d, "
        "_portable_32 as d32; "
        f"keys = {keys}; "
        "print(*[d(k) for k in keys], *[d32(k) for k in keys], hash('B7600000015'))"
    )
    outputs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        )
        outputs.append(done.stdout.split())
    first, second = outputs
    assert first[:-1] == second[:-1]
    assert first[-1] != second[-1]  # the plain hash of a text does differ: the test means it


def test_a_fold_error_at_the_end_is_counted_as_in_the_pass():
    """A fold failing on an entry of a shared bill is reported either way.

    (At the end only groups of two or more are folded: a fold failing on a lone entry is met
    only when the pass folds everything, as the rule's docs say.)
    """
    entries = crowded(80, 5)
    numbers = [e.number for e in entries]
    bills = [e.bill_of_lading for e in entries]
    broken = next(
        e.number
        for e in entries
        if numbers.count(e.number) == 1 and bills.count(e.bill_of_lading) > 1
    )

    def fold(state: object, entry: t86audit.Entry, ctx: object) -> object:
        if entry.number == broken:
            msg = "cannot keep this one"
            raise ValueError(msg)
        return _bare_or_list(state, entry)

    rule = attrs.evolve(RuleRegistry.default().get("FIL007"), fold=fold)
    at_end = run_rules(entries, [rule])
    in_pass = run_rules(iter(entries), [rule])
    assert outcome(at_end) == outcome(in_pass)
    (result,) = at_end.rule_results
    assert result.status == "error"
    assert "cannot keep this one" in result.errors[0].message


def test_a_file_given_twice_folds_each_copy(tmp_path):
    """Copies of an entry (one file given twice) are two members of each of their groups."""
    entries = [make_entry(serial=n, value="500.00") for n in (1, 2)]
    path = write_rows(tmp_path / "one.csv", to_csv_rows(entries))
    loaded = load(path, path).entries
    rules = list(RuleRegistry.default())
    at_end = run_rules(loaded, rules)
    in_pass = run_rules(iter(loaded), rules)
    assert outcome(at_end) == outcome(in_pass)
    assert {"FIL004", "VAL002", "VAL005"} <= {f.code for f in at_end.findings}
    streamed = t86audit.audit(stream(path, path), generated_at=WHEN, exposure=False, jobs=1)
    assert (
        streamed.findings
        == t86audit.audit(iter(loaded), generated_at=WHEN, exposure=False).findings
    )


def _read_again_at_end(
    rules: list[Rule], entries: list[t86audit.Entry], **engine: object
) -> t86audit.AuditResult:
    """One pass over ``entries`` that keeps digests, then the second look reading them again."""
    audit = _Audit(
        rules,
        samples=(),
        policy=None,
        reference=None,
        options=None,
        fail_fast=False,
        cache_verdicts=True,
        again=lambda wanted: entries,
        **engine,  # type: ignore[arg-type]
    )
    return audit.finish([audit.feed(entries)], None)


def test_variants_that_share_a_crc_are_told_apart_on_dask():
    """Two numbers with one CRC-32 and length: the digests Dask uses still tell them apart."""
    import zlib  # noqa: PLC0415

    first, second = "6128535596", "6191968262"
    assert zlib.crc32(first.encode()) == zlib.crc32(second.encode())
    entries = [
        make_entry(serial=n, lines=[make_line(description="knit top", hts_number=hts)])
        for n, hts in ((1, "6128.53.55.96"), (2, "6191.96.82.62"))
    ]
    rules = RuleRegistry.default().select(["HTS007"], ())
    found = [_read_again_at_end(rules, entries, portable=p).findings for p in (False, True)]
    full = run_rules(iter(entries), rules).findings
    assert len(full) == 2
    assert found == [full, full]


@pytest.mark.parametrize("parts", [1, 2, 5])
def test_the_second_look_folded_in_parts_elsewhere_gives_the_full_fold(parts):
    """The Dask adapter folds the second look where the files are (a task per file) and joins
    the parts' states in population order: any cut of the population gives the findings and
    the rule errors of the full fold, and the parts are asked only for the wanted entries."""
    entries = crowded(160, 4)
    numbers = [e.number for e in entries]
    bills = [e.bill_of_lading for e in entries]
    broken = {
        e.number
        for e in entries
        if numbers.count(e.number) == 1 and bills.count(e.bill_of_lading) > 1
    }

    def fold(state: object, entry: t86audit.Entry, ctx: object) -> object:
        if entry.number in broken:
            msg = f"cannot keep {entry.number}"
            raise ValueError(msg)
        return _bare_or_list(state, entry)

    rules = [
        *GROUP_RULES,
        attrs.evolve(RuleRegistry.default().get("FIL007"), code="FIL907", fold=fold),
    ]
    in_pass = run_rules(iter(entries), rules)
    cuts = [len(entries) * i // parts for i in range(parts + 1)]
    asked: list[tuple[frozenset[str], dict[str, set[int]]]] = []

    def elsewhere(wanted, needing):
        asked.append((wanted, dict(needing)))
        for begin, end in itertools.pairwise(cuts):
            worker = _Audit(rules, fail_fast=False, cache_verdicts=True)
            yield worker.fold_again(entries[begin:end], wanted, needing)

    at_end = _read_again_at_end(rules, entries, fold_elsewhere=elsewhere)
    assert outcome(at_end) == outcome(in_pass)
    by_code = {r.rule.code: r for r in at_end.rule_results}
    assert by_code["FIL907"].status == "error"
    assert (
        by_code["FIL907"].errors == {r.rule.code: r for r in in_pass.rule_results}["FIL907"].errors
    )
    ((wanted, needing),) = asked
    assert needing
    assert all(needing.values())
    assert wanted <= {e.entry_number.key for e in entries}
