"""The reference tables an audit consults, bundled by default and replaceable by the user.

Rules read reference data through ``ctx.reference``, an instance of :class:`ReferenceSet`. Each
table is loaded on first use, so an audit that never needs the HTSUS never pays for it. The PGA
flags of HTS numbers, which no public source provides, exist only when the user supplies them;
the rules that need them report ``not_applicable`` otherwise, never a pass. Quota goods have a
bundled list, which a user's table extends or replaces (``quota_mode``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import cached_property
from typing import TYPE_CHECKING, TypeVar


if TYPE_CHECKING:
    from t86audit.reference import (
        AdcvdTable,
        HtsEditions,
        HtsSchedule,
        PgaFlagTable,
        PortTable,
        QuotaLists,
        QuotaTable,
        Snapshot,
        VagueTerm,
    )
    from t86audit.vague import VagueMatcher


__all__ = ["QUOTA_MODES", "ReferenceSet"]

_T = TypeVar("_T")

QUOTA_MODES = ("extend", "replace")
"""How a user's quota table combines with the bundled quota list."""


class ReferenceSet:
    """Reference data for one audit.

    Pass a table to replace the bundled one, e.g. ``ReferenceSet(hts=HtsSchedule.from_csv(p))``;
    ``None`` means "use the bundled table". ``pga_flags`` has no bundled table.

    Quota goods: the bundled list (:func:`t86audit.reference.quota_list`, HTSUS 2025 Revision
    18) is always consulted unless replaced. A user's table (``quota=QuotaTable.from_csv(p)``)
    **extends** it by default (``quota_mode="extend"``: a line is quota goods if either names
    it); ``quota_mode="replace"`` consults the user's table alone (the command line's
    ``--quota FILE --quota-replace``). ``replace`` without a table is an error.

    Raises:
        ValueError: ``quota_mode`` is not ``"extend"`` or ``"replace"``, or is ``"replace"``
            without a ``quota`` table.
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
        quota_mode: str = "extend",
    ) -> None:
        if quota_mode not in QUOTA_MODES:
            msg = f"quota_mode must be one of {', '.join(QUOTA_MODES)}, not {quota_mode!r}"
            raise ValueError(msg)
        if quota_mode == "replace" and quota is None:
            msg = 'quota_mode="replace" needs a quota table to replace the bundled list with'
            raise ValueError(msg)
        self._vague_terms = None if vague_terms is None else tuple(vague_terms)
        self._hts = hts
        self._ports = ports
        self._adcvd = adcvd
        self.user_quota = quota
        """The user's quota table, or ``None``."""
        self.quota_mode = quota_mode
        """``"extend"`` (the user's table adds to the bundled list) or ``"replace"``."""
        self.pga_flags = pga_flags
        """User-supplied PGA flags of the user's HTS numbers, or ``None``."""
        self._used: set[str] = set()

    def _given_or_bundled(self, name: str, given: _T | None, bundled: Callable[[], _T]) -> _T:
        """Table ``name``, marked used: the user's when given, else the bundled one (loaded)."""
        self._used.add(name)
        return given if given is not None else bundled()

    @cached_property
    def vague_terms(self) -> tuple[VagueTerm, ...]:
        """The vague-description terms (bundled list unless replaced)."""
        from t86audit.reference import vague_terms  # noqa: PLC0415  (lazy: keep import cheap)

        return self._given_or_bundled("vague_terms", self._vague_terms, vague_terms)

    @cached_property
    def vague_matcher(self) -> VagueMatcher:
        """A matcher over :attr:`vague_terms`, shared by the DES rules."""
        from t86audit.vague import VagueMatcher  # noqa: PLC0415

        return VagueMatcher(self.vague_terms)

    @cached_property
    def hts(self) -> HtsSchedule:
        """The HTSUS schedule (bundled 2025 snapshot unless replaced)."""
        from t86audit.reference import hts_schedule  # noqa: PLC0415

        return self._given_or_bundled("hts", self._hts, hts_schedule)

    @cached_property
    def ports(self) -> PortTable:
        """Schedule D and ACE port codes (bundled unless replaced)."""
        from t86audit.reference import port_table  # noqa: PLC0415

        return self._given_or_bundled("ports", self._ports, port_table)

    @cached_property
    def adcvd(self) -> AdcvdTable:
        """AD/CVD orders with HTS numbers in scope (bundled China table unless replaced)."""
        from t86audit.reference import adcvd_table  # noqa: PLC0415

        return self._given_or_bundled("adcvd", self._adcvd, adcvd_table)

    @cached_property
    def quota(self) -> QuotaLists:
        """The quota lists ELG011 consults: the bundled list (unless replaced) and the user's."""
        self._used.add("quota")
        from t86audit.reference import QuotaLists, quota_list  # noqa: PLC0415

        tables: list[object] = []
        if self.quota_mode == "extend":
            tables.append(quota_list())
        if self.user_quota is not None:
            tables.append(self.user_quota)
        return QuotaLists(tables)

    @cached_property
    def hts_editions(self) -> HtsEditions | None:
        """The dated 2025 HTSUS revisions over the bundled snapshot.

        ``None`` when the user supplied the schedule: it then judges every entry.
        """
        if self._hts is not None:
            return None
        self._used.add("hts_editions")
        from t86audit.reference import hts_editions  # noqa: PLC0415

        return hts_editions()

    @property
    def used(self) -> frozenset[str]:
        """The names of the tables the audit has read so far (they go in the audit trail)."""
        return frozenset(self._used)

    def mark_used(self, names: Iterable[str]) -> None:
        """Record tables read by another process of the same audit (see ``jobs``)."""
        self._used.update(names)

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
        if "hts_editions" in self._used and self.hts_editions is not None:
            out.append(self.hts_editions.snapshot)
        if "quota" in self._used:
            out.extend(self.quota.snapshots)
        elif self.user_quota is not None:
            out.append(self.user_quota.snapshot)
        snapshot = getattr(self.pga_flags, "snapshot", None)
        if snapshot is not None:
            out.append(snapshot)
        return out
