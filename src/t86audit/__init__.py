"""t86audit: audit U.S. Entry Type 86 (Section 321 de minimis) filings against the law in force.

Read a broker's Type 86 entries as filed, draw or rebuild judgment samples of ten entries, run
rule checks over them in one pass, and report each finding with the entry, the data element,
what was filed, the legal provision, its basis and what a careful filer would have done. The
checks cover what the filed data can show.

>>> import t86audit
>>> loaded = t86audit.load("examples/data/entries.csv")                  # doctest: +SKIP
>>> samples = t86audit.draw_samples(loaded.entries, count=2, seed=7)     # doctest: +SKIP
>>> report = t86audit.audit(loaded, samples=samples)                     # doctest: +SKIP

t86audit gives evidence, not legal advice.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any


if TYPE_CHECKING:
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

# The module each public name comes from. The names are imported on first use (PEP 562
# ``__getattr__``), not here: ``python -m t86audit`` imports this package before the command
# line runs, and importing the engine, every rule module, the loaders and the report up front
# was about half the time of a small audit and most of the time of ``t86audit rules``.
_EXPORTS = {
    "audit": "t86audit.api",
    "InputError": "t86audit.exceptions",
    "RowError": "t86audit.exceptions",
    "SampleError": "t86audit.exceptions",
    "T86AuditError": "t86audit.exceptions",
    "UnknownEntriesError": "t86audit.exceptions",
    "Citation": "t86audit.findings",
    "Finding": "t86audit.findings",
    "Severity": "t86audit.findings",
    "LoadError": "t86audit.io",
    "LoadResult": "t86audit.io",
    "load": "t86audit.io",
    "load_dataframe": "t86audit.io",
    "load_records": "t86audit.io",
    "stream": "t86audit.io",
    "Entry": "t86audit.model",
    "EntryNumber": "t86audit.model",
    "LineItem": "t86audit.model",
    "Party": "t86audit.model",
    "compute_check_digit": "t86audit.model",
    "PolicyTable": "t86audit.policy",
    "default_policy": "t86audit.policy",
    "RuleRegistry": "t86audit.registry",
    "Report": "t86audit.report",
    "SAMPLE_SIZE": "t86audit.sample",
    "JudgmentSample": "t86audit.sample",
    "cited_sample": "t86audit.sample",
    "draw_samples": "t86audit.sample",
    "read_samples": "t86audit.sample",
    "write_samples": "t86audit.sample",
}


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use, then keep it as a module global.

    A submodule (``t86audit.reference``) is imported too: a bare ``import t86audit`` used to
    import most of them along the way, and code may rely on that.
    """
    module = _EXPORTS.get(name)
    if module is not None:
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value
    if not name.startswith("_"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise  # the submodule exists but needs a module that does not
    msg = f"module {__name__!r} has no attribute {name!r}"
    raise AttributeError(msg)


def __dir__() -> list[str]:
    """The module's globals and every public name, imported or not (for ``dir`` and completion)."""
    return sorted({*globals(), *__all__})
