"""Edge cases of the HTS rules: field shapes, one finding per defect, the 00 rule, user schedules,
dates, the description check's false-warning rate, and grouping by description."""

import datetime as dt
import random
import time
from importlib import resources

import pytest

from t86audit.engine import run_rules
from t86audit.reference import (
    HTS_FILE,
    HtsSchedule,
    Snapshot,
    decode_hts_data,
    hts_schedule,
)
from t86audit.refset import ReferenceSet
from t86audit.rules import classification as hts
from t86audit.testing import make_entry


RULES = hts.RULES
BY_CODE = {r.code: r for r in RULES}


def _entry(hts_number="6109.10.00.40", description="women's cotton knit t-shirt", **extra):
    return make_entry(lines=[{"hts_number": hts_number, "description": description}], **extra)


def _codes(entries, rules=RULES, reference=None):
    result = run_rules(entries, list(rules), reference=reference or ReferenceSet(), fail_fast=True)
    return result, sorted(f.code for f in result.findings)


@pytest.mark.parametrize(
    ("hts_number", "shape"),
    [
        ("6109.10.00.40", hts.Shape.TEN_DIGITS),
        ("6109100040", hts.Shape.TEN_DIGITS),
        ("6109 10 0040", hts.Shape.TEN_DIGITS),
        ("6109-10-00-40", hts.Shape.TEN_DIGITS),
        ("  6109.10.00.40 ", hts.Shape.TEN_DIGITS),
        ("", hts.Shape.BLANK),
        ("   ", hts.Shape.BLANK),
        ("6109.1O.00.40", hts.Shape.NOT_DIGITS),
        ("HTS 6109100040", hts.Shape.NOT_DIGITS),
        ("6109.10", hts.Shape.WRONG_LENGTH),
        ("61091000401", hts.Shape.WRONG_LENGTH),
        ("9801.00", hts.Shape.CHAPTER_98),
        ("9802.00.50.60", hts.Shape.CHAPTER_98),
        ("9903.88.03", hts.Shape.CHAPTER_99),
        ("9903.88.03 6109.10.00.40", hts.Shape.WRONG_LENGTH),
    ],
)
def test_hts_shape_reads_separators_letters_and_chapters(hts_number, shape):
    """Dots, spaces and dashes are separators; letters are not; chapters 98/99 come first."""
    assert hts.hts_shape(hts_number).shape is shape


@pytest.mark.parametrize(
    ("hts_number", "codes"),
    [
        ("", ["HTS001"]),
        ("6109.10", ["HTS001"]),
        ("4202.92.31", ["HTS001"]),
        ("6109.1O.00.40", ["HTS001"]),
        ("9903.88.03 6109.10.00.40", ["HTS001"]),
        ("6109.10.00.99", ["HTS003"]),  # June 2024: no 2024 edition bundled, a warning
        ("1234.56.78.90", ["HTS002"]),  # no heading 1234 in HS 2022: a violation
        ("9801.00", ["HTS008"]),  # June 2024, before CSMS 62520662: a warning
        ("9801.00.10.98", ["HTS008"]),
        ("9903.88.03", ["HTS005"]),
        ("9903.88.03.00", ["HTS005"]),
        ("6109.10.00.40", []),
        ("6109 10 0040", []),
        ("6109-10-00-40", []),
    ],
)
def test_each_defect_is_reported_once(hts_number, codes):
    """All HTS rules together report a malformed number by exactly one rule."""
    _, found = _codes([_entry(hts_number)])

    assert found == codes


def test_blank_hts_is_reported_as_missing_by_hts001():
    """A blank HTS field is HTS001's finding, worded as a missing number."""
    result, found = _codes([_entry("")])

    assert found == ["HTS001"]
    assert "has no HTS number" in result.findings[0].message


def test_eight_digit_subheading_without_breakout_takes_suffix_00():
    """9101.11.40 has no statistical rows: the 8 digits are flagged with the 00 hint, the
    10-digit form is valid."""
    schedule = hts_schedule()
    assert schedule.is_implied("9101114000")

    result, found = _codes([_entry("9101.11.40", "gold-cased wrist watch")])
    assert found == ["HTS001"]
    assert "report 9101.11.40.00" in result.findings[0].message

    _, found = _codes([_entry("9101.11.40.00", "gold-cased wrist watch")])
    assert found == []


def test_not_in_schedule_message_names_snapshot_and_valid_suffixes():
    """The finding says which schedule judged it and lists the subheading's real suffixes."""
    entry = _entry("6109.10.00.99", arrival_date=dt.date(2025, 3, 3))
    result, _ = _codes([entry], [BY_CODE["HTS002"]])

    (finding,) = result.findings
    assert "not a statistical reporting number in the HTSUS 2025 rev 3 (from 2025-02-04)" in (
        finding.message
    )
    assert "40" in finding.message.split("suffixes", 1)[1]


@pytest.mark.parametrize(
    ("arrival", "code"),
    [
        (dt.date(2019, 10, 1), "HTS003"),
        (dt.date(2022, 1, 26), "HTS003"),
        (dt.date(2022, 1, 27), "HTS003"),
        (dt.date(2024, 12, 31), "HTS003"),
        (dt.date(2025, 1, 1), "HTS002"),
        (dt.date(2025, 8, 1), "HTS002"),
    ],
)
def test_entries_before_the_bundled_editions_get_a_warning_not_a_violation(arrival, code):
    """A wrong suffix is a violation only on a date the bundled 2025 editions cover."""
    result, found = _codes([_entry("6109.10.00.99", arrival_date=arrival)])

    assert found == [code]
    if code == "HTS003":
        assert arrival.isoformat() in result.findings[0].message


def test_covers_from_option_moves_the_boundary():
    """Setting bundled_covers_from on both rules makes a 2021 entry's unknown heading a
    violation (a wrong suffix stays a warning: no 2021 edition is bundled)."""
    rules = [
        BY_CODE["HTS002"].with_options(bundled_covers_from="2019-01-01"),
        BY_CODE["HTS003"].with_options(bundled_covers_from="2019-01-01"),
    ]
    day = dt.date(2021, 3, 2)
    _, found = _codes([_entry("1234.56.78.90", arrival_date=day)], rules)
    _, default = _codes([_entry("1234.56.78.90", arrival_date=day)])
    _, suffix = _codes([_entry("6109.10.00.99", arrival_date=day)], rules)

    assert found == ["HTS002"]
    assert default == ["HTS003"]
    assert suffix == ["HTS003"]


_TINY_SCHEDULE = """chapter,htsno,indent,description,general
61,6109,0,"T-shirts, singlets, tank tops and similar garments, knitted or crocheted:",
61,6109.10.00,1,Of cotton,Free
61,6109.10.00.40,2,Women's or girls',
85,8518,0,"Microphones; loudspeakers; headphones and earphones:",
85,8518.30.20,1,Headphones and earphones,Free
"""


@pytest.fixture
def tiny(tmp_path):
    path = tmp_path / "tiny.csv"
    path.write_text(_TINY_SCHEDULE, encoding="utf-8")
    return ReferenceSet(hts=HtsSchedule.from_csv(path, date="2020-07-01"))


def test_user_schedule_judges_numbers_and_is_named(tiny):
    """A user's schedule decides validity, its 8-digit rows take 00, and messages name it."""
    entries = [
        _entry("6109.10.00.40", serial=1),
        _entry("8518.30.20.00", "wireless earphones", serial=2),
        _entry("6109.10.00.12", "men's cotton t-shirt", serial=3),
    ]
    result, found = _codes(entries, [BY_CODE["HTS002"]], tiny)

    assert found == ["HTS002"]
    (finding,) = result.findings
    assert finding.entry_number == entries[2].number
    assert "user-supplied schedule tiny.csv dated 2020-07-01" in finding.message


def test_user_schedule_judges_old_entries_too(tiny):
    """With a user schedule, a 2020 entry's unknown number is HTS002; HTS003 does not apply."""
    entry = _entry("6109.10.00.12", arrival_date=dt.date(2020, 3, 2))
    result, found = _codes([entry], [BY_CODE["HTS002"], BY_CODE["HTS003"]], tiny)

    assert found == ["HTS002"]
    status = {r.rule.code: r.status for r in result.rule_results}
    assert status["HTS003"] == "not_applicable"


def test_description_check_uses_the_user_schedule(tiny):
    """The comparison reads the supplied schedule's texts, not the bundled ones."""
    entries = [
        _entry("6109.10.00.40", "wireless earphones and headphones", serial=1),
        _entry("6109.10.00.40", "cotton t-shirt", serial=2),
    ]
    result, found = _codes(entries, [BY_CODE["HTS006"]], tiny)

    assert found == ["HTS006"]
    assert result.findings[0].entry_number == entries[0].number
    assert "headings 8517, 8518" in result.findings[0].message


def test_chapter_98_before_the_csms_is_a_warning():
    """Chapter 98 after CSMS 62520662 is HTS004's warning (the bar is the CSMS's, guidance);
    before it, HTS008's warning that says the guidance came after the entry."""
    before = _entry("9801.00.10.98", "leather belt, customer return", serial=1)
    after = _entry(
        "9801.00.10.98", "leather belt, customer return", serial=2, arrival_date="2024-11-04"
    )
    result, found = _codes([before, after], [BY_CODE["HTS004"], BY_CODE["HTS008"]])

    assert sorted(found) == ["HTS004", "HTS008"]
    by_number = {f.entry_number: f for f in result.findings}
    assert by_number[before.number].code == "HTS008"
    assert by_number[before.number].severity.value == "warning"
    assert by_number[before.number].basis == "guidance"
    assert "before CBP's clarifying CSMS 62520662" in by_number[before.number].message
    assert "issued after the entry" in by_number[before.number].message
    assert by_number[after.number].code == "HTS004"
    assert by_number[after.number].severity.value == "warning"
    assert by_number[after.number].basis == "guidance"
    assert "CSMS" not in by_number[after.number].message
    assert "returned or repaired goods" in by_number[after.number].message


# Plausible, correctly classified e-commerce lines (hand-written): the description check must
# stay quiet on them. A sample of the sets the rule's limitations text reports on.
PLAUSIBLE = [
    ("silicone phone case", "3926.90.99.89"),
    ("tempered glass screen protector", "7007.19.00.00"),
    ("usb c charging cable 1m", "8544.42.90.90"),
    ("bluetooth earbuds with charging case", "8518.30.20.00"),
    ("smart watch", "8517.62.00.90"),
    ("led strip lights 5m", "9405.42.84.40"),
    ("reading lamp clip on", "9405.21.80.10"),
    ("yoga mat", "9506.91.00.30"),
    ("women's leggings", "6104.63.20.06"),
    ("men's hoodie cotton", "6110.20.20.79"),
    ("sports bra", "6212.10.90.20"),
    ("running sneakers", "6404.11.90.20"),
    ("crossbody bag", "4202.22.15.00"),
    ("gold plated earrings", "7117.19.90.00"),
    ("false eyelashes", "6704.19.00.00"),
    ("nail polish", "3304.30.00.00"),
    ("beard trimmer", "8510.20.10.00"),
    ("insulated tumbler", "9617.00.10.00"),
    ("coffee grinder manual", "8210.00.00.00"),
    ("essential oil diffuser", "8509.80.50.45"),
    ("garden hose nozzle", "8424.90.90.40"),
    ("knee brace", "9021.10.00.50"),
    ("hot water bottle", "4014.90.10.00"),
    ("butter cookies", "1905.31.00.49"),
    ("paperback novel", "4901.99.00.93"),
    ("wireless mouse", "8471.60.90.50"),
    ("drone with camera", "8806.22.00.00"),
    ("fidget spinner", "9503.00.00.90"),
    ("dog harness", "4201.00.30.00"),
    ("cast iron skillet", "7321.11.30.20"),
    ("Anker PowerCore 10000", "8507.60.00.20"),
]
MISMATCHED = [
    ("silicone phone case", "6109.10.00.40"),
    ("wireless earphones", "6110.20.20.10"),
    ("leather dog leash", "8511.10.00.00"),
    ("cotton t-shirt", "8518.30.20.00"),
    ("wool sweater", "8471.60.90.50"),
    ("silk scarf", "9004.10.00.00"),
    ("men's cotton socks", "8523.51.00.00"),
]


def test_plausible_lines_draw_no_warning():
    """Everyday wording of correctly classified goods is not flagged."""
    schedule = hts_schedule()
    assert all(schedule.is_valid(n) for _, n in PLAUSIBLE + MISMATCHED)
    fits = {(d, n): hts.description_fit(schedule, n, d) for d, n in PLAUSIBLE}
    flagged = [pair for pair, fit in fits.items() if fit is None or fit.is_inconsistent(2)]

    assert flagged == []


def test_gross_mismatches_are_flagged_with_evidence():
    """Goods filed under an unrelated chapter are flagged; the message shows the article text
    and the words that did not match."""
    entries = [_entry(n, d, serial=i) for i, (d, n) in enumerate(MISMATCHED, start=1)]
    result, found = _codes(entries, [BY_CODE["HTS006"]])

    assert found == ["HTS006"] * len(MISMATCHED)
    first = next(f for f in result.findings if f.entry_number == entries[0].number)
    assert "T-shirts, singlets, tank tops" in first.message
    assert "words not found there: silicone, phone, case" in first.message
    assert "HTSUS 2025-05-26 snapshot" in first.message


def test_prebuilt_vocabulary_judges_like_the_schedule_itself():
    """The bundled snapshot is judged from its shipped stems; the same schedule under another
    name is stemmed from its texts; both give the same fits, the other chapters included."""
    bundled = hts_schedule()
    same = HtsSchedule(
        decode_hts_data((resources.files("t86audit") / "data" / HTS_FILE).read_bytes()),
        Snapshot("htsus", "a copy of the bundled snapshot", "", "not the bundled hash"),
    )

    for description, number in PLAUSIBLE + MISMATCHED:
        assert hts.description_fit(bundled, number, description) == hts.description_fit(
            same, number, description
        )


@pytest.mark.parametrize(
    "description",
    ["", "gift", "12345", "black women's set", "Anker PowerCore 10000", "bluetooth"],
)
def test_descriptions_without_evidence_are_not_judged(description):
    """Blank, vague, brand-only or neutral descriptions say nothing either way."""
    _, found = _codes([_entry("8511.10.00.00", description)], [BY_CODE["HTS006"]])

    assert found == []


def test_min_known_words_option():
    """Raising min_known_words to 3 spares a two-word mismatch, not a three-word one."""
    rule = BY_CODE["HTS006"].with_options(min_known_words=3)
    entries = [
        _entry("6110.20.20.10", "wireless earphones", serial=1),
        _entry("8511.10.00.00", "leather dog leash", serial=2),
    ]
    result, _ = _codes(entries, [rule])

    assert [f.entry_number for f in result.findings] == [entries[1].number]


def test_stem_joins_tariff_and_everyday_forms():
    """Plurals and -ed/-ing forms share a stem; irregular plurals too."""
    pairs = [("earphones", "earphone"), ("knitted", "knit"), ("scarves", "scarf"), ("men", "man")]

    assert all(hts.stem(a) == hts.stem(b) for a, b in pairs)


def _speaker(serial, number, description="portable bluetooth speaker"):
    return _entry(number, description, serial=serial)


def test_inconsistent_classification_ignores_order_and_formatting():
    """Shuffled input gives the same findings; '8518220000' and '8518.22.00.00' are one number;
    case and punctuation do not split a description."""
    entries = [
        _speaker(1, "8518.22.00.00"),
        _speaker(2, "8518220000", "Portable Bluetooth Speaker!"),
        _speaker(3, "8518.29.80.00"),
        _speaker(4, "8518.22.00.00", "wireless computer mouse"),
    ]
    shuffled = list(entries)
    random.Random(7).shuffle(shuffled)
    rule = BY_CODE["HTS007"]

    first, found = _codes(entries, [rule])
    second, _ = _codes(shuffled, [rule])

    assert first.findings == second.findings
    assert found == ["HTS007"] * 3
    by_entry = {f.entry_number: f for f in first.findings}
    assert by_entry[entries[2].number].related_entries == (entries[0].number, entries[1].number)
    assert "8518.22.00.00 (2 entries), 8518.29.80.00 (1 entry)" in (
        by_entry[entries[0].number].message
    )


def test_inconsistent_classification_skips_vague_descriptions_and_small_groups():
    """A bare vague term is the DES rules' business; min_entries sets the group size."""
    gifts = [_speaker(1, "8518.22.00.00", "gift"), _speaker(2, "6109.10.00.40", "gift")]
    _, found = _codes(gifts, [BY_CODE["HTS007"]])
    assert found == []

    pair = [_speaker(1, "8518.22.00.00"), _speaker(2, "8518.29.80.00")]
    _, found = _codes(pair, [BY_CODE["HTS007"].with_options(min_entries=3)])
    assert found == []


def test_large_group_is_fast_and_cites_a_bounded_list():
    """3,000 entries of one description under two numbers: linear work, at most max_related
    entries cited, the rest counted in the message."""
    entries = [_speaker(i, "8518.22.00.00" if i % 3 else "8518.29.80.00") for i in range(1, 3001)]
    start = time.perf_counter()
    result, found = _codes(entries, [BY_CODE["HTS007"].with_options(max_related=5)])
    elapsed = time.perf_counter() - start

    assert len(found) == 3000
    assert all(len(f.related_entries) == 5 for f in result.findings)
    assert "995 more not listed" in result.findings[0].message
    assert elapsed < 10
