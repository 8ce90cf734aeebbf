"""What the report and its renderers share: the schema version, fixed wording, the writer type.

A leaf of the report package: :mod:`t86audit.report` and every renderer import it, and it
imports none of them, so the renderers need not import the package that dispatches to them.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Protocol


if TYPE_CHECKING:
    from t86audit.findings import Citation, Finding
    from t86audit.report import Report


__all__ = [
    "CULPABILITY_NOTE",
    "DISCLAIMER",
    "SCHEMA_VERSION",
    "TextWriter",
    "cited_law",
    "collect",
    "finding_facts",
]

SCHEMA_VERSION = 2
"""2 from December 2026: the ``exposure`` object (see docs/report-schema.json)."""

DISCLAIMER = (
    "t86audit reports what the data as filed can show, judged against the cited provisions and "
    "CBP guidance in force on each arrival date (or filing date, where a rule turns on it; each "
    "finding names its policy period). It is not legal advice; counsel should review any "
    "finding before it is relied on."
)

CULPABILITY_NOTE = (
    "t86audit does not decide culpability (negligence, gross negligence or fraud, 19 U.S.C. "
    "1592(a) and (c)). For each finding it states the law, the evidence as filed and what a "
    "filer exercising reasonable care would have done: the material for counsel's assessment."
)


class TextWriter(Protocol):
    """Where :meth:`Report.write` writes: anything with a ``write(str)`` method.

    For example an open text file, an :class:`io.StringIO` or ``sys.stdout``.
    """

    def write(self, text: str, /) -> object:
        """Write ``text``."""
        ...


def collect(write: Callable[[Report, TextWriter], None], report: Report) -> str:
    """What ``write(report, stream)`` writes, as one string."""
    buffer = io.StringIO()
    write(report, buffer)
    return buffer.getvalue()


def finding_facts(f: Finding) -> dict[str, Any]:
    """What a finding says about the filing, keyed and valued alike in the CSV and JSON reports.

    The entry, line and field it is about, what was filed and what was required, the message
    and its basis: the middle of a CSV row and of a JSON finding object, in that order.
    """
    return {
        "entry_number": f.entry_number,
        "line_number": f.line_number,
        "field": f.field,
        "observed": f.observed,
        "expected": f.expected,
        "message": f.message,
        "basis": f.basis,
    }


def cited_law(citations: Iterable[Citation]) -> str:
    """A finding's citations in a line, each later guidance marked as such.

    >>> from t86audit.findings import Citation
    >>> later = Citation("CSMS", "60011750", later_note="later reading", later_guidance=True)
    >>> print(cited_law([Citation("19 CFR", "4.7a"), later]))
    19 CFR 4.7a; CSMS 60011750 [later reading]
    """
    return "; ".join(
        f"{c} [{c.later_note}]" if c.later_guidance and c.later_note else str(c) for c in citations
    )
