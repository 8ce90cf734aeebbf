"""The reference tables an audit consults, bundled by default and replaceable by the user.

Rules read reference data through ``ctx.reference``, an instance of :class:`ReferenceSet`. Each
table is loaded on first use, so an audit that never needs the HTSUS never pays for it.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from t86audit.reference import Snapshot, VagueTerm
    from t86audit.rules.description import VagueMatcher


__all__ = ["ReferenceSet"]


class ReferenceSet:
    """Reference data for one audit.

    Pass a table to replace the bundled one, e.g. ``ReferenceSet(vague_terms=my_terms)``;
    ``None`` means "use the bundled table".
    """

    def __init__(self, *, vague_terms: Sequence[VagueTerm] | None = None) -> None:
        self._vague_terms = None if vague_terms is None else tuple(vague_terms)

    @cached_property
    def vague_terms(self) -> tuple[VagueTerm, ...]:
        """The vague-description terms (bundled list unless replaced)."""
        if self._vague_terms is not None:
            return self._vague_terms
        from t86audit.reference import vague_terms  # noqa: PLC0415  (lazy: keep import cheap)

        return vague_terms()

    @cached_property
    def vague_matcher(self) -> VagueMatcher:
        """A matcher over :attr:`vague_terms`, shared by the DES rules."""
        from t86audit.rules.description import VagueMatcher  # noqa: PLC0415

        return VagueMatcher(self.vague_terms)

    def snapshots(self) -> list[Snapshot]:
        """The identities of the bundled reference tables this audit is configured with."""
        from t86audit.reference import vague_terms_snapshot  # noqa: PLC0415

        out: list[Snapshot] = []
        if self._vague_terms is None:
            out.append(vague_terms_snapshot())
        return out
