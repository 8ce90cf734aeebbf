"""Bundled reference data: HTSUS validity and articles, ports, vague terms, AD/CVD, PGA flags."""

import csv
import gzip
import hashlib
import importlib.util
import json
import subprocess
import sys
import zlib
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from t86audit import reference as ref
from t86audit.exceptions import InputError, T86AuditError


HERE = Path(__file__).resolve().parent
SCRIPT = HERE.parent / "scripts" / "build_reference_data.py"

# A tiny schedule in the shared snapshot's layout: a heading, a text-only grouping row, an
# 8-digit subheading with statistical rows, one without, and a heading printed as one row.
TINY_SCHEDULE = """chapter,htsno,indent,description,units,general_rate,special_rate,column2_rate
61,6109,0,"T-shirts, singlets, tank tops:",,,,
61,6109.10.00,1,Of cotton:,,16.5%,,90%
61,,2,Men's or boys':,,,,
61,6109.10.00.12,3,Men's (338),doz.|kg,,,
61,6109.10.00.14,3,Boys' (338),doz.|kg,,,
61,6109.90,1,Of other textile materials:,,,,
61,6109.90.40,2,Containing 70 percent or more by weight of silk,,2.6%,,
5,0501.00.00.00,0,"Human hair, unworked",kg,1.4%,,20%
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- HTSUS ----------------------------------------------------------------------------------


def test_printed_statistical_number_is_valid_with_or_without_dots():
    """6109.10.00.12 (men's cotton T-shirts) is a valid 10-digit number in the snapshot."""
    hts = ref.hts_schedule()

    assert hts.is_valid("6109100012")
    assert hts.is_valid("6109.10.00.12")
    assert not hts.is_implied("6109100012")
    assert hts.chapter("6109100012") == "61"


def test_subheading_without_statistical_rows_is_valid_with_suffix_00():
    """An 8-digit subheading with no 10-digit rows is valid as XXXX.XX.XX00 (hts README)."""
    hts = ref.hts_schedule()

    assert hts.is_valid("9101.11.40.00")
    assert hts.is_implied("9101114000")
    assert hts.article("9101114000") is not None
    assert not hts.is_valid("9101114010")


def test_invalid_numbers_are_rejected():
    """Unknown suffixes, 00 under a subheading that has statistical rows, and short numbers."""
    hts = ref.hts_schedule()

    assert not hts.is_valid("6109100099")
    assert not hts.is_valid("6109100000")  # 6109.10.00 has statistical rows, so no 00
    assert not hts.is_valid("61091000")
    assert not hts.is_valid("")
    assert hts.article("6109100099") is None


def test_article_is_the_chain_of_ancestor_texts():
    """The article joins heading -> grouping rows -> the row with ' > ', without colons."""
    hts = ref.hts_schedule()

    assert hts.article("6109.10.00.12") == (
        "T-shirts, singlets, tank tops and similar garments, knitted or crocheted"
        " > Of cotton > Men's or boys' > Other T-shirts > Men's (338)"
    )
    numbers = list(hts.numbers_with_prefix("61"))
    assert numbers
    for number in numbers:
        article = hts.article(number)
        assert article is not None
        assert not any(part.endswith(":") for part in article.split(" > "))


def test_heading_texts_including_headings_printed_as_one_row():
    """Four-digit headings have text; 0205 is printed only as 0205.00.00.00 and still has it."""
    hts = ref.hts_schedule()

    assert hts.heading_text("6109") == (
        "T-shirts, singlets, tank tops and similar garments, knitted or crocheted"
    )
    merged = hts.heading_text("0205")
    assert merged is not None
    assert merged.startswith("Meat of horses")
    assert hts.heading_text("9801") is None


def test_chapter_vocabulary_holds_content_words_only():
    """Chapter 61's vocabulary has its product words, not stop words; unknown chapters: none."""
    hts = ref.hts_schedule()
    vocabulary = hts.chapter_vocabulary("61")

    assert {"cotton", "shirts", "knitted", "crocheted"} <= vocabulary
    assert not {"other", "and", "of"} & vocabulary
    assert all(word == word.lower() for word in vocabulary)
    assert hts.chapter_vocabulary("77") == frozenset()
    assert hts.chapter_vocabulary("1") == hts.chapter_vocabulary("01")


def test_numbers_with_prefix_are_sorted_and_complete():
    """numbers_with_prefix lists exactly the valid numbers starting with the digits, in order."""
    hts = ref.hts_schedule()
    numbers = list(hts.numbers_with_prefix("6109.10"))

    assert numbers == sorted(numbers)
    assert "6109100012" in numbers
    assert all(n.startswith("610910") and hts.is_valid(n) for n in numbers)
    assert list(hts.numbers_with_prefix("0000")) == []


def test_hts_schedule_is_cached_and_names_its_snapshot():
    """The bundled schedule loads once and carries the 2025-05-26 snapshot identity."""
    hts = ref.hts_schedule()

    assert ref.hts_schedule() is hts
    assert hts.snapshot.name == "htsus"
    assert hts.snapshot.date == "2025-05-26"
    assert "htsus_2025_snapshot.csv" in hts.snapshot.source
    assert len(hts.snapshot.sha256) == 64
    assert len(hts) == 19_700 + 3_844


def test_from_csv_reads_a_user_schedule_with_the_same_derivation(tmp_path):
    """A user's schedule in the snapshot layout gives validity, articles and its own snapshot."""
    path = write(tmp_path / "schedule.csv", TINY_SCHEDULE)
    hts = ref.HtsSchedule.from_csv(path, date="2026-01-01")

    assert hts.is_valid("6109100012")
    assert hts.article("6109100014") == (
        "T-shirts, singlets, tank tops > Of cotton > Men's or boys' > Boys' (338)"
    )
    assert hts.is_implied("6109904000")
    assert hts.article("6109904000") == (
        "T-shirts, singlets, tank tops > Of other textile materials"
        " > Containing 70 percent or more by weight of silk"
    )
    assert not hts.is_valid("6109100000")
    assert hts.is_valid("0501000000")
    assert hts.heading_text("0501") == "Human hair, unworked"
    assert hts.heading_text("6109") == "T-shirts, singlets, tank tops"
    assert sorted(hts.numbers_with_prefix("")) == [
        "0501000000",
        "6109100012",
        "6109100014",
        "6109904000",
    ]
    assert hts.snapshot.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert hts.snapshot.date == "2026-01-01"
    assert "schedule.csv" in hts.snapshot.source


def test_from_csv_reports_unusable_files(tmp_path):
    """Missing files, missing columns and malformed rows raise InputError with the location."""
    with pytest.raises(InputError):
        ref.HtsSchedule.from_csv(tmp_path / "absent.csv")

    no_indent = write(tmp_path / "a.csv", "chapter,htsno,description\n61,6109,Shirts\n")
    with pytest.raises(InputError) as missing:
        ref.HtsSchedule.from_csv(no_indent)
    assert missing.value.column == "indent"

    bad_indent = write(tmp_path / "b.csv", "chapter,htsno,indent,description\n61,6109,x,S\n")
    with pytest.raises(InputError) as bad:
        ref.HtsSchedule.from_csv(bad_indent)
    assert (bad.value.row, bad.value.column, bad.value.value) == (1, "indent", "x")

    bad_number = write(tmp_path / "c.csv", "chapter,htsno,indent,description\n61,61X9,0,S\n")
    with pytest.raises(InputError) as number:
        ref.HtsSchedule.from_csv(bad_number)
    assert number.value.column == "htsno"


def test_hts_derivation_and_encoding_are_pure():
    """The same rows always give the same table and the same bytes (no time stamp in gzip)."""
    first = ref.read_hts_rows(TINY_SCHEDULE, source="tiny")
    second = ref.read_hts_rows(TINY_SCHEDULE, source="tiny")
    blob = ref.encode_hts_data(first)

    assert first == second
    assert blob == ref.encode_hts_data(second)
    assert blob[4:8] == b"\0\0\0\0"  # gzip MTIME field
    assert ref.decode_hts_data(blob) == first


def test_encoded_schedule_reads_back_equal_and_texts_only_when_needed():
    """A decoded table equals its source; checking numbers never decompresses the texts."""
    data = ref.read_hts_rows(TINY_SCHEDULE, source="tiny.csv")
    decoded = ref.decode_hts_data(ref.encode_hts_data(data))

    assert "6109100012" in decoded.articles
    assert "6109904000" in decoded.implied
    assert decoded.chapters["0501000000"] == "05"
    assert "6109" in decoded.headings
    assert list(decoded.articles) == sorted(data.articles)
    assert decoded.articles["6109100012"] == data.articles["6109100012"]
    assert decoded.headings["6109"] == data.headings["6109"]
    assert decoded == data
    assert ref.encode_hts_data(decoded) == ref.encode_hts_data(data)


def test_numbers_are_checked_without_reading_the_texts():
    """Only the index is read up front: with the texts member damaged, numbers still check."""
    blob = ref.encode_hts_data(ref.read_hts_rows(TINY_SCHEDULE, source="tiny.csv"))
    inflater = zlib.decompressobj(wbits=31)
    inflater.decompress(blob)
    index = blob[: len(blob) - len(inflater.unused_data)]

    decoded = ref.decode_hts_data(index + b"damaged texts")
    schedule = ref.HtsSchedule(decoded, ref.Snapshot("htsus", "tiny", "", ""))

    assert schedule.is_valid("6109.10.00.12")
    assert not schedule.is_valid("6109.10.00.99")
    assert schedule.chapter("6109100012") == "61"
    assert schedule.is_implied("6109904000")
    assert list(schedule.numbers_with_prefix("610910")) == ["6109100012", "6109100014"]
    with pytest.raises(T86AuditError, match="damaged texts"):
        schedule.article("6109100012")


def test_answers_do_not_change_over_many_lookups():
    """A decoded table answers the same on its thousandth look-up of a number as on its first."""
    data = ref.read_hts_rows(TINY_SCHEDULE, source="tiny.csv")
    schedule = ref.HtsSchedule(
        ref.decode_hts_data(ref.encode_hts_data(data)), ref.Snapshot("htsus", "tiny", "", "")
    )
    probes = ["6109100012", "6109100013", "0501000000", "9999999999", "61091000", ""]
    expected = [number in data.articles for number in probes]

    for _ in range(1500):
        assert [schedule.is_valid(number) for number in probes] == expected
    assert [schedule.chapter(number) for number in probes] == [
        data.chapters.get(number) for number in probes
    ]


def test_prebuilt_hts006_vocabulary_is_current():
    """The shipped HTS006 vocabulary equals the stems of the bundled snapshot's chapters.

    If this fails, the stemming, the content words or the snapshot changed: rebuild the data
    with scripts/build_reference_data.py.
    """
    from t86audit.rules.classification import chapter_stems  # noqa: PLC0415

    schedule = ref.hts_schedule()
    vocabulary = ref.hts_vocabulary()

    assert vocabulary.schedule_sha256 == schedule.snapshot.sha256
    assert dict(vocabulary) == chapter_stems(schedule)


def test_chapter_numbers_other_than_their_first_digits_survive_encoding():
    """A number whose chapter column disagrees with its digits keeps the chapter given."""
    data = ref.HtsData(
        articles={"0101210010": "Horses > Purebred", "9903880100": "Additional duty"},
        chapters={"0101210010": "01", "9903880100": "97"},
        implied=frozenset(),
        headings={"0101": "Horses"},
    )

    decoded = ref.decode_hts_data(ref.encode_hts_data(data))

    assert decoded.chapters["9903880100"] == "97"
    assert decoded == data


def test_decode_reads_the_first_package_format():
    """Tables written in format 1 (one tab-separated line per heading and number) still read."""
    text = (
        "#t86audit-hts\t1\nH\t6109\t61\tT-shirts\n"
        "N\t6109100012\t61\tT-shirts > Of cotton > Men's\nI\t6109904000\t61\tT-shirts > Silk\n"
    )

    data = ref.decode_hts_data(gzip.compress(text.encode()))

    assert data.articles["6109100012"] == "T-shirts > Of cotton > Men's"
    assert data.implied == frozenset({"6109904000"})
    assert data.headings == {"6109": "T-shirts"}


def test_chapter_words_round_trip_and_reject_bad_input():
    """Chapter words read back per chapter with their schedule hash; bad input is refused."""
    blob = ref.encode_chapter_words(
        {"61": ["shirt", "cotton", "shirt"], "77": [], "05": ["hair"]}, schedule_sha256="ab" * 32
    )

    words = ref.decode_chapter_words(blob)

    assert dict(words) == {"05": frozenset({"hair"}), "61": frozenset({"cotton", "shirt"})}
    assert words.schedule_sha256 == "ab" * 32
    assert "77" not in words
    assert blob == ref.encode_chapter_words(dict(words), schedule_sha256="ab" * 32)
    with pytest.raises(T86AuditError):
        ref.encode_chapter_words({"61": ["two words"]}, schedule_sha256="")
    with pytest.raises(T86AuditError):
        ref.encode_chapter_words({"6": ["shirt"]}, schedule_sha256="")
    with pytest.raises(T86AuditError):
        ref.decode_chapter_words(gzip.compress(b"#t86audit-hts\t2\n"))
    with pytest.raises(T86AuditError):
        ref.decode_chapter_words(b"not gzip")


def test_decode_rejects_data_in_another_format():
    """Data without the format header is refused, not misread."""
    with pytest.raises(T86AuditError):
        ref.decode_hts_data(gzip.compress(b"something else\n"))


_SUFFIXES = st.sampled_from(["10", "20", "40", "90"])


@st.composite
def _schedules(draw):
    """Random one-heading schedules: subheadings, some with statistical rows, in tree order."""
    rows = [{"chapter": "42", "htsno": "4202", "indent": "0", "description": "Cases:"}]
    subheadings = draw(st.lists(st.sampled_from(["11", "12", "19", "21"]), unique=True))
    for sub in sorted(subheadings):
        rows.append(
            {"chapter": "42", "htsno": f"4202.{sub}", "indent": "1", "description": f"S{sub}:"}
        )
        for leaf in draw(st.lists(st.sampled_from(["00", "30", "60"]), unique=True)):
            number = f"4202.{sub}.{leaf}"
            rows.append({"chapter": "42", "htsno": number, "indent": "2", "description": "L"})
            suffixes = sorted(draw(st.lists(_SUFFIXES, unique=True, max_size=3)))
            rows.extend(
                {"chapter": "42", "htsno": f"{number}.{s}", "indent": "3", "description": "Stat"}
                for s in suffixes
            )
    return rows


@settings(max_examples=60, deadline=None)
@given(_schedules())
def test_valid_numbers_are_printed_numbers_plus_childless_subheadings_00(rows):
    """Valid = printed 10-digit numbers, plus 8-digit subheadings without any, suffixed 00."""
    data = ref.derive_hts_data(rows)
    printed = {r["htsno"].replace(".", "") for r in rows if r["htsno"].count(".") == 3}
    eights = {r["htsno"].replace(".", "") for r in rows if r["htsno"].count(".") == 2}
    childless = {e for e in eights if not any(p.startswith(e) for p in printed)}

    assert set(data.articles) == printed | {e + "00" for e in childless}
    assert data.implied == {e + "00" for e in childless}
    assert all(a.startswith("Cases > ") for a in data.articles.values())


# --- build script -----------------------------------------------------------------------------


def _tiny_shared_tree(root: Path) -> Path:
    write(root / "hts" / "htsus_2025_snapshot.csv", TINY_SCHEDULE)
    write(
        root / "ports" / "schedule_d_ports.csv",
        "code,name,district,district_name,listed_in,note\n"
        "4701,JFK,47,,cbp_ace_appendix_e,\n"
        '0101,"PORTLAND, ME",01,"PORTLAND, ME",census_schedule_d,\n'
        "7000,LOW VALUE,70,LOW VALUE,census_schedule_d,\n",
    )
    write(root / "ports" / "districts.csv", 'district,name\n01,"PORTLAND, ME"\n')
    write(
        root / "descriptions" / "cbp_vague_terms.csv",
        "term,acceptable_examples,source,confidence\n"
        "Gift / Gifts,name the actual item,CSMS 60011750,V\n"
        "[description is only numbers],a plain-language description,rule,S\n",
    )
    write(
        root / "adcvd" / "orders.csv",
        "case_number,order_type,country,country_code,product,companion_case,hts_in_scope,source\n"
        "A-570-999,AD,China,CN,Shirts,,6109.10|6109.90.40,test\n",
    )
    write(
        root / "adcvd" / "order_hts.csv",
        "case_number,order_type,country_code,hts,hts_digits,level,in_htsus_2025_snapshot\n"
        "A-570-999,AD,CN,6109.10,610910,6,yes\n"
        "A-570-999,AD,CN,6109.90.40,61099040,8,yes\n",
    )
    write(
        root / "pga" / "pga_flag_codes.csv",
        "flag,agency,required_or_may,meaning,disclaim_note,source,confidence\n"
        "FD2,FDA,R,FDA data required,no disclaim,CSMS,V\n",
    )
    write(
        root / "duties" / "quota_hts.csv",
        "hts_prefix,quota_type,quota_line,quota_note,commodity,general_rate,source\n"
        "0405.10.20,tariff-rate quota,over_quota,additional U.S. note 6 to chapter 4,Butter,,t\n",
    )
    write(
        root / "duties" / "hts_editions_2025.csv",
        "edition,revision_id,effective_date_per_budget_lab,records,stat10_ch1_97,sub8_ch1_97,"
        "json_gz_bytes\n"
        "2025 basic,basic,2025-01-01,9,3,2,1\n"
        "2025 rev 1,rev_1,2025-06-01,9,3,2,1\n",
    )
    write(
        root / "duties" / "hts10_changes_2025.csv",
        "hts10,first_2025_revision,valid_from,last_2025_revision,removed_in_revision,"
        "removed_from,contiguous,in_htsus_2025_snapshot\n"
        "6109.10.00.14,basic,2025-01-01,basic,rev_1,2025-06-01,yes,yes\n"
        "6109.10.00.16,rev_1,2025-06-01,rev_1,,,yes,no\n",
    )
    return root


def _load_script() -> ModuleType:
    if not SCRIPT.is_file():
        pytest.skip("scripts/ is not part of this distribution")
    spec = importlib.util.spec_from_file_location("build_reference_data", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_script_output_is_deterministic_and_loadable(tmp_path):
    """Building twice from the same sources gives identical bytes; the output reads back."""
    script = _load_script()
    shared = _tiny_shared_tree(tmp_path / "shared")

    first, warnings = script.build(shared)
    second, _ = script.build(shared)

    assert first == second
    assert warnings == []
    assert set(first) == {
        "README.md",
        "metadata.json",
        "hts.tsv.gz",
        "hts_vocabulary.tsv.gz",
        "ports.csv",
        "districts.csv",
        "vague_terms.json",
        "adcvd_orders.csv",
        "adcvd_order_hts.csv",
        "pga_flag_codes.csv",
        "quota_goods.csv",
        "chapter99_quota_lines.csv",
        "hts_editions_2025.json",
    }
    hts = ref.decode_hts_data(first["hts.tsv.gz"])
    assert "6109100012" in hts.articles
    vocabulary = ref.decode_chapter_words(first["hts_vocabulary.tsv.gz"])
    source_sha = hashlib.sha256((shared / "hts" / "htsus_2025_snapshot.csv").read_bytes())
    assert vocabulary.schedule_sha256 == source_sha.hexdigest()
    assert {"shirt", "cotton", "silk"} <= vocabulary["61"]
    assert set(vocabulary) == {"05", "61"}
    metadata = json.loads(first["metadata.json"])
    names = [t["name"] for t in metadata["tables"]]
    assert names == [
        "htsus",
        "ports",
        "vague_terms",
        "adcvd_china",
        "pga_flag_codes",
        "quota_goods",
        "chapter99_quota_lines",
        "htsus_editions",
    ]
    quota = list(csv.DictReader(first["quota_goods.csv"].decode().splitlines()))
    assert [(q["hts"], q["basis"], q["source"]) for q in quota] == [
        ("04051020", "source (not in the snapshot)", "usitc-2025-rev18")
    ]
    editions = json.loads(first["hts_editions_2025.json"])
    assert editions["snapshot_revision"] == "basic"
    assert editions["changes"] == [
        ["6109100014", "basic", "basic"],
        ["6109100016", "rev_1", "rev_1"],
    ]
    source = (shared / "hts" / "htsus_2025_snapshot.csv").read_bytes()
    assert metadata["tables"][0]["sha256"] == hashlib.sha256(source).hexdigest()
    ports = list(csv.DictReader(first["ports.csv"].decode().splitlines()))
    assert [(p["code"], p["code_class"]) for p in ports] == [
        ("0101", "port"),
        ("4701", "port"),
        ("7000", "low_value"),
    ]


def test_build_script_check_mode_detects_stale_output(tmp_path):
    """--check exits 0 on fresh output and 1 once a file differs."""
    script = _load_script()
    shared = _tiny_shared_tree(tmp_path / "shared")
    out = tmp_path / "out"

    assert script.main(["--shared", str(shared), "--out", str(out)]) == 0
    assert script.main(["--shared", str(shared), "--out", str(out), "--check"]) == 0
    (out / "ports.csv").write_text("changed\n", encoding="utf-8")
    assert script.main(["--shared", str(shared), "--out", str(out), "--check"]) == 1


# --- ports ------------------------------------------------------------------------------------


def test_ace_and_census_codes_are_told_apart():
    """JFK is 4701 in ACE (Appendix E) and 1012 in Census Schedule D; both are ports."""
    ports = ref.port_table()
    jfk_ace = ports.get("4701")
    jfk_census = ports.get(" 1012 ")

    assert jfk_ace is not None
    assert jfk_ace.listed_in == "cbp_ace_appendix_e"
    assert jfk_ace.is_port_of_entry
    assert jfk_census is not None
    assert jfk_census.listed_in == "census_schedule_d"
    assert jfk_census.district_name == "NEW YORK CITY, NY"
    assert ports.get("9999") is None
    assert "4701" in ports


def test_historical_census_code_is_kept_and_marked():
    """A code traded only historically (0132 Belfast, ME) is present and marked as such."""
    belfast = ref.port_table().get("0132")

    assert belfast is not None
    assert belfast.listed_in == "census_historical"
    assert "2010-2019" in belfast.note


@pytest.mark.parametrize(
    ("code", "code_class"),
    [
        ("7000", "low_value"),
        ("8000", "mail"),
        ("6000", "vessels_under_own_power"),
        ("7421", "region_or_preclearance"),
        ("9232", "region_or_preclearance"),
    ],
)
def test_statistical_and_region_codes_are_not_ports_of_entry(code, code_class):
    """70xx, 80xx, 6000, 71xx-79xx and 9232 are in the list but are not ports of entry."""
    port = ref.port_table().get(code)

    assert port is not None
    assert port.code_class == code_class
    assert not port.is_port_of_entry


def test_port_classes_agree_with_the_code_shape():
    """Every bundled code's class is what classify_port_code says for its shape."""
    ports = ref.port_table()

    assert len(ports) == 589
    for port in ports:
        assert port.code_class == ref.classify_port_code(port.code)
        assert port.is_port_of_entry == (port.code_class == "port")
        assert port.district == port.code[:2]
    assert ports.district_name("10") == "NEW YORK CITY, NY"
    assert ports.snapshot.name == "ports"


# --- vague terms ------------------------------------------------------------------------------


def _term(text: str) -> ref.VagueTerm:
    return next(t for t in ref.vague_terms() if t.term == text)


def test_gift_is_a_primary_cbp_term():
    """'Gift / Gifts' comes from CSMS 60011750 with confidence V and two phrases."""
    gift = _term("Gift / Gifts")

    assert gift.confidence == "V"
    assert gift.phrases == ("gift", "gifts")
    assert not gift.is_rule
    assert "CSMS 60011750" in gift.source


def test_variant_rows_split_into_phrases_and_examples():
    """'Apparel / Clothing / Garments' is three phrases; examples split on ';' only."""
    apparel = _term("Apparel / Clothing / Garments")

    assert apparel.phrases == ("apparel", "clothing", "garments")
    assert apparel.acceptable_examples[0] == "Shoes, Footwear"
    assert ref.parse_vague_term("Freight of all kinds (FAK)") == (
        ("freight of all kinds", "fak"),
        False,
        "",
    )


def test_form_rules_are_flagged_not_matched():
    """Bracketed rows and the brand-name-alone row are rules with no phrases."""
    rules = {t.rule: t for t in ref.vague_terms() if t.is_rule}

    assert set(rules) == {
        "description_is_only_numbers",
        "description_is_only_special_characters",
        "description_not_in_english",
        "brand_or_trade_mark_name_by_itself",
    }
    assert all(t.phrases == () for t in rules.values())
    assert all(t.phrases for t in ref.vague_terms() if not t.is_rule)


def test_bundled_phrases_match_the_current_normalisation():
    """Stored phrases equal what parse_vague_term gives now (rebuild the data if this fails)."""
    for term in ref.vague_terms():
        assert (term.phrases, term.is_rule, term.rule) == ref.parse_vague_term(term.term)


def test_vague_terms_snapshot_and_version():
    """The vague-term list names its snapshot, schema and version."""
    snapshot = ref.vague_terms_snapshot()

    assert snapshot.name == "vague_terms"
    assert "version 1" in snapshot.note
    assert len(ref.vague_terms()) == 37


# --- AD/CVD -----------------------------------------------------------------------------------


def test_adcvd_matches_by_prefix_and_country():
    """A line matches the orders whose scope names a prefix of its number, for its country."""
    table = ref.adcvd_table()
    matches = table.matches("2828.10.0000", "cn")

    assert [o.case_number for o in matches] == ["A-570-008", "C-570-009"]
    assert matches[0].matching_prefix("2828100000") == "282810"
    assert table.matches("2828100000", "VN") == ()
    assert table.matches("2828", "CN") == ()
    assert [o.case_number for o in table.matches("2841610000", "CN")] == ["A-570-001"]
    assert table.snapshot.date == "2026-07-06"


def test_adcvd_keeps_scope_numbers_missing_from_the_htsus():
    """Scope numbers renumbered out of the HTSUS are kept and flagged, not dropped."""
    table = ref.adcvd_table()
    solar = next(o for o in table.orders if o.case_number == "A-570-010")

    assert "854140" in solar.hts_prefixes
    assert "854140" in solar.prefixes_not_in_htsus
    assert solar.companion_case == "C-570-011"
    flagged = sum(len(o.prefixes_not_in_htsus) for o in table.orders)
    assert flagged == 209
    assert len(table) == 270


def test_adcvd_from_csv_with_and_without_hts_table(tmp_path):
    """User order tables in the shared layout load, with or without the per-HTS table."""
    orders = write(
        tmp_path / "orders.csv",
        "case_number,order_type,country_code,product,companion_case,hts_in_scope\n"
        "A-552-801,AD,vn,Frozen fish fillets,,0304.62.00|0304.93\n",
    )
    order_hts = write(
        tmp_path / "order_hts.csv",
        "case_number,hts_digits,in_htsus_2025_snapshot\nA-552-801,0304620000,yes\n",
    )

    from_scope = ref.AdcvdTable.from_csv(orders)
    from_table = ref.AdcvdTable.from_csv(orders, order_hts, date="2026-01-01")

    assert [o.case_number for o in from_scope.matches("0304930010", "VN")] == ["A-552-801"]
    assert from_scope.orders[0].hts_prefixes == ("03046200", "030493")
    assert from_table.orders[0].hts_prefixes == ("0304620000",)
    assert from_table.matches("0304930010", "VN") == ()
    assert from_table.snapshot.date == "2026-01-01"


def test_adcvd_from_csv_rejects_unknown_cases(tmp_path):
    """An HTS row naming a case that is not in the orders table is an input error."""
    orders = write(
        tmp_path / "orders.csv",
        "case_number,order_type,country_code,product\nA-1,AD,CN,Thing\n",
    )
    order_hts = write(tmp_path / "hts.csv", "case_number,hts_digits\nA-2,610910\n")

    with pytest.raises(InputError) as error:
        ref.AdcvdTable.from_csv(orders, order_hts)
    assert (error.value.row, error.value.value) == (1, "A-2")


# --- PGA flags --------------------------------------------------------------------------------


def test_pga_flags_required_or_may():
    """FD2/FD4 require data (no disclaim); FD1/FD3 may; FD0 is neither."""
    flags = ref.pga_flag_codes()

    assert len(flags) == 38
    assert flags["FD4"].required
    assert flags["FD2"].required
    assert not flags["FD1"].required
    assert flags["FD1"].requirement == "M"
    assert flags["FD0"].requirement == ""
    assert flags["FD1"].confidence == "V"
    assert flags["AL1"].agency == "USDA APHIS (Lacey Act)"


def test_observed_hts_flags_are_known_codes():
    """Every flag seen on a real HTS number (test fixture, not a lookup table) is in the table."""
    flags = ref.pga_flag_codes()
    fixture = HERE / "data" / "reference" / "pga_flags_by_hts.csv"
    with fixture.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))

    assert rows
    for row in rows:
        for flag in row["flags"].split("|"):
            assert flag in flags


# --- snapshots and laziness -------------------------------------------------------------------


def test_every_table_has_a_snapshot_and_provenance():
    """snapshots() names each bundled table with date, source and hash; provenance has caveats."""
    snaps = ref.snapshots()
    records = ref.provenance()

    assert [s.name for s in snaps] == [
        "htsus",
        "ports",
        "vague_terms",
        "adcvd_china",
        "pga_flag_codes",
        "quota_goods",
        "chapter99_quota_lines",
        "htsus_editions",
    ]
    for snap in snaps:
        assert snap.date
        assert snap.source
        assert len(snap.sha256) == 64
        assert records[snap.name].snapshot == snap
        assert records[snap.name].completeness
        assert records[snap.name].data_files
    assert ref.hts_schedule().snapshot in snaps
    assert ref.port_table().snapshot in snaps


def test_importing_the_module_loads_no_table():
    """import t86audit.reference parses nothing; tables load on first use."""
    code = (
        "import t86audit.reference as r\n"
        "print(r.hts_schedule.cache_info().currsize, r.port_table.cache_info().currsize,"
        " r.adcvd_table.cache_info().currsize)\n"
        "r.snapshots()\n"
        "print(r.hts_schedule.cache_info().currsize)\n"
        "r.hts_schedule().is_valid('6109100012')\n"
        "print(r.hts_schedule.cache_info().currsize)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )

    assert result.stdout.split() == ["0", "0", "0", "0", "1"]


def test_package_files_are_read_the_same_without_the_folder_beside_the_code(monkeypatch):
    """A package that is not in a folder (a zip) still finds its data, through importlib."""
    from t86audit.reference import _data  # noqa: PLC0415

    beside = _data.package_bytes("data", "ports.csv")
    monkeypatch.setattr(_data, "_PACKAGE", Path("/nonexistent/t86audit"))

    assert _data.package_bytes("data", "ports.csv") == beside
    assert _data.package_bytes("data", "duties", "metadata.json").startswith(b"{")
    with pytest.raises(FileNotFoundError):
        _data.package_bytes("data", "no-such-file.csv")
