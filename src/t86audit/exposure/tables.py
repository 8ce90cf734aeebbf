"""The dated duty and fee tables the exposure estimate reads: bundled, replaceable, extendable.

Every table is package data under ``t86audit/data/duties/`` (built by
``scripts/build_duty_tables.py``), loaded on first use. A user replaces or extends a table from a
CSV file with the same columns::

    tables = DutyTables.default().with_table("section301", "my_301.csv", mode="extend")

``extend``: a user row replaces the bundled rows with the same key (for ``section301`` the
8-digit subheading, for ``hts_general_rates`` the subheading, for ``mpf`` the fiscal year, ...);
the user's other rows are added. ``replace``: the user's rows alone.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import hashlib
import io
import json
import re
import types
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import attrs

from t86audit.exceptions import InputError
from t86audit.reference._data import package_bytes


__all__ = [
    "TABLE_KEYS",
    "TABLE_NAMES",
    "Annex2Row",
    "DutyTables",
    "HmfRow",
    "IeepaRow",
    "MpfRow",
    "NotEstimatedRow",
    "PreferenceRow",
    "Section301PeriodRow",
    "Section301Row",
    "TableSource",
    "duty_table_provenance",
]

_DATA = ("data", "duties")
_NON_DIGITS = re.compile(r"[^0-9]")
_OPEN = dt.date.max


def _digits(text: str) -> str:
    # The bundled tables' numbers are digits already: only a user's need the search.
    if text.isascii() and text.isdigit():
        return text
    return _NON_DIGITS.sub("", text)


@attrs.frozen
class TableSource:
    """Where a table's rows came from, for every amount's ``source`` and a report's audit trail.

    Attributes:
        name: the table's name (``"section301"``, ...).
        label: a short description of the source, used in each amount's ``source``.
        date: the date of the data (ISO; empty for a user's file).
        sha256: SHA-256 of the source file (of the user's file when replaced or extended).
        user_file: the user's file, when the table was replaced or extended.
        mode: ``"bundled"``, ``"extend"`` or ``"replace"``.
    """

    name: str
    label: str
    date: str
    sha256: str
    user_file: str = ""
    mode: str = "bundled"

    def describe(self, confidence: str = "") -> str:
        """The text of an amount's ``source``: label, date and the row's confidence tag."""
        tag = f" [{confidence}]" if confidence else ""
        if self.mode == "replace":
            return f"{self.name} from user file {self.user_file}{tag}"
        text = f"{self.name}: {self.label}, {self.date}{tag}"
        if self.mode == "extend":
            text += f" (extended by user file {self.user_file})"
        return text


# --- row types -------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4_096)
def _iso_date(text: str) -> dt.date:
    """An ISO date, each text read once: a table's thousands of rows share a few dozen days."""
    return dt.date.fromisoformat(text)


def _date(text: str, source: str, row: int, column: str, *, blank: dt.date | None) -> dt.date:
    text = text.strip()
    if not text:
        if blank is None:
            raise InputError(source, "a date is required", row=row, column=column)
        return blank
    try:
        return _iso_date(text)
    except ValueError as exc:
        raise InputError(source, "not an ISO date", row=row, column=column, value=text) from exc


def _end_date(r: Mapping[str, str], source: str, row: int, column: str) -> dt.date:
    """The last day of a row's period, in ``column``: open-ended when blank or missing."""
    return _date(r.get(column, ""), source, row, column, blank=_OPEN)


def _optional_date(r: Mapping[str, str], source: str, row: int, column: str) -> dt.date | None:
    """The date in ``column``, or ``None`` when it is blank or missing."""
    text = r.get(column, "").strip()
    return _date(text, source, row, column, blank=None) if text else None


def _confidence(r: Mapping[str, str]) -> str:
    """A row's confidence tag; ``user`` when the row gives none."""
    return r.get("confidence", "").strip() or "user"


@functools.lru_cache(maxsize=4_096)
def _number(text: str) -> Decimal:
    """An amount or rate, each text read once (a table's rows share a few rates)."""
    return Decimal(text.strip().replace(",", "").lstrip("$"))


def _decimal(text: str, source: str, row: int, column: str) -> Decimal:
    try:
        return _number(text)
    except InvalidOperation as exc:
        raise InputError(source, "not a number", row=row, column=column, value=text) from exc


@attrs.frozen
class Section301Row:
    """One Section 301 row: an 8-digit subheading under a chapter 99 heading for a period."""

    hts8: str
    list: str
    heading_99: str
    rate_percent: Decimal
    effective_from: dt.date
    effective_to: dt.date
    except_hts10: frozenset[str]
    confidence: str
    evidence: str
    hts10: str = ""
    """The 10-digit number a row names when it covers only that statistical number (the
    2024-review headings on 6307.90.98xx); blank for a row of the whole subheading."""

    def in_force(self, day: dt.date) -> bool:
        """Whether the row applies on ``day``."""
        return self.effective_from <= day <= self.effective_to

    def covers(self, digits: str) -> bool:
        """Whether the row can apply to an HTS number of these digits.

        A 10-digit row applies only to its own number, or (as a partial item) to a number filed
        with fewer than 10 digits.
        """
        return not self.hts10 or len(digits) < 10 or digits[:10] == self.hts10

    @property
    def partial(self) -> bool:
        """Whether the row is a partial item (covers only some products of the subheading)."""
        return self.list == "3-partial" or bool(self.except_hts10) or bool(self.hts10)


@attrs.frozen
class Section301PeriodRow:
    """A list-level Section 301 rate period."""

    list: str
    heading_99: str
    rate_percent: Decimal
    effective_from: dt.date | None
    effective_to: dt.date
    confidence: str
    source: str


@attrs.frozen
class IeepaRow:
    """One IEEPA 2025 row: a program's rate for some countries over a period."""

    program: str
    country_name: str
    countries: frozenset[str]
    heading_99: str
    rate_percent: Decimal
    rate_basis: str
    scope: str
    effective_from: dt.date | None
    effective_to: dt.date
    executive_order: str
    confidence: str
    notes: str

    def applies(self, country: str, day: dt.date) -> bool:
        """Whether the row covers goods of ``country`` entered on ``day``."""
        if self.effective_from is None or not self.effective_from <= day <= self.effective_to:
            return False
        return "*" in self.countries or country in self.countries

    @property
    def country_specific(self) -> bool:
        """Whether the row names countries (rather than ``*``, any country)."""
        return "*" not in self.countries


@attrs.frozen
class Annex2Row:
    """An HTS number exempt from the reciprocal duties (Annex II) over a period."""

    hts: str
    listed_from: dt.date
    listed_to: dt.date
    status: str
    confidence: str

    def covers(self, digits: str, day: dt.date) -> bool:
        """Whether the row names the line's number and is listed on ``day``."""
        return digits.startswith(self.hts) and self.listed_from <= day <= self.listed_to


@attrs.frozen
class MpfRow:
    """The merchandise processing fee of one fiscal year."""

    fiscal_year: str
    effective_from: dt.date
    effective_to: dt.date
    formal_rate_percent: Decimal
    formal_min_usd: Decimal
    formal_max_usd: Decimal
    informal_automated_usd: Decimal
    confidence: str


@attrs.frozen
class HmfRow:
    """The harbor maintenance fee (vessel cargo only)."""

    rate_percent: Decimal
    effective_from: dt.date
    effective_to: dt.date
    confidence: str


@attrs.frozen
class NotEstimatedRow:
    """A charge named but not computed for goods under an HTS prefix."""

    hts_prefix: str
    charge: str
    provision: str
    note: str
    confidence: str


@attrs.frozen
class PreferenceRow:
    """A trade preference programme: its special program indicators, origins and dates.

    The estimate never charges a preferential rate (a claim and the rules of origin decide it,
    which filed T86 data does not show); it names the programme on a dutiable line of its
    origins whose subheading's special column lists one of :attr:`indicators`.
    """

    program: str
    indicators: tuple[str, ...]
    countries: frozenset[str]
    effective_from: dt.date
    effective_to: dt.date
    note: str
    confidence: str

    def applies(self, country: str, day: dt.date) -> bool:
        """Whether the programme covers goods of ``country`` entered on ``day``."""
        return country in self.countries and self.effective_from <= day <= self.effective_to


_NONE: frozenset[str] = frozenset()


def _except(text: str) -> frozenset[str]:
    """The 10-digit numbers a Section 301 row excepts (most rows except none)."""
    if not text.strip():
        return _NONE
    return frozenset(_digits(x) for x in text.split("|") if x.strip())


def _s301(r: Mapping[str, str], source: str, n: int) -> Section301Row:
    number = _digits(r.get("hts8") or r.get("hts", ""))
    return Section301Row(
        hts8=number[:8],
        hts10=number[:10] if len(number) >= 10 else "",
        list=r["list"].strip(),
        heading_99=r["heading_99"].strip(),
        rate_percent=_decimal(r["rate_percent"], source, n, "rate_percent"),
        effective_from=_date(r["effective_from"], source, n, "effective_from", blank=None),
        effective_to=_end_date(r, source, n, "effective_to"),
        except_hts10=_except(r.get("except_hts10", "")),
        confidence=_confidence(r),
        evidence=r.get("evidence", "").strip(),
    )


def _s301_period(r: Mapping[str, str], source: str, n: int) -> Section301PeriodRow:
    return Section301PeriodRow(
        list=r["list"].strip(),
        heading_99=r["heading_99"].strip(),
        rate_percent=_decimal(r["rate_percent"], source, n, "rate_percent"),
        effective_from=_optional_date(r, source, n, "effective_from"),
        effective_to=_end_date(r, source, n, "effective_to"),
        confidence=_confidence(r),
        source=r.get("source", "").strip(),
    )


def _ieepa(r: Mapping[str, str], source: str, n: int) -> IeepaRow:
    return IeepaRow(
        program=r["program"].strip(),
        country_name=r.get("country_name", "").strip(),
        countries=frozenset(c.strip().upper() for c in r["country_iso2"].split("|") if c.strip()),
        heading_99=r["heading_99"].strip(),
        rate_percent=_decimal(r["rate_percent"] or "0", source, n, "rate_percent"),
        rate_basis=r.get("rate_basis", "").strip() or "additional",
        scope=r.get("scope", "").strip() or "all_goods",
        effective_from=_optional_date(r, source, n, "effective_from"),
        effective_to=_end_date(r, source, n, "effective_to"),
        executive_order=r.get("executive_order", "").strip(),
        confidence=(r.get("confidence") or r.get("verification") or "").strip() or "user",
        notes=r.get("notes", "").strip(),
    )


def _annex2(r: Mapping[str, str], source: str, n: int) -> Annex2Row:
    return Annex2Row(
        hts=_digits(r["hts"]),
        listed_from=_date(r.get("listed_from", ""), source, n, "listed_from", blank=dt.date.min),
        listed_to=_end_date(r, source, n, "listed_to"),
        status=r.get("status", "").strip() or "in_force",
        confidence=_confidence(r),
    )


def _mpf(r: Mapping[str, str], source: str, n: int) -> MpfRow:
    return MpfRow(
        fiscal_year=r["fiscal_year"].strip(),
        effective_from=_date(r["effective_from"], source, n, "effective_from", blank=None),
        effective_to=_date(r["effective_to"], source, n, "effective_to", blank=None),
        formal_rate_percent=_decimal(r["formal_rate_percent"], source, n, "formal_rate_percent"),
        formal_min_usd=_decimal(r["formal_min_usd"], source, n, "formal_min_usd"),
        formal_max_usd=_decimal(r["formal_max_usd"], source, n, "formal_max_usd"),
        informal_automated_usd=_decimal(
            r["informal_automated_usd"], source, n, "informal_automated_usd"
        ),
        confidence=_confidence(r),
    )


def _hmf(r: Mapping[str, str], source: str, n: int) -> HmfRow:
    return HmfRow(
        rate_percent=_decimal(r["rate_percent"], source, n, "rate_percent"),
        effective_from=_date(r.get("effective_from", ""), source, n, "x", blank=dt.date.min),
        effective_to=_end_date(r, source, n, "effective_to"),
        confidence=_confidence(r),
    )


def _not_estimated(r: Mapping[str, str], _source: str, _n: int) -> NotEstimatedRow:
    return NotEstimatedRow(
        hts_prefix=_digits(r["hts_prefix"]),
        charge=r["charge"].strip(),
        provision=r["provision"].strip(),
        note=r.get("note", "").strip(),
        confidence=_confidence(r),
    )


def _preference(r: Mapping[str, str], source: str, n: int) -> PreferenceRow:
    return PreferenceRow(
        program=r["program"].strip(),
        indicators=tuple(c.strip() for c in r["indicators"].split("|") if c.strip()),
        countries=frozenset(c.strip().upper() for c in r["country_iso2"].split("|") if c.strip()),
        effective_from=_date(
            r.get("effective_from", ""), source, n, "effective_from", blank=dt.date.min
        ),
        effective_to=_end_date(r, source, n, "effective_to"),
        note=r.get("note", "").strip(),
        confidence=_confidence(r),
    )


def _general(r: Mapping[str, str], source: str, n: int) -> tuple[str, str, str, str | None]:
    """``(hts8, general rate, column 2 rate, special rate)``.

    The column 2 rate is blank when not given; the special rate is ``None`` when the file has
    no ``special_rate`` column (a user's table), blank when the subheading has none.
    """
    number = _digits(r.get("hts8") or r.get("hts", ""))
    if len(number) < 8:
        raise InputError(source, "an 8-digit subheading is required", row=n, column="hts8")
    special = r.get("special_rate")
    return (
        number[:8],
        " ".join(r["general_rate"].split()),
        " ".join(r.get("column2_rate", "").split()),
        None if special is None else " ".join(special.split()),
    )


@attrs.frozen
class _Spec:
    file: str
    required: tuple[str, ...]
    parse: Callable[[Mapping[str, str], str, int], Any]
    key: Callable[[Any], object]


_SPECS: dict[str, _Spec] = {
    "hts_general_rates": _Spec(
        "hts_general_rates.csv.gz", ("general_rate",), _general, lambda r: r[0]
    ),
    "section301": _Spec(
        "section301_hts.csv.gz",
        ("list", "heading_99", "rate_percent", "effective_from"),
        _s301,
        lambda r: r.hts8,
    ),
    "section301_rate_periods": _Spec(
        "section301_rate_periods.csv",
        ("list", "heading_99", "rate_percent"),
        _s301_period,
        lambda r: (r.heading_99, r.effective_from),
    ),
    "ieepa_2025": _Spec(
        "ieepa_2025.csv",
        ("program", "country_iso2", "heading_99", "rate_percent"),
        _ieepa,
        lambda r: (r.heading_99, r.countries, r.effective_from),
    ),
    "ieepa_annex2_exempt": _Spec("ieepa_annex2_exempt.csv", ("hts",), _annex2, lambda r: r.hts),
    "mpf": _Spec(
        "mpf_by_fiscal_year.csv",
        (
            "fiscal_year",
            "effective_from",
            "effective_to",
            "formal_rate_percent",
            "formal_min_usd",
            "formal_max_usd",
            "informal_automated_usd",
        ),
        _mpf,
        lambda r: r.fiscal_year,
    ),
    "hmf": _Spec("hmf.csv", ("rate_percent",), _hmf, lambda r: r.effective_from),
    "not_estimated": _Spec(
        "not_estimated.csv",
        ("hts_prefix", "charge", "provision"),
        _not_estimated,
        lambda r: (r.hts_prefix, r.charge),
    ),
    "preference_programs": _Spec(
        "preference_programs.csv",
        ("program", "indicators", "country_iso2"),
        _preference,
        lambda r: (r.program, r.effective_from),
    ),
}

TABLE_NAMES: tuple[str, ...] = tuple(_SPECS)
"""The names of the duty tables, as :meth:`DutyTables.with_table` accepts them."""

TABLE_KEYS: Mapping[str, str] = types.MappingProxyType(
    {
        "hts_general_rates": "hts8",
        "section301": "hts8 (all rows of the subheading)",
        "section301_rate_periods": "heading_99 + effective_from",
        "ieepa_2025": "heading_99 + country_iso2 + effective_from",
        "ieepa_annex2_exempt": "hts",
        "mpf": "fiscal_year",
        "hmf": "effective_from",
        "not_estimated": "hts_prefix + charge",
        "preference_programs": "program + effective_from",
    }
)
"""The key by which a user's row replaces bundled rows in ``extend`` mode, per table."""


_IEEPA_REMEMBERED = 16_384
"""Countries and days whose IEEPA rows a :class:`DutyTables` remembers (some 200 countries a
year of days is 73,000: past the bound the look-ups start again, slower, never wrong)."""


def _parse_rows(text: str, source: str, spec: _Spec) -> list[Any]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    if not header:
        raise InputError(source, "the file is empty; a header row is required")
    for column in spec.required:
        if column not in header:
            raise InputError(source, "missing required column", column=column)
    if spec.file.startswith("hts_general") and not {"hts8", "hts"} & set(header):
        raise InputError(source, "missing required column", column="hts8")
    if spec.file.startswith("section301_hts") and not {"hts8", "hts"} & set(header):
        raise InputError(source, "missing required column", column="hts8")
    rows = []
    width = len(header)
    n = 0  # rows are numbered as csv.DictReader numbers them: blank lines are not rows
    for read in reader:
        if not read:
            continue
        n += 1
        # A short row's missing cells are blank; cells past the header are not read.
        short = width - len(read)
        if short > 0:
            read.extend([""] * short)
        # (cells past the header count as blank, as they are not read)
        if not "".join(read[:width]).strip():
            continue
        cells = dict(zip(header, read, strict=False))
        try:
            rows.append(spec.parse(cells, source, n))
        except KeyError as exc:
            raise InputError(source, "missing value", row=n, column=str(exc)) from exc
    return rows


def _package_bytes(name: str) -> bytes:
    data = package_bytes(*_DATA, name)
    return gzip.decompress(data) if name.endswith(".gz") else data


@functools.cache
def _metadata() -> Mapping[str, Mapping[str, Any]]:
    raw: Any = json.loads(_package_bytes("metadata.json").decode("utf-8"))
    return types.MappingProxyType({t["name"]: t for t in raw["tables"]})


def duty_table_provenance() -> Mapping[str, Mapping[str, Any]]:
    """The provenance record of every bundled duty table (source, date, confidence, caveats).

    The same records as ``t86audit/data/duties/README.md``, keyed by table name. Reads only the
    small metadata file.
    """
    return _metadata()


_SPECIAL_PART = re.compile(r"\s*([^()]*?)\s*\(([^()]*)\)")
"""One preferential rate of a special column and its indicators: ``Free (A+,AU,...,SG)``,
``3.5% (KR)``, ``See 9823.01.01-9823.01.07 (S+)``; the column may run them together
(``...SG)8.8¢/liter(JO)``)."""


@functools.lru_cache(maxsize=4096)
def special_rates(text: str) -> Mapping[str, str]:
    """Each special program indicator of a special column, with the rate printed before it.

    ``"Free (AU,KR) 3.5% (CL)"`` gives ``{"AU": "Free", "KR": "Free", "CL": "3.5%"}``; an
    indicator printed twice keeps its first rate.
    """
    rates: dict[str, str] = {}
    for found in _SPECIAL_PART.finditer(text):
        rate = " ".join(found.group(1).split())
        # Indicators are comma-separated; the print sometimes drops a comma ("E IL").
        for part in re.split(r"[,\s]+", found.group(2)):
            code = part.strip().lstrip(".")
            if code and rate:
                rates.setdefault(code, rate)
    return types.MappingProxyType(rates)


def _by_country(rows: tuple[PreferenceRow, ...]) -> dict[str, tuple[PreferenceRow, ...]]:
    index: dict[str, list[PreferenceRow]] = {}
    for row in rows:
        for country in sorted(row.countries):
            index.setdefault(country, []).append(row)
    return {k: tuple(v) for k, v in index.items()}


@functools.cache
def _bundled_rows(name: str) -> tuple[Any, ...]:
    spec = _SPECS[name]
    text = _package_bytes(spec.file).decode("utf-8")
    return tuple(_parse_rows(text, f"t86audit/data/duties/{spec.file}", spec))


def _bundled_source(name: str) -> TableSource:
    meta = _metadata()[name]
    return TableSource(name, meta["label"], meta["date"], meta["sha256"])


@attrs.frozen
class _UserTable:
    rows: tuple[Any, ...]
    mode: str
    path: str
    sha256: str


class DutyTables:
    """The dated rate tables of one estimate: bundled by default, each replaceable or extendable.

    Tables load on first use and are cached per process (the bundled ones) or per instance. Use
    :meth:`default` for the bundled tables and :meth:`with_table` to add a user's file.
    """

    def __init__(self, user: Mapping[str, _UserTable] | None = None) -> None:
        self._user: dict[str, _UserTable] = dict(user or {})
        self._cache: dict[str, Any] = {}

    @classmethod
    @functools.cache
    def default(cls) -> DutyTables:
        """The bundled tables (one shared instance)."""
        return cls()

    def with_table(self, name: str, path: str | Path, *, mode: str = "extend") -> DutyTables:
        """A copy of these tables with ``name`` replaced or extended by the CSV file at ``path``.

        Args:
            name: one of :data:`TABLE_NAMES`.
            path: a UTF-8 CSV file with the bundled table's columns (see the README beside the
                bundled tables and docs/estimating-exposure.md).
            mode: ``"extend"`` (a user row replaces the bundled rows with the same key, see
                :data:`TABLE_KEYS`; other user rows are added) or ``"replace"``.

        Raises:
            ValueError: unknown table name or mode.
            t86audit.exceptions.InputError: the file cannot be read or has a bad row.
        """
        if name not in _SPECS:
            msg = f"unknown duty table {name!r}; expected one of {', '.join(TABLE_NAMES)}"
            raise ValueError(msg)
        if mode not in ("extend", "replace"):
            msg = f"mode must be 'extend' or 'replace', not {mode!r}"
            raise ValueError(msg)
        # The reader of the user's reference tables, so both name an unreadable or non-UTF-8
        # file alike; imported here, as only a user's table needs it.
        from t86audit.reference._files import _read_file  # noqa: PLC0415

        file = Path(path)
        text, raw = _read_file(file)
        rows = tuple(_parse_rows(text, str(file), _SPECS[name]))
        user = dict(self._user)
        user[name] = _UserTable(rows, mode, str(file), hashlib.sha256(raw).hexdigest())
        return DutyTables(user)

    # --- raw access ------------------------------------------------------------------------

    def rows(self, name: str) -> tuple[Any, ...]:
        """The rows of table ``name`` after the user's replacement or extension."""
        if name in self._cache:
            return tuple(self._cache[name])
        bundled = _bundled_rows(name)
        user = self._user.get(name)
        if user is None:
            rows = bundled
        elif user.mode == "replace":
            rows = user.rows
        else:
            key = _SPECS[name].key
            replaced = {key(r) for r in user.rows}
            rows = tuple(r for r in bundled if key(r) not in replaced) + user.rows
        self._cache[name] = rows
        return rows

    def source(self, name: str) -> TableSource:
        """Where table ``name`` comes from (bundled, extended or replaced by a user's file)."""
        user = self._user.get(name)
        if user is not None and user.mode == "replace":
            return TableSource(name, "", "", user.sha256, user.path, "replace")
        base = _bundled_source(name)
        if user is None:
            return base
        return attrs.evolve(base, sha256=user.sha256, user_file=user.path, mode="extend")

    def sources(self) -> tuple[TableSource, ...]:
        """Every table's source, in :data:`TABLE_NAMES` order (reads only the metadata)."""
        return tuple(self.source(name) for name in TABLE_NAMES)

    def load(self) -> None:
        """Load every table and the indexes the estimates look up, as their first use would.

        For a process about to estimate (a Dask worker, while the driver finishes the audit),
        so that the first estimates do not wait for the tables.
        """
        for name in TABLE_NAMES:
            self.rows(name)
        self.general_rate("")
        self.column2_rate("")
        self.special_rate("")
        self.special_indicators()
        self.preferences("", dt.date.min)
        self.section301("")
        self.annex2("", dt.date.min)

    # --- indexed look-ups ------------------------------------------------------------------

    def _index(self, name: str, build: Callable[[], Any]) -> Any:
        key = f"index:{name}"
        if key not in self._cache:
            self._cache[key] = build()
        return self._cache[key]

    def _grouped(self, name: str, field: str) -> dict[str, tuple[Any, ...]]:
        """The rows of table ``name`` by the value of their ``field``, in table order."""

        def build() -> dict[str, tuple[Any, ...]]:
            index: dict[str, list[Any]] = {}
            for row in self.rows(name):
                index.setdefault(getattr(row, field), []).append(row)
            return {k: tuple(v) for k, v in index.items()}

        grouped: dict[str, tuple[Any, ...]] = self._index(name, build)
        return grouped

    def general_rate(self, hts8: str) -> str | None:
        """The general rate text of an 8-digit subheading, or ``None`` if it is not listed."""
        rates: dict[str, str] = self._index(
            "hts_general_rates", lambda: {r[0]: r[1] for r in self.rows("hts_general_rates")}
        )
        return rates.get(hts8)

    def column2_rate(self, hts8: str) -> str | None:
        """The column 2 rate text of an 8-digit subheading, or ``None`` if none is listed.

        The rate of products of the general note 3(b) countries; a user's table without the
        ``column2_rate`` column lists none.
        """
        rates: dict[str, str] = self._index(
            "hts_column2_rates",
            lambda: {r[0]: r[2] for r in self.rows("hts_general_rates") if r[2]},
        )
        return rates.get(hts8)

    def special_rate(self, hts8: str) -> str | None:
        """The special column of an 8-digit subheading as printed (general note 3(c)).

        ``None`` when the subheading is not listed or the rate table has no ``special_rate``
        column (a user's table); ``""`` when the subheading prints no special rate.
        """
        rates: dict[str, str | None] = self._index(
            "hts_special_rates",
            lambda: {r[0]: r[3] for r in self.rows("hts_general_rates")},
        )
        return rates.get(hts8)

    def special_indicators(self) -> frozenset[str]:
        """Every special program indicator the rate table's special column prints."""
        codes: frozenset[str] = self._index(
            "hts_special_indicators",
            lambda: frozenset(
                code
                for r in self.rows("hts_general_rates")
                if r[3]
                for code in special_rates(r[3])
            ),
        )
        return codes

    def preferences(self, country: str, day: dt.date) -> tuple[PreferenceRow, ...]:
        """The preference programmes covering goods of ``country`` entered on ``day``."""
        by_country: dict[str, tuple[PreferenceRow, ...]] = self._index(
            "preference_programs",
            lambda: _by_country(self.rows("preference_programs")),
        )
        return tuple(r for r in by_country.get(country, ()) if r.applies(country, day))

    def section301(self, hts8: str) -> tuple[Section301Row, ...]:
        """The Section 301 rows of an 8-digit subheading (any date)."""
        found: dict[str, tuple[Section301Row, ...]] = self._grouped("section301", "hts8")
        return found.get(hts8, ())

    def section301_period(self, heading: str, day: dt.date) -> Section301PeriodRow | None:
        """The list-level rate period of a chapter 99 heading in force on ``day``."""
        for row in self.rows("section301_rate_periods"):
            start = row.effective_from
            if (
                row.heading_99 == heading
                and start is not None
                and start <= day <= row.effective_to
            ):
                return row  # type: ignore[no-any-return]
        return None

    def section301_transitions(self, day: dt.date) -> tuple[Section301PeriodRow, ...]:
        """The in-transit periods of ``day``: rate-period rows whose list ends "(transition)".

        Such a row (``3 (transition)``, heading 9903.88.09) gives the rate of a list's goods
        exported before the row's first day and entered within its dates, while the list's
        own higher rate applies to the others.
        """
        return tuple(
            row
            for row in self.rows("section301_rate_periods")
            if row.list.endswith("(transition)")
            and row.effective_from is not None
            and row.effective_from <= day <= row.effective_to
        )

    def ieepa(self) -> tuple[IeepaRow, ...]:
        """Every IEEPA row."""
        return self.rows("ieepa_2025")

    def ieepa_for(self, country: str, day: dt.date) -> tuple[IeepaRow, ...]:
        """The IEEPA rows covering goods of ``country`` entered on ``day``, in table order.

        Remembered per country and day: an audit's lines share a few hundred of each, and the
        table holds some hundred and sixty rows to test.
        """
        found: dict[tuple[str, dt.date], tuple[IeepaRow, ...]] = self._index(
            "ieepa_2025 by country and day", dict
        )
        rows = found.get((country, day))
        if rows is None:
            if len(found) >= _IEEPA_REMEMBERED:
                found.clear()  # the countries are the input's text: memory stays bounded
            rows = found[country, day] = tuple(r for r in self.ieepa() if r.applies(country, day))
        return rows

    def annex2(self, digits: str, day: dt.date) -> tuple[Annex2Row, ...]:
        """The Annex II rows naming a line's number (any prefix of it), listed on ``day``."""
        found: dict[str, tuple[Annex2Row, ...]] = self._grouped("ieepa_annex2_exempt", "hts")
        hits: list[Annex2Row] = []
        for length in range(4, len(digits) + 1):
            hits.extend(r for r in found.get(digits[:length], ()) if r.covers(digits, day))
        return tuple(hits)

    def mpf(self, day: dt.date) -> MpfRow | None:
        """The MPF row of the fiscal year containing ``day``."""
        return next(
            (r for r in self.rows("mpf") if r.effective_from <= day <= r.effective_to), None
        )

    def hmf(self, day: dt.date) -> HmfRow | None:
        """The HMF row in force on ``day``."""
        return next(
            (r for r in self.rows("hmf") if r.effective_from <= day <= r.effective_to), None
        )

    def not_estimated(self, digits: str) -> tuple[NotEstimatedRow, ...]:
        """The not-estimated charges whose prefix the line's number starts with."""
        return tuple(r for r in self.rows("not_estimated") if digits.startswith(r.hts_prefix))
