"""Builders for tests of t86audit rules: clean Type 86 entries that you then break on purpose.

Rule authors (ours and third-party packs) write a rule's flagged and passing examples with these
factories. Every default is domain-valid and clean on its arrival date: a valid entry number,
one bill, a U.S. consignee, a foreign seller, a specific description with a matching 10-digit
HTS number, a value well under $800, a filing before arrival and an estimated arrival date.
Change one thing and only that thing is wrong:

>>> entry = make_entry(value="850.00")
>>> entry.total_value
Decimal('850.00')
>>> entry.entry_number.is_check_digit_valid
True
>>> make_entry(consignee={"name": ""}).consignee.address
'1845 Maple Avenue'

This module imports nothing outside the standard library, attrs and :mod:`t86audit.model`;
the Hypothesis strategies live in :mod:`t86audit.testing.strategies`.
"""

import datetime as dt
import enum
import random
import zlib
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from t86audit.io._columns import CANONICAL_COLUMNS
from t86audit.model import (
    Entry,
    EntryNumber,
    LineItem,
    Party,
    compute_check_digit,
    split_hts_numbers,
)
from t86audit.testing import _catalog


if TYPE_CHECKING:
    from t86audit.findings import Finding
    from t86audit.rules import Rule
    from t86audit.sample import JudgmentSample


__all__ = [
    "CSV_COLUMNS",
    "DEFAULT",
    "DEFAULT_ARRIVAL",
    "DEFAULT_FILER_CODE",
    "Money",
    "assert_rule_examples",
    "make_bill_of_lading",
    "make_entry",
    "make_entry_number",
    "make_line",
    "make_party",
    "make_population",
    "make_sample",
    "run_rule",
    "to_csv_rows",
]

Money = Decimal | int | str
"""What the factories accept for money and quantities: never ``float``, which is inexact."""


class _Default(enum.Enum):
    """Type of :data:`DEFAULT`, the "derive it from the other arguments" marker."""

    TOKEN = 0

    def __repr__(self) -> str:
        return "DEFAULT"


DEFAULT: Final = _Default.TOKEN
"""Marker for arguments whose default depends on others (``filed_at`` follows the arrival).

Pass ``None`` instead to leave such a field blank.
"""

DEFAULT_ARRIVAL = dt.date(2024, 6, 3)
"""Arrival date of :func:`make_entry` entries: inside the T86 window, outside every gate."""

DEFAULT_FILER_CODE = "B76"
"""The filer code of CATAIR Appendix E's worked example."""

CSV_COLUMNS: tuple[str, ...] = CANONICAL_COLUMNS
"""The canonical CSV columns in contract order (entry-level first, then line-level)."""

_DEFAULT_CONSIGNEE = Party(
    name="Jordan Ellis",
    address="1845 Maple Avenue",
    city="Columbus",
    state="OH",
    postal_code="43215",
    country="US",
)
_DEFAULT_SELLER = Party(
    name=_catalog.SELLERS[0].name,
    address=_catalog.SELLERS[0].address,
    country=_catalog.SELLERS[0].country,
)
_AIRLINE_PREFIX = "176"
_FILING_TIME = dt.time(18, 30)
_MAX_SERIAL = 9_999_999


def _to_decimal(value: Money | None, what: str) -> Decimal | None:
    if value is None:
        return None
    # bool is an int subclass and float is inexact: both are almost certainly mistakes here.
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        msg = f"{what} must be a Decimal, int or str, got {type(value).__name__}"
        raise TypeError(msg)
    return Decimal(value)


def _to_date(value: dt.date | str, what: str) -> dt.date:
    if isinstance(value, dt.datetime):
        msg = f"{what} must be a date, not a datetime"
        raise TypeError(msg)
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _serial_text(serial: int | str) -> str:
    if isinstance(serial, str):
        if len(serial) != 7 or not serial.isdigit():
            msg = f"serial must be 7 digits, got {serial!r}"
            raise ValueError(msg)
        return serial
    if not 0 <= serial <= _MAX_SERIAL:
        msg = f"serial must be between 0 and {_MAX_SERIAL}, got {serial}"
        raise ValueError(msg)
    return f"{serial:07d}"


def make_entry_number(filer_code: str = DEFAULT_FILER_CODE, serial: int | str = 1) -> str:
    """Build a valid entry number ``XXX-NNNNNNN-C`` with the right check digit.

    >>> make_entry_number("B76", 324527)
    'B76-0324527-8'

    Args:
        filer_code: three characters, A-Z or 0-9.
        serial: the filer-assigned number, as an int (zero-padded to seven digits) or as seven
            digits.

    Raises:
        ValueError: if the filer code or serial has the wrong shape.
    """
    text = _serial_text(serial)
    check = compute_check_digit(filer_code, text)
    return f"{filer_code.upper()}-{text}-{check}"


def make_bill_of_lading(serial: int | str = 1, airline_prefix: str = _AIRLINE_PREFIX) -> str:
    """Build an air waybill number ``PPP-NNNNNNNC`` (the last digit is the serial modulo 7).

    Distinct serials give distinct bills, which is what :func:`make_entry` relies on.

    >>> make_bill_of_lading(1234567)
    '176-12345675'
    """
    text = _serial_text(serial)
    return f"{airline_prefix}-{text}{int(text) % 7}"


def make_party(role: Literal["consignee", "seller"] = "consignee", **fields: str) -> Party:
    """Build a clean party: a U.S. consignee by default, or the foreign seller.

    >>> make_party(name="Maria Gonzalez").city
    'Columbus'
    >>> make_party("seller").country
    'VN'

    Args:
        role: ``"consignee"`` (a U.S. individual with a full address) or ``"seller"`` (a
            Vietnamese garment maker with name, address and country, as the CSV carries it).
        **fields: :class:`~t86audit.model.Party` fields to replace.

    Raises:
        TypeError: for a field :class:`~t86audit.model.Party` does not have.
    """
    base = _DEFAULT_CONSIGNEE if role == "consignee" else _DEFAULT_SELLER
    return attrs.evolve(base, **fields)


def make_line(
    *,
    line_number: int = 1,
    description: str = _catalog.DEFAULT_PRODUCT.description,
    hts_number: str = _catalog.DEFAULT_PRODUCT.hts_number,
    country_of_origin: str = "VN",
    value_usd: Money | None = _catalog.DEFAULT_PRODUCT.unit_price,
    quantity: Money | None = 1,
    quantity_unit: str = _catalog.DEFAULT_PRODUCT.quantity_unit,
    gross_weight_kg: Money | None = _catalog.DEFAULT_PRODUCT.unit_weight_kg,
    order_reference: str = "ORD-B76-0000001",
    value_raw: str | None = None,
    quantity_raw: str | None = None,
    gross_weight_raw: str | None = None,
    source_row: int | None = None,
    additional_hts: str | Iterable[str] = (),
) -> LineItem:
    """Build a clean line: one women's cotton knit t-shirt of Vietnamese origin at $14.99.

    Money and quantities accept ``Decimal``, ``int`` or ``str`` (``"12.50"``); ``None`` leaves
    them blank. The ``*_raw`` texts default to the value as a loader would have read it.

    >>> make_line(value_usd="0.01").value_usd
    Decimal('0.01')

    Raises:
        TypeError: if a money or quantity argument is a ``float``.
    """
    value = _to_decimal(value_usd, "value_usd")
    qty = _to_decimal(quantity, "quantity")
    weight = _to_decimal(gross_weight_kg, "gross_weight_kg")
    return LineItem(
        line_number=line_number,
        description=description,
        hts_number=hts_number,
        country_of_origin=country_of_origin,
        value_usd=value,
        quantity=qty,
        quantity_unit=quantity_unit,
        gross_weight_kg=weight,
        order_reference=order_reference,
        value_raw=_raw(value_raw, value),
        quantity_raw=_raw(quantity_raw, qty),
        gross_weight_raw=_raw(gross_weight_raw, weight),
        source_row=source_row,
        additional_hts=split_hts_numbers(additional_hts),
    )


def _raw(given: str | None, parsed: Decimal | None) -> str:
    if given is not None:
        return given
    return "" if parsed is None else str(parsed)


def _party(given: Party | Mapping[str, str] | None, base: Party) -> Party:
    if given is None:
        return base
    if isinstance(given, Party):
        return given
    return attrs.evolve(base, **given)


def _identity(
    entry_number: str | EntryNumber | None, serial: int | str, filer_code: str
) -> tuple[EntryNumber, str, str]:
    """The entry number and the (filer code, serial) its default bill and order derive from."""
    if entry_number is None:
        digits = _serial_text(serial)
        return EntryNumber(make_entry_number(filer_code, digits)), filer_code.upper(), digits
    number = entry_number if isinstance(entry_number, EntryNumber) else EntryNumber(entry_number)
    if number.filer_code is not None and number.serial is not None:
        return number, number.filer_code, number.serial
    # A malformed number has no serial; a stable hash keeps distinct numbers' bills distinct.
    digits = f"{zlib.crc32(number.raw.encode()) % (_MAX_SERIAL + 1):07d}"
    return number, filer_code.upper(), digits


def _airline_prefix(filer_code: str) -> str:
    if filer_code == DEFAULT_FILER_CODE:
        return _AIRLINE_PREFIX
    return f"{zlib.crc32(filer_code.encode()) % 900 + 100:03d}"


def _lines(
    given: Iterable[LineItem | Mapping[str, Any]] | None,
    value: Money | _Default | None,
    order_reference: str,
) -> tuple[LineItem, ...]:
    if given is None:
        given = [{}]
    built: list[LineItem] = []
    for number, item in enumerate(given, start=1):
        if isinstance(item, LineItem):
            built.append(item)
        else:
            params: dict[str, Any] = {
                "line_number": number,
                "order_reference": order_reference,
                **item,
            }
            built.append(make_line(**params))
    if value is not DEFAULT:
        if len(built) != 1:
            msg = f"value= sets the value of a single line; this entry has {len(built)} lines"
            raise ValueError(msg)
        amount = _to_decimal(value, "value")
        built[0] = attrs.evolve(built[0], value_usd=amount, value_raw=_raw(None, amount))
    return tuple(built)


def make_entry(
    *,
    entry_number: str | EntryNumber | None = None,
    serial: int | str = 1,
    filer_code: str = DEFAULT_FILER_CODE,
    arrival_date: dt.date | str = DEFAULT_ARRIVAL,
    port_code: str = "4701",
    bill_of_lading: str | None = None,
    consignee: Party | Mapping[str, str] | None = None,
    seller: Party | Mapping[str, str] | None = None,
    lines: Iterable[LineItem | Mapping[str, Any]] | None = None,
    value: Money | _Default | None = DEFAULT,
    order_reference: str | None = None,
    entry_type: str = "86",
    filed_at: dt.datetime | _Default | None = DEFAULT,
    estimated_arrival_date: dt.date | str | _Default | None = DEFAULT,
    mode: str = "air",
    importer_of_record: str = "",
    pga_data: str = "",
    arrival_date_raw: str | None = None,
    filed_at_raw: str | None = None,
    estimated_arrival_date_raw: str | None = None,
    source: str = "<memory>",
    source_rows: Iterable[int] = (),
    extra: Mapping[str, str] | None = None,
) -> Entry:
    """Build a clean Type 86 entry, then apply the overrides given.

    The default entry ``B76-0000001-5`` arrives at JFK (port 4701) by air on 3 June 2024 under
    one air waybill, was filed the evening before with an estimated arrival date, and carries
    one line: a $14.99 women's cotton knit t-shirt (HTS 6109.10.00.40) made in Vietnam, sold
    by a Vietnamese seller to a U.S. consignee in Columbus, Ohio. It passes every rule.

    >>> make_entry(serial=2).number
    'B76-0000002-3'
    >>> make_entry(lines=[{"description": "gift"}, {"value_usd": 30}]).total_value
    Decimal('44.99')

    Args:
        entry_number: the number as filed; overrides ``serial`` and ``filer_code`` (the default
            bill and order reference then derive from it, so distinct numbers keep distinct
            bills).
        serial: builds a distinct valid entry number, bill of lading and order reference.
        filer_code: the filer code of the built entry number.
        arrival_date: a date or an ISO ``YYYY-MM-DD`` string.
        port_code: Schedule D port code.
        bill_of_lading: defaults to an air waybill derived from the entry number.
        consignee: a :class:`~t86audit.model.Party` replaces the default consignee; a mapping
            changes only the fields it names (``{"country": "CN"}``).
        seller: like ``consignee``, for the seller party.
        lines: line items, or mappings of :func:`make_line` arguments (``line_number`` and
            ``order_reference`` are filled in when a mapping leaves them out).
        value: shortcut that sets the value of the entry's single line; ``None`` leaves it
            blank.
        order_reference: the order reference of lines built here (default
            ``ORD-<filer code>-<serial>``); given line items keep theirs.
        entry_type: ACE entry type code.
        filed_at: transmission time (naive U.S. Eastern); by default 18:30 the day before
            arrival; ``None`` leaves it blank.
        estimated_arrival_date: by default the arrival date; ``None`` leaves it blank.
        mode: transport mode.
        importer_of_record: IOR number.
        pga_data: ``"declared"``, ``"disclaimed"`` or empty.
        arrival_date_raw: raw text; defaults to the ISO date.
        filed_at_raw: raw text; defaults to the ISO date-time.
        estimated_arrival_date_raw: raw text; defaults to the ISO date.
        source: where the entry "came from".
        source_rows: data rows it "came from".
        extra: non-canonical columns.

    Raises:
        TypeError: for a ``float`` amount or a datetime given as a date.
        ValueError: for a malformed serial or filer code, or ``value`` with several lines.
    """
    number, code, digits = _identity(entry_number, serial, filer_code)
    arrival = _to_date(arrival_date, "arrival_date")
    if filed_at is DEFAULT:
        filed: dt.datetime | None = dt.datetime.combine(
            arrival - dt.timedelta(days=1), _FILING_TIME
        )
    else:
        filed = filed_at
    if estimated_arrival_date is DEFAULT:
        eda: dt.date | None = arrival
    elif estimated_arrival_date is None:
        eda = None
    else:
        eda = _to_date(estimated_arrival_date, "estimated_arrival_date")
    return Entry(
        entry_number=number,
        arrival_date=arrival,
        port_code=port_code,
        bill_of_lading=(
            bill_of_lading
            if bill_of_lading is not None
            else make_bill_of_lading(digits, _airline_prefix(code))
        ),
        consignee=_party(consignee, _DEFAULT_CONSIGNEE),
        seller=_party(seller, _DEFAULT_SELLER),
        lines=_lines(lines, value, order_reference or f"ORD-{code}-{digits}"),
        entry_type=entry_type,
        filed_at=filed,
        estimated_arrival_date=eda,
        mode=mode,
        importer_of_record=importer_of_record,
        pga_data=pga_data,
        arrival_date_raw=arrival.isoformat() if arrival_date_raw is None else arrival_date_raw,
        filed_at_raw=_iso(filed) if filed_at_raw is None else filed_at_raw,
        estimated_arrival_date_raw=(
            _iso(eda) if estimated_arrival_date_raw is None else estimated_arrival_date_raw
        ),
        source=source,
        source_rows=tuple(source_rows),
        extra=dict(extra or {}),
    )


def _iso(value: dt.date | None) -> str:
    return "" if value is None else value.isoformat()


def make_sample(
    entries: Sequence[Entry] | None = None,
    *,
    size: int = 10,
    method: Literal["cited", "judgment"] = "judgment",
    id: str = "J1",
    population: Sequence[Entry] | None = None,
    note: str = "",
) -> "JudgmentSample":
    """Build a judgment sample: by default ten clean entries with distinct serials.

    >>> make_sample().size
    10
    >>> make_sample(method="cited").projectable
    False

    Args:
        entries: the sampled entries (default: ``make_population(size)``).
        size: how many entries to build when ``entries`` is not given.
        method: ``"judgment"`` (picked by an auditor) or ``"cited"`` (from a letter).
        id: the sample id.
        population: the population the sample came from (default: the entries themselves).
        note: a note kept with the sample.
    """
    from t86audit.sample import cited_sample  # noqa: PLC0415  (sample imports nothing of testing)

    chosen = list(entries) if entries is not None else make_population(size)
    pool = list(population) if population is not None else chosen
    return cited_sample(
        pool,
        [e.number for e in chosen],
        id=id,
        method=method,
        note=note,
        drawn_at=dt.datetime(2024, 6, 11, tzinfo=dt.UTC),
    )


def make_population(
    n: int,
    *,
    seed: int = 0,
    start: dt.date = DEFAULT_ARRIVAL,
    days: int = 30,
) -> list[Entry]:
    """Build ``n`` clean entries with distinct entry numbers, arriving over ``days`` days.

    The same arguments always give the same entries. Serials run from 1 to ``n`` under filer
    code B76; every entry has its own consignee (distinct name and address for up to 41,600
    entries), bill and order reference, so no group rule (one person on one day, split
    shipments, reused bills, shared addresses) has anything to find. Sellers and origins avoid
    China and Hong Kong, so every entry is clean whatever its date in the T86 window.

    >>> [e.number for e in make_population(2)]
    ['B76-0000001-5', 'B76-0000002-3']

    Args:
        n: number of entries (0 or more).
        seed: seed of the ``random.Random`` that picks dates, goods, sellers and values.
        start: first arrival date.
        days: arrival dates are drawn from ``start`` to ``start + days - 1``.

    Raises:
        ValueError: for a negative ``n``, ``days < 1`` or dates outside the T86 window
            (2019-09-28 to 2025-08-28).
    """
    if n < 0 or days < 1:
        msg = f"need n >= 0 and days >= 1, got n={n}, days={days}"
        raise ValueError(msg)
    last = start + dt.timedelta(days=days - 1)
    if start < _catalog.T86_FIRST_DAY or last > _catalog.T86_LAST_DAY:
        msg = (
            f"arrival dates {start} to {last} leave the T86 window "
            f"{_catalog.T86_FIRST_DAY} to {_catalog.T86_LAST_DAY}"
        )
        raise ValueError(msg)
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    return [_population_entry(rng, index, start, days) for index in range(n)]


def _population_entry(rng: random.Random, index: int, start: dt.date, days: int) -> Entry:
    serial = index + 1
    arrival = start + dt.timedelta(days=rng.randrange(days))
    seller = rng.choice(_catalog.SELLERS)
    order_reference = f"ORD-{DEFAULT_FILER_CODE}-{serial:07d}"
    line_count = rng.choice((1, 1, 1, 2, 2, 3))
    lines = []
    for number in range(1, line_count + 1):
        product = rng.choice(_catalog.PRODUCTS)
        quantity = rng.randint(1, 3)
        lines.append(
            make_line(
                line_number=number,
                description=product.description,
                hts_number=product.hts_number,
                country_of_origin=rng.choice((seller.country, *_catalog.CLEAN_ORIGINS)),
                value_usd=product.unit_price * quantity,
                quantity=quantity,
                quantity_unit=product.quantity_unit,
                gross_weight_kg=product.unit_weight_kg * quantity,
                order_reference=order_reference,
            )
        )
    filed = dt.datetime.combine(
        arrival - dt.timedelta(days=rng.randint(1, 3)),
        dt.time(rng.randrange(6, 23), rng.randrange(60)),
    )
    return make_entry(
        serial=serial,
        arrival_date=arrival,
        port_code=rng.choice(_catalog.EXPRESS_PORTS),
        consignee=_population_consignee(index),
        seller=_seller_party(seller),
        lines=lines,
        filed_at=filed,
    )


def _population_consignee(index: int) -> Party:
    firsts, lasts = _catalog.FIRST_NAMES, _catalog.LAST_NAMES
    # (index % F, (index // F + index) % L) is one-to-one for index < F * L, and the middle
    # initial multiplies that by 26, so names stay distinct for 41,600 entries.
    first = firsts[index % len(firsts)]
    last = lasts[(index // len(firsts) + index) % len(lasts)]
    initial = chr(ord("A") + (index // (len(firsts) * len(lasts))) % 26)
    place = _catalog.US_PLACES[index % len(_catalog.US_PLACES)]
    street = _catalog.STREETS[index % len(_catalog.STREETS)]
    return _us_party(first, last, 100 + index, street, place, initial=initial)


def _us_party(
    first: str,
    last: str,
    number: int,
    street: str,
    place: _catalog.Address,
    *,
    initial: str = "",
) -> Party:
    """An individual at a U.S. address from the catalog (the strategies draw these too)."""
    name = f"{first} {initial}. {last}" if initial else f"{first} {last}"
    return Party(
        name=name,
        address=f"{number} {street}",
        city=place.city,
        state=place.state,
        postal_code=place.postal_code,
        country="US",
    )


def _seller_party(seller: _catalog.Seller) -> Party:
    """A catalog seller as the CSV carries it: name, address and country only."""
    return Party(name=seller.name, address=seller.address, country=seller.country)


def to_csv_rows(entries: Iterable[Entry]) -> list[dict[str, str]]:
    """Turn entries into canonical CSV rows: one per line, entry-level fields repeated.

    Parsed values are written in ISO or plain decimal form; where a value is blank but raw
    text was kept (a value filed as ``"abc"``), the raw text is written, so a row a loader
    rejected can be written back as it was filed. Write them with ``csv.DictWriter`` and
    :data:`CSV_COLUMNS`.

    >>> rows = to_csv_rows([make_entry()])
    >>> rows[0]["entry_number"], rows[0]["value_usd"], rows[0]["arrival_date"]
    ('B76-0000001-5', '14.99', '2024-06-03')
    """
    rows: list[dict[str, str]] = []
    for entry in entries:
        shared = {
            "entry_number": entry.number,
            "entry_type": entry.entry_type,
            "arrival_date": entry.arrival_date.isoformat(),
            "filed_at": _iso(entry.filed_at) or entry.filed_at_raw,
            "estimated_arrival_date": (
                _iso(entry.estimated_arrival_date) or entry.estimated_arrival_date_raw
            ),
            "port_code": entry.port_code,
            "mode": entry.mode,
            "bill_of_lading": entry.bill_of_lading,
            "consignee_name": entry.consignee.name,
            "consignee_address": entry.consignee.address,
            "consignee_city": entry.consignee.city,
            "consignee_state": entry.consignee.state,
            "consignee_postal_code": entry.consignee.postal_code,
            "consignee_country": entry.consignee.country,
            "seller_name": entry.seller.name,
            "seller_address": entry.seller.address,
            "seller_country": entry.seller.country,
            "importer_of_record": entry.importer_of_record,
            "pga_data": entry.pga_data,
        }
        rows.extend({**shared, **_line_row(line)} for line in entry.lines)
    return rows


def _line_row(line: LineItem) -> dict[str, str]:
    return {
        "line_number": str(line.line_number),
        "description": line.description,
        "hts_number": line.hts_number,
        "country_of_origin": line.country_of_origin,
        "value_usd": _number(line.value_usd, line.value_raw),
        "quantity": _number(line.quantity, line.quantity_raw),
        "quantity_unit": line.quantity_unit,
        "gross_weight_kg": _number(line.gross_weight_kg, line.gross_weight_raw),
        "order_reference": line.order_reference,
        "additional_hts": "; ".join(line.additional_hts),
    }


def _number(parsed: Decimal | None, raw: str) -> str:
    return raw if parsed is None else str(parsed)


def run_rule(rule: "Rule", entries: Iterable[Entry], **options: Any) -> list["Finding"]:
    """Run one rule over ``entries`` (with option overrides) and return its findings.

    Exceptions the rule raises propagate, so a rule author sees the traceback.

    >>> from t86audit.rules.value import entry_value_over_threshold
    >>> [f.code for f in run_rule(entry_value_over_threshold, [make_entry(value="900.00")])]
    ['VAL001']
    """
    from t86audit.engine import run_rules  # noqa: PLC0415
    from t86audit.refset import ReferenceSet  # noqa: PLC0415

    result = run_rules(
        entries,
        [rule.with_options(**options) if options else rule],
        reference=ReferenceSet(),
        fail_fast=True,
    )
    return list(result.findings)


def assert_rule_examples(rule: "Rule") -> None:
    """Check that each of the rule's examples flags exactly the entries it names.

    Use it in a rule pack's tests: ``for rule in PACK.rules: assert_rule_examples(rule)``.

    Raises:
        AssertionError: naming the example, the entries expected and the entries flagged.
    """
    from t86audit.engine import run_rules  # noqa: PLC0415

    for example in rule.examples:
        configured = rule.with_options(**example.options) if example.options else rule
        findings = run_rules(
            example.build(), [configured], reference=example.make_reference(), fail_fast=True
        ).findings
        flagged = {f.entry_number for f in findings}
        if flagged != set(example.flagged):
            msg = (
                f"{rule.code} example {example.title!r}: expected {sorted(example.flagged)} "
                f"flagged, got {sorted(flagged)}: {[f.message for f in findings]}"
            )
            raise AssertionError(msg)
