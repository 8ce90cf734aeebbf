"""Reports written piece by piece, and the compact per-entry records they are read from.

``Report.write`` must stream exactly the text of ``Report.render``; the JSON report must be
byte for byte what ``json.dumps(to_dict(), indent=2, ensure_ascii=False)`` (with unprintable
characters escaped) gives; the per-entry views must equal the objects they replaced.
"""

import csv
import datetime as dt
import io
import json
import math
import pickle
import re
from decimal import Decimal

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import t86audit
from t86audit import _entries, cli
from t86audit.engine import EntrySummaries, EntrySummary, run_rules
from t86audit.model import EntryNumber
from t86audit.registry import RuleRegistry
from t86audit.report import FORMATS, EntryFacts, EntryRow
from t86audit.report import json as report_json
from t86audit.report._analysis import EntryRowSource, entry_key
from t86audit.testing import make_entry, make_sample, to_csv_rows
from t86audit.testing.strategies import populations
from t86audit.waivers import Waiver


AT = dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC)
REGISTRY = RuleRegistry.default()


class Recorder(io.StringIO):
    """A text stream that remembers each piece written to it."""

    def __init__(self):
        super().__init__()
        self.pieces = []

    def write(self, text):
        self.pieces.append(text)
        return super().write(text)


def old_json(report):
    """The JSON report as it was rendered before streaming: one json.dumps, then escaping."""
    text = json.dumps(report.to_dict(), indent=2, ensure_ascii=False, default=str) + "\n"
    return report_json._UNSAFE_RUN.sub(report_json._escape_run, text)


def tricky_population():
    """Entries with everything the writers must get right: unprintable and non-ASCII text,
    a repeated entry number, a malformed one, a lower-case one, totals of odd exponents.
    """
    return [
        make_entry(serial=1, value="950.00", consignee={"name": "Jos\u00e9 \u202eEvil\u202c"}),
        make_entry(serial=2, value="12.5", seller={"name": "Acme\x1b[31m \x7f Ltd"}),
        make_entry(serial=3, value="1E+2", consignee={"name": 'Quote " and \\ back'}),
        make_entry(serial=2, value="30.00"),  # the number of entry 2, filed again
        make_entry(entry_number="b76 0000004-9", value="10.10"),  # key differs from text
        make_entry(entry_number="12", value="0.00", lines=[{"description": "gift"}]),
        make_entry(serial=5, value="-0.00", port_code=" 4701 "),
        make_entry(serial=6, value="20.00", consignee={"name": "\U0001f600 \ud800"}),
    ]


def tricky_report(**kwargs):
    entries = tricky_population()
    return t86audit.audit(
        entries,
        samples=[make_sample(entries[:2], id="S-1")],
        waivers=[
            Waiver(
                entry_number="B76-0000001-5",
                code="VAL001",
                reason="corrected \u2028 by PSC",
                reviewer="J. Ortiz",
                date=dt.date(2026, 1, 10),
            )
        ],
        generated_at=AT,
        **kwargs,
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_streams_exactly_the_rendered_text(fmt):
    """write() and render() give the same text in every format."""
    report = tricky_report()
    stream = Recorder()

    report.write(fmt, stream)

    assert stream.getvalue() == report.render(fmt)
    assert stream.pieces


def test_json_is_byte_identical_to_one_json_dumps():
    """The streamed JSON is the text json.dumps of to_dict() gives, escaped as before."""
    report = tricky_report()

    text = report.render("json")

    assert text == old_json(report)
    assert json.loads(text) == json.loads(json.dumps(report.to_dict(), default=str))
    assert "\\u202e" in text  # the bidirectional override is escaped
    assert "\\u007f" in text  # and DEL
    assert "\\ud800" in text  # and the lone surrogate


def test_compact_json_keeps_its_own_layout():
    """to_json(indent=None) still gives json.dumps's one-line layout."""
    report = tricky_report()
    expected = json.dumps(report.to_dict(), indent=None, ensure_ascii=False, default=str) + "\n"

    assert report.to_json(indent=None) == report_json._safe(expected)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(populations(max_size=6, distinct=False))
def test_json_of_any_population_is_the_old_json(entries):
    """For generated populations (repeated numbers included) every format streams as it renders
    and the JSON is byte for byte the old JSON.
    """
    report = t86audit.audit(entries, registry=REGISTRY, generated_at=AT)

    assert report.render("json") == old_json(report)
    for fmt in FORMATS:
        stream = io.StringIO()
        report.write(fmt, stream)
        assert stream.getvalue() == report.render(fmt)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text()
    | st.decimals(allow_nan=False),
    lambda children: (
        st.lists(children, max_size=4)
        | st.tuples(children, children)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
        | st.dictionaries(st.integers(), children, max_size=2)
    ),
    max_leaves=20,
)


@given(json_values, st.integers(min_value=0, max_value=20))
def test_value_encoder_writes_what_json_dumps_writes(value, level):
    """The template helper encodes any value as json.dumps(indent=2) does at that depth."""
    expected = json.dumps(value, indent=2, ensure_ascii=False, default=str)

    assert report_json._value(value, level) == expected.replace("\n", "\n" + "  " * level)


def test_json_is_written_in_chunks_of_entries():
    """A large entry table reaches the stream in several writes, none holding it all."""
    entries = [make_entry(serial=i, value="20.00") for i in range(1, 1501)]
    report = t86audit.audit(entries, select=["VAL001"], generated_at=AT)
    stream = Recorder()

    report.write("json", stream)

    entry_writes = [p for p in stream.pieces if '"entry_number"' in p]
    assert len(entry_writes) >= 3
    assert max(p.count('"entry_number"') for p in entry_writes) <= 512
    assert stream.getvalue() == old_json(report)


@pytest.mark.parametrize("fmt", ["text", "markdown", "html"])
def test_human_formats_write_the_entry_table_in_pieces(fmt):
    """The human formats do not build the entry table as one string either.

    Every entry has a finding, so the appendix lists all 3,000 (clean ones are only counted).
    """
    entries = [make_entry(serial=i, value="950.00") for i in range(1, 3001)]
    report = t86audit.audit(entries, select=["VAL001"], generated_at=AT)
    stream = Recorder()

    report.write(fmt, stream)

    assert len(stream.pieces) >= 3
    assert max(len(p) for p in stream.pieces) < len(stream.getvalue()) / 2
    assert stream.getvalue() == report.render(fmt)


def test_write_rejects_an_unknown_format_before_writing():
    """An unknown format is a ValueError and nothing is written."""
    report = t86audit.audit([make_entry()], select=["VAL001"])
    stream = Recorder()

    with pytest.raises(ValueError, match="markdown"):
        report.write("pdf", stream)
    assert stream.pieces == []


def test_views_equal_the_objects_they_replaced():
    """entries, facts and entry_rows are sequences equal to the tuples they used to be."""
    entries = tricky_population()
    report = tricky_report()

    facts = tuple(EntryFacts.of(e) for e in entries)
    assert report.facts == facts
    assert tuple(report.facts) == facts
    assert report.facts[-1] == facts[-1]
    assert report.facts[1:3] == facts[1:3]
    assert [f.total_value for f in report.facts] == [e.total_value for e in entries]
    assert [str(f.total_value) for f in report.facts] == [str(e.total_value) for e in entries]

    counts: dict[str, list[int]] = {}
    for f in report.findings:
        slot = counts.setdefault(entry_key(f.entry_number), [0, 0, 0])
        slot[3 - f.severity.rank] += 1
    summaries = tuple(
        EntrySummary(
            entry_number=e.number,
            arrival_date=e.arrival_date.isoformat(),
            source=e.source,
            rows=len(e.source_rows) or len(e.lines),
            violations=counts.get(e.entry_number.key, [0, 0, 0])[0],
            warnings=counts.get(e.entry_number.key, [0, 0, 0])[1],
            infos=counts.get(e.entry_number.key, [0, 0, 0])[2],
            samples=("S-1",) if e.entry_number.key in {"B7600000015", "B7600000023"} else (),
        )
        for e in entries
    )
    assert report.entries == summaries
    assert summaries == report.entries
    assert report.entries[0] == summaries[0]
    assert hash(report.entries) == hash(summaries)
    assert len(report.entry_rows) == len(entries)
    assert all(isinstance(r, EntryRow) for r in report.entry_rows)
    assert report.entry_rows[-1] == tuple(report.entry_rows)[-1]
    assert report.entry_rows[:2] == tuple(report.entry_rows)[:2]
    with pytest.raises(IndexError):
        report.entry_rows[len(entries)]


def test_entry_rows_say_what_the_findings_say():
    """A row's counts, waived count, standing and samples come from the findings."""
    report = tricky_report()
    rows = {r.entry_number: r for r in report.entry_rows}

    first = rows["B76-0000001-5"]
    assert first.waived == 1
    assert first.samples == ("S-1",)
    assert first.violations >= 1
    twice = [r for r in report.entry_rows if r.entry_number == "B76-0000002-3"]
    assert len(twice) == 2
    assert twice[0].violations == twice[1].violations  # one key, one set of findings


def test_reports_given_plain_tuples_render_the_same():
    """A report built from tuples of summaries and facts (as the Dask adapter and redaction
    build them) renders every format exactly as the audit's own report.
    """
    report = tricky_report()
    plain = attrs.evolve(
        report,
        result=attrs.evolve(report.result, entries=tuple(report.entries)),
        facts=tuple(report.facts),
    )

    assert plain.entry_rows == report.entry_rows
    for fmt in FORMATS:
        assert plain.render(fmt) == report.render(fmt), fmt


def test_reports_without_facts_still_list_every_entry():
    """Without facts the entry table still lists the entries (facts blank), as before."""
    report = attrs.evolve(tricky_report(), facts=())

    assert [r.port_code for r in report.entry_rows] == [""] * len(report.entries)
    assert report.to_dict()["patterns"] == []
    for fmt in FORMATS:
        stream = io.StringIO()
        report.write(fmt, stream)
        assert stream.getvalue() == report.render(fmt)


def test_redacted_report_streams_its_own_text():
    """Redaction (which rebuilds the facts) renders as it writes."""
    report = tricky_report(redact_key=bytes(32))

    assert "Jos\u00e9" not in report.render("json")
    for fmt in FORMATS:
        stream = io.StringIO()
        report.write(fmt, stream)
        assert stream.getvalue() == report.render(fmt)


def test_entry_summaries_pickle_with_their_records():
    """The engine's entry summaries (sent between Dask workers) survive pickling."""
    result = run_rules(tricky_population(), REGISTRY.select(["VAL001"], []))

    assert isinstance(result.entries, EntrySummaries)

    again = pickle.loads(pickle.dumps(result.entries))

    assert again == result.entries
    assert tuple(again) == tuple(result.entries)
    assert again.counts == result.entries.counts


@pytest.mark.parametrize(
    "value", ["123.45", "0.00", "-0.00", "-12.30", "12.5", "1E+2", "7", "99999999999999999999.99"]
)
def test_records_keep_the_total_exactly(value):
    """A total kept as cents reads back with the same digits and exponent."""
    entry = make_entry(value=value)
    report = t86audit.audit([entry], select=["VAL001"])

    total = report.facts[0].total_value
    assert total.as_tuple() == entry.total_value.as_tuple()
    kept = _entries._cents(Decimal(value))
    back = kept if isinstance(kept, Decimal) else Decimal(f"{kept}E-2")
    assert back.as_tuple() == Decimal(value).as_tuple()


def test_records_share_repeated_values():
    """Names, ports, sources and dates are one object however many entries repeat them."""
    entries = [make_entry(serial=i, value="20.00") for i in range(1, 50)]
    report = t86audit.audit(entries, select=["VAL001"])
    assert isinstance(report.result.entries, EntrySummaries)
    records = report.result.entries.records

    assert len({id(r.seller) for r in records}) == 1
    assert len({id(r.arrival_date) for r in records}) == 1
    assert all(r.odd_key is None for r in records)
    assert [r.key for r in records] == [e.entry_number.key for e in entries]


def test_cli_write_leaves_no_file_when_writing_fails(tmp_path):
    """If the report fails part way, the target is untouched and no temporary file is left."""
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def failing(stream):
        stream.write("partial")
        raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        cli._write(failing, str(target), force=True, stdout=io.StringIO())

    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_cli_write_streams_into_the_file(tmp_path):
    """A writer function's pieces end up in the file, line ends untouched (CRLF for CSV)."""
    target = tmp_path / "report.csv"

    def pieces(stream):
        stream.write('"a"\r\n')
        stream.write('"b"\r\n')

    cli._write(pieces, str(target), force=False, stdout=io.StringIO())

    assert target.read_bytes() == b'"a"\r\n"b"\r\n'


def test_cli_audit_output_is_the_rendered_report(tmp_path):
    """The command line writes exactly what render() gives, in every format."""
    entries = tricky_population()[:3]
    source = tmp_path / "entries.csv"
    rows = to_csv_rows(entries)
    with source.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    loaded = t86audit.load(source)
    for fmt in FORMATS:
        target = tmp_path / f"r.{fmt}"
        status = cli.main(
            [
                "audit",
                str(source),
                "--format",
                fmt,
                "-o",
                str(target),
                "--generated-at",
                AT.isoformat(),
            ],
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        assert status == 0
        expected = t86audit.audit(
            loaded, generated_at=AT, invocation={"command": "audit", "format": fmt}
        ).render(fmt)
        assert target.read_bytes() == expected.encode("utf-8"), fmt


def test_nan_and_infinity_are_written_as_json_writes_them():
    """Floats go through json.dumps, so NaN and Infinity keep json's spelling."""
    assert report_json._value([math.nan, -math.inf, 1.5], 1) == json.dumps(
        [math.nan, -math.inf, 1.5], indent=2
    ).replace("\n", "\n  ")
    assert re.fullmatch(
        r"\[\n    NaN,\n    -Infinity,\n    1.5\n  \]",
        report_json._value([math.nan, -math.inf, 1.5], 1),
    )


_OLD_ENTITIES: dict[str, str | int | None] = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}


def _old_markdown_escape(text):
    """markdown.escape as it was: entities, collapsed white space, then a regex for specials."""
    value = str(text)
    if not value.isprintable():
        value = "".join(" " if c.isspace() else c if c.isprintable() else "\ufffd" for c in value)
    flat = " ".join(value.translate(str.maketrans(_OLD_ENTITIES)).split())
    return re.sub(r"([\\`*_\[\]|~#])", r"\\\1", flat)


@given(st.text(alphabet=st.sampled_from("ab \t\n\r\x0b\x1c\x00\u2028\u202e&<>\\`*_[]|~#;é")))
def test_markdown_escape_is_unchanged(text):
    """The one-pass Markdown escape gives what the regex-based one gave."""
    from t86audit.report.markdown import escape  # noqa: PLC0415

    assert escape(text) == _old_markdown_escape(text)


def test_entries_made_by_column_are_the_rows_made_one_at_a_time() -> None:
    """The JSON writer formats an audit's entry table column by column; the text must be the
    row-by-row formatting's, for every kind of row: clean, flagged, waived, sampled, an entry
    of another type (not judged, flagged or not), an entry number filed in an odd form (its
    key is not the number without dashes), texts that need escaping."""
    entries = [
        make_entry(serial=1),
        make_entry(serial=2, value="950.00"),  # VAL001: a violation
        make_entry(serial=3, value="950.00"),  # waived below
        make_entry(serial=4, entry_type="01", value="950.00"),
        make_entry(serial=5, entry_type="11"),
        make_entry(
            serial=6,
            consignee={"name": 'Zoë "Q" Line\u2028Two', "address": "1 Main St"},
            port_code="27\\04",
        ),
    ]
    odd = attrs.evolve(
        make_entry(serial=7, value="950.00"),
        entry_number=EntryNumber(make_entry(serial=7).number.lower()),
    )
    entries.append(odd)
    sample = make_sample(entries[:3], population=entries)
    waiver = {
        "entry_number": entries[2].number,
        "code": "VAL001",
        "reason": "value corrected by PSC",
        "reviewer": "R. Diaz",
        "date": "2024-07-01",
    }
    report = t86audit.audit(entries, samples=[sample], waivers=[waiver], select=["VAL001"])
    source = EntryRowSource(report)
    by_column = source.record_tails()
    assert by_column is not None
    made = list(report_json._record_texts(*by_column))
    assert made == list(report_json._entry_texts(source, plain=True))
    statuses = [json.loads(text)["status"] for text in made]
    assert statuses == [
        "clean",
        "violation",
        "waived",
        "not_judged",
        "not_judged",
        "clean",
        "violation",
    ]
    assert json.loads(made[2])["waived"] == 1
    assert json.loads(made[0])["samples"] == [sample.id]
