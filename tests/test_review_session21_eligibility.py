"""Session 21 review of the eligibility rules: what the filed PGA data and mode columns say.

Each fix has a case it now flags and a neighbouring case it must still pass.
"""

import pytest

from t86audit.engine import run_rules
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.testing import make_entry


RULES = {r.code: r for r in RuleRegistry.default() if r.family == "ELG"}
COOKIES = "1905.90.90.90"
FLAGS = {COOKIES: ["FD4", "AQ1", "AM7"]}


def _codes(code, entry, **options):
    rule = RULES[code].with_options(**options) if options else RULES[code]
    result = run_rules([entry], [rule], reference=ReferenceSet(), fail_fast=True)
    return [f.code for f in result.findings]


def _cookies(pga_data, hts=COOKIES):
    line = {
        "description": "butter cookies, 400 g tin",
        "hts_number": hts,
        "country_of_origin": "DK",
        "value_usd": "12.00",
    }
    return make_entry(lines=[line], pga_data=pga_data, importer_of_record="36-441721000")


@pytest.mark.parametrize("value", ["N", "n", "false", "FALSE", "no PGA", "No-PGA"])
def test_a_no_from_a_yes_no_pga_column_is_no_pga_data(value):
    """Before: 'N', 'false' and 'no PGA' read as data sent, and the FD4 cookies passed ELG012."""
    assert _codes("ELG012", _cookies(value), hts_flags=FLAGS) == ["ELG012"]


@pytest.mark.parametrize("value", ["declared", "Y", "yes", "FDA PN sent"])
def test_a_value_that_reports_data_still_passes_elg012(value):
    assert _codes("ELG012", _cookies(value), hts_flags=FLAGS) == []


@pytest.mark.parametrize(
    "value", ["disclaimed", "PGA disclaimed", "FDA disclaim B", "Disclaimer A", "DISCLAIM"]
)
def test_a_disclaimer_written_after_other_words_is_a_disclaimer(value):
    """Before: only a value starting with 'disclaim' counted, so 'PGA disclaimed' on an FD4 line
    (FDA data always required) passed ELG013."""
    assert _codes("ELG013", _cookies(value), hts_flags=FLAGS) == ["ELG013"]


@pytest.mark.parametrize("value", ["declared, not disclaimed", "Not disclaimed", "declared"])
def test_a_negated_disclaimer_is_no_disclaimer(value):
    assert _codes("ELG013", _cookies(value), hts_flags=FLAGS) == []


def test_a_disclaimer_on_a_may_be_required_flag_still_passes_elg013():
    """FD1 ('may be required') accepts a disclaimer, however it is written."""
    entry = _cookies("PGA disclaimed", hts="3924.10.40.00")
    assert _codes("ELG013", entry, hts_flags={"3924.10.40.00": ["FD1"]}) == []


@pytest.mark.parametrize(
    "mode", ["Post NL", "Emirates Post", "China Post ePacket", "mail - air", "Royal Mail Intl"]
)
def test_a_mail_mode_named_with_its_carrier_is_mail(mode):
    """Before: only a mode equal to an option value was mail; 'Post NL' passed ELG004."""
    assert _codes("ELG004", make_entry(mode=mode)) == ["ELG004"]


@pytest.mark.parametrize(
    "mode", ["air", "Air Express", "UPS", "courier (air)", "air express (email notice)", "ocean"]
)
def test_a_mode_without_a_mail_word_is_not_mail(mode):
    assert _codes("ELG004", make_entry(mode=mode)) == []


def test_the_mail_words_of_the_option_are_the_users_when_given():
    """A user's option replaces the defaults: 'post' alone then no longer marks mail."""
    assert _codes("ELG004", make_entry(mode="Post NL"), mail_modes=["usps"]) == []
    assert _codes("ELG004", make_entry(mode="USPS priority"), mail_modes=["usps"]) == ["ELG004"]
