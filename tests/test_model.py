"""The entry model: entry numbers and check digits, data held as filed."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from t86audit.model import Entry, EntryNumber, LineItem, Party, compute_check_digit


ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"


def test_appendix_e_worked_example():
    """CATAIR Appendix E: filer B76, number 0324527 has check digit 8."""
    number = EntryNumber("B76-0324527-8")

    assert compute_check_digit("B76", "0324527") == 8
    assert number.is_well_formed
    assert number.is_check_digit_valid
    assert (number.filer_code, number.serial, number.check_digit) == ("B76", "0324527", "8")


def test_wrong_check_digit_is_representable_and_detected():
    """A wrong check digit is data: the number loads and says what was expected."""
    number = EntryNumber("B76-0324527-9")

    assert number.is_well_formed
    assert not number.is_check_digit_valid
    assert number.expected_check_digit == "8"


@pytest.mark.parametrize(
    ("filer", "serial", "expected"),
    [
        # letters map A-I -> 1-9, J-R -> 1-9, S-Z -> 2-9
        ("AAA", "0000000", (10 - (1 + 2 + 1)) % 10),
        ("999", "9999999", None),
        ("Z9S", "1234567", None),
    ],
)
def test_letters_in_filer_codes(filer, serial, expected):
    """Letter filer codes convert to digits before the Luhn sum."""
    digit = compute_check_digit(filer, serial)
    number = EntryNumber(f"{filer}-{serial}-{digit}")

    assert 0 <= digit <= 9
    if expected is not None:
        assert digit == expected
    assert number.is_check_digit_valid


def test_letter_values_follow_appendix_e():
    """J and A both map to 1, S maps to 2, Z maps to 9."""
    assert compute_check_digit("J00", "0000000") == compute_check_digit("A00", "0000000")
    assert compute_check_digit("S00", "0000000") == compute_check_digit("200", "0000000")
    assert compute_check_digit("Z00", "0000000") == compute_check_digit("900", "0000000")


@settings(max_examples=200, deadline=None)
@given(
    filer=st.text(ALNUM, min_size=3, max_size=3),
    serial=st.text("0123456789", min_size=7, max_size=7),
    position=st.integers(0, 9),
    data=st.data(),
)
def test_every_single_digit_corruption_is_detected(filer, serial, position, data):
    """Changing any one numeric position of a valid number breaks the check digit."""
    digit = compute_check_digit(filer, serial)
    chars = list(filer + serial + str(digit))
    original = chars[position + 1] if position >= 2 else chars[position]
    index = position + 1 if position >= 2 else position
    if not original.isdigit():
        return  # letters are covered by test_letters_in_filer_codes
    replacement = data.draw(st.sampled_from([d for d in "0123456789" if d != original]))
    chars[index] = replacement
    text = "".join(chars)
    corrupted = EntryNumber(f"{text[:3]}-{text[3:10]}-{text[10]}")

    assert corrupted.is_well_formed
    assert not corrupted.is_check_digit_valid


def test_dashes_optional_and_key_ignores_them():
    """B76-0324527-8 and b7603245278 are the same entry."""
    assert EntryNumber("b7603245278").is_check_digit_valid
    assert EntryNumber("b7603245278").key == EntryNumber("B76-0324527-8").key
    assert EntryNumber("b7603245278").formatted == "B76-0324527-8"


@pytest.mark.parametrize(
    "raw", ["", "B76-032452-8", "B7*-0324527-8", "not an entry", "B76 0324527 8 9"]
)
def test_malformed_numbers_are_representable(raw):
    """Malformed numbers load; the rules report them."""
    number = EntryNumber(raw)

    assert not number.is_well_formed
    assert not number.is_check_digit_valid
    assert number.filer_code is None
    assert number.expected_check_digit is None
    assert str(number) == raw


def test_compute_check_digit_rejects_bad_shapes():
    """The low-level function refuses what it cannot compute."""
    with pytest.raises(ValueError, match="filer code"):
        compute_check_digit("B7", "0324527")
    with pytest.raises(ValueError, match="serial"):
        compute_check_digit("B76", "03245X7")


def test_entry_holds_bad_data_as_filed():
    """Blank consignee, six-digit HTS, negative value: all representable."""
    entry = Entry(
        "B76-0324527-9",
        dt.date(2024, 6, 3),
        consignee=Party(name="", address=""),
        lines=[
            LineItem(1, hts_number="6109.10", value_usd=Decimal("-1.00"), value_raw="-1.00"),
            LineItem(2, hts_number="6109.10.00.12", value_usd=Decimal("10.50")),
            LineItem(3, value_usd=None),
        ],
    )

    assert entry.consignee.is_blank
    assert entry.lines[0].hts_digits == "610910"
    assert entry.total_value == Decimal("10.50")  # the negative line is no article
    assert not entry.entry_number.is_check_digit_valid
    assert entry.number == "B76-0324527-9"
