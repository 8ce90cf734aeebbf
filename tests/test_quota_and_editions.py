"""ELG011 on the bundled quota list (extended or replaced by a user's table), and HTS002/HTS003
judging a number by the HTSUS revision in force on the arrival date."""

import datetime as dt

import pytest

from t86audit import reference as ref
from t86audit.engine import run_rules
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.testing import make_entry


RULES = {r.code: r for r in RuleRegistry.default()}


def run(codes, entries, reference=None):
    """Run some rules; return ({code: status}, findings)."""
    result = run_rules(
        entries, [RULES[c] for c in codes], reference=reference or ReferenceSet(), fail_fast=True
    )
    return {r.rule.code: r.status for r in result.rule_results}, result.findings


def goods(hts, *, origin="BR", day=dt.date(2024, 6, 3), serial=1, description="goods"):
    line = {
        "hts_number": hts,
        "country_of_origin": origin,
        "value_usd": "12.00",
        "description": description,
    }
    return make_entry(serial=serial, arrival_date=day, lines=[line])


# --- the bundled quota list -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("hts", "note"),
    [
        ("1701.14.10.20", "additional U.S. note 5 to chapter 17"),  # raw cane sugar, in quota
        ("1701.14.50.00", "additional U.S. note 5 to chapter 17"),  # raw cane sugar, over quota
        ("0405.10.20.00", "additional U.S. note 6 to chapter 4"),  # butter, over quota
        ("0405.10.10.00", "additional U.S. note 6 to chapter 4"),  # butter, in quota
        ("0406.10.12.00", "additional U.S. notes 16, 17"),  # general note 15 line, derived note
        ("1202.41.80.00", "additional U.S. note 2 to chapter 12"),  # peanuts
        ("2401.10.65.00", "additional U.S. note 5 to chapter 24"),  # tobacco
        ("5201.00.18.00", "additional U.S. note 5 to chapter 52"),  # cotton
        ("0201.10.50.10", "additional U.S. note 3 to chapter 2"),  # beef
        ("2106.90.44.00", "additional U.S. note 5 to chapter 17"),  # added: 'andentered' misprint
    ],
)
def test_bundled_list_names_the_quota_of_in_and_over_quota_lines(hts, note):
    """In-quota, over-quota and general note 15 lines are all goods of the quota's class."""
    found = ref.quota_list().matches(hts)

    assert found
    assert note in found[0].describe()
    assert found[0].confidence == "V"


@pytest.mark.parametrize(
    "hts",
    [
        "0406.20.10.00",  # Roquefort, grated: the source's row is left out
        "0406.40.20.00",  # Roquefort in original loaves
        "0406.40.40.00",  # Roquefort, other
        "0405.20.40.00",  # dairy spreads, other: same heading, not a quota line
        "1701.91.80.00",  # flavoured sugar, other: same heading, not a quota line
        "1806.20.50.00",  # chocolate preparations, other
        "6109.10.00.40",  # cotton t-shirt
    ],
)
def test_lines_that_are_not_quota_goods_are_not_listed(hts):
    """Matching is by 8-digit quota subheading: neighbours in the same heading stay clean."""
    assert ref.quota_list().matches(hts) == ()


def test_bundled_list_has_provenance_and_a_row_per_subheading():
    """The list names its source and date; every row is an 8-digit subheading with a note."""
    table = ref.quota_list()
    record = ref.provenance()["quota_goods"]

    assert table.snapshot == record.snapshot
    assert table.snapshot.date == "2025-08-07"
    assert "Revision 18" in table.snapshot.source
    assert any("Roquefort" in caveat for caveat in record.completeness)
    assert len(table) == 525
    assert all(len(g.hts_prefix) == 8 and g.provision for g in table.goods)
    assert {g.basis for g in table.goods} == {"source", "provision derived", "added"}


def test_elg011_flags_sugar_and_butter_by_default_and_names_the_list():
    """Without any user table, raw cane sugar and butter are flagged; a t-shirt is not."""
    entries = [
        goods("1701.14.10.20", serial=1),
        goods("0405.10.20.00", origin="NZ", serial=2),
        goods("6109.10.00.40", origin="VN", serial=3),
    ]
    status, findings = run(["ELG011"], entries)

    assert status == {"ELG011": "failed"}
    assert [f.entry_number for f in findings] == [entries[0].number, entries[1].number]
    message = findings[1].message
    assert "additional U.S. note 6 to chapter 4" in message
    assert "bundled quota list (USITC HTSUS 2025 Revision 18 JSON, dated 2025-08-07" in message
    assert "over-quota line" in message


def test_elg011_passes_a_clean_audit_rather_than_not_applicable():
    """The bundled list makes the rule applicable on every audit."""
    status, findings = run(["ELG011"], [goods("6109.10.00.40", origin="VN")])

    assert status == {"ELG011": "passed"}
    assert findings == ()


def test_user_table_extends_the_bundled_list(tmp_path):
    """A user's row adds goods; bundled goods stay flagged; both lists are in the audit trail."""
    path = tmp_path / "q.csv"
    path.write_text("hts,quota\n8541.43,solar cells TRQ (9903.45.21)\n", encoding="utf-8")
    reference = ReferenceSet(quota=ref.QuotaTable.from_csv(path, date="2025-02-07"))
    entries = [goods("8541.43.00.10", origin="KR", serial=1), goods("1701.14.10.20", serial=2)]

    _, findings = run(["ELG011"], entries, reference)

    assert [f.entry_number for f in findings] == [entries[0].number, entries[1].number]
    assert "solar cells TRQ" in findings[0].message
    assert "user-supplied quota table q.csv dated 2025-02-07" in findings[0].message
    assert [s.name for s in reference.snapshots()] == ["quota_goods", "quota"]


def test_user_table_can_replace_the_bundled_list(tmp_path):
    """quota_mode='replace' consults the user's table alone."""
    path = tmp_path / "q.csv"
    path.write_text("hts,quota\n8541.43,solar cells\n", encoding="utf-8")
    reference = ReferenceSet(quota=ref.QuotaTable.from_csv(path), quota_mode="replace")
    entries = [goods("8541.43.00.10", origin="KR", serial=1), goods("1701.14.10.20", serial=2)]

    _, findings = run(["ELG011"], entries, reference)

    assert [f.entry_number for f in findings] == [entries[0].number]
    assert [s.name for s in reference.snapshots()] == ["quota"]


def test_replace_needs_a_table_and_modes_are_checked():
    """A replacement without a table, or an unknown mode, is refused at once."""
    with pytest.raises(ValueError, match="needs a quota table"):
        ReferenceSet(quota_mode="replace")
    with pytest.raises(ValueError, match="quota_mode must be one of"):
        ReferenceSet(quota_mode="merge")


# --- HTS numbers judged by the revision in force ----------------------------------------------


def hts_codes(hts, day, reference=None):
    _, findings = run(["HTS002", "HTS003"], [goods(hts, day=day)], reference)
    return [f.code for f in findings], [f.message for f in findings]


def test_revision_table_knows_the_2025_revisions():
    """33 revisions; the snapshot is revision 15; dates order the revisions."""
    editions = ref.hts_editions()

    assert len(editions.editions) == 33
    assert editions.snapshot_revision == "rev_15"
    assert editions.covers_from == dt.date(2025, 1, 1)
    before, on = editions.in_force(dt.date(2025, 6, 5)), editions.in_force(dt.date(2025, 6, 6))
    assert before is not None
    assert on is not None
    assert (before.label, on.label) == ("2025 rev 15", "2025 rev 16")
    assert editions.in_force(dt.date(2024, 12, 31)) is None
    assert editions.snapshot == ref.provenance()["htsus_editions"].snapshot


@pytest.mark.parametrize(
    ("day", "codes"),
    [
        (dt.date(2025, 2, 10), []),  # rev 3: still valid
        (dt.date(2025, 5, 1), []),  # rev 13, more than 31 days before rev 16: valid
        (dt.date(2025, 6, 5), []),  # rev 15, the day before rev 16
        (dt.date(2025, 6, 6), ["HTS003"]),  # rev 16 removed it; rev 15 within the margin
        (dt.date(2025, 7, 5), ["HTS003"]),  # 29 days after rev 16: rev 15 within the margin
        (dt.date(2025, 8, 10), ["HTS002"]),  # well after rev 16: a violation
    ],
)
def test_number_removed_by_revision_16(day, codes):
    """0901.11.00.45 existed until rev 16 (2025-06-06): valid before, a violation well after,
    a warning in the margin around the uncertain revision date."""
    found, messages = hts_codes("0901.11.00.45", day)

    assert found == codes
    if codes == ["HTS002"]:
        assert "HTSUS 2025 rev 18 (from 2025-08-07)" in messages[0]
        assert "0901.11.00.45" in messages[0]
    if codes == ["HTS003"]:
        assert "HTSUS 2025 rev 15 (from 2025-05-14)" in messages[0]


@pytest.mark.parametrize(
    ("day", "codes"),
    [
        (dt.date(2024, 3, 1), ["HTS003"]),  # before 2025: added later, only a warning
        (dt.date(2025, 2, 10), ["HTS002"]),  # 2025, before rev 16 added it
        (dt.date(2025, 5, 20), ["HTS003"]),  # within the margin before rev 16
        (dt.date(2025, 7, 15), []),  # after rev 16: valid
    ],
)
def test_number_added_by_revision_16(day, codes):
    """0901.11.00.35 first appears in rev 16: invalid before it, valid after."""
    found, messages = hts_codes("0901.11.00.35", day)

    assert found == codes
    if day.year == 2024:
        assert "first appears in the HTSUS 2025 rev 16 (from 2025-06-06)" in messages[0]
        assert "HTSUS 2025 basic (from 2025-01-01)" in messages[0]


def test_number_added_by_revision_1():
    """4420.19.00.00 was added by rev 1 (2025-01-27): before it, a warning (inside the margin)."""
    assert hts_codes("4420.19.00.00", dt.date(2025, 1, 10))[0] == ["HTS003"]
    assert hts_codes("4420.19.00.00", dt.date(2025, 2, 10))[0] == []


@pytest.mark.parametrize(
    ("hts", "day", "codes"),
    [
        ("6109.10.00.99", dt.date(2023, 7, 23), ["HTS003"]),  # no 2023 edition bundled
        ("6109.10.00.99", dt.date(2025, 3, 3), ["HTS002"]),  # 2025: covered
        # After the T86 test ended (29 Aug 2025) HTS001-HTS003 stand down: ELG002 is the
        # finding on a T86 of that date (session 23, h1). The bundled revisions run past it.
        ("6109.10.00.99", dt.date(2026, 3, 3), []),
        ("1234.56.78.90", dt.date(2023, 7, 23), ["HTS002"]),  # no heading 1234 in HS 2022
        ("1234.56.78.90", dt.date(2021, 7, 23), ["HTS003"]),  # before HS 2022
        ("6109.10.00.40", dt.date(2023, 7, 23), []),
    ],
)
def test_older_entries_are_warned_unless_the_hs_nomenclature_decides(hts, day, codes):
    """Outside 2025 only a missing heading or 6-digit subheading (HS 2022) is a violation."""
    assert hts_codes(hts, day)[0] == codes


def test_subheadings_not_listed_after_the_snapshot_give_a_warning():
    """9401.99.30 appears from rev 16; after rev 17 removed its only listed number, an unknown
    suffix under it cannot be judged: the revisions may hold 9401.99.30.00."""
    editions = ref.hts_editions()
    rev18 = editions.in_force(dt.date(2025, 8, 10))
    assert rev18 is not None
    assert not rev18.subheadings_listed
    assert editions.numbers_with_prefix("94019930", rev18) == []

    assert hts_codes("9401.99.30.00", dt.date(2025, 8, 20))[0] == ["HTS003"]


def test_margin_option_moves_the_warning_window():
    """With no margin, the day of rev 16 is judged by rev 16 alone."""
    rules = [RULES[c].with_options(revision_margin_days=0) for c in ("HTS002", "HTS003")]
    entry = goods("0901.11.00.45", day=dt.date(2025, 6, 6))
    result = run_rules([entry], rules, reference=ReferenceSet(), fail_fast=True)

    assert [f.code for f in result.findings] == ["HTS002"]


def test_user_schedule_judges_every_date_without_the_bundled_revisions(tmp_path):
    """A user's schedule has no revision table: it judges every entry (HTS002 only)."""
    path = tmp_path / "s.csv"
    path.write_text(
        "chapter,htsno,indent,description\n9,0901,0,Coffee:\n9,0901.11.00.45,1,Other\n",
        encoding="utf-8",
    )
    reference = ReferenceSet(hts=ref.HtsSchedule.from_csv(path, date="2025-09-01"))

    assert reference.hts_editions is None
    assert hts_codes("0901.11.00.45", dt.date(2025, 8, 10), reference)[0] == []
    assert hts_codes("0901.11.00.35", dt.date(2024, 8, 10), reference)[0] == ["HTS002"]


def test_audit_trail_names_the_revision_table_when_used():
    """An audit that judged a number by the revisions lists their snapshot."""
    reference = ReferenceSet()
    run(["HTS002", "HTS003"], [goods("0901.11.00.45", day=dt.date(2025, 8, 10))], reference)

    assert "htsus_editions" in [s.name for s in reference.snapshots()]
