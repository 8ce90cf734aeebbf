"""t86audit: audit U.S. Entry Type 86 (Section 321 de minimis) filings the way CBP does.

Read a broker's Type 86 entries as filed, draw or rebuild judgment samples of ten entries, run
rule checks over them in one pass, and report each finding with the entry, the data element,
what was filed, the legal provision and what a careful filer would have done.

t86audit gives evidence, not legal advice.
"""

from t86audit.exceptions import (
    InputError,
    RowError,
    SampleError,
    T86AuditError,
    UnknownEntriesError,
)
from t86audit.model import Entry, EntryNumber, LineItem, Party, compute_check_digit


__version__ = "0.1.0"

__all__ = [
    "Entry",
    "EntryNumber",
    "InputError",
    "LineItem",
    "Party",
    "RowError",
    "SampleError",
    "T86AuditError",
    "UnknownEntriesError",
    "__version__",
    "compute_check_digit",
]
