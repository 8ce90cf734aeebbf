"""The reference tables an audit consults, bundled by default and replaceable by the user.

Rules read reference data through ``ctx.reference``, an instance of :class:`ReferenceSet`. Each
table is loaded on first use, so an audit that never needs the HTSUS never pays for it. Tables
that no public source provides (quota goods, the PGA flags of HTS numbers) exist only when the
user supplies them; rules that need them report ``not_applicable`` otherwise, never a pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from t86audit.reference import (
        AdcvdTable,
        HtsSchedule,
        PgaFlagTable,
        PortTable,
        QuotaTable,
        Snapshot,
        VagueTerm,
    )
    from t86audit.rules.description import VagueMatcher


__all__ = ["ReferenceSet"]


class ReferenceSet:
    """Reference data for one audit.

    Pass a table to replace the bundled one, e.g. ``ReferenceSet(hts=HtsSchedule.from_csv(p))``;
    ``None`` means "use the bundled table". ``quota`` and ``pga_flags`` have no bundled table.
    """

    def __init__(
        self,
        *,
        vague_terms: Sequence[VagueTerm] | None = None,
        hts: HtsSchedule | None = None,
        ports: PortTable | None = None,
        adcvd: AdcvdTable | None = None,
        quota: QuotaTable | None = None,
        pga_flags: PgaFlagTable | None = None,
    ) -> None:
        self._vague_terms = None if vague_terms is None else tuple(vague_terms)
        self._hts = hts
        self._ports = ports
        self._adcvd = adcvd
        self.quota = quota
        """User-supplied quota table, or ``None`` (no public table exists)."""
        self.pga_flags = pga_flags
        """User-supplied PGA flags of the user's HTS numbers, or ``None``."""
        self._used: set[str] = set()

    @cached_property
    def vague_terms(self) -> tuple[VagueTerm, ...]:
        """The vague-description terms (bundled list unless replaced)."""
        self._used.add("vague_terms")
        if self._vague_terms is not None:
            return self._vague_terms
        from t86audit.reference import vague_terms  # noqa: PLC0415  (lazy: keep import cheap)

        return vague_terms()

    @cached_property
    def vague_matcher(self) -> VagueMatcher:
        """A matcher over :attr:`vague_terms`, shared by the DES rules."""
        from t86audit.rules.description import VagueMatcher  # noqa: PLC0415

        return VagueMatcher(self.vague_terms)

    @cached_property
    def hts(self) -> HtsSchedule:
        """The HTSUS schedule (bundled 2025 snapshot unless replaced)."""
        self._used.add("hts")
        if self._hts is not None:
            return self._hts
        from t86audit.reference import hts_schedule  # noqa: PLC0415

        return hts_schedule()

    @cached_property
    def ports(self) -> PortTable:
        """Schedule D and ACE port codes (bundled unless replaced)."""
        self._used.add("ports")
        if self._ports is not None:
            return self._ports
        from t86audit.reference import port_table  # noqa: PLC0415

        return port_table()

    @cached_property
    def adcvd(self) -> AdcvdTable:
        """AD/CVD orders with HTS numbers in scope (bundled China table unless replaced)."""
        self._used.add("adcvd")
        if self._adcvd is not None:
            return self._adcvd
        from t86audit.reference import adcvd_table  # noqa: PLC0415

        return adcvd_table()

    def snapshots(self) -> list[Snapshot]:
        """The identities of the reference tables this audit used, for the audit trail."""
        out: list[Snapshot] = []
        if "vague_terms" in self._used and self._vague_terms is None:
            from t86audit.reference import vague_terms_snapshot  # noqa: PLC0415

            out.append(vague_terms_snapshot())
        for name in ("hts", "ports", "adcvd"):
            if name in self._used:
                table = getattr(self, name)
                snapshot = getattr(table, "snapshot", None)
                if snapshot is not None:
                    out.append(snapshot)
        for table in (self.quota, self.pga_flags):
            snapshot = getattr(table, "snapshot", None)
            if snapshot is not None:
                out.append(snapshot)
        return out
