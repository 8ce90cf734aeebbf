"""Bounded fuzzing of the CSV and JSON loaders, the mapping reader and the renderers.

Each target takes arbitrary input and must either return normally or raise a
:class:`~t86audit.exceptions.T86AuditError`: any other exception is a bug. Loaders must also
account for every row. The budget is fixed (:data:`EXAMPLES` examples per target, a few seconds
in all) so CI stays fast; raise it for a longer local run::

    T86AUDIT_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py -p no:cacheprovider

``docs/hostile-input.md`` shows how to run the same targets under atheris (coverage-guided),
seeded with the hostile corpus in ``tests/hostile``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import json
import os
import tempfile
from decimal import Decimal
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import t86audit
from t86audit.exceptions import T86AuditError
from t86audit.io import (
    CANONICAL_COLUMNS,
    LoadResult,
    load_csv,
    load_json,
    load_records,
    read_mapping,
)
from t86audit.model import Entry, LineItem, Party
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.sample import cited_sample
from t86audit.testing import CSV_COLUMNS


EXAMPLES = int(os.environ.get("T86AUDIT_FUZZ_EXAMPLES", "150"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# A report renders every section in five formats: fewer, costlier examples.
FUZZ_RENDERERS = settings(FUZZ, max_examples=max(EXAMPLES // 4, 1))
HOSTILE = Path(__file__).resolve().parent / "hostile"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
REGISTRY = RuleRegistry.default()
REFERENCE = ReferenceSet()
HEADER = ",".join(CSV_COLUMNS)
SEEDS = [p.read_bytes() for p in sorted(HOSTILE.iterdir()) if p.suffix in (".csv", ".json")]

# Text heavy in what parsers act on: delimiters, quotes, line ends, brackets, digits, signs.
SYNTAX = st.text(
    alphabet=st.one_of(
        st.sampled_from(list(",;\"'\r\n\t[]{}:$-+.eE0123456789 \\/\x00\ufeff")),
        st.characters(),
    ),
    max_size=300,
)


def accounted(result: LoadResult) -> None:
    assert result.rows_read == result.rows_in_entries + result.rows_rejected
    assert result.rows_rejected == len(result.errors)


def stream(data: bytes) -> io.TextIOWrapper:
    """The bytes as a strictly decoded UTF-8 text stream, like a file opened by a user."""
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="strict", newline="")


def fuzz_csv(data: bytes) -> None:
    """The CSV target (also the atheris harness's)."""
    with contextlib.suppress(T86AuditError):
        accounted(load_csv(stream(data), source_name="fuzz.csv"))


def fuzz_json(data: bytes) -> None:
    """The JSON target: array and JSON Lines readings of the same bytes."""
    for lines in (None, True):
        with contextlib.suppress(T86AuditError):
            accounted(load_json(stream(data), lines=lines, source_name="fuzz.json"))


@FUZZ
@given(data=st.one_of(st.binary(max_size=400), st.sampled_from(SEEDS)), header=st.booleans())
def test_fuzz_csv_loader_on_bytes(data, header):
    """Arbitrary bytes, with or without a valid header, never crash the CSV loader."""
    fuzz_csv((HEADER.encode() + b"\n" if header else b"") + data)


@FUZZ
@given(
    columns=st.lists(
        st.one_of(st.sampled_from(CSV_COLUMNS), st.text(max_size=8)), min_size=1, max_size=40
    ),
    body=SYNTAX,
)
def test_fuzz_csv_loader_on_structured_text(columns, body):
    """A header of canonical and odd names over text full of delimiters and quotes."""
    fuzz_csv((",".join(columns) + "\r\n" + body).encode("utf-8", "surrogatepass"))


@FUZZ
@given(data=st.one_of(SYNTAX.map(lambda t: t.encode("utf-8", "surrogatepass")), st.binary()))
def test_fuzz_json_loader_on_text(data):
    """JSON-like text and raw bytes never crash the JSON loader, as an array or as lines."""
    fuzz_json(data)


JSON_KEYS = st.one_of(st.sampled_from([*CSV_COLUMNS, "lines", "consignee"]), st.text(max_size=6))
JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(),
        st.floats(),
        st.text(max_size=12),
        st.sampled_from(["14.99", "NaN", "1e999", "2024-02-31", "\udcff"]),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(JSON_KEYS, children, max_size=8)
    ),
    max_leaves=30,
)


@FUZZ
@given(document=JSON_VALUES)
def test_fuzz_json_loader_on_documents(document):
    """Any JSON document (objects with canonical keys, wrong types, nesting) loads or refuses."""
    fuzz_json(json.dumps(document).encode("utf-8"))
    if isinstance(document, list):
        with contextlib.suppress(T86AuditError):
            accounted(load_records(document))


@FUZZ
@given(text=SYNTAX, as_json=st.booleans())
def test_fuzz_mapping_reader(text, as_json):
    """A mapping file with any content gives a mapping or a T86AuditError."""
    suffix = ".json" if as_json else ".csv"
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / f"mapping{suffix}"
        path.write_bytes(text.encode("utf-8", "surrogatepass"))
        try:
            mapping = read_mapping(path)
        except T86AuditError:
            return
    assert set(mapping) <= set(CANONICAL_COLUMNS)
    assert all(header.strip() for header in mapping.values())


# -- renderers -------------------------------------------------------------------------------

ANY_TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=20)
MONEY = st.decimals(
    min_value=Decimal("-1e12"), max_value=Decimal("1e12"), places=4, allow_nan=False
)
DAYS = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31))


@st.composite
def fuzzed_entries(draw: st.DrawFn, serial: int) -> Entry:
    """An entry with arbitrary text in every text field and odd but loadable values."""

    def party() -> Party:
        return Party(*(draw(ANY_TEXT) for _ in range(6)))

    lines = [
        LineItem(
            line_number=n,
            description=draw(ANY_TEXT),
            hts_number=draw(st.one_of(ANY_TEXT, st.sampled_from(["6109.10.00.40", "9801"]))),
            country_of_origin=draw(ANY_TEXT),
            value_usd=draw(st.one_of(st.none(), MONEY)),
            quantity=draw(st.one_of(st.none(), MONEY)),
            quantity_unit=draw(ANY_TEXT),
            order_reference=draw(ANY_TEXT),
            value_raw=draw(ANY_TEXT),
        )
        for n in range(1, draw(st.integers(1, 3)) + 1)
    ]
    # Entry numbers never hold unpaired surrogates: every loader rejects such a row, and the
    # population fingerprint hashes the numbers' UTF-8 bytes.
    number = draw(st.one_of(st.just(f"B76-{serial:07d}-0"), st.text(min_size=1, max_size=20)))
    return Entry(
        entry_number=number,
        arrival_date=draw(DAYS),
        port_code=draw(ANY_TEXT),
        bill_of_lading=draw(ANY_TEXT),
        consignee=party(),
        seller=party(),
        lines=lines,
        entry_type=draw(st.sampled_from(["86", "01", ""])),
        mode=draw(ANY_TEXT),
        importer_of_record=draw(ANY_TEXT),
        arrival_date_raw=draw(ANY_TEXT),
        filed_at_raw=draw(ANY_TEXT),
        source=draw(ANY_TEXT),
        source_rows=(serial,),
    )


@FUZZ_RENDERERS
@given(data=st.data(), count=st.integers(1, 3), note=ANY_TEXT, reason=ANY_TEXT)
def test_fuzz_renderers_with_arbitrary_text(data, count, note, reason):
    """Entries holding any characters (controls, surrogates, markup) render in every format."""
    entries = [data.draw(fuzzed_entries(serial)) for serial in range(1, count + 1)]
    keys = {e.entry_number.key for e in entries}
    samples = []
    if len(keys) == len(entries):
        samples = [cited_sample(entries, [e.number for e in entries], note=note, drawn_at=AT)]
    waivers = [
        {
            "entry_number": "B76-0000001-0",
            "code": "VAL001",
            "reason": reason.strip() or "x",
            "reviewer": "r",
            "date": "2024-01-01",
        }
    ]
    try:
        report = t86audit.audit(
            entries,
            samples=samples,
            waivers=waivers,
            generated_at=AT,
            registry=REGISTRY,
            reference=REFERENCE,
        )
    except T86AuditError:
        return
    rendered = {fmt: report.render(fmt) for fmt in ("text", "markdown", "html", "json", "csv")}
    for text in rendered.values():
        text.encode("utf-8")
    assert rendered["text"].replace("\n", "").isprintable()
    assert rendered["markdown"].replace("\n", "").isprintable()
    assert json.loads(rendered["json"]) == report.to_dict()
    for row in csv.reader(io.StringIO(rendered["csv"], newline="")):
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
