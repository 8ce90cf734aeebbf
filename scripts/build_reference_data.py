"""Build t86audit's bundled reference data from the project's shared source tables.

A developer tool, never run by the library or its tests against the real sources::

    python scripts/build_reference_data.py --shared ../shared/data
    python scripts/build_reference_data.py --shared ../shared/data --check   # verify only

It reads the source tables under ``--shared`` (``hts/``, ``ports/``, ``descriptions/``,
``adcvd/``, ``pga/``, ``duties/``) and writes compact, deterministic files into
``src/t86audit/data/`` (or ``--out``): running it twice gives byte-identical output. The HTSUS
derivation is :func:`t86audit.reference.derive_hts_data`, the same code that reads a user's
newer schedule. Provenance (source, date, licence, completeness) is written once, below, into both
``metadata.json`` (read by :func:`t86audit.reference.provenance`) and ``README.md``.
"""

from __future__ import annotations

import argparse
import bisect
import csv
import hashlib
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from t86audit import reference as ref
from t86audit.exceptions import InputError
from t86audit.rules.classification import chapter_stems


REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "src" / "t86audit" / "data"

HTS_SOURCE = "hts/htsus_2025_snapshot.csv"
PORTS_SOURCE = "ports/schedule_d_ports.csv"
DISTRICTS_SOURCE = "ports/districts.csv"
VAGUE_SOURCE = "descriptions/cbp_vague_terms.csv"
ADCVD_ORDERS_SOURCE = "adcvd/orders.csv"
ADCVD_HTS_SOURCE = "adcvd/order_hts.csv"
PGA_SOURCE = "pga/pga_flag_codes.csv"
QUOTA_SOURCE = "duties/quota_hts.csv"
EDITIONS_SOURCE = "duties/hts_editions_2025.csv"
CHANGES_SOURCE = "duties/hts10_changes_2025.csv"

QUOTA_DATE = "2025-08-07"
"""Date of the quota list: HTSUS 2025 Revision 18, the revision it was read from (its date in
hts_editions_2025.csv)."""
QUOTA_SOURCE_KEY = "usitc-2025-rev18"
SNAPSHOT_SOURCE_KEY = "usitc-2025-05-26"
EDITIONS_COVER_TO = "2025-12-31"
"""The last day the newest 2025 revision is taken to be in force: the 2026 basic edition, not
in the source tables, is presumed to take effect on 1 Jan 2026."""

VAGUE_TERMS_SCHEMA = 1
VAGUE_TERMS_VERSION = "1"
"""Content version of the vague-term list; raise it whenever a row changes."""

# Provenance of each table, condensed from the README beside each source table. The snapshot
# dates are the dates of the data, not of this build.
PROVENANCE: dict[str, dict[str, Any]] = {
    "htsus": {
        "source": (
            "U.S. International Trade Commission, Harmonized Tariff Schedule of the United "
            "States, JSON export (public copy dated 2025-05-26), flattened to one CSV row per "
            "schedule row (htsus_2025_snapshot.csv)"
        ),
        "date": "2025-05-26",
        "note": (
            "HTSUS as in force in spring 2025; numbers change several times a year, so a "
            "number valid here may be invalid at another date."
        ),
        "description": (
            "Every valid 10-digit statistical reporting number with its article description "
            "(the chain of its ancestors' texts, heading first, joined by ' > '), its chapter, "
            "and the texts of the four-digit headings. An 8-digit subheading with no 10-digit "
            "rows under it is valid with the statistical suffix 00 (marked 'implied')."
        ),
        "licence": "U.S. Government work (public domain)",
        "completeness": [
            (
                "The whole schedule as exported on 2025-05-26: chapters 1-99 (chapter 77 is "
                "reserved and has no rows)."
            ),
            (
                "Chapters 98 and 99 are special provisions and temporary or additional duties, "
                "not product classifications; their numbers are kept and a rule must decide "
                "whether they may be declared (chapter 98 duty-free provisions do not apply to "
                "Type 86)."
            ),
            (
                "Numbers valid by the 00 rule are derived by us from the tree, not printed in the "
                "schedule."
            ),
            (
                "Headings printed only as a single subheading row (e.g. 0205.00.00.00) take that "
                "row's text; chapter 98/99 provisions have no heading text."
            ),
            "Duty rates and units of quantity are not bundled.",
            "A different revision of the schedule can be read with HtsSchedule.from_csv.",
        ],
        "legend": [
            ["N", "printed 10-digit statistical reporting number"],
            ["I", "8-digit subheading without statistical rows, valid with suffix 00"],
        ],
    },
    "ports": {
        "source": (
            "U.S. Census Bureau Schedule D district/port list ('Produced APRIL25') and CBP ACE "
            "M1 Appendix E port codes (3 Feb 2026), plus codes seen in Census trade data "
            "2010-2025; compiled in src/data/districtsPorts.ts of the public repository "
            "jslagle9/uscensus-intl-trade-api-mcp (commit 1cb2bcf7, CC0 1.0) "
            "(schedule_d_ports.csv, districts.csv)"
        ),
        "date": "2026-02-03",
        "note": (
            "Census Schedule D of Apr 2025 plus the codes of CBP's ACE Appendix E of "
            "3 Feb 2026 that Census lacks; Appendix E itself was not available as text."
        ),
        "description": (
            "Four-digit port codes DDPP with name, district, the list each code comes from "
            "(listed_in) and a code class; the 46 Census customs districts with names."
        ),
        "licence": (
            "Underlying lists are U.S. Government works (public domain); the compilation is "
            "CC0 1.0"
        ),
        "completeness": [
            "Census Schedule D (Apr 2025) is complete: 430 ports, 46 districts.",
            (
                "Every CBP ACE Appendix E (Feb 2026) code missing from Census is included, but "
                "for codes in both lists the row carries the Census name, and which Census codes "
                "are also in Appendix E cannot be told."
            ),
            (
                "Two code systems share the DDPP shape: ACE (where a Type 86 is filed) uses CBP's "
                "codes (JFK Airport 4701, New York/Newark 4601, LAX 2720); Census statistics put "
                "the New York area in district 10 (1012 JFK, 1003 Newark). listed_in tells them "
                "apart."
            ),
            "A census_historical code has no current reference and should be treated as suspect.",
            (
                "Code classes follow the facts recorded with the list: 70xx low value, 80xx mail "
                "and 6000 vessels under own power are statistical codes; 71xx-79xx and 9232 are "
                "CBP regions or foreign preclearance stations. None of these is a port of entry."
            ),
            (
                "Subport and express-consignment (ECCF) codes are included where either list has "
                "them."
            ),
        ],
        "legend": [
            ["census_schedule_d", "in Census Schedule D 'Produced APRIL25'"],
            [
                "cbp_ace_appendix_e",
                "in CBP's ACE Appendix E (3 Feb 2026) but not in Census Schedule D",
            ],
            [
                "census_trade_data_only",
                "seen in Census trade data for Dec 2025, not in Schedule D",
            ],
            [
                "census_historical",
                "traded in Census data 2010-2024, in neither current list (suspect)",
            ],
            *[[name, meaning] for name, meaning in ref.PORT_CODE_CLASSES.items()],
        ],
    },
    "vague_terms": {
        "source": (
            "CBP 'Examples of Unacceptable vs Acceptable Cargo Descriptions' (as reproduced by "
            "forwarders and carriers), CSMS 60011750, CBP ACAS announcements (Sep 2024), carrier "
            "and broker notices, and the project's domain reference section 4 "
            "(cbp_vague_terms.csv)"
        ),
        "date": "2025-09",
        "note": (
            f"Schema {VAGUE_TERMS_SCHEMA}, version {VAGUE_TERMS_VERSION}. CBP's list is "
            "non-exhaustive and evolving; only about 8 rows of it could be confirmed."
        ),
        "description": (
            "Cargo descriptions CBP treats as too vague, each with its normalised match "
            "phrases, acceptable examples (examples only, not an allow-list), source and "
            "confidence; rows describing the form of a description (only digits, only special "
            "characters, not English, a brand name alone) are kept as rules."
        ),
        "licence": (
            "CBP material is a U.S. Government work (public domain); vendor and carrier pages "
            "have no open licence, so only short terms and examples are recorded as facts, with "
            "the source named"
        ),
        "completeness": [
            (
                "About 8 rows of CBP's own list could be confirmed (the stored copies stop after "
                "'Appliances'); CBP's list is believed to be considerably longer."
            ),
            (
                "The CSMS-named terms (gift, daily necessities, accessories, parts, consolidated) "
                "are confirmed from the primary text (confidence V)."
            ),
            (
                "Rows marked C or UNVERIFIED should produce a warning, not a violation, until "
                "checked against the CBP page."
            ),
            (
                "Which column 'Wearing Apparel / Ladies' Apparel / Men's Apparel' and 'Shoes, "
                "Footwear' belong to in the reproduced CBP table is our reading."
            ),
            (
                "Phrases are normalised with t86audit.normalize.normalize_text (lower case, "
                'accents and punctuation removed, so "men\'s" becomes "men s").'
            ),
            (
                'The row \'"Brand" or "Trade Mark" name by itself\' is kept as a rule '
                "(brand_or_trade_mark_name_by_itself), like the bracketed rows."
            ),
            "The date is that of the latest dated source (ONE notice, Sep 2025).",
        ],
        "legend": [
            ["V", "primary CBP text (CSMS message)"],
            [
                "S",
                "CBP's list or guidance as reproduced or quoted by a carrier, broker or forwarder",
            ],
            ["C", "a vendor's or broker's own examples"],
            ["UNVERIFIED", "commonly cited but not found in a CBP source"],
        ],
    },
    "adcvd_china": {
        "source": (
            "U.S. Department of Commerce ITA AD/CVD orders (ACCESS), China-only table in "
            "public/data/adcvd.json of the public repository ZZ369-zero/hts-clearance-assistant "
            "(HEAD 6017273, dataset updatedAt 2026-07-06) (orders.csv, order_hts.csv)"
        ),
        "date": "2026-07-06",
        "note": (
            "China only; the written scope governs, so an HTS match is a reason to read the "
            "scope, not a finding by itself."
        ),
        "description": (
            "Antidumping (A-570-...) and countervailing (C-570-...) duty orders on goods from "
            "China: case number, order type, country code, product title, companion case and "
            "the HTS numbers named in the scope, as digit prefixes at their level (6, 8 or 10 "
            "digits), each flagged when it is not in the HTSUS 2025 snapshot."
        ),
        "licence": (
            "The facts are U.S. Government records (public domain); the compiling repository "
            "has no licence and only the facts were recorded"
        ),
        "completeness": [
            (
                "China only: no orders on other countries (Vietnam, India, Korea, Taiwan, "
                "Thailand, ...)."
            ),
            (
                "HTS numbers are those listed in each order's scope, at mixed levels; the written "
                "scope governs."
            ),
            (
                "Some scope numbers are not in the 2025 HTSUS snapshot (older numbers kept after "
                "renumbering, e.g. 8541.40 -> 8541.41-.49 in 2022); they are kept and flagged, "
                "not mapped, so a current number under a renumbered line does not match."
            ),
            (
                "No order dates, revocations or company-specific rates; orders are added and "
                "revoked over time, so a finding should name the snapshot date."
            ),
        ],
        "legend": [
            ["AD", "antidumping duty order"],
            ["CVD", "countervailing duty order"],
            ["in_htsus_2025_snapshot=no", "the scope's HTS number is not in the HTSUS snapshot"],
        ],
    },
    "pga_flag_codes": {
        "source": (
            "CBP 'ACE Agency Tariff Code Reference Guide' (CBP Publication 0875-0419, 6 Mar 2024) "
            "as reproduced in public material; CBP CSMS 03-002540 (24 Oct 2003) for FD0-FD4 "
            "(pga_flag_codes.csv)"
        ),
        "date": "2024-03-06",
        "note": (
            "38 flag codes; a code absent here is unknown, not non-existent. The per-HTS flag "
            "list was not found and is not bundled."
        ),
        "description": (
            "Partner government agency tariff flag codes: agency, R (data required) or M (may "
            "be required), meaning, disclaim note, source and confidence."
        ),
        "licence": "U.S. Government works (public domain)",
        "completeness": [
            (
                "38 codes for FDA, APHIS (incl. Lacey Act), AMS, DEA, NHTSA, EPA, FSIS, FWS, "
                "NMFS, State (OMC) and TTB. Codes not seen in any source (e.g. the 'required' "
                "partners of EP1/EP3/EP5/EP7, other NM, OM and TB numbers, ATF or CPSC codes) are "
                "absent, not non-existent: check the CBP guide before relying on the absence of "
                "a code."
            ),
            (
                "R/M for codes other than EP1 is read from the wording ('may be required' -> M, "
                "'required' -> R); FD0 has neither."
            ),
            (
                "Which HTS numbers carry which flags is not bundled: the ABI/ACE HTS extract was "
                "not available, and the five observed examples are test fixtures, not a lookup "
                "table."
            ),
            "Flags change with HTS updates: a check must name the flag snapshot it used.",
        ],
        "legend": [
            ["R", "PGA data required; a 'not regulated' disclaim does not satisfy it"],
            ["M", "PGA data may be required; a disclaim can satisfy it"],
            ["V", "primary government text (reproduced verbatim)"],
            ["S", "government wording seen as reproduced or paraphrased by a third party"],
            ["C", "seen only in third-party code or a single observation"],
        ],
    },
    "chapter99_quota_lines": {
        "source": (
            "USITC HTSUS 2025-05-26 snapshot (hts/htsus_2025_snapshot.csv), chapter 99 "
            "subchapter III: the 9903 subheadings whose own text or a heading above them sets a "
            "quota (entered 'in aggregate quantities', 'annual aggregate quantity', under a "
            "'quantitative limitation', a named import quota or a quota period), their 'Other' "
            "(over-quota) siblings, and the relief lines 'counted toward any quantitative "
            "limitation'"
        ),
        "date": "2025-05-26",
        "note": (
            "Read from the schedule's text by scripts/build_reference_data.py; ELG011 treats a "
            "line filed under one of these numbers (as its own number or in additional_hts) as "
            "goods covered by a quota (19 CFR 10.153(g), open or closed)."
        ),
        "description": (
            "Chapter 99 quota lines: one row per 8-digit 9903 subheading with the quota's "
            "heading text, its U.S. note, the countries a country quota is limited to, and the "
            "line's role."
        ),
        "licence": "U.S. Government work (public domain)",
        "completeness": [
            (
                "Derived by matching phrases of the schedule's text, not from a list CBP "
                "publishes; a quota worded otherwise is missed. Quotas of other chapter 99 "
                "subchapters (free trade agreement TRQs, 9904-9922) are not included."
            ),
            (
                "One 2025 snapshot: a quota line that ended or was renumbered earlier (the "
                "Section 232 country quotas were replaced in 2025) is listed as the snapshot "
                "has it. Filing the number is what ELG011 reads: goods entered under a quota "
                "provision are quota goods whatever the date."
            ),
        ],
        "legend": [
            ["in_quota", "the line carries the quota's quantity (in-quota)"],
            ["over_quota", "the 'Other' sibling that follows an in-quota line"],
            ["quota", "a line under a heading that sets the quota"],
            ["counted_relief", "relief from a quota whose goods still count toward it"],
        ],
    },
    "quota_goods": {
        "source": (
            "USITC HTSUS 2025 Revision 18 JSON, as extracted in duties/quota_hts.csv (8-digit "
            "subheadings of the tariff-rate-quota provisions: in-quota lines 'Described in "
            "additional U.S. note N ... and entered pursuant to its provisions', general note 15 "
            "lines and their 'Other' (over-quota) siblings), checked line by line against the "
            "HTSUS 2025-05-26 snapshot (hts/htsus_2025_snapshot.csv)"
        ),
        "date": QUOTA_DATE,
        "note": (
            "Tariff-rate quotas of chapters 2-52 read from HTSUS 2025 Revision 18; no absolute "
            "quota was found; chapter 99 quotas (Section 201, FTA-specific, upland cotton "
            "9903.52) are not listed; older numbers may differ."
        ),
        "description": (
            "Goods of a class or kind covered by a tariff-rate quota (19 CFR 10.153(g)): one "
            "row per 8-digit subheading with the quota's U.S. note, the line's role (in-quota, "
            "over-quota or general note 15), the schedule's description, confidence, basis and "
            "source key. A number is covered when it starts with a listed subheading; headings "
            "and chapters are never matched as a whole."
        ),
        "licence": "U.S. Government work (public domain)",
        "completeness": [
            (
                "Chapters 02 beef, 04 dairy incl. butter and cheese, 07, 12 peanuts, 15, 17 "
                "sugar, 18 cocoa and chocolate, 19, 20, 21, 22, 23 animal feed, 24 tobacco, 52 "
                "cotton, as the 2025 schedule's additional U.S. notes set them. The in-quota line "
                "and its over-quota sibling are both listed: 10.153(g) bars the class or kind "
                "of goods whether the quota is open or closed."
            ),
            (
                "Not listed: chapter 99 quotas (Section 201 TRQs such as washers 9903.45 and "
                "solar cells, upland-cotton special quotas 9903.52, FTA-specific TRQs, Section "
                "232 country quotas). Goods under such a quota can be added with a user table."
            ),
            (
                "Lines of the same heading that are not quota lines (e.g. 0405.20.40, "
                "1701.91.80, 1806.20.50) are not listed, and matching is by 8-digit subheading "
                "only, never by heading or chapter."
            ),
            (
                "8-digit numbers from one 2025 revision: numbers of older editions (2019-2024) "
                "may differ, so a renumbered quota line of an older entry is not matched."
            ),
            (
                "Rows checked against the 2025-05-26 snapshot: an in-quota row must be (or sit "
                "under) a line 'described in additional U.S. note'; a general note 15 row under "
                "a 'general note 15' line; an over-quota row must be (or sit under) an 'Other' "
                "line that follows an in-quota line of its group. Rows failing the check are "
                "left out (listed below); in-quota lines the source missed are added."
            ),
        ],
        "legend": [
            ["in_quota", "the line for goods entered under the quota (in-quota rate)"],
            ["over_quota", "the 'Other' sibling of an in-quota line (over-quota rate)"],
            ["gn15_in_quota_rate", "the line for goods described in general note 15"],
            ["V", "primary text: the line is printed so in the HTSUS"],
            ["source", "basis: the row as the source extracted it"],
            [
                "provision derived",
                (
                    "basis: the source left the U.S. note blank (a general note 15 line with "
                    "no in-quota sibling of its own); the notes of its group's quota lines"
                ),
            ],
            ["added", "basis: a quota line the source missed, read from the snapshot"],
            [QUOTA_SOURCE_KEY, "USITC HTSUS 2025 Revision 18 JSON (duties/quota_hts.csv)"],
            [SNAPSHOT_SOURCE_KEY, "the HTSUS 2025-05-26 snapshot (hts/htsus_2025_snapshot.csv)"],
        ],
    },
    "htsus_editions": {
        "source": (
            "USITC HTSUS 2025 JSON revisions basic to rev 32 as summarised in "
            "duties/hts_editions_2025.csv (revision dates per Budget Lab's revision_dates.csv) "
            "and duties/hts10_changes_2025.csv (the 10-digit numbers, chapters 1-97, not present "
            "in every 2025 revision), over the HTSUS 2025-05-26 snapshot"
        ),
        "date": "2025-11-15",
        "note": (
            "Which 10-digit numbers were valid in each 2025 revision (2025-01-01 to "
            f"{EDITIONS_COVER_TO}); no edition before 2025 is bundled."
        ),
        "description": (
            "The 33 revisions of the 2025 HTSUS with their dates, the revision the bundled "
            "snapshot is, and each 10-digit number that was not in every revision with the first "
            "and last revision that had it; every other number of the snapshot was valid in all "
            "of them."
        ),
        "licence": "U.S. Government work (public domain); revision dates compiled by Budget Lab",
        "completeness": [
            (
                "2025 only: no machine-readable edition of 2019-2024 was obtained, so a number "
                "missing from the 2025 editions on an older entry cannot be judged by this table."
            ),
            (
                "Revision dates mix publication and policy dates (the July 2025 statistical "
                "changes show under rev 16, dated 2025-06-06): a date near a revision date is "
                "uncertain, and rules allow a margin around it."
            ),
            (
                f"The newest revision (rev 32) is taken to be in force to {EDITIONS_COVER_TO}; "
                "the 2026 editions are not bundled."
            ),
            (
                "The change list holds printed 10-digit numbers of chapters 1-97. From rev 16 "
                "the source counts three more 8-digit subheadings than the snapshot, only one of "
                "which "
                "(9401.99.30) the change list shows: a revision marked 'subheadings not listed' "
                "may hold a subheading without statistical rows (valid with suffix 00) unknown "
                "here."
            ),
        ],
        "legend": [
            [
                "subheadings_listed",
                "the revision's count of 8-digit subheadings equals the snapshot's",
            ],
        ],
    },
}


class SourceError(Exception):
    """A source table is missing or does not have the expected content."""


def _read(shared: Path, relative: str) -> tuple[str, bytes]:
    path = shared / relative
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    return raw.decode("utf-8-sig"), raw


def _rows(text: str) -> list[dict[str, str]]:
    return [dict(row) for row in csv.DictReader(io.StringIO(text, newline=""))]


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _json_bytes(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _build_hts(shared: Path) -> tuple[ref.HtsData, dict[str, bytes], dict[str, Any]]:
    text, raw = _read(shared, HTS_SOURCE)
    data = ref.read_hts_rows(text, source=HTS_SOURCE)
    chapters = sorted(set(data.chapters.values()))
    info = {
        "source_files": [(HTS_SOURCE, _sha(raw))],
        "counts": [
            ["valid 10-digit numbers", len(data.articles)],
            ["printed statistical numbers", len(data.articles) - len(data.implied)],
            ["8-digit subheadings valid with suffix 00", len(data.implied)],
            ["headings with text", len(data.headings)],
            ["chapters", len(chapters)],
        ],
        "data_files": [ref.HTS_FILE, ref.HTS_VOCABULARY_FILE],
    }
    # HTS006's vocabulary, pre-built so an audit need not stem every word of each chapter it
    # meets; tied to this schedule by its hash (tests/test_reference.py checks it is current).
    schedule = ref.HtsSchedule(data, ref.Snapshot("htsus", HTS_SOURCE, "", _sha(raw)))
    vocabulary = ref.encode_chapter_words(chapter_stems(schedule), schedule_sha256=_sha(raw))
    files = {ref.HTS_FILE: ref.encode_hts_data(data), ref.HTS_VOCABULARY_FILE: vocabulary}
    return data, files, info


def _build_ports(shared: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    ports_text, ports_raw = _read(shared, PORTS_SOURCE)
    districts_text, districts_raw = _read(shared, DISTRICTS_SOURCE)
    rows = []
    for row in sorted(_rows(ports_text), key=lambda r: r["code"]):
        code = row["code"].strip()
        if len(code) != 4 or not code.isdigit() or row["district"].strip() != code[:2]:
            raise SourceError(f"{PORTS_SOURCE}: malformed port row {row!r}")
        rows.append(
            [
                code,
                row["name"].strip(),
                code[:2],
                row["district_name"].strip(),
                row["listed_in"].strip(),
                ref.classify_port_code(code),
                row["note"].strip(),
            ]
        )
    districts = sorted(
        (row["district"].strip(), row["name"].strip()) for row in _rows(districts_text)
    )
    listed = Counter(r[4] for r in rows)
    classes = Counter(r[5] for r in rows)
    info = {
        "source_files": [
            (PORTS_SOURCE, _sha(ports_raw)),
            (DISTRICTS_SOURCE, _sha(districts_raw)),
        ],
        "counts": [
            ["codes", len(rows)],
            *[[f"listed_in {name}", n] for name, n in sorted(listed.items())],
            *[[f"code_class {name}", n] for name, n in sorted(classes.items())],
            ["districts", len(districts)],
        ],
        "data_files": [ref.PORTS_FILE, ref.DISTRICTS_FILE],
    }
    header = ["code", "name", "district", "district_name", "listed_in", "code_class", "note"]
    return {
        ref.PORTS_FILE: _csv_bytes(header, rows),
        ref.DISTRICTS_FILE: _csv_bytes(["district", "name"], districts),
    }, info


def _build_vague_terms(shared: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    text, raw = _read(shared, VAGUE_SOURCE)
    terms = []
    for row in _rows(text):
        phrases, is_rule, rule = ref.parse_vague_term(row["term"])
        terms.append(
            {
                "term": row["term"].strip(),
                "phrases": list(phrases),
                "acceptable_examples": list(ref.split_examples(row["acceptable_examples"])),
                "source": row["source"].strip(),
                "confidence": row["confidence"].strip(),
                "is_rule": is_rule,
                "rule": rule,
            }
        )
    document = {
        "schema": VAGUE_TERMS_SCHEMA,
        "version": VAGUE_TERMS_VERSION,
        "source": VAGUE_SOURCE,
        "source_sha256": _sha(raw),
        "terms": terms,
    }
    confidence = Counter(t["confidence"] for t in terms)
    info = {
        "source_files": [(VAGUE_SOURCE, _sha(raw))],
        "counts": [
            ["rows", len(terms)],
            ["terms", sum(1 for t in terms if not t["is_rule"])],
            ["rules", sum(1 for t in terms if t["is_rule"])],
            *[[f"confidence {c}", n] for c, n in sorted(confidence.items())],
        ],
        "data_files": [ref.VAGUE_TERMS_FILE],
    }
    return {ref.VAGUE_TERMS_FILE: _json_bytes(document)}, info


def _build_adcvd(
    shared: Path, hts: ref.HtsData
) -> tuple[dict[str, bytes], dict[str, Any], list[str]]:
    orders_text, orders_raw = _read(shared, ADCVD_ORDERS_SOURCE)
    hts_text, hts_raw = _read(shared, ADCVD_HTS_SOURCE)
    orders = ref.read_adcvd_orders(orders_text, hts_text, source=ADCVD_ORDERS_SOURCE)
    numbers = sorted(hts.articles)
    warnings = []
    order_rows = []
    hts_rows = []
    for order in orders:
        order_rows.append(
            [
                order.case_number,
                order.order_type,
                order.country_code,
                order.product,
                order.companion_case,
            ]
        )
        for prefix in order.hts_prefixes:
            outside = prefix in order.prefixes_not_in_htsus
            # The source computed this flag against the same snapshot; re-check it.
            position = bisect.bisect_left(numbers, prefix)
            found = position < len(numbers) and numbers[position].startswith(prefix)
            if found == outside:
                warnings.append(
                    f"{order.case_number} {prefix}: source says in_htsus={not outside}, "
                    f"derived schedule says {found}"
                )
            hts_rows.append([order.case_number, prefix, "no" if outside else "yes"])
    levels = Counter(len(row[1]) for row in hts_rows)
    info = {
        "source_files": [
            (ADCVD_ORDERS_SOURCE, _sha(orders_raw)),
            (ADCVD_HTS_SOURCE, _sha(hts_raw)),
        ],
        "counts": [
            ["orders", len(orders)],
            ["AD orders", sum(1 for o in orders if o.order_type == "AD")],
            ["CVD orders", sum(1 for o in orders if o.order_type == "CVD")],
            ["order/HTS rows", len(hts_rows)],
            *[[f"{n}-digit HTS rows", count] for n, count in sorted(levels.items())],
            ["HTS rows not in the HTSUS snapshot", sum(1 for r in hts_rows if r[2] == "no")],
        ],
        "data_files": [ref.ADCVD_ORDERS_FILE, ref.ADCVD_ORDER_HTS_FILE],
    }
    files = {
        ref.ADCVD_ORDERS_FILE: _csv_bytes(
            ["case_number", "order_type", "country_code", "product", "companion_case"],
            order_rows,
        ),
        ref.ADCVD_ORDER_HTS_FILE: _csv_bytes(
            ["case_number", "hts_digits", "in_htsus_2025_snapshot"], hts_rows
        ),
    }
    return files, info, warnings


def _build_pga(shared: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    text, raw = _read(shared, PGA_SOURCE)
    flags = ref.read_pga_flags(text, source=PGA_SOURCE)
    rows = [
        [f.flag, f.agency, f.requirement, f.meaning, f.disclaim_note, f.source, f.confidence]
        for f in flags
    ]
    header = [
        "flag",
        "agency",
        "required_or_may",
        "meaning",
        "disclaim_note",
        "source",
        "confidence",
    ]
    requirement = Counter(f.requirement or "none" for f in flags)
    info = {
        "source_files": [(PGA_SOURCE, _sha(raw))],
        "counts": [
            ["flag codes", len(flags)],
            *[[f"required_or_may {k}", n] for k, n in sorted(requirement.items())],
        ],
        "data_files": [ref.PGA_FLAGS_FILE],
    }
    return {ref.PGA_FLAGS_FILE: _csv_bytes(header, rows)}, info


# ---------------------------------------------------------------------------------------------
# Quota goods: duties/quota_hts.csv, checked against the snapshot's tree

_IN_QUOTA_TEXT = re.compile(r"described in additional u\.\s?s\.\s?note", re.IGNORECASE)
_GN15_TEXT = re.compile(r"general note 15", re.IGNORECASE)
_NOTE_TEXT = re.compile(
    r"additional u\.\s?s\.\s?note\s+(\d+)\s+to\s+(this chapter|chapter\s+(\d+))",
    re.IGNORECASE,
)


class _Tree:
    """The snapshot's rows as a tree (a row's parent: the nearest earlier row indented less)."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        self.rows = rows
        self.parent: list[int] = []
        self.children: dict[int, list[int]] = {}
        stack: list[int] = []
        for i, row in enumerate(rows):
            indent = int(row["indent"])
            while stack and int(rows[stack[-1]]["indent"]) >= indent:
                stack.pop()
            self.parent.append(stack[-1] if stack else -1)
            self.children.setdefault(stack[-1] if stack else -1, []).append(i)
            stack.append(i)
        self.node: dict[str, int] = {}
        for i in range(len(rows)):
            digits = self.digits(i)
            if len(digits) == 8:
                self.node.setdefault(digits, i)
        for i in range(len(rows)):
            digits = self.digits(i)
            if len(digits) == 10 and digits.endswith("00"):
                self.node.setdefault(digits[:8], i)

    def digits(self, i: int) -> str:
        return self.rows[i]["htsno"].replace(".", "").strip()

    def text(self, i: int) -> str:
        return " ".join(self.rows[i]["description"].replace("\u200b", "").split())

    def group_chain(self, i: int) -> list[int]:
        """The row and its ancestors below the 6-digit subheading (or heading)."""
        out = []
        while i >= 0 and len(self.digits(i)) not in (4, 6):
            out.append(i)
            i = self.parent[i]
        return out

    def subtree_matches(self, i: int, pattern: re.Pattern[str]) -> bool:
        if pattern.search(self.text(i)):
            return True
        return any(self.subtree_matches(c, pattern) for c in self.children.get(i, ()))

    def subtree_subheadings(self, i: int) -> list[str]:
        found = [self.digits(i)[:8]] if len(self.digits(i)) >= 8 else []
        for child in self.children.get(i, ()):
            found += self.subtree_subheadings(child)
        return list(dict.fromkeys(found))

    def description_chain(self, i: int) -> str:
        """The texts from the heading down to this row's parent, colons removed."""
        texts = []
        i = self.parent[i]
        while i >= 0:
            texts.append(self.text(i).rstrip(":").rstrip())
            i = self.parent[i]
        return " > ".join(reversed(texts))

    def check(self, digits8: str, line: str) -> bool | None:
        """Whether the schedule's tree bears out the row's role; ``None``: not in the tree."""
        i = self.node.get(digits8)
        if i is None:
            return None
        chain = self.group_chain(i)
        if line == "in_quota":
            return any(_IN_QUOTA_TEXT.search(self.text(j)) for j in chain)
        if line == "gn15_in_quota_rate":
            return any(_GN15_TEXT.search(self.text(j)) for j in chain)
        for j in chain:
            if self.text(j).startswith("Other"):
                siblings = self.children[self.parent[j]]
                earlier = siblings[: siblings.index(j)]
                if any(self.subtree_matches(k, _IN_QUOTA_TEXT) for k in earlier):
                    return True
        return False


# Chapter 99 quota lines: read from the snapshot's text

_QUOTA_WORDS = re.compile(
    r"aggregate\s+(?:annual\s+)?quantit|annual\s+aggregate\s+quantit|quantitative\s+limit"
    r"|tariff[- ]rate\s+quota|\bin-quota\b|\bover-quota\b|\bquota\b",
    re.IGNORECASE,
)
_QUANTITY = re.compile(
    r"aggregate\s+(?:annual\s+)?quantit|annual\s+aggregate\s+quantit", re.IGNORECASE
)
_NOT_A_QUOTA = re.compile(r"notwithstanding any other quantitative limitations", re.IGNORECASE)
_RELIEF = re.compile(
    r"relief (?:has been provided )?from the application of quantitative limitation",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"counted toward any quantitative limitation", re.IGNORECASE)
_QUOTA_NOTE = re.compile(
    r"\bnote\s*(\d+)((?:\([a-z]+\))*)(?!\d)(?![^,;:]{0,12}\bto (?:this )?chapter\b)",
    re.IGNORECASE,
)
_EU27 = (
    *("AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"),
    *("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"),
)
_QUOTA_COUNTRIES = (
    (re.compile(r"\bArgentina\b"), ("AR",)),
    (re.compile(r"\bBrazil\b"), ("BR",)),
    (re.compile(r"\b(?:South )?Korea\b"), ("KR",)),
    (re.compile(r"\bJapan\b"), ("JP",)),
    (re.compile(r"\bUnited Kingdom\b"), ("GB",)),
    (re.compile(r"\bCosta Rica\b"), ("CR",)),
    (re.compile(r"\bEuropean Union\b"), tuple(_EU27)),
)
CHAPTER99_QUOTA_FILE = "chapter99_quota_lines.csv"


def _clip(text: str, size: int) -> str:
    text = text.rstrip(":").strip()
    return text if len(text) <= size else text[: size - 1].rstrip(" ,;") + "\u2026"


def _sets_quota(text: str) -> bool:
    return bool(_QUOTA_WORDS.search(_NOT_A_QUOTA.sub("", text)))


def _quota_role(tree: _Tree, i: int) -> tuple[str, int] | None:
    """A 9903 line's role in a quota and the row that sets it, or ``None``: no quota line."""
    own = tree.text(i)
    if _COUNTED.search(own):
        return "counted_relief", i
    if _RELIEF.search(own):
        return None  # relief from a quota, not said to count toward it
    if _QUANTITY.search(own):
        return "in_quota", i
    if _sets_quota(own):
        return "quota", i
    j = tree.parent[i]
    while j >= 0:
        if _sets_quota(tree.text(j)):
            return "quota", j
        j = tree.parent[j]
    if own.startswith("Other"):
        siblings = tree.children[tree.parent[i]]
        earlier = siblings[: siblings.index(i)]
        if earlier and _sets_quota(tree.text(earlier[-1])):
            return "over_quota", earlier[-1]
    return None


def _build_chapter99_quota(shared: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    hts_text, hts_raw = _read(shared, HTS_SOURCE)
    tree = _Tree(_rows(hts_text))
    rows: list[list[str]] = []
    for i in range(len(tree.rows)):
        number = tree.rows[i]["htsno"].strip()
        if not re.fullmatch(r"9903\.\d{2}\.\d{2}", number):
            continue
        role = _quota_role(tree, i)
        if role is None:
            continue
        kind, setter = role
        chain = [i]
        j = tree.parent[i]
        while j >= 0:
            chain.append(j)
            j = tree.parent[j]
        texts = [tree.text(k) for k in chain]
        countries = sorted(
            {c for t in texts for pat, cs in _QUOTA_COUNTRIES if pat.search(t) for c in cs}
        )
        note = next(
            (
                m.group(1) + m.group(2)
                for t in [tree.text(setter), *texts]
                if (m := _QUOTA_NOTE.search(t))
            ),
            "",
        )
        # What the quota is on and what sets it: the goods heading above a line that carries
        # the quantity itself (its text names no goods), else the setting heading and the line.
        if setter == i or kind == "over_quota":
            heading = (
                f"{_clip(tree.text(tree.parent[setter]), 100)} > {_clip(tree.text(setter), 80)}"
            )
        else:
            heading = f"{_clip(tree.text(setter), 120)} > {_clip(tree.text(i), 60)}"
        rows.append(
            [
                number,
                heading,
                f"subchapter III note {note}" if note else "",
                ";".join(countries),
                kind,
            ]
        )
    header = ["hts", "quota", "note", "countries", "line_kind"]
    kinds = Counter(row[4] for row in rows)
    info = {
        "source_files": [(HTS_SOURCE, _sha(hts_raw))],
        "counts": [
            ["quota lines", len(rows)],
            *[[f"line_kind {k}", n] for k, n in sorted(kinds.items())],
        ],
        "data_files": [CHAPTER99_QUOTA_FILE],
    }
    return {CHAPTER99_QUOTA_FILE: _csv_bytes(header, rows)}, info


def _note_name(text: str, chapter: str) -> str:
    match = _NOTE_TEXT.search(text)
    if match is None:
        return ""
    number = match.group(1)
    of = match.group(3) or str(int(chapter))
    return f"additional U.S. note {number} to chapter {int(of)}"


def _join_notes(notes: Iterable[str]) -> str:
    """``additional U.S. notes 16, 17 to chapter 4`` from several single-note names."""
    by_chapter: dict[str, list[str]] = {}
    for note in notes:
        match = re.fullmatch(r"additional U\.S\. note (\d+) to chapter (\d+)", note)
        if match is None:
            continue
        numbers = by_chapter.setdefault(match.group(2), [])
        if match.group(1) not in numbers:
            numbers.append(match.group(1))
    parts = []
    for chapter, numbers in by_chapter.items():
        numbers.sort(key=int)
        word = "note" if len(numbers) == 1 else "notes"
        parts.append(f"additional U.S. {word} {', '.join(numbers)} to chapter {chapter}")
    return "; ".join(parts)


def _build_quota(shared: Path) -> tuple[dict[str, bytes], dict[str, Any], list[str]]:
    text, raw = _read(shared, QUOTA_SOURCE)
    hts_text, hts_raw = _read(shared, HTS_SOURCE)
    tree = _Tree(_rows(hts_text))
    source_rows = _rows(text)
    for column in ("hts_prefix", "quota_type", "quota_line", "quota_note", "commodity"):
        if source_rows and column not in source_rows[0]:
            raise SourceError(f"{QUOTA_SOURCE}: missing column {column!r}")
    warnings: list[str] = []
    rows: dict[str, dict[str, str]] = {}
    excluded: list[tuple[str, str]] = []
    for row in source_rows:
        digits = row["hts_prefix"].replace(".", "").strip()
        line = row["quota_line"].strip()
        if len(digits) != 8 or not digits.isdigit() or line not in ref.QUOTA_LINE_ROLES:
            raise SourceError(f"{QUOTA_SOURCE}: malformed row {row!r}")
        checked = tree.check(digits, line)
        if checked is False:
            excluded.append((digits, tree.text(tree.node[digits])))
            continue
        rows[digits] = {
            "hts": digits,
            "quota_type": row["quota_type"].strip(),
            "quota_line": line,
            "provision": " ".join(row["quota_note"].split()),
            "commodity": " ".join(row["commodity"].split()),
            "confidence": "V",
            "basis": "source" if checked else "source (not in the snapshot)",
            "source": QUOTA_SOURCE_KEY,
        }
    warnings += _add_missed_quota_lines(tree, rows)
    ordered = [rows[d] for d in sorted(rows)]
    _derive_provisions(ordered, warnings)
    header = ["hts", "quota_type", "quota_line", "provision", "commodity"]
    header += ["confidence", "basis", "source"]
    lines = Counter(r["quota_line"] for r in ordered)
    chapters = Counter(r["hts"][:2] for r in ordered)
    bases = Counter(r["basis"] for r in ordered)
    left_out = "; ".join(f"{_dotted(d)} ({t})" for d, t in excluded)
    info = {
        "source_files": [(QUOTA_SOURCE, _sha(raw)), (HTS_SOURCE, _sha(hts_raw))],
        "counts": [
            ["subheadings", len(ordered)],
            ["source rows", len(source_rows)],
            ["source rows left out", len(excluded)],
            *[[f"quota_line {k}", n] for k, n in sorted(lines.items())],
            *[[f"basis {k}", n] for k, n in sorted(bases.items())],
            ["chapters", len(chapters)],
        ],
        "completeness": [
            (
                f"Left out (not quota goods: no in-quota line precedes them in their group): "
                f"{left_out}. Roquefort cheese is outside the cheese quotas; the source took "
                "these lines for over-quota siblings of the Stilton quota (additional U.S. note "
                "24 to chapter 4)."
            )
            if excluded
            else "No source row failed the check against the snapshot.",
        ],
        "data_files": [ref.QUOTA_FILE],
    }
    body = [[r[c] for c in header] for r in ordered]
    return {ref.QUOTA_FILE: _csv_bytes(header, body)}, info, warnings


def _add_missed_quota_lines(tree: _Tree, rows: dict[str, dict[str, str]]) -> list[str]:
    """Add the snapshot's in-quota lines the source missed, with their "Other" sibling."""
    warnings = []
    for i, row in enumerate(tree.rows):
        description = tree.text(i)
        chapter = row["chapter"].strip().zfill(2)
        if chapter >= "98" or not _IN_QUOTA_TEXT.search(description):
            continue
        if "pursuant" not in description:
            continue
        note = _note_name(description, chapter)
        siblings = tree.children[tree.parent[i]]
        later = [k for k in siblings[siblings.index(i) + 1 :] if tree.text(k).startswith("Other")]
        for k, line in [(i, "in_quota")] + [(k, "over_quota") for k in later[:1]]:
            for digits in tree.subtree_subheadings(k):
                if digits in rows or not note:
                    continue
                rows[digits] = {
                    "hts": digits,
                    "quota_type": "tariff-rate quota",
                    "quota_line": line,
                    "provision": note,
                    "commodity": tree.description_chain(i),
                    "confidence": "V",
                    "basis": "added",
                    "source": SNAPSHOT_SOURCE_KEY,
                }
                warnings.append(f"quota: added {digits} ({line}, {note}) missed by the source")
    return warnings


def _derive_provisions(ordered: list[dict[str, str]], warnings: list[str]) -> None:
    """Give a general note 15 line without a note of its own its group's quota notes.

    The group: the rows after it in its 6-digit subheading, up to the next general note 15 line
    that follows a quota line.
    """
    for at, row in enumerate(ordered):
        if row["provision"]:
            continue
        notes: list[str] = []
        for other in ordered[at + 1 :]:
            if other["hts"][:6] != row["hts"][:6]:
                break
            if other["quota_line"] == "gn15_in_quota_rate":
                if notes:
                    break
                continue  # general note 15 lines in a row share the group that follows
            notes.append(other["provision"])
        row["provision"] = _join_notes(notes)
        row["basis"] = "provision derived"
        if not row["provision"]:
            warnings.append(f"quota: no provision found for {row['hts']}")


def _dotted(digits: str) -> str:
    return ".".join([digits[:4]] + [digits[i : i + 2] for i in range(4, len(digits), 2)])


# ---------------------------------------------------------------------------------------------
# HTSUS 2025 editions: duties/hts_editions_2025.csv and duties/hts10_changes_2025.csv


def _build_hts_editions(
    shared: Path, hts: ref.HtsData
) -> tuple[dict[str, bytes], dict[str, Any], list[str]]:
    editions_text, editions_raw = _read(shared, EDITIONS_SOURCE)
    changes_text, changes_raw = _read(shared, CHANGES_SOURCE)
    _, hts_raw = _read(shared, HTS_SOURCE)
    editions = _rows(editions_text)
    order = [e["revision_id"].strip() for e in editions]
    dates = [e["effective_date_per_budget_lab"].strip() for e in editions]
    if not order or dates != sorted(dates):
        raise SourceError(f"{EDITIONS_SOURCE}: revisions missing or not in date order")
    position = {rev: i for i, rev in enumerate(order)}
    changes = []
    for row in _rows(changes_text):
        digits = row["hts10"].replace(".", "").strip()
        first, last = row["first_2025_revision"].strip(), row["last_2025_revision"].strip()
        if len(digits) != 10 or first not in position or last not in position:
            raise SourceError(f"{CHANGES_SOURCE}: malformed row {row!r}")
        if row.get("contiguous", "yes").strip() != "yes":
            raise SourceError(f"{CHANGES_SOURCE}: {digits} is not in a contiguous run")
        listed = row["in_htsus_2025_snapshot"].strip() == "yes"
        if listed != (digits in hts.articles):
            raise SourceError(f"{CHANGES_SOURCE}: {digits} in_htsus_2025_snapshot disagrees")
        changes.append((digits, first, last))
    # The snapshot is the newest revision, dated on or before the snapshot's date, whose
    # numbers agree with it on every changed number.
    snapshot_date = PROVENANCE["htsus"]["date"]
    consistent = [
        rev
        for i, rev in enumerate(order)
        if dates[i] <= snapshot_date
        and all((position[f] <= i <= position[t]) == (d in hts.articles) for d, f, t in changes)
    ]
    if not consistent:
        raise SourceError("no 2025 revision agrees with the HTSUS snapshot")
    snapshot_revision = consistent[-1]
    at = position[snapshot_revision]
    sub8 = [e["sub8_ch1_97"].strip() for e in editions]
    warnings = []
    # Count check: every revision's number of 10-digit numbers (chapters 1-97), rebuilt from
    # the snapshot and the change list, differs from the source's count by one constant.
    changed = {d for d, _, _ in changes}
    base = sum(
        1 for n in hts.articles if n[:2] <= "97" and n not in hts.implied and n not in changed
    )
    offsets = set()
    for i, edition in enumerate(editions):
        rebuilt = base + sum(1 for _, f, t in changes if position[f] <= i <= position[t])
        offsets.add(int(edition["stat10_ch1_97"]) - rebuilt)
    if len(offsets) != 1:
        warnings.append(f"hts editions: counts do not agree with the source ({sorted(offsets)})")
    document = {
        "schema": 1,
        "snapshot_revision": snapshot_revision,
        "covers_to": EDITIONS_COVER_TO,
        "editions": [
            {
                "revision": rev,
                "label": editions[i]["edition"].strip(),
                "date": dates[i],
                "subheadings_listed": sub8[i] == sub8[at],
            }
            for i, rev in enumerate(order)
        ],
        "changes": [list(c) for c in sorted(changes)],
    }
    info = {
        "source_files": [
            (EDITIONS_SOURCE, _sha(editions_raw)),
            (CHANGES_SOURCE, _sha(changes_raw)),
            (HTS_SOURCE, _sha(hts_raw)),
        ],
        "counts": [
            ["revisions", len(order)],
            ["changed 10-digit numbers", len(changes)],
            ["revisions with subheadings not listed", sum(1 for v in sub8 if v != sub8[at])],
        ],
        "completeness": [
            (
                f"The snapshot is revision {snapshot_revision} (the newest revision dated on or "
                "before 2025-05-26 that agrees with it on every changed number). Rebuilt from "
                "it and the change list, every revision's count of 10-digit numbers differs "
                f"from the source's by the same {', '.join(str(o) for o in sorted(offsets))}."
            ),
        ],
        "data_files": [ref.HTS_EDITIONS_FILE],
    }
    return {ref.HTS_EDITIONS_FILE: _json_bytes(document)}, info, warnings


def _table_record(name: str, info: dict[str, Any]) -> dict[str, Any]:
    text = PROVENANCE[name]
    files = info["source_files"]
    digest = files[0][1] if len(files) == 1 else ref.manifest_sha256(files)
    return {
        "name": name,
        "source": text["source"],
        "date": text["date"],
        "sha256": digest,
        "note": text["note"],
        "description": text["description"],
        "licence": text["licence"],
        "source_files": [{"file": f, "sha256": s} for f, s in files],
        "completeness": [*text["completeness"], *info.get("completeness", [])],
        "legend": text["legend"],
        "counts": info["counts"],
        "data_files": info["data_files"],
    }


def _readme(tables: list[dict[str, Any]]) -> bytes:
    lines = [
        "# Bundled reference data",
        "",
        "Generated by `scripts/build_reference_data.py` from the project's shared source tables;",
        "do not edit by hand. `metadata.json` holds the same provenance for programs",
        "(`t86audit.reference.provenance()` and `snapshots()`). Re-running the script on the same",
        "sources gives byte-identical files.",
        "",
        "| table | date | source files | package files |",
        "| --- | --- | --- | --- |",
    ]
    for table in tables:
        sources = ", ".join(f"`{f['file']}`" for f in table["source_files"])
        data = ", ".join(f"`{f}`" for f in table["data_files"])
        lines.append(f"| `{table['name']}` | {table['date']} | {sources} | {data} |")
    for table in tables:
        lines += [
            "",
            f"## `{table['name']}`",
            "",
            table["description"],
            "",
            f"* **Source:** {table['source']}.",
            f"* **Date of the data:** {table['date']}.",
            f"* **Licence:** {table['licence']}.",
            f"* **SHA-256 (snapshot):** `{table['sha256']}`",
        ]
        lines += [f"  * `{f['file']}`: `{f['sha256']}`" for f in table["source_files"]]
        lines += ["", "How complete:", ""]
        lines += [f"* {caveat}" for caveat in table["completeness"]]
        lines += ["", "Codes:", ""]
        lines += [f"* `{code}`: {meaning}" for code, meaning in table["legend"]]
        lines += ["", "Counts: " + "; ".join(f"{what} {n:,}" for what, n in table["counts"]) + "."]
    lines += [
        "",
        "## `countries` (not built here)",
        "",
        "`countries.csv` (`alpha_2,alpha_3,names`, the names `|`-separated): the ISO 3166-1",
        "countries, each with its alpha-3 code, ISO short, common and official names, and names",
        "exports write that ISO does not list ('UK', 'Vietnam', 'South Korea', 'Turkey'). Written",
        "by `scripts/build_countries.py` from the iso-codes project's `iso_3166-1.json` (Debian",
        "package iso-codes 4.15.0; the codes and names are ISO 3166-1's) and committed: this",
        "script leaves it as it is. `t86audit.normalize.origin_code` reads it to turn an origin",
        "filed as a name or an alpha-3 code into its alpha-2 code.",
        "",
        "## File formats",
        "",
        f"* `{ref.HTS_FILE}`: two gzip members (no time stamps) of UTF-8 lines. The first, the",
        "  index, is the header line `#t86audit-hts<TAB>2` and four lines of space-separated",
        "  values: the four-digit headings; the valid 10-digit numbers, ascending; those valid",
        "  only with suffix `00` (an 8-digit subheading without statistical rows);",
        "  `number:chapter` for each number whose chapter is not its first two digits. The",
        "  second, the texts, read only when a text is needed: the node of each number's article",
        "  description (space-separated, in number order), one line per heading text, in heading",
        "  order, then one line `parent<TAB>segment` per node of the tree of the articles'",
        "  ` > `-separated segments (a root's parent is empty); an article is its node's",
        "  segments from the root down, joined by ` > `.",
        f"* `{ref.HTS_VOCABULARY_FILE}`: gzip (no time stamp) of UTF-8 lines: the header",
        "  `#t86audit-chapter-words<TAB>1<TAB><sha256 of the HTSUS source>`, then",
        "  `chapter<TAB>word word ...` for each chapter: the stems HTS006 compares descriptions",
        "  with (the stemmed content words of the chapter's headings and articles), sorted.",
        "* The CSV files are UTF-8 with a header row and `\\n` line ends; HTS prefixes are",
        "  digits.",
        "* `vague_terms.json`: `schema`, `version`, source hash and the `terms` in source order.",
        f"* `{ref.QUOTA_FILE}`: `hts` (8 digits), `quota_type`, `quota_line`, `provision`,",
        "  `commodity`, `confidence`, `basis`, `source` (a key of the legend above).",
        f"* `{ref.HTS_EDITIONS_FILE}`: `schema`, `snapshot_revision` (the revision the",
        "  bundled HTSUS is), `covers_to`, `editions` (`revision`, `label`, `date`,",
        "  `subheadings_listed`), oldest first, and `changes`: `[number, first revision, last",
        "  revision]` for each 10-digit number not in every revision (contiguous runs only);",
        "  every other number of the snapshot is valid in every revision.",
        "* Multi-file snapshot hash: SHA-256 of `<sha256>  <file>` lines sorted by file name.",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def build(shared: Path) -> tuple[dict[str, bytes], list[str]]:
    """Derive every package data file from the shared source folder.

    Pure: reads only the source files and returns ``(files, warnings)`` with ``files`` mapping
    each package file name to its bytes.

    Raises:
        SourceError: a source file is missing or malformed.
        t86audit.exceptions.InputError: a source table lacks a column or has a malformed row.
    """
    hts, files, hts_info = _build_hts(shared)
    port_files, port_info = _build_ports(shared)
    vague_files, vague_info = _build_vague_terms(shared)
    adcvd_files, adcvd_info, warnings = _build_adcvd(shared, hts)
    pga_files, pga_info = _build_pga(shared)
    quota_files, quota_info, quota_warnings = _build_quota(shared)
    ch99_files, ch99_info = _build_chapter99_quota(shared)
    edition_files, edition_info, edition_warnings = _build_hts_editions(shared, hts)
    warnings += quota_warnings + edition_warnings
    for extra in (
        port_files,
        vague_files,
        adcvd_files,
        pga_files,
        quota_files,
        ch99_files,
        edition_files,
    ):
        files.update(extra)
    tables = [
        _table_record("htsus", hts_info),
        _table_record("ports", port_info),
        _table_record("vague_terms", vague_info),
        _table_record("adcvd_china", adcvd_info),
        _table_record("pga_flag_codes", pga_info),
        _table_record("quota_goods", quota_info),
        _table_record("chapter99_quota_lines", ch99_info),
        _table_record("htsus_editions", edition_info),
    ]
    files[ref.METADATA_FILE] = _json_bytes({"schema": 1, "tables": tables})
    files["README.md"] = _readme(tables)
    return dict(sorted(files.items())), warnings


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--shared",
        type=Path,
        default=DEFAULT_SHARED,
        help=f"the shared data folder (default: {DEFAULT_SHARED})",
    )
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the output folder differs from what would be written",
    )
    args = parser.parse_args(argv)
    try:
        files, warnings = build(args.shared)
    except (SourceError, InputError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    out: Path = args.out
    if args.check:
        stale = [
            name
            for name, data in files.items()
            if not (out / name).is_file() or (out / name).read_bytes() != data
        ]
        for name in stale:
            print(f"out of date: {out / name}")
        return 1 if stale else 0
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, data in files.items():
        (out / name).write_bytes(data)
        total += len(data)
        print(f"{name:24} {len(data):>9,} bytes")
    print(f"{'total':24} {total:>9,} bytes -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
