"""Exposure: what ineligible Type 86 entries would have owed, penalty ceilings, projections.

* :func:`estimate_entry` — duties (general rate, Section 301, IEEPA 2025) and fees (MPF, HMF) a
  lawful entry would have paid on the arrival date, line by line; excise taxes, AD/CVD deposits
  and Section 232 named as not estimated.
* :func:`penalty_ranges` — 19 U.S.C. 1592(c) ceilings by culpability, the prior-disclosure
  tender and the P.L. 119-21 s.70531 amounts. Statutory ceilings and estimates, not a penalty
  assessment and not legal advice.
* :func:`project_loss` — the population's loss of revenue from a seeded simple random sample.
* :class:`DutyTables` — the bundled dated tables, each replaceable or extendable from a CSV file.
* :func:`assess` — all of it for an audited population: the report's :class:`Exposure`.

Tables load on first use; importing this package reads no data. See
docs/estimating-exposure.md.
"""

from t86audit.exposure._assess import (
    WORKSHEET_COLUMNS,
    EntryIdentity,
    Exposure,
    ExposureGroup,
    SampleProjection,
    assess,
    entry_identity,
    ineligible_reasons,
)
from t86audit.exposure._estimate import (
    INELIGIBLE_RULES,
    INFORMAL_ENTRY_LIMIT,
    PENALTY_70531_FROM,
    PENALTY_70531_TO,
    Amount,
    EntryExposure,
    LineExposure,
    estimate_entry,
)
from t86audit.exposure._rates import ParsedRate, parse_rate
from t86audit.exposure.penalties import (
    PENALTY_STATEMENT,
    CulpabilityCeiling,
    EntryPenalty,
    InterestRates,
    PenaltyRanges,
    penalty_ranges,
)
from t86audit.exposure.projection import PROJECTION_METHOD, Projection, project_loss
from t86audit.exposure.tables import (
    TABLE_KEYS,
    TABLE_NAMES,
    DutyTables,
    TableSource,
    duty_table_provenance,
)


__all__ = [
    "INELIGIBLE_RULES",
    "INFORMAL_ENTRY_LIMIT",
    "PENALTY_70531_FROM",
    "PENALTY_70531_TO",
    "PENALTY_STATEMENT",
    "PROJECTION_METHOD",
    "TABLE_KEYS",
    "TABLE_NAMES",
    "WORKSHEET_COLUMNS",
    "Amount",
    "CulpabilityCeiling",
    "DutyTables",
    "EntryExposure",
    "EntryIdentity",
    "EntryPenalty",
    "Exposure",
    "ExposureGroup",
    "InterestRates",
    "LineExposure",
    "ParsedRate",
    "PenaltyRanges",
    "Projection",
    "SampleProjection",
    "TableSource",
    "assess",
    "duty_table_provenance",
    "entry_identity",
    "estimate_entry",
    "ineligible_reasons",
    "parse_rate",
    "penalty_ranges",
    "project_loss",
]
