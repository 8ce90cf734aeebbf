"""Build the dated duty and fee tables that t86audit.exposure bundles.

A developer tool, never run by the library or its tests against the real sources::

    python scripts/build_duty_tables.py --shared ../shared/data
    python scripts/build_duty_tables.py --shared ../shared/data --check   # verify only

It reads ``hts/htsus_2025_snapshot.csv`` and the tables of ``duties/`` under ``--shared`` and
writes compact, deterministic files into ``src/t86audit/data/duties/`` (or ``--out``): running
it twice gives byte-identical output (gzip members carry no time stamp). Each table keeps its
source, the date of its data and a confidence tag per row (V primary text, S reliable secondary,
C third-party extraction, UNVERIFIED), as the source READMEs give them. Provenance is written
once, below, into ``metadata.json`` (read by :func:`t86audit.exposure.duty_table_provenance`)
and ``README.md`` beside the tables.

The duty tables live in their own folder with their own metadata so that
``scripts/build_reference_data.py`` (which owns ``src/t86audit/data/metadata.json``) and this
script never write the same file.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import re
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any


REPO = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = REPO.parent / "shared" / "data"
DEFAULT_OUT = REPO / "src" / "t86audit" / "data" / "duties"

HTS_SOURCE = "hts/htsus_2025_snapshot.csv"
S301_SOURCE = "duties/section301_hts.csv"
S301_PERIODS_SOURCE = "duties/section301_rate_periods.csv"
IEEPA_SOURCE = "duties/ieepa_2025.csv"
ANNEX2_SOURCE = "duties/ieepa_annex2_exempt.csv"
MPF_SOURCE = "duties/mpf_by_fiscal_year.csv"
FEES_SOURCE = "duties/other_fees.csv"
REFERENCE_SOURCE = "../domain/t86-reference.md (sections 3.6 and 7.3)"

# Package file names (t86audit.exposure.tables reads exactly these).
GENERAL_FILE = "hts_general_rates.csv.gz"
S301_FILE = "section301_hts.csv.gz"
S301_PERIODS_FILE = "section301_rate_periods.csv"
IEEPA_FILE = "ieepa_2025.csv"
ANNEX2_FILE = "ieepa_annex2_exempt.csv"
MPF_FILE = "mpf_by_fiscal_year.csv"
HMF_FILE = "hmf.csv"
NOT_ESTIMATED_FILE = "not_estimated.csv"
PREFERENCES_FILE = "preference_programs.csv"
METADATA_FILE = "metadata.json"

RECIPROCAL_START = "2025-04-05"
"""First day of the reciprocal duties (EO 14257 sec.3(a)); Annex II rows listed without a start
date and "presumed in force" start here."""
ANNEX2_ADDED = "2025-09-08"
"""Effective date of the Annex II additions of the EO of 5 Sep 2025 (12:01 a.m. EDT 8 Sep)."""

# Chapter 99 headings of ieepa_2025.csv whose duty depends on facts the filed data does not
# carry (the product is energy or potash, a CBP transshipment finding): listed, never charged.
_IEEPA_CONDITIONAL = {
    "9903.01.05": "potash of Mexico (product-specific rate)",
    "9903.01.13": "energy and critical minerals of Canada (product-specific rate)",
    "9903.01.15": "potash of Canada (product-specific rate)",
    "9903.02.01": "transshipment: only on a CBP finding, in lieu of the country rate",
}

# Section 301 membership evidence keys -> confidence (duties/README.md section 1).
_S301_PRIMARY = ("n20-2026r6", "n31-2026r6", "fn-2025", "ustr-2018")

# Confidence of each Section 301 rate period (duties/README.md section 1, "Rates and dates").
_S301_PERIOD_CONFIDENCE = {
    "9903.88.01": "V",
    "9903.88.02": "S",
    "9903.88.03": "V",
    "9903.88.04": "V",
    "9903.88.09": "V",
    "9903.88.15": "S",
    "9903.88.16": "V",
}

# Charges the exposure estimate names but never computes (domain reference 3.6 E3 and 7.3 E-6).
# hts_prefix (digits), charge, provision, note, confidence, source.
_NOT_ESTIMATED_ROWS = [
    *[
        [
            heading,
            "excise_alcohol",
            "Federal excise tax on alcohol (26 U.S.C. 5001, 5041, 5051), collected by CBP",
            (
                "alcoholic beverage: the tax depends on proof, volume and product class, "
                "which filed data does not give"
            ),
            "V",
            "26 U.S.C. chapter 51; domain reference 3.6 E3a (10.153(e))",
        ]
        for heading in ("2203", "2204", "2205", "2206", "2207", "2208")
    ],
    [
        "33030030",
        "excise_alcohol",
        "Federal excise tax on distilled spirits in perfume (26 U.S.C. 5001)",
        (
            "perfume containing alcohol: the tax depends on the alcohol content, which filed data "
            "does not give"
        ),
        "S",
        "26 U.S.C. 5001; domain reference 3.6 E3a (10.153(e))",
    ],
    *[
        [
            prefix,
            "excise_tobacco",
            "Federal excise tax on tobacco products (26 U.S.C. 5701), collected by CBP",
            (
                "tobacco product or cigarette paper: the tax depends on the count or weight per "
                "product class, which filed data does not give reliably"
            ),
            "V",
            "26 U.S.C. chapter 52; domain reference 3.6 E3a/E3b",
        ]
        for prefix in ("2402", "2403", "240411", "4813")
    ],
    *[
        [
            prefix,
            "section_232",
            "Section 232 duties (steel, aluminum, their derivatives)",
            (
                "may apply to this chapter's goods by product and date; not compiled (domain "
                "reference 7.3 E-6); Section 232 articles are also excluded from the reciprocal "
                "duties (9903.01.33)"
            ),
            "V",
            "domain reference 7.3 E-6; duties/README.md 'Other gaps'",
        ]
        for prefix in ("72", "73", "76")
    ],
]


# Provenance of each table, condensed from duties/README.md and hts/README.md.
PROVENANCE: dict[str, dict[str, Any]] = {
    "hts_general_rates": {
        "label": "USITC HTSUS snapshot of 2025-05-26, general rate",
        "source": (
            "U.S. International Trade Commission, Harmonized Tariff Schedule of the United "
            "States, JSON export (public copy dated 2025-05-26), column 1 'General' and "
            "column 2 rates and the special column as printed (hts/htsus_2025_snapshot.csv)"
        ),
        "date": "2025-05-26",
        "confidence": "V",
        "description": (
            "The general (column 1) rate of duty of every 8-digit subheading of chapters 1-97, "
            "as printed. The rate sits on the 8-digit row, on the 10-digit row of a subheading "
            "printed only at 10 digits, or on the heading row of a heading without subheadings; "
            "every 10-digit number under one 8-digit subheading shares one rate in this "
            "snapshot (checked by the build). Beside it, the column 2 rate, charged instead on "
            "products of the general note 3(b) countries (Cuba, North Korea; Russia and Belarus "
            "from 9 Apr 2022, P.L. 117-110; the country list and date from trade press [S]), "
            "and the special column as printed (general note 3(c): each preferential rate with "
            "its special program indicators, e.g. 'Free (A+,AU,...,S,SG) 3.5% (KR)'), which the "
            "estimate never charges but names on a line whose origin has a preference programme "
            "in force (preference_programs table)."
        ),
        "completeness": [
            (
                "One snapshot (spring 2025): column 1 rates rarely change, but numbers do; a "
                "number valid in 2019-2024 and renumbered since (HS 2022) is not here and its "
                "line is "
                "'not computable'."
            ),
            (
                "No 2019-2024 edition is bundled: a rate applied to an arrival before 2025 says "
                "it is this snapshot's, not verified for the arrival date."
            ),
            (
                "Rates are kept as printed; t86audit.exposure parses ad valorem, specific and "
                "compound rates and reports the others (sugar by polarity, watch movements by "
                "jewel, 'on drained weight', ...) as not computable."
            ),
            (
                "The special column is the 2025 schedule's: it names the programmes of 2025 "
                "(USMCA 'S', not NAFTA's 'CA'/'MX', which the 2025 schedule no longer prints; "
                "GSP 'A' though GSP lapsed on 1 Jan 2021)."
            ),
        ],
    },
    "section301": {
        "label": (
            "section301_hts (USITC HTSUS 2026 Rev 6 notes 20/31, HTSUS 2025 footnotes, "
            "USTR annexes)"
        ),
        "source": (
            "USITC HTSUS 2026 Revision 6 chapter 99 U.S. notes 20 and 31 (text in "
            "Budget-Lab-Yale/tariff-rate-tracker, commit 8315fff), footnotes of the USITC HTSUS "
            "2025 JSON (arifshehab/tariff-rate-tracker, commit 9919812), the original USTR "
            "annexes (mitsuoxv/us-tariffs-on-china, commits edf02e9 and 0665b94) "
            "(duties/section301_hts.csv)"
        ),
        "date": "2026-05-11",
        "confidence": "V/C/UNVERIFIED per row",
        "description": (
            "China Section 301 additional duties: one row per (8-digit subheading, chapter 99 "
            "heading, rate period) overlapping the T86 window, with the 10-digit numbers a "
            "partial item excludes, a confidence per row and the membership evidence."
        ),
        "completeness": [
            (
                "Product exclusions (9903.88.05-.70) are not modelled: an excluded product is "
                "charged."
            ),
            (
                "The 2024-review headings (9903.91.xx) replace the List 1-4A rate for the numbers "
                "they name (inferred from the schedule, no CBP text seen)."
            ),
            (
                "Confidence: V when a primary text lists the number (2026 note 20/31, 2025 "
                "footnotes, USTR 2018 annexes); C when only the third-party List 4A extraction "
                "does; "
                "UNVERIFIED for the five 'fn-2025-only' 9903.91.01 rows."
            ),
            (
                "Partial items (9903.88.04, some 4A/9903.91 rows) cover only some products of the "
                "subheading; the estimate charges them and says so."
            ),
            (
                "An item's exceptions come from the 2026 text; where a 2024-review heading names "
                "the excepted 10-digit number (the 6307.90.98 masks), the estimate holds the "
                "exception only from that heading's first day and charges the item before, "
                "saying the exception's date is UNVERIFIED."
            ),
            (
                "A subheading listed only under 2024-review headings has no List 1-4A row "
                "(an HS 2022 number the review moved, or one never listed; the table cannot "
                "tell which): before the review heading, the estimate names its Section 301 "
                "duty as not estimated, UNVERIFIED."
            ),
            "List 4B (9903.88.16) never took effect and has no rows.",
        ],
    },
    "section301_rate_periods": {
        "label": "section301_rate_periods (FR, HTSUS headings, CSMS via brokers)",
        "source": (
            "83 FR 28710 Annex A; HTSUS 2025 headings 9903.88.09 and 9903.91.xx; USITC 'China "
            "Tariffs' reference (2020) as quoted in mwaugh0328/tradewar-tracker; CSMS 41538917 "
            "as reported by brokers (duties/section301_rate_periods.csv)"
        ),
        "date": "2026-05-11",
        "confidence": "V/S per row",
        "description": (
            "The list-level rate schedule of Section 301: list, chapter 99 heading, rate and "
            "dates; names the provision of each row of the section301 table."
        ),
        "completeness": [
            "List 2 (9903.88.02) and List 4A (9903.88.15) dates are S.",
            (
                "The '3 (transition)' row (9903.88.09: List 3 goods exported before 10 May 2019 "
                "and entered by 14 Jun 2019 at 10%) is not charged, the export date not being "
                "filed: the estimate charges 25% and names the 10% figure."
            ),
        ],
    },
    "ieepa_2025": {
        "label": "ieepa_2025 (executive orders; USITC HTSUS 2025 revisions)",
        "source": (
            "USITC HTSUS 2025 JSON revisions basic-rev 32 and 2026 basic-rev 4 "
            "(arifshehab/tariff-rate-tracker), the executive orders as published on "
            "whitehouse.gov (brian14708/wh-briefings, commit 737ca03), HTSUS 2026 Rev 6 "
            "chapter 99 U.S. note 2 (duties/ieepa_2025.csv)"
        ),
        "date": "2026-08-21",
        "confidence": "V/S per row",
        "description": (
            "IEEPA duties of 2025 by program, country and date: China/Hong Kong, Canada and "
            "Mexico fentanyl duties, the reciprocal baseline, the 9 Apr 2025 country rates, "
            "China 84/125/10 %, the 7 Aug 2025 country rates (EO 14326, with EU and Japan "
            "15 % floors), Brazil and India; exemption headings. 'scope' says how the estimate "
            "uses a row: all_goods (every line of the country), conditional (depends on facts "
            "filed data lacks: listed, not charged), exemption, never_in_force."
        ),
        "completeness": [
            (
                "USMCA-originating goods of Canada and Mexico (claimed under general note 11) owe "
                "no fentanyl duty from 7 Mar 2025; filed T86 data does not show a claim, so the "
                "duty is charged and the amount says so."
            ),
            "In-transit rules (goods loaded before a change) are not modelled.",
            (
                "Heading-specific exemptions of Brazil and India (9903.01.78-.83, .85-.89) are "
                "not "
                "modelled."
            ),
        ],
    },
    "ieepa_annex2_exempt": {
        "label": "ieepa_annex2_exempt (HTSUS 2026 Rev 6 ch.99 note 2(v)(iii))",
        "source": (
            "HTSUS 2026 Rev 6 chapter 99 subchapter III U.S. note 2(v)(iii)(a), with the EO of "
            "5 Sep 2025 additions and removals (duties/ieepa_annex2_exempt.csv)"
        ),
        "date": "2026-05-11",
        "confidence": "V/S/UNVERIFIED per row",
        "description": (
            "HTS numbers exempt from the reciprocal duties (heading 9903.01.32, 'Annex II'), "
            "with the dates each is exempt and its status for the T86 period. Annex II exempts "
            "from the reciprocal duties only."
        ),
        "completeness": [
            (
                "The list as published on 2 Apr and amended on 11 Apr 2025 was not found; the 823 "
                "numbers of the 2026 list not otherwise dated are presumed exempt from 5 Apr 2025 "
                "(S)."
            ),
            (
                "The 220 numbers in chapters 01-24 are UNVERIFIED for the T86 period (possibly "
                "added "
                "on 14 Nov 2025): the estimate does not exempt them and says so on the amount."
            ),
            "The 39 numbers added on 8 Sep 2025 are exempt from that date only.",
        ],
    },
    "mpf": {
        "label": "mpf_by_fiscal_year (CBP annual fee notices as reproduced by brokers)",
        "source": (
            "CBP annual user-fee notices (Federal Register) and CSMS messages as reproduced by "
            "brokers and trade press, named per row (duties/mpf_by_fiscal_year.csv)"
        ),
        "date": "2025-07-23",
        "confidence": "S",
        "description": (
            "Merchandise processing fee by fiscal year (1 Oct-30 Sep), FY2019-FY2026: the "
            "formal-entry rate (0.3464 %) with its minimum and maximum, and the informal-entry "
            "fee for automated entries not prepared by CBP."
        ),
        "completeness": [
            "The informal fee of FY2020 and FY2021 has a single source each.",
            "FY2018 (before T86) is omitted: sources disagree.",
        ],
    },
    "hmf": {
        "label": "19 CFR 24.24(a)",
        "source": "19 CFR 24.24(a) text, law.cornell.edu (duties/other_fees.csv)",
        "date": "2026-12",
        "confidence": "V",
        "description": (
            "Harbor maintenance fee: 0.125 % of the value of commercial cargo loaded or "
            "unloaded from a commercial vessel at a listed port; vessel cargo only."
        ),
        "completeness": [
            (
                "Applied to every vessel shipment; whether the port of unlading is a listed port "
                "is "
                "not checked."
            ),
        ],
    },
    "preference_programs": {
        "label": "trade preference programmes by origin and date (compiled)",
        "source": (
            "HTSUS special program indicators as printed in the 2025 snapshot's special column "
            "(hts/htsus_2025_snapshot.csv) [V]; their meaning per HTSUS general note 3(c)(i) "
            "as summarised by trade press (bilateral agreements use the partner's ISO code, "
            "'P' CAFTA-DR, 'S' USMCA) [S]; USMCA in force 1 Jul 2020 and NAFTA claims only "
            "for goods entered by 30 Jun 2020 (CBP announcement of 1 Jul 2020 and CBP USMCA "
            "page as reported by HSToday and MTI Worldwide) [S]; GSP lapse from 1 Jan 2021 "
            "(CBP notice as reported by NYCSCS and Crowell's International Trade Insights) [S]"
        ),
        "date": "2026-12",
        "confidence": "S/UNVERIFIED per row",
        "description": (
            "Trade preference programmes by origin (ISO code), special program indicators "
            "and dates. The estimate charges the general (column 1) rate whatever the origin; "
            "on a line whose origin has a programme in force on the rate date and whose "
            "subheading's special column (2025 snapshot) lists the programme's indicator, the "
            "general duty's note says that the duty, or part of it, would not be owed if the "
            "goods qualified and a claim was made. No amount changes."
        ),
        "completeness": [
            (
                "Not in the domain reference. The dates of the bilateral agreements' entry into "
                "force are not given (blank: taken as in force throughout the T86 period, "
                "2019-2025; UNVERIFIED); Japan's (JP) start on 1 Jan 2020 is UNVERIFIED."
            ),
            (
                "GSP (A, A*, A+), AGOA (D), CBERA (E), CBTPA (R) and Nepal (NP) are not "
                "modelled: their beneficiary lists are not bundled. GSP lapsed on 1 Jan 2021 "
                "[S], so it matters only for arrivals in 2019-2020."
            ),
            (
                "The CAFTA-DR member list and the agreements' coverage of the whole T86 period "
                "are UNVERIFIED; a rate or indicator of an earlier edition than 2025 is not "
                "checked."
            ),
        ],
    },
    "not_estimated": {
        "label": "t86audit domain reference 3.6/7.3",
        "source": (
            "t86audit domain reference sections 3.6 (E3a, E3b) and 7.3 (E-6); 26 U.S.C. "
            "chapters 51 and 52"
        ),
        "date": "2026-12",
        "confidence": "V/S per row",
        "description": (
            "Charges the estimate names but does not compute, by HTS prefix: excise taxes on "
            "alcohol and tobacco, Section 232 duties. AD/CVD deposits are named from the audit's "
            "findings (ELG009/ELG010), not from this table."
        ),
        "completeness": [
            (
                "Section 232 is named for chapters 72, 73 and 76 only; derivative articles in "
                "other "
                "chapters, autos and copper are not named."
            ),
        ],
    },
}

DATA_FILES = {
    "hts_general_rates": [GENERAL_FILE],
    "section301": [S301_FILE],
    "section301_rate_periods": [S301_PERIODS_FILE],
    "ieepa_2025": [IEEPA_FILE],
    "ieepa_annex2_exempt": [ANNEX2_FILE],
    "mpf": [MPF_FILE],
    "hmf": [HMF_FILE],
    "not_estimated": [NOT_ESTIMATED_FILE],
    "preference_programs": [PREFERENCES_FILE],
}


class SourceError(Exception):
    """A source table is missing or does not have the expected content."""


def _read(shared: Path, relative: str) -> tuple[list[dict[str, str]], bytes]:
    path = shared / relative
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{path}: cannot read ({exc.strerror or exc})") from exc
    text = raw.decode("utf-8-sig")
    return [dict(row) for row in csv.DictReader(io.StringIO(text, newline=""))], raw


def _require(rows: list[dict[str, str]], source: str, columns: Iterable[str]) -> None:
    if not rows:
        raise SourceError(f"{source}: no rows")
    missing = [c for c in columns if c not in rows[0]]
    if missing:
        raise SourceError(f"{source}: missing columns {missing}")


def _csv_bytes(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def _gzip(data: bytes) -> bytes:
    return gzip.compress(data, compresslevel=9, mtime=0)


def _sha(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def _digits(text: str) -> str:
    return re.sub(r"[^0-9]", "", text)


def _clean(text: str) -> str:
    return " ".join(text.replace("\u200b", "").split())


def _build_general(shared: Path) -> tuple[dict[str, bytes], dict[str, Any], list[str]]:
    rows, raw = _read(shared, HTS_SOURCE)
    _require(rows, HTS_SOURCE, ["chapter", "htsno", "indent", "general_rate"])
    warnings: list[str] = []
    rates: dict[str, str] = {}
    column2: dict[str, str] = {}
    special: dict[str, str] = {}
    # The stack of (indent, general, column 2, special rate) of the ancestors of the current
    # row: a number without a rate of its own takes its nearest ancestor's (e.g. 9503.00.00.xx
    # from heading 9503). Column 2 is kept beside the general rate: it is the rate of products
    # of the general note 3(b) countries (Cuba, North Korea; Russia and Belarus from 9 Apr
    # 2022). The special column (general note 3(c)) is kept as printed: the estimate does not
    # charge it, but names it where the origin has a preference programme (preferences table).
    stack: list[tuple[int, str, str, str]] = []
    for row in rows:
        chapter = int(row["chapter"] or 0)
        indent = int(row["indent"] or 0)
        while stack and stack[-1][0] >= indent:
            stack.pop()
        rate = _clean(row["general_rate"])
        rate2 = _clean(row.get("column2_rate") or "")
        rate_s = _clean(row.get("special_rate") or "")
        inherited = rate or next((r for _, r, _, _ in reversed(stack) if r), "")
        inherited2 = rate2 or next((r for _, _, r, _ in reversed(stack) if r), "")
        inherited_s = rate_s or next((r for _, _, _, r in reversed(stack) if r), "")
        stack.append((indent, rate, rate2, rate_s))
        number = _digits(row["htsno"])
        if chapter >= 98 or len(number) < 8 or not inherited:
            continue
        sub = number[:8]
        known = rates.setdefault(sub, inherited)
        if known != inherited:
            warnings.append(f"{sub}: rates {known!r} and {inherited!r} under one subheading")
        known2 = column2.setdefault(sub, inherited2)
        if known2 != inherited2:
            warnings.append(
                f"{sub}: column 2 rates {known2!r} and {inherited2!r} under one subheading"
            )
        known_s = special.setdefault(sub, inherited_s)
        if known_s != inherited_s:
            warnings.append(
                f"{sub}: special rates {known_s!r} and {inherited_s!r} under one subheading"
            )
    body = _csv_bytes(
        ["hts8", "general_rate", "column2_rate", "special_rate"],
        [
            (sub, rate, column2.get(sub, ""), special.get(sub, ""))
            for sub, rate in sorted(rates.items())
        ],
    )
    shapes = Counter(
        "free" if r == "Free" else "ad valorem" if re.fullmatch(r"[0-9.]+%", r) else "other"
        for r in rates.values()
    )
    info = {
        "source_files": [(HTS_SOURCE, _sha(raw))],
        "counts": [
            ["8-digit subheadings with a general rate", len(rates)],
            ["of which with a column 2 rate", sum(1 for r in column2.values() if r)],
            ["of which with a special rate", sum(1 for r in special.values() if r)],
            ["Free", shapes["free"]],
            ["ad valorem only", shapes["ad valorem"]],
            ["specific, compound or other", shapes["other"]],
        ],
    }
    return {GENERAL_FILE: _gzip(body)}, info, warnings


def _s301_confidence(row: dict[str, str]) -> str:
    evidence = row["evidence"].split(";")
    if "fn-2025-only" in evidence:
        return "UNVERIFIED"
    if any(key in evidence for key in _S301_PRIMARY):
        return "V"
    return "C"


def _build_section301(shared: Path) -> tuple[dict[str, bytes], dict[str, Any], dict[str, Any]]:
    rows, raw = _read(shared, S301_SOURCE)
    _require(
        rows,
        S301_SOURCE,
        ["hts", "list", "heading_99", "rate_percent", "effective_from", "effective_to"],
    )
    periods, periods_raw = _read(shared, S301_PERIODS_SOURCE)
    _require(periods, S301_PERIODS_SOURCE, ["list", "heading_99", "rate_percent", "source"])
    known_headings = {p["heading_99"] for p in periods}
    out = []
    for row in rows:
        if row["heading_99"] not in known_headings:
            raise SourceError(f"{S301_SOURCE}: heading {row['heading_99']} has no rate period")
        out.append(
            [
                _digits(row["hts"]),
                row["list"],
                row["heading_99"],
                row["rate_percent"],
                row["effective_from"],
                row["effective_to"],
                "|".join(_digits(x) for x in row["except_hts10"].split("|") if x.strip()),
                _s301_confidence(row),
                row["evidence"],
                row["source"],
            ]
        )
    out.sort(key=lambda r: (r[0], r[4], r[2]))
    header = [
        "hts8",
        "list",
        "heading_99",
        "rate_percent",
        "effective_from",
        "effective_to",
        "except_hts10",
        "confidence",
        "evidence",
        "source",
    ]
    period_rows = [
        [
            p["list"],
            p["heading_99"],
            p["rate_percent"],
            p["effective_from"],
            p["effective_to"],
            _S301_PERIOD_CONFIDENCE.get(p["heading_99"], "V"),
            p["source"],
        ]
        for p in periods
    ]
    lists = Counter(r[1] for r in out)
    confidence = Counter(r[7] for r in out)
    info = {
        "source_files": [(S301_SOURCE, _sha(raw))],
        "counts": [
            ["rows", len(out)],
            ["8-digit subheadings", len({r[0] for r in out})],
            *[[f"list {name} rows", n] for name, n in sorted(lists.items())],
            *[[f"confidence {name} rows", n] for name, n in sorted(confidence.items())],
        ],
    }
    period_info = {
        "source_files": [(S301_PERIODS_SOURCE, _sha(periods_raw))],
        "counts": [["rate periods", len(period_rows)]],
    }
    files = {
        S301_FILE: _gzip(_csv_bytes(header, out)),
        S301_PERIODS_FILE: _csv_bytes(
            [
                "list",
                "heading_99",
                "rate_percent",
                "effective_from",
                "effective_to",
                "confidence",
                "source",
            ],
            period_rows,
        ),
    }
    return files, info, period_info


# Exemption headings whose country the source leaves blank (their heading text names it).
_IEEPA_COUNTRY = {"9903.01.26": "CA", "9903.01.27": "MX"}


def _ieepa_scope(row: dict[str, str]) -> str:
    if not row["effective_from"]:
        return "never_in_force"
    if row["rate_basis"] == "none":
        return "exemption"
    if row["heading_99"] in _IEEPA_CONDITIONAL:
        return "conditional"
    return "all_goods"


def _build_ieepa(shared: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    rows, raw = _read(shared, IEEPA_SOURCE)
    columns = [
        "program",
        "country_name",
        "country_iso2",
        "heading_99",
        "rate_percent",
        "rate_basis",
        "effective_from",
        "effective_to",
        "executive_order",
        "verification",
        "source",
        "notes",
    ]
    _require(rows, IEEPA_SOURCE, columns)
    out = [
        [
            row["program"],
            row["country_name"],
            row["country_iso2"] or _IEEPA_COUNTRY.get(row["heading_99"], ""),
            row["heading_99"],
            row["rate_percent"],
            row["rate_basis"],
            _ieepa_scope(row),
            row["effective_from"],
            row["effective_to"],
            row["executive_order"],
            row["verification"],
            row["source"],
            _clean(
                "; ".join(
                    x for x in (_IEEPA_CONDITIONAL.get(row["heading_99"], ""), row["notes"]) if x
                )
            ),
        ]
        for row in rows
    ]
    header = [
        "program",
        "country_name",
        "country_iso2",
        "heading_99",
        "rate_percent",
        "rate_basis",
        "scope",
        "effective_from",
        "effective_to",
        "executive_order",
        "confidence",
        "source",
        "notes",
    ]
    scopes = Counter(r[6] for r in out)
    info = {
        "source_files": [(IEEPA_SOURCE, _sha(raw))],
        "counts": [
            ["rows", len(out)],
            *[[f"scope {name}", n] for name, n in sorted(scopes.items())],
        ],
    }
    return {IEEPA_FILE: _csv_bytes(header, out)}, info


def _annex2_status(row: dict[str, str]) -> tuple[str, str, str]:
    """(status, listed_from, listed_to) of an Annex II row."""
    status = row["t86_period_status"]
    if status.startswith("UNVERIFIED"):
        return "unverified", row["listed_from"] or RECIPROCAL_START, row["listed_to"]
    if status.startswith("added"):
        return "added_after_t86", row["listed_from"] or ANNEX2_ADDED, row["listed_to"]
    if "removed" in status:
        return "removed_2025_09_08", row["listed_from"] or RECIPROCAL_START, row["listed_to"]
    return "in_force", row["listed_from"] or RECIPROCAL_START, row["listed_to"]


def _build_annex2(shared: Path) -> tuple[dict[str, bytes], dict[str, Any]]:
    rows, raw = _read(shared, ANNEX2_SOURCE)
    _require(rows, ANNEX2_SOURCE, ["hts", "listed_from", "listed_to", "t86_period_status"])
    out = []
    for row in rows:
        status, start, end = _annex2_status(row)
        out.append([_digits(row["hts"]), start, end, status, row["verification"], row["source"]])
    out.sort()
    statuses = Counter(r[3] for r in out)
    info = {
        "source_files": [(ANNEX2_SOURCE, _sha(raw))],
        "counts": [
            ["HTS numbers", len(out)],
            *[[f"status {name}", n] for name, n in sorted(statuses.items())],
        ],
    }
    header = ["hts", "listed_from", "listed_to", "status", "confidence", "source"]
    return {ANNEX2_FILE: _csv_bytes(header, out)}, info


def _build_fees(shared: Path) -> tuple[dict[str, bytes], dict[str, Any], dict[str, Any]]:
    rows, raw = _read(shared, MPF_SOURCE)
    columns = [
        "fiscal_year",
        "effective_from",
        "effective_to",
        "mpf_formal_rate_percent",
        "mpf_formal_min_usd",
        "mpf_formal_max_usd",
        "mpf_informal_automated_usd",
        "federal_register",
        "csms",
        "sources",
        "verification",
    ]
    _require(rows, MPF_SOURCE, columns)
    mpf = [
        [
            row["fiscal_year"],
            row["effective_from"],
            row["effective_to"],
            row["mpf_formal_rate_percent"],
            row["mpf_formal_min_usd"],
            row["mpf_formal_max_usd"],
            row["mpf_informal_automated_usd"],
            row["verification"],
            "; ".join(x for x in (row["federal_register"], row["csms"], row["sources"]) if x),
        ]
        for row in rows
    ]
    fees, fees_raw = _read(shared, FEES_SOURCE)
    _require(fees, FEES_SOURCE, ["fee", "rate", "applies_to", "source", "verification"])
    hmf = [
        [
            f["fee"],
            f["rate"],
            f["effective_from"],
            f["effective_to"],
            f["verification"],
            f["applies_to"],
            f["source"],
        ]
        for f in fees
        if f["fee"] == "harbor_maintenance_fee"
    ]
    if len(hmf) != 1:
        raise SourceError(f"{FEES_SOURCE}: expected one harbor_maintenance_fee row")
    mpf_info = {
        "source_files": [(MPF_SOURCE, _sha(raw))],
        "counts": [["fiscal years", len(mpf)]],
    }
    hmf_info = {"source_files": [(FEES_SOURCE, _sha(fees_raw))], "counts": [["fees", 1]]}
    files = {
        MPF_FILE: _csv_bytes(
            [
                "fiscal_year",
                "effective_from",
                "effective_to",
                "formal_rate_percent",
                "formal_min_usd",
                "formal_max_usd",
                "informal_automated_usd",
                "confidence",
                "source",
            ],
            mpf,
        ),
        HMF_FILE: _csv_bytes(
            [
                "fee",
                "rate_percent",
                "effective_from",
                "effective_to",
                "confidence",
                "applies_to",
                "source",
            ],
            hmf,
        ),
    }
    return files, mpf_info, hmf_info


def _build_not_estimated() -> tuple[dict[str, bytes], dict[str, Any]]:
    header = ["hts_prefix", "charge", "provision", "note", "confidence", "source"]
    raw = _csv_bytes(header, _NOT_ESTIMATED_ROWS)
    info = {
        "source_files": [(REFERENCE_SOURCE, _sha(raw))],
        "counts": [["HTS prefixes", len(_NOT_ESTIMATED_ROWS)]],
    }
    return {NOT_ESTIMATED_FILE: raw}, info


# Trade preference programmes the estimate names (never charges): programme, special program
# indicators (HTSUS general note 3(c)(i)), origins (ISO), first and last day (blank: in force
# throughout the T86 period, its date of entry into force not given here), note, confidence,
# source. A programme without indicators (NAFTA: the 2025 schedule no longer prints its
# rates, save a few stray CA/MX) is named on every dutiable line of its origins, its
# subheading's eligibility unchecked.
_FTA_SOURCE = (
    "HTSUS 2025 special column (indicator as printed) [V]; general note 3(c)(i): bilateral "
    "agreements use the partner's ISO code [S]"
)
_FTA_ROWS = [
    ("Australia FTA", "AU", "AU"),
    ("Bahrain FTA", "BH", "BH"),
    ("Chile FTA", "CL", "CL"),
    ("Colombia TPA", "CO", "CO"),
    ("Israel FTA", "IL", "IL"),
    ("Jordan FTA", "JO", "JO"),
    ("KORUS (Korea FTA)", "KR", "KR"),
    ("Morocco FTA", "MA", "MA"),
    ("Oman FTA", "OM", "OM"),
    ("Panama TPA", "PA", "PA"),
    ("Peru TPA", "PE", "PE"),
    ("Singapore FTA", "SG", "SG"),
]
_PREFERENCE_ROWS = [
    [
        "NAFTA",
        "",
        "CA|MX",
        "",
        "2020-06-30",
        (
            "the 2025 schedule no longer prints NAFTA's rates (indicators CA, MX): this "
            "subheading's NAFTA eligibility is not checked"
        ),
        "S",
        (
            "CBP: NAFTA preference cannot be claimed on or after 1 Jul 2020; goods entered by "
            "30 Jun 2020 under NAFTA rules (CBP USMCA page via MTI Worldwide; HSToday) [S]"
        ),
    ],
    [
        "USMCA",
        "S|S+",
        "CA|MX",
        "2020-07-01",
        "",
        "",
        "S",
        (
            "CBP implemented USMCA at 12:00 a.m. on 1 Jul 2020 (CBP release via HSToday) [S]; "
            "'S' is USMCA's indicator (general note 3(c)(i), trade-press summary) [S]"
        ),
    ],
    [
        "CAFTA-DR",
        "P|P+",
        "CR|DO|GT|HN|NI|SV",
        "",
        "",
        "member list and dates not in the domain reference",
        "UNVERIFIED",
        "'P' is CAFTA-DR's indicator (general note 3(c)(i), trade-press summary) [S]",
    ],
    *[
        [
            name,
            code,
            country,
            "",
            "",
            "date of entry into force not given: taken as in force 2019-2025 (UNVERIFIED)",
            "S",
            _FTA_SOURCE,
        ]
        for name, code, country in _FTA_ROWS
    ],
    [
        "U.S.-Japan Trade Agreement",
        "JP",
        "JP",
        "2020-01-01",
        "",
        "start date not in the domain reference",
        "UNVERIFIED",
        _FTA_SOURCE,
    ],
]


def _build_preferences() -> tuple[dict[str, bytes], dict[str, Any]]:
    header = [
        "program",
        "indicators",
        "country_iso2",
        "effective_from",
        "effective_to",
        "note",
        "confidence",
        "source",
    ]
    raw = _csv_bytes(header, _PREFERENCE_ROWS)
    info = {
        "source_files": [("compiled in scripts/build_duty_tables.py", _sha(raw))],
        "counts": [
            ["programmes", len(_PREFERENCE_ROWS)],
            ["origins", len({c for r in _PREFERENCE_ROWS for c in r[2].split("|")})],
        ],
    }
    return {PREFERENCES_FILE: raw}, info


def _manifest_sha(files: Sequence[tuple[str, str]]) -> str:
    lines = "".join(f"{sha}  {name}\n" for name, sha in sorted(files))
    return _sha(lines.encode("utf-8"))


def _record(name: str, info: dict[str, Any]) -> dict[str, Any]:
    text = PROVENANCE[name]
    files = info["source_files"]
    return {
        "name": name,
        "label": text["label"],
        "source": text["source"],
        "date": text["date"],
        "confidence": text["confidence"],
        "sha256": files[0][1] if len(files) == 1 else _manifest_sha(files),
        "description": text["description"],
        "source_files": [{"file": f, "sha256": s} for f, s in files],
        "completeness": text["completeness"],
        "counts": info["counts"],
        "data_files": DATA_FILES[name],
    }


def _readme(tables: list[dict[str, Any]]) -> bytes:
    lines = [
        "# Bundled duty and fee tables (t86audit.exposure)",
        "",
        "Generated by `scripts/build_duty_tables.py` from the project's shared source tables;",
        "do not edit by hand. `metadata.json` holds the same provenance for programs",
        "(`t86audit.exposure.duty_table_provenance()`). Re-running the script on the same sources",
        "gives byte-identical files. Confidence tags: V primary text, S reliable secondary,",
        "C third-party extraction, UNVERIFIED. See docs/estimating-exposure.md.",
        "",
        "| table | date | confidence | source files | package files |",
        "| --- | --- | --- | --- | --- |",
    ]
    for t in tables:
        sources = ", ".join(f"`{f['file']}`" for f in t["source_files"])
        data = ", ".join(f"`{f}`" for f in t["data_files"])
        lines.append(f"| `{t['name']}` | {t['date']} | {t['confidence']} | {sources} | {data} |")
    for t in tables:
        lines += [
            "",
            f"## `{t['name']}`",
            "",
            t["description"],
            "",
            f"* **Source:** {t['source']}.",
            f"* **Date of the data:** {t['date']}.",
            f"* **Confidence:** {t['confidence']}.",
            f"* **SHA-256 (source):** `{t['sha256']}`",
            "",
            "Caveats:",
            "",
            *[f"* {c}" for c in t["completeness"]],
            "",
            "Counts: " + "; ".join(f"{what} {n:,}" for what, n in t["counts"]) + ".",
        ]
    lines += [
        "",
        "## File formats",
        "",
        "UTF-8 CSV with a header row and `\\n` line ends (`.csv.gz`: gzip without time stamp).",
        "HTS numbers are digits without dots; dates ISO `YYYY-MM-DD`, `effective_to` the last",
        "day in force (blank: open); multi-value cells use `|`. A user's table for",
        "`DutyTables.with_table` has the same columns (see docs/estimating-exposure.md).",
        "",
    ]
    return "\n".join(lines).encode("utf-8")


def build(shared: Path) -> tuple[dict[str, bytes], list[str]]:
    """Derive every duty-table file from the shared source folder.

    Pure: reads only the source files and returns ``(files, warnings)`` with ``files`` mapping
    each package file name to its bytes.

    Raises:
        SourceError: a source file is missing or malformed.
    """
    files: dict[str, bytes] = {}
    general, general_info, warnings = _build_general(shared)
    s301, s301_info, periods_info = _build_section301(shared)
    ieepa, ieepa_info = _build_ieepa(shared)
    annex2, annex2_info = _build_annex2(shared)
    fees, mpf_info, hmf_info = _build_fees(shared)
    not_estimated, not_estimated_info = _build_not_estimated()
    preferences, preferences_info = _build_preferences()
    for part in (general, s301, ieepa, annex2, fees, not_estimated, preferences):
        files.update(part)
    tables = [
        _record("hts_general_rates", general_info),
        _record("section301", s301_info),
        _record("section301_rate_periods", periods_info),
        _record("ieepa_2025", ieepa_info),
        _record("ieepa_annex2_exempt", annex2_info),
        _record("mpf", mpf_info),
        _record("hmf", hmf_info),
        _record("not_estimated", not_estimated_info),
        _record("preference_programs", preferences_info),
    ]
    document = {"schema": 1, "tables": tables}
    files[METADATA_FILE] = (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode()
    files["README.md"] = _readme(tables)
    return dict(sorted(files.items())), warnings


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED)
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--check",
        action="store_true",
        help="do not write; exit 1 if the output folder differs from what would be written",
    )
    args = parser.parse_args(argv)
    try:
        files, warnings = build(args.shared)
    except SourceError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    out: Path = args.out
    if args.check:
        stale = [
            n for n, d in files.items() if not (out / n).is_file() or (out / n).read_bytes() != d
        ]
        for name in stale:
            print(f"out of date: {out / name}")
        return 1 if stale else 0
    out.mkdir(parents=True, exist_ok=True)
    total = 0
    for name, data in files.items():
        (out / name).write_bytes(data)
        total += len(data)
        print(f"{name:28} {len(data):>9,} bytes")
    print(f"{'total':28} {total:>9,} bytes -> {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
