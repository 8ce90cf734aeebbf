"""Tests for t86audit.sample: reproducible, disjoint samples with their provenance."""

import datetime as dt
import hashlib
import io
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from t86audit.exceptions import InputError, SampleError, T86AuditError, UnknownEntriesError
from t86audit.model import Entry, LineItem, Party, compute_check_digit
from t86audit.sample import (
    SAMPLE_SIZE,
    STRATIFY_FIELDS,
    JudgmentSample,
    cited_sample,
    draw_samples,
    population_fingerprint,
    read_samples,
    samples_to_json,
    write_samples,
)


WHEN = dt.datetime(2024, 6, 11, 9, 30, tzinfo=dt.UTC)


def number(serial: int, filer: str = "ABC") -> str:
    """A well-formed entry number with a correct check digit."""
    digits = f"{serial:07d}"
    return f"{filer}-{digits}-{compute_check_digit(filer, digits)}"


def make_entry(
    serial: int,
    *,
    filer: str = "ABC",
    port: str = "2704",
    seller: str = "Shenzhen Seller Co",
    consignee: str = "Jane Doe",
    arrival: dt.date = dt.date(2024, 1, 15),
    value: str = "25.00",
    entry_number: str | None = None,
) -> Entry:
    """A one-line Type 86 entry with the fields sampling looks at."""
    # Passed as a dict because mypy cannot type Entry's generic ``converter=tuple`` for lines.
    fields: dict[str, Any] = {
        "entry_number": entry_number or number(serial, filer),
        "arrival_date": arrival,
        "port_code": port,
        "consignee": Party(name=consignee),
        "seller": Party(name=seller),
        "lines": [LineItem(1, description="T-shirt", value_usd=Decimal(value))],
    }
    return Entry(**fields)


def population(size: int, start: int = 1) -> list[Entry]:
    """``size`` entries with consecutive serials."""
    return [make_entry(serial) for serial in range(start, start + size)]


def test_sample_size_is_cbp_practice() -> None:
    """The default sample size is CBP's ten entries."""
    assert SAMPLE_SIZE == 10
    (sample,) = draw_samples(population(30), seed=1, drawn_at=WHEN)
    assert sample.size == 10


def test_golden_two_samples_of_ten_seed_7() -> None:
    """The draw algorithm is pinned: 30 entries, seed 7, two samples of ten."""
    samples = draw_samples(population(30), size=10, count=2, seed=7, drawn_at=WHEN)
    assert [sample.entry_numbers for sample in samples] == [
        (
            "ABC-0000029-1",
            "ABC-0000001-0",
            "ABC-0000006-9",
            "ABC-0000025-9",
            "ABC-0000010-1",
            "ABC-0000002-8",
            "ABC-0000019-2",
            "ABC-0000008-5",
            "ABC-0000003-6",
            "ABC-0000014-3",
        ),
        (
            "ABC-0000013-5",
            "ABC-0000005-1",
            "ABC-0000011-9",
            "ABC-0000021-8",
            "ABC-0000016-8",
            "ABC-0000012-7",
            "ABC-0000022-6",
            "ABC-0000009-3",
            "ABC-0000024-2",
            "ABC-0000015-0",
        ),
    ]
    assert [sample.id for sample in samples] == ["S1", "S2"]


def test_rank_follows_documented_recipe() -> None:
    """Samples are the front of the sha256(f"{seed}\\x1f{key}") ranking, as documented."""
    entries = population(25)
    seed = 12345
    ranked = sorted(
        entries,
        key=lambda e: hashlib.sha256(f"{seed}\x1f{e.entry_number.key}".encode()).hexdigest(),
    )
    samples = draw_samples(entries, size=4, count=3, seed=seed, drawn_at=WHEN)
    drawn = [entry for sample in samples for entry in sample.entries]
    assert drawn == ranked[:12]


def test_same_seed_same_samples_and_other_seed_differs() -> None:
    """Same seed and population give the same samples; another seed gives others."""
    entries = population(50)
    first = draw_samples(entries, count=2, seed=7, drawn_at=WHEN)
    again = draw_samples(entries, count=2, seed=7, drawn_at=WHEN)
    other = draw_samples(entries, count=2, seed=8, drawn_at=WHEN)
    assert first == again
    assert [s.entry_numbers for s in first] != [s.entry_numbers for s in other]


def test_independent_of_population_order() -> None:
    """Shuffling the population does not change the samples."""
    entries = population(40)
    shuffled = entries[:]
    random.Random(3).shuffle(shuffled)
    assert shuffled != entries
    in_order = draw_samples(entries, count=3, seed=99, drawn_at=WHEN)
    reordered = draw_samples(shuffled, count=3, seed=99, drawn_at=WHEN)
    assert [s.entry_numbers for s in in_order] == [s.entry_numbers for s in reordered]
    assert [s.population_fingerprint for s in in_order] == [
        s.population_fingerprint for s in reordered
    ]


def test_matching_is_by_key_not_formatting() -> None:
    """The ranking uses the entry-number key, so dashes and case do not move an entry."""
    dashed = population(20)
    plain = [make_entry(0, entry_number=entry.number.replace("-", "").lower()) for entry in dashed]
    a = draw_samples(dashed, size=5, seed=4, drawn_at=WHEN)[0]
    b = draw_samples(plain, size=5, seed=4, drawn_at=WHEN)[0]
    assert a.keys == b.keys


def test_samples_are_disjoint_exact_size_distinct_and_from_population() -> None:
    """Samples drawn together do not overlap, have the exact size and distinct entries."""
    entries = population(35)
    samples = draw_samples(entries, size=10, count=3, seed=2024, drawn_at=WHEN)
    assert len(samples) == 3
    seen: set[str] = set()
    for sample in samples:
        assert sample.size == 10
        assert len(sample.keys) == 10
        assert seen.isdisjoint(sample.keys)
        seen |= sample.keys
        assert all(entry in entries for entry in sample.entries)


def test_provenance_recorded() -> None:
    """A drawn sample records method, seed, population size, fingerprint and time."""
    entries = population(12)
    (sample,) = draw_samples(entries, size=3, seed=5, drawn_at=WHEN, id_prefix="R")
    assert sample.id == "R1"
    assert sample.method == "random"
    assert sample.projectable is True
    assert sample.seed == 5
    assert sample.population_size == 12
    assert sample.population_fingerprint == population_fingerprint(entries)
    assert sample.drawn_at == WHEN
    assert sample.stratify_by is None


def test_drawn_at_defaults_to_now_utc_and_is_normalised() -> None:
    """drawn_at defaults to the current UTC time; an aware time is stored in UTC."""
    before = dt.datetime.now(dt.UTC)
    (sample,) = draw_samples(population(10), seed=1)
    assert before <= sample.drawn_at <= dt.datetime.now(dt.UTC)
    assert sample.drawn_at.utcoffset() == dt.timedelta(0)
    eastern = dt.timezone(dt.timedelta(hours=-4))
    (shifted,) = draw_samples(
        population(10), seed=1, drawn_at=dt.datetime(2024, 6, 11, 5, 30, tzinfo=eastern)
    )
    assert shifted.drawn_at == WHEN
    assert shifted.drawn_at.tzinfo == dt.UTC


def test_naive_drawn_at_rejected() -> None:
    """A naive drawn_at is refused: the provenance time must be unambiguous."""
    with pytest.raises(SampleError, match="timezone-aware"):
        draw_samples(population(10), seed=1, drawn_at=dt.datetime(2024, 6, 11))  # noqa: DTZ001


def test_population_too_small_rejected_clearly() -> None:
    """Too few distinct entries for size * count is an error that gives the numbers."""
    with pytest.raises(
        SampleError, match=r"population has 15 distinct Type 86 entries; 2 samples of 10 need 20"
    ):
        draw_samples(population(15), count=2, seed=1)
    with pytest.raises(
        SampleError, match=r"population has 0 distinct Type 86 entries; 1 sample of 10 needs 10"
    ):
        draw_samples([], seed=1)


def test_duplicate_entry_numbers_are_one_candidate() -> None:
    """An entry number filed twice is one candidate, keeping the first entry."""
    first = make_entry(1, consignee="First")
    again = make_entry(1, consignee="Second")
    entries = [first, again, *population(8, start=2)]
    with pytest.raises(SampleError, match="9 distinct Type 86 entries"):
        draw_samples(entries, size=10, seed=1)
    (sample,) = draw_samples(entries, size=9, seed=1, drawn_at=WHEN)
    assert first in sample.entries
    assert all(entry.consignee.name != "Second" for entry in sample.entries)
    assert sample.population_size == 10


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"size": 0}, "size must be a positive integer"),
        ({"count": 0}, "count must be a positive integer"),
        ({"size": 2.5}, "size must be a positive integer"),
        ({"seed": True}, "seed must be an integer"),
        ({"seed": "7"}, "seed must be an integer"),
        ({"seed": 1.0}, "seed must be an integer"),
    ],
)
def test_bad_arguments_rejected(kwargs: dict[str, Any], message: str) -> None:
    """Non-positive sizes and non-integer seeds (bool included) are refused."""
    arguments: dict[str, Any] = {"seed": 1, **kwargs}
    with pytest.raises(SampleError, match=message):
        draw_samples(population(20), **arguments)


def test_population_must_hold_entries() -> None:
    """Passing something that is not a sequence of entries fails at once."""
    with pytest.raises(TypeError, match="Entry objects"):
        draw_samples(["ABC-0000001-0"] * 10, seed=1)  # type: ignore[list-item]


def test_stratified_allocation_proportional_and_disjoint() -> None:
    """Stratified samples allocate by largest remainder and stay disjoint."""
    entries = [make_entry(i, port="2704") for i in range(1, 20)] + [
        make_entry(i, port="4701") for i in range(20, 31)
    ]
    samples = draw_samples(entries, size=10, count=2, seed=7, stratify_by="port", drawn_at=WHEN)
    for sample in samples:
        ports = [entry.port_code for entry in sample.entries]
        # 19/30 * 10 = 6.33 and 11/30 * 10 = 3.67: the larger remainder takes the tenth place.
        assert ports.count("2704") == 6
        assert ports.count("4701") == 4
        assert sample.method == "stratified"
        assert sample.stratify_by == "port"
        assert sample.projectable is False
    assert samples[0].keys.isdisjoint(samples[1].keys)


def test_stratified_small_size_goes_to_largest_strata() -> None:
    """With fewer places than strata, the largest strata get them."""
    entries = (
        [make_entry(i, seller="Big Seller") for i in range(1, 11)]
        + [make_entry(i, seller="Mid  seller") for i in range(11, 17)]
        + [make_entry(i, seller="small") for i in range(17, 19)]
    )
    (sample,) = draw_samples(entries, size=2, seed=3, stratify_by="seller", drawn_at=WHEN)
    assert sorted(entry.seller.name for entry in sample.entries) == ["Big Seller", "Mid  seller"]


def test_stratified_tie_broken_by_stratum_name() -> None:
    """Equal remainders go to the stratum whose name sorts first."""
    entries = [make_entry(i, port="4701") for i in range(1, 6)] + [
        make_entry(i, port="2704") for i in range(6, 11)
    ]
    (sample,) = draw_samples(entries, size=3, seed=11, stratify_by="port_code", drawn_at=WHEN)
    ports = [entry.port_code for entry in sample.entries]
    assert ports.count("2704") == 2
    assert ports.count("4701") == 1


def test_stratify_by_month_and_seller_normalisation() -> None:
    """Month strata use the arrival YYYY-MM; seller names are case-folded, spaces collapsed."""
    entries = [
        make_entry(
            i, arrival=dt.date(2024, 1 + i % 2, 5), seller=" ACME  Ltd" if i % 2 else "acme ltd"
        )
        for i in range(1, 21)
    ]
    by_month = draw_samples(entries, size=10, seed=5, stratify_by="month", drawn_at=WHEN)[0]
    months = [entry.arrival_date.month for entry in by_month.entries]
    assert months.count(1) == 5
    assert months.count(2) == 5
    # One seller stratum, so the stratified order equals the random order.
    by_seller = draw_samples(entries, size=10, seed=5, stratify_by="seller", drawn_at=WHEN)[0]
    plain = draw_samples(entries, size=10, seed=5, drawn_at=WHEN)[0]
    assert by_seller.entry_numbers == plain.entry_numbers


def test_stratify_by_callable_and_filer_code() -> None:
    """A function can define strata; filer_code strata come from the entry number."""
    entries = [make_entry(i, filer="ABC") for i in range(1, 9)] + [
        make_entry(i, filer="XYZ") for i in range(1, 9)
    ]
    (by_filer,) = draw_samples(entries, size=4, seed=1, stratify_by="filer_code", drawn_at=WHEN)
    assert (
        sorted(entry.filer_code or "" for entry in by_filer.entries) == ["ABC"] * 2 + ["XYZ"] * 2
    )

    def parity(entry: Entry) -> str:
        return "odd" if int(entry.entry_number.serial or "0") % 2 else "even"

    (by_parity,) = draw_samples(entries, size=4, seed=1, stratify_by=parity, drawn_at=WHEN)
    assert by_parity.stratify_by == "parity"
    assert sorted(parity(entry) for entry in by_parity.entries) == ["even"] * 2 + ["odd"] * 2


def test_stratify_by_unknown_field_lists_allowed_names() -> None:
    """An unknown stratification field names every allowed one."""
    with pytest.raises(SampleError) as caught:
        draw_samples(population(20), seed=1, stratify_by="colour")
    for name in STRATIFY_FIELDS:
        assert name in str(caught.value)
    assert set(STRATIFY_FIELDS) == {
        "port",
        "port_code",
        "seller",
        "consignee",
        "month",
        "filer_code",
    }


def test_stratify_callable_must_return_string() -> None:
    """A stratum function that returns a non-string is reported."""
    with pytest.raises(SampleError, match="must return a string"):
        draw_samples(population(20), seed=1, stratify_by=lambda entry: 1)  # type: ignore[arg-type,return-value]


def test_stratified_samples_that_cannot_be_disjoint_rejected() -> None:
    """When strata are too small for count disjoint samples, the error says so."""
    entries = [make_entry(i, port=f"{2700 + i}") for i in range(1, 21)]
    with pytest.raises(SampleError, match="cannot draw 2 disjoint stratified samples of 10"):
        draw_samples(entries, size=10, count=2, seed=1, stratify_by="port")


def test_cited_sample_matches_by_key_in_cited_order() -> None:
    """Cited numbers find entries whatever their dashes or case, in the order cited."""
    entries = population(20)
    wanted = [entries[4].number.replace("-", ""), entries[2].number.lower(), entries[9].number]
    sample = cited_sample(
        entries, wanted, note="CBP letter of 11 Jun 2024, sample 1", drawn_at=WHEN
    )
    assert sample.entries == (entries[4], entries[2], entries[9])
    assert sample.entry_numbers == (entries[4].number, entries[2].number, entries[9].number)
    assert sample.method == "cited"
    assert sample.seed is None
    assert sample.projectable is False
    assert sample.id == "cited-1"
    assert sample.note == "CBP letter of 11 Jun 2024, sample 1"
    assert sample.population_size == 20


def test_cited_sample_lists_every_unknown_number() -> None:
    """All unknown cited numbers are reported together, in the order given."""
    entries = population(10)
    with pytest.raises(UnknownEntriesError) as caught:
        cited_sample(entries, ["ZZZ-0000001-1", entries[0].number, "not a number"])
    assert caught.value.unknown == ("ZZZ-0000001-1", "not a number")
    assert isinstance(caught.value, T86AuditError)


def test_cited_sample_duplicates_and_size() -> None:
    """A number cited twice, a size mismatch or an empty list is refused."""
    entries = population(10)
    with pytest.raises(SampleError, match="cited more than once: ABC-0000001-0"):
        cited_sample(entries, [entries[0].number, entries[1].number, "abc00000010"])
    with pytest.raises(SampleError, match="should have 10 entries but 2"):
        cited_sample(entries, [entries[0].number, entries[1].number], size=10)
    with pytest.raises(SampleError, match="no entry numbers"):
        cited_sample(entries, [])
    with pytest.raises(TypeError, match="single string"):
        cited_sample(entries, entries[0].number)
    judged = cited_sample(
        entries, [e.number for e in entries[:3]], id="J1", method="judgment", size=3, drawn_at=WHEN
    )
    assert judged.method == "judgment"
    assert judged.projectable is False


def test_judgment_sample_validates_its_fields() -> None:
    """A sample cannot repeat an entry, be empty, or lack a seed when it is random."""
    entries = population(3)
    common: dict[str, Any] = {
        "population_size": 3,
        "population_fingerprint": population_fingerprint(entries),
        "drawn_at": WHEN,
    }
    with pytest.raises(SampleError, match="twice"):
        JudgmentSample(
            id="X", method="judgment", entries=[entries[0], entries[0]], seed=None, **common
        )
    with pytest.raises(SampleError, match="at least one entry"):
        JudgmentSample(id="X", method="judgment", entries=[], seed=None, **common)
    with pytest.raises(SampleError, match="needs its seed"):
        JudgmentSample(id="X", method="random", entries=entries, seed=None, **common)
    with pytest.raises(SampleError, match="method"):
        JudgmentSample(id="X", method="hunch", entries=entries, seed=None, **common)  # type: ignore[arg-type]


def test_fingerprint_recipe() -> None:
    """The fingerprint is sha256 of the sorted entry numbers as filed, joined by newlines."""
    entries = [make_entry(3), make_entry(1), make_entry(2)]
    expected = hashlib.sha256(
        "\n".join(["ABC-0000001-0", "ABC-0000002-8", "ABC-0000003-6"]).encode("utf-8")
    ).hexdigest()
    assert population_fingerprint(entries) == expected
    assert population_fingerprint(reversed(entries)) == expected
    assert population_fingerprint(population(30)) == (
        "96649a9748f8a4a3d778a6ebb706c8df2c0b0ebdb57240470850e2eef6968053"
    )
    assert population_fingerprint(population(30)) != population_fingerprint(population(29))


def test_to_dict_and_json_schema() -> None:
    """The samples document has the contract's keys and values."""
    entries = population(30)
    samples = draw_samples(entries, count=2, seed=7, drawn_at=WHEN)
    document = samples_to_json(samples, entries)
    assert list(document) == ["schema_version", "population", "samples"]
    assert document["schema_version"] == 1
    assert document["population"] == {
        "entries": 30,
        "fingerprint": population_fingerprint(entries),
    }
    first = document["samples"][0]  # type: ignore[index]
    assert list(first)[:6] == ["id", "method", "seed", "size", "entries", "drawn_at"]
    assert first["id"] == "S1"
    assert first["method"] == "random"
    assert first["seed"] == 7
    assert first["size"] == 10
    assert first["entries"] == list(samples[0].entry_numbers)
    assert first["drawn_at"] == "2024-06-11T09:30:00+00:00"
    assert dt.datetime.fromisoformat(first["drawn_at"]) == WHEN


def test_duplicate_sample_ids_rejected_on_write() -> None:
    """Two samples with the same id cannot be written."""
    entries = population(20)
    (a,) = draw_samples(entries, seed=1, drawn_at=WHEN)
    (b,) = draw_samples(entries, seed=2, drawn_at=WHEN)
    with pytest.raises(SampleError, match="repeated: S1"):
        samples_to_json([a, b], entries)


def test_write_read_round_trip_file(tmp_path: Path) -> None:
    """Samples written to a file read back equal, rebuilt from the population."""
    entries = population(40)
    drawn = draw_samples(entries, count=2, seed=7, drawn_at=WHEN)
    cited = cited_sample(entries, [entries[0].number], note="letter", drawn_at=WHEN)
    strat = draw_samples(entries, size=4, seed=3, stratify_by="port", drawn_at=WHEN, id_prefix="T")
    path = tmp_path / "samples.json"
    write_samples([*drawn, cited, *strat], entries, path)
    text = path.read_text(encoding="utf-8")
    assert text.endswith("}\n")
    assert text.startswith('{\n  "schema_version": 1,')
    assert json.loads(text) == samples_to_json([*drawn, cited, *strat], entries)
    again = read_samples(path, entries)
    assert again == (*drawn, cited, *strat)
    assert again[0].entries[0] is next(
        e for e in entries if e.number == again[0].entries[0].number
    )


def test_read_stream_and_key_matching() -> None:
    """A stream is accepted and entries are matched by key, keeping the population's filing."""
    entries = population(10)
    document = {
        "schema_version": 1,
        "population": {"entries": 10, "fingerprint": population_fingerprint(entries)},
        "samples": [
            {
                "id": "CBP-1",
                "method": "cited",
                "seed": None,
                "size": 2,
                "entries": [entries[3].number.replace("-", ""), entries[5].number],
                "drawn_at": "2024-06-11",
            }
        ],
    }
    (sample,) = read_samples(io.StringIO(json.dumps(document)), entries)
    assert sample.entries == (entries[3], entries[5])
    assert sample.drawn_at == dt.datetime(2024, 6, 11, tzinfo=dt.UTC)
    assert sample.population_size == 10
    assert sample.note == ""


def test_read_rejects_changed_population_unless_allowed() -> None:
    """A changed population is refused unless allowed; then samples keep the old fingerprint."""
    entries = population(30)
    samples = draw_samples(entries, count=2, seed=7, drawn_at=WHEN)
    buffer = io.StringIO()
    write_samples(samples, entries, buffer)
    grown = [*entries, make_entry(31)]
    with pytest.raises(SampleError, match="allow_population_change"):
        read_samples(io.StringIO(buffer.getvalue()), grown)
    again = read_samples(io.StringIO(buffer.getvalue()), grown, allow_population_change=True)
    assert [s.entry_numbers for s in again] == [s.entry_numbers for s in samples]
    assert again[0].population_fingerprint == population_fingerprint(entries)
    assert again[0].population_size == 30


def test_read_lists_every_unknown_entry() -> None:
    """Entry numbers missing from the population are listed together."""
    entries = population(30)
    samples = draw_samples(entries, count=2, seed=7, drawn_at=WHEN)
    buffer = io.StringIO()
    write_samples(samples, entries, buffer)
    missing = {samples[0].entries[0].number, samples[1].entries[-1].number}
    shrunk = [e for e in entries if e.number not in missing]
    with pytest.raises(UnknownEntriesError) as caught:
        read_samples(io.StringIO(buffer.getvalue()), shrunk, allow_population_change=True)
    assert set(caught.value.unknown) == missing


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("{not json", "invalid JSON at line 1, column 2"),
        ('{"schema_version": 1' + "0" * 5000 + "}", "a number in the JSON has too many digits"),
        ('{"schema_version": 2, "population": {}, "samples": []}', "unsupported schema_version 2"),
        ("[]", "must be a JSON object"),
        ('{"schema_version": 1, "population": {"entries": 0, "fingerprint": "x"}}', "'samples'"),
        (
            (
                '{"schema_version": 1, "population": {"entries": 0, "fingerprint": "x"},'
                ' "samples": [{"id": "S1", "method": "random", "seed": 1, "size": 3,'
                ' "entries": ["A"], "drawn_at": "2024-06-11T00:00:00Z"}]}'
            ),
            "'size' is 3 but 1 entries",
        ),
        (
            (
                '{"schema_version": 1, "population": {"entries": 0, "fingerprint": "x"},'
                ' "samples": [{"id": "S1", "method": "guess", "seed": 1, "size": 0,'
                ' "entries": [], "drawn_at": "2024-06-11T00:00:00Z"}]}'
            ),
            "'method' must be one of",
        ),
    ],
)
def test_read_bad_files_raise_input_error_naming_file(
    tmp_path: Path, text: str, reason: str
) -> None:
    """Bad JSON, another schema version or a wrong shape is an InputError naming the file."""
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError, match=reason) as caught:
        read_samples(path, population(3))
    assert caught.value.source == str(path)
    assert str(path) in str(caught.value)


def test_read_missing_file_and_repeated_entry(tmp_path: Path) -> None:
    """A missing file and a sample listing an entry twice are InputErrors."""
    with pytest.raises(InputError, match="file not found"):
        read_samples(tmp_path / "nope.json", population(3))
    entries = population(3)
    document = {
        "schema_version": 1,
        "population": {"entries": 3, "fingerprint": population_fingerprint(entries)},
        "samples": [
            {
                "id": "J",
                "method": "judgment",
                "seed": None,
                "size": 2,
                "entries": [entries[0].number, entries[0].number.replace("-", "")],
                "drawn_at": "2024-06-11T00:00:00+00:00",
            }
        ],
    }
    with pytest.raises(InputError, match=r"samples\[0\].*twice"):
        read_samples(io.StringIO(json.dumps(document)), entries)


def test_html_and_markdown_escape_untrusted_values() -> None:
    """Notebook renderings show the entries and provenance with every value escaped."""
    hostile = "<script>alert('x')</script> | boss"
    entries = [make_entry(i, consignee=hostile) for i in range(1, 4)]
    sample = cited_sample(entries, [e.number for e in entries], note="<b>note</b>", drawn_at=WHEN)
    rendered = sample._repr_html_()
    assert "<script>" not in rendered
    assert "&lt;script&gt;" in rendered
    assert "&lt;b&gt;note&lt;/b&gt;" in rendered
    assert "ABC-0000001-0" in rendered
    assert "25.00" in rendered
    markdown = sample._repr_markdown_()
    assert "<script>" not in markdown
    assert "| boss" not in markdown
    assert "| ABC-0000002-8 | 2024-01-15 |" in markdown
    assert "describes only the entries in it" in markdown


@settings(max_examples=80, deadline=None)
@given(
    population_size=st.integers(min_value=0, max_value=60),
    size=st.integers(min_value=1, max_value=12),
    count=st.integers(min_value=1, max_value=4),
    seed=st.integers(min_value=-(2**63), max_value=2**63),
)
def test_property_disjoint_exact_size_from_population(
    population_size: int, size: int, count: int, seed: int
) -> None:
    """Any population, size, count, seed: disjoint samples of exact size, or a clear error."""
    entries = population(population_size)
    if size * count > population_size:
        with pytest.raises(SampleError, match=f"population has {population_size} distinct"):
            draw_samples(entries, size=size, count=count, seed=seed, drawn_at=WHEN)
        return
    samples = draw_samples(entries, size=size, count=count, seed=seed, drawn_at=WHEN)
    assert len(samples) == count
    keys = {entry.entry_number.key for entry in entries}
    union: set[str] = set()
    for sample in samples:
        assert sample.size == size
        assert len(sample.keys) == size
        assert sample.keys <= keys
        assert union.isdisjoint(sample.keys)
        union |= sample.keys
    assert draw_samples(entries, size=size, count=count, seed=seed, drawn_at=WHEN) == samples


def test_the_result_of_load_and_a_single_sample_are_taken_as_given():
    """draw_samples(load(...)) and cited_sample(load(...)) sample its entries; audit() takes
    one sample as a list of one (both failed with 'object is not iterable')."""
    import t86audit  # noqa: PLC0415
    from t86audit.io import LoadResult  # noqa: PLC0415
    from t86audit.testing import make_population  # noqa: PLC0415

    entries = make_population(60, seed=4)
    loaded = LoadResult(
        entries=tuple(entries), errors=(), sources=(), rows_read=60, rows_rejected=0
    )
    (from_load,) = draw_samples(loaded, size=10, count=1, seed=3)
    (from_entries,) = draw_samples(entries, size=10, count=1, seed=3)
    assert from_load.entries == from_entries.entries
    assert from_load.population_fingerprint == from_entries.population_fingerprint
    cited = cited_sample(loaded, [entries[5].number, entries[9].number], id="L1")
    assert [e.number for e in cited.entries] == [entries[5].number, entries[9].number]
    at = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    alone = t86audit.audit(entries, samples=cited, generated_at=at)
    listed = t86audit.audit(entries, samples=[cited], generated_at=at)
    assert alone.to_json() == listed.to_json()
    with pytest.raises(TypeError, match=r"or the result of load\(\)\), got str"):
        draw_samples("entries.csv", size=10, count=1, seed=3)  # type: ignore[arg-type]
