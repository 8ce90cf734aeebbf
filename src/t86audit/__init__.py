"""t86audit: audit U.S. Entry Type 86 (Section 321 de minimis) filings the way CBP does.

Read a broker's Type 86 entries as filed, draw or rebuild judgment samples of ten entries, run
rule checks over them in one pass, and report each finding with the entry, the data element,
what was filed, the legal provision and what a careful filer would have done.

>>> import t86audit
>>> loaded = t86audit.load("examples/data/entries.csv")                  # doctest: +SKIP
>>> samples = t86audit.draw_samples(loaded.entries, count=2, seed=7)     # doctest: +SKIP
>>> report = t86audit.audit(loaded, samples=samples)                     # doctest: +SKIP

t86audit gives evidence, not legal advice.
"""

from t86audit.api import audit
from t86audit.exceptions import (
    InputError,
    RowError,
    SampleError,
    T86AuditError,
    UnknownEntriesError,
)
from t86audit.findings import Citation, Finding, Severity
from t86audit.io import LoadError, LoadResult, load, load_dataframe, load_records, stream
from t86audit.model import Entry, EntryNumber, LineItem, Party, compute_check_digit
from t86audit.policy import PolicyTable, default_policy
from t86audit.registry import RuleRegistry
from t86audit.report import Report
from t86audit.sample import (
    SAMPLE_SIZE,
    JudgmentSample,
    cited_sample,
    draw_samples,
    read_samples,
    write_samples,
)


__version__ = "0.1.0"

__all__ = [
    "SAMPLE_SIZE",
    "Citation",
    "Entry",
    "EntryNumber",
    "Finding",
    "InputError",
    "JudgmentSample",
    "LineItem",
    "LoadError",
    "LoadResult",
    "Party",
    "PolicyTable",
    "Report",
    "RowError",
    "RuleRegistry",
    "SampleError",
    "Severity",
    "T86AuditError",
    "UnknownEntriesError",
    "__version__",
    "audit",
    "cited_sample",
    "compute_check_digit",
    "default_policy",
    "draw_samples",
    "load",
    "load_dataframe",
    "load_records",
    "read_samples",
    "stream",
    "write_samples",
]
