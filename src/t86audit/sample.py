r"""Samples of entries with their provenance: random, stratified, cited and judgment samples.

CBP examined brokers' Type 86 filings in samples of ten entries picked by judgment. This module
draws samples the same size (:data:`SAMPLE_SIZE`), records where they came from (method, seed,
population size and fingerprint, time drawn) and writes and reads them as the samples file of the
contract (``t86audit sample --output``, ``t86audit audit --samples``).

How a random sample is drawn
----------------------------
Every distinct entry of the population (by :attr:`~t86audit.model.EntryNumber.key`) is given the
rank key ``sha256(f"{seed}\x1f{key}".encode("utf-8")).digest()``; entries are sorted by that
digest (as bytes, which is the order of its hex string), ties by entry-number key, and samples are
taken from the front of that order. Treating SHA-256 as a random function, the order is a
uniformly random permutation keyed by the seed, so the first ``size`` entries are a simple random
sample without replacement. The order depends only on the seed and the entry numbers: not on the
order entries were loaded in, the platform, the Python version or hash randomisation, so the same
seed and population give the same samples on every run. ``count`` samples drawn together take
``size * count`` entries from the front of the order and split them in order, so they never
overlap.

A population can hold the same entry number twice (a data error that the FIL rules report). For
sampling, the entry number is one candidate: the first entry with that key is kept.

Only a random sample is *projectable*: a rate and exact confidence bounds from it describe the
population's Type 86 entries, the entries a draw can pick (see :mod:`t86audit.stats`). Cited and
judgment samples describe only the entries they contain. A stratified sample is random within
each stratum, but its rate describes the population only weighted by stratum, which t86audit
does not compute: it is not projected either.
"""

import datetime as dt
import hashlib
import html
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, TextIO, cast, get_args

import attrs

from t86audit.exceptions import InputError, SampleError, UnknownEntriesError
from t86audit.io._json import decode_document
from t86audit.io._result import LoadResult
from t86audit.model import TYPOGRAPHIC_DASHES, Entry, EntryNumber, entry_number_key


__all__ = [
    "SAMPLE_SIZE",
    "SCHEMA_VERSION",
    "STRATIFY_FIELDS",
    "JudgmentSample",
    "SampleMethod",
    "SamplesFile",
    "cited_sample",
    "draw_samples",
    "population_fingerprint",
    "read_samples",
    "samples_to_json",
    "write_samples",
]

SAMPLE_SIZE = 10
"""Entries per sample: CBP's practice in its Type 86 reviews."""

SCHEMA_VERSION = 1
"""The ``schema_version`` of the samples file this module writes and reads."""

SampleMethod = Literal["random", "stratified", "cited", "judgment"]
"""How a sample was chosen; only ``"random"`` samples are projectable."""

_METHODS: tuple[str, ...] = get_args(SampleMethod)
_SEEDED_METHODS = frozenset({"random", "stratified"})
_CITED_METHODS = ("cited", "judgment")


def _collapsed(text: str) -> str:
    return " ".join(text.split()).casefold()


def _stratum_port(entry: Entry) -> str:
    return entry.port_code.strip()


def _stratum_seller(entry: Entry) -> str:
    return _collapsed(entry.seller.name)


def _stratum_consignee(entry: Entry) -> str:
    return _collapsed(entry.consignee.name)


def _stratum_month(entry: Entry) -> str:
    return f"{entry.arrival_date.year:04d}-{entry.arrival_date.month:02d}"


def _stratum_filer_code(entry: Entry) -> str:
    return entry.filer_code or ""


_STRATIFIERS: dict[str, Callable[[Entry], str]] = {
    "consignee": _stratum_consignee,
    "filer_code": _stratum_filer_code,
    "month": _stratum_month,
    "port": _stratum_port,
    "port_code": _stratum_port,
    "seller": _stratum_seller,
}

STRATIFY_FIELDS: tuple[str, ...] = tuple(sorted(_STRATIFIERS))
"""Field names ``stratify_by`` accepts.

``port`` and ``port_code`` are the port code as filed; ``seller`` and ``consignee`` the party
name case-folded with white space collapsed; ``month`` the arrival month ``YYYY-MM``;
``filer_code`` the entry number's filer code (blank for a malformed number). A blank value is a
stratum of its own.
"""


def _to_utc(given: dt.datetime) -> dt.datetime:
    # Untyped callers and notebooks pass anything; the annotation alone does not stop them.
    value: object = given
    if not isinstance(value, dt.datetime):
        msg = f"drawn_at must be a datetime, got {value!r}"
        raise SampleError(msg)
    if value.tzinfo is None or value.utcoffset() is None:
        msg = f"drawn_at must be timezone-aware, got {value.isoformat()}"
        raise SampleError(msg)
    return value.astimezone(dt.UTC)


def _validate_method(_instance: object, _attribute: object, value: Any) -> None:
    if value not in _METHODS:
        msg = f"sample method must be one of {', '.join(_METHODS)}, got {value!r}"
        raise SampleError(msg)


def _validate_id(_instance: object, _attribute: object, value: Any) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = f"sample id must be a non-empty string, got {value!r}"
        raise SampleError(msg)


def _entry_tuple(values: Iterable[Entry]) -> tuple[Entry, ...]:
    return _checked_entries(values, "sample entries must be Entry objects", SampleError)


def _checked_entries(
    values: Iterable[Entry], must: str, error: type[Exception]
) -> tuple[Entry, ...]:
    """The values as a tuple; the first that is not an :class:`Entry` raises ``error(must)``.

    The annotation is a promise callers may break (a dict, a row, a path), so it is checked.
    """
    entries = tuple(values)
    items: tuple[object, ...] = entries
    for item in items:
        if not isinstance(item, Entry):
            msg = f"{must}, got {type(item).__name__}"
            raise error(msg)
    return entries


def _validate_entries(_instance: object, _attribute: object, value: tuple[Entry, ...]) -> None:
    if not value:
        msg = "a sample must contain at least one entry"
        raise SampleError(msg)
    repeated = _repeated_keys(entry.entry_number for entry in value)
    if repeated:
        msg = f"a sample must not list an entry twice: {', '.join(repeated)}"
        raise SampleError(msg)


# A number copied from a letter (a PDF, a word processor) often comes with typographic dashes
# (en dash, minus sign, non-breaking hyphen), full-width characters or invisible ones (soft
# hyphen, zero-width space) where the filing has ASCII. They name the same entry: a cited number
# is read as typed, so that it is not reported missing from a population that holds it.
_CITED_FORMS = str.maketrans(
    dict.fromkeys(TYPOGRAPHIC_DASHES, "-")
    | dict.fromkeys("\u00ad\u200b\u200c\u200d\u2060\ufeff")
    # Full-width letters and digits as ASCII (only those: a general NFKC would also turn
    # characters an entry number may hold as filed, such as "\u00b8", into others).
    | {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F) if code != 0xFF0D}
)


def _cited_key(number: str) -> str:
    """The comparison key of an entry number as cited (in a letter, a hand-written file).

    As :attr:`~t86audit.model.EntryNumber.key` (no dashes, spaces or case), after reading
    typographic dashes as ``-``, full-width characters as ASCII and dropping invisible ones.

    >>> _cited_key("b76\u20130324527\u20138")
    'B7603245278'
    """
    return entry_number_key(number.translate(_CITED_FORMS))


def _cited_keys(number: str) -> tuple[str, ...]:
    """The keys a cited number may stand for: as typed (:func:`_cited_key`), then as written.

    The second is the number's own key, for a population whose number holds such a character
    as filed (a soft hyphen the export kept): it is found as it is.
    """
    typed = _cited_key(number)
    plain = entry_number_key(number)
    return (typed,) if typed == plain else (typed, plain)


def _found_key(by_key: Mapping[str, object], number: str) -> str | None:
    """The key under which ``by_key`` holds the cited ``number``, if it holds it."""
    for key in _cited_keys(number):
        if key in by_key:
            return key
    return None


def _is_whole_entry_number(text: str) -> bool:
    """Whether ``text`` is a whole entry number as cited: filer code, serial and check digit.

    Three letters or digits, seven digits and a digit once dashes, spaces and case are set
    aside (see :func:`_cited_key`); the check digit itself is not checked. It tells numbers
    separated only by spaces (``"B76-0324527-8 B76-0324528-6"``) from one number written
    with spaces (``"B76 0324527 8"``).

    >>> [_is_whole_entry_number(t) for t in ("B76-0324527-8", "b7603245278", "B76", "0324527")]
    [True, True, False, False]
    """
    key = _cited_key(text)
    return len(key) == 11 and key[:3].isascii() and key[:3].isalnum() and key[3:].isdigit()


def _repeated_cited(numbers: Iterable[str]) -> list[str]:
    """The cited numbers given more than once (by :func:`cited_key`), each as first written."""
    first: dict[str, str] = {}
    repeated: dict[str, str] = {}
    for number in numbers:
        key = _cited_key(number)
        if key in first:
            repeated.setdefault(key, first[key])
        else:
            first[key] = number
    return list(repeated.values())


def _repeated_keys(numbers: Iterable[EntryNumber]) -> list[str]:
    """The entry numbers given more than once (by key), each as first written, in order."""
    first: dict[str, str] = {}
    repeated: dict[str, str] = {}
    for number in numbers:
        if number.key in first:
            repeated.setdefault(number.key, first[number.key])
        else:
            first[number.key] = number.raw
    return list(repeated.values())


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _validate_seed(instance: "JudgmentSample", _attribute: object, value: Any) -> None:
    if value is not None and not _is_int(value):
        msg = f"seed must be an integer or None, got {value!r}"
        raise SampleError(msg)
    if value is None and instance.method in _SEEDED_METHODS:
        msg = f"a {instance.method} sample needs its seed"
        raise SampleError(msg)


def _validate_population_size(_instance: object, _attribute: object, value: Any) -> None:
    if not _is_int(value) or value < 0:
        msg = f"population_size must be a non-negative integer, got {value!r}"
        raise SampleError(msg)


@attrs.frozen
class JudgmentSample:
    """A sample of distinct entries with its provenance.

    The name is CBP's term; the class holds samples of every method. ``entries`` are the
    population's own :class:`~t86audit.model.Entry` objects, distinct by entry-number key, in
    the order drawn (or cited).

    Attributes:
        id: the sample's name, e.g. ``"S1"`` or ``"cited-1"``.
        method: ``"random"``, ``"stratified"``, ``"cited"`` or ``"judgment"``.
        entries: the sampled entries.
        seed: the seed of a random or stratified sample; ``None`` for cited and judgment samples.
        population_size: entries in the population the sample was drawn from, as loaded (an
            entry number filed twice counts twice, as it does in the fingerprint).
        population_fingerprint: :func:`population_fingerprint` of that population.
        drawn_at: when the sample was drawn, timezone-aware, stored in UTC.
        stratify_by: the stratification field (or callable's name) of a stratified sample.
        note: free text, e.g. ``"CBP letter of 11 Jun 2024, sample 1"``.

    Raises:
        SampleError: if the entries are empty or repeat an entry number, the method is unknown,
            a random or stratified sample has no integer seed, or ``drawn_at`` is naive.
    """

    id: str = attrs.field(validator=_validate_id)
    method: SampleMethod = attrs.field(validator=_validate_method)
    entries: tuple[Entry, ...] = attrs.field(converter=_entry_tuple, validator=_validate_entries)
    seed: int | None = attrs.field(validator=_validate_seed)
    population_size: int = attrs.field(validator=_validate_population_size)
    population_fingerprint: str
    drawn_at: dt.datetime = attrs.field(converter=_to_utc)
    stratify_by: str | None = None
    note: str = ""

    @property
    def size(self) -> int:
        """The number of entries in the sample."""
        return len(self.entries)

    @property
    def entry_numbers(self) -> tuple[str, ...]:
        """The sampled entry numbers as filed, in sample order."""
        return tuple(entry.number for entry in self.entries)

    @property
    def keys(self) -> frozenset[str]:
        """The sampled entry-number keys (see :attr:`~t86audit.model.EntryNumber.key`)."""
        return frozenset(entry.entry_number.key for entry in self.entries)

    @property
    def projectable(self) -> bool:
        """Whether results may be projected to the population: only for a random sample.

        A seeded simple random sample supports a population rate with exact confidence
        bounds. Cited and judgment samples describe only their own entries; a stratified
        sample's rate would need weighting by stratum, which is not computed.
        """
        return self.method == "random"

    def to_dict(self) -> dict[str, object]:
        """Return the sample as the samples-file object of the contract.

        Keys, in order: ``id``, ``method``, ``seed``, ``size``, ``entries`` (numbers as filed),
        ``drawn_at`` (ISO 8601), then ``stratify_by``, ``note``, ``population_size`` and
        ``population_fingerprint``.
        """
        return {
            "id": self.id,
            "method": self.method,
            "seed": self.seed,
            "size": self.size,
            "entries": list(self.entry_numbers),
            "drawn_at": self.drawn_at.isoformat(),
            "stratify_by": self.stratify_by,
            "note": self.note,
            "population_size": self.population_size,
            "population_fingerprint": self.population_fingerprint,
        }

    def _provenance(self) -> list[tuple[str, str]]:
        rows = [
            ("Method", self.method),
            ("Seed", "none" if self.seed is None else str(self.seed)),
            ("Size", f"{self.size} of {self.population_size} entries"),
            ("Population fingerprint", self.population_fingerprint),
            ("Drawn at", self.drawn_at.isoformat()),
        ]
        if self.stratify_by is not None:
            rows.append(("Stratified by", self.stratify_by))
        if self.note:
            rows.append(("Note", self.note))
        rows.append(
            (
                "Projectable",
                "yes (simple random sample)"
                if self.projectable
                else "no: its rate would need weighting by stratum"
                if self.method == "stratified"
                else "no: describes only the entries in it",
            )
        )
        return rows

    def _rows(self) -> list[tuple[str, str, str, str]]:
        return [
            (
                entry.number,
                entry.arrival_date.isoformat(),
                entry.consignee.name,
                f"{entry.total_value:,.2f}",
            )
            for entry in self.entries
        ]

    def _repr_html_(self) -> str:
        """Render the sample as an HTML table for notebooks; every value is escaped."""
        esc = html.escape
        parts = [f"<div><strong>Sample {esc(self.id)}</strong>", "<table>"]
        parts.append(
            "<thead><tr><th>Entry number</th><th>Arrival date</th><th>Consignee</th>"
            "<th>Total value (USD)</th></tr></thead><tbody>"
        )
        for number, arrival, consignee, value in self._rows():
            parts.append(
                f"<tr><td>{esc(number)}</td><td>{esc(arrival)}</td><td>{esc(consignee)}</td>"
                f'<td style="text-align:right">{esc(value)}</td></tr>'
            )
        parts.append("</tbody></table><dl>")
        for label, value in self._provenance():
            parts.append(f"<dt>{esc(label)}</dt><dd>{esc(value)}</dd>")
        parts.append("</dl></div>")
        return "".join(parts)

    def _repr_markdown_(self) -> str:
        """Render the sample as a Markdown table for notebooks; every value is escaped."""

        def cell(text: str) -> str:
            # A pipe or a line break would end the table cell early.
            return " ".join(html.escape(text).split()).replace("|", "&#124;")

        lines = [
            f"**Sample {cell(self.id)}**",
            "",
            "| Entry number | Arrival date | Consignee | Total value (USD) |",
            "| --- | --- | --- | ---: |",
        ]
        lines.extend(
            f"| {cell(number)} | {cell(arrival)} | {cell(consignee)} | {cell(value)} |"
            for number, arrival, consignee, value in self._rows()
        )
        lines.append("")
        lines.extend(f"- {cell(label)}: {cell(value)}" for label, value in self._provenance())
        return "\n".join(lines) + "\n"


def population_fingerprint(entries: Iterable[Entry]) -> str:
    r"""Return a fingerprint of a population's entry numbers, to tell if it changed.

    Recipe, to recompute it anywhere: take every entry's number as filed
    (``entry.number``, one per entry, duplicates included), sort them by Unicode code point
    (Python's ``sorted``), join them with ``"\n"`` (no trailing newline), encode as UTF-8 and
    take the SHA-256 digest as lower-case hex::

        hashlib.sha256("\n".join(sorted(e.number for e in entries)).encode("utf-8")).hexdigest()

    Args:
        entries: the population.

    Returns:
        64 lower-case hexadecimal characters.
    """
    return _fingerprint_of_numbers([entry.number for entry in entries])


def _fingerprint_of_numbers(numbers: Iterable[str]) -> str:
    """:func:`population_fingerprint` of the entries with these numbers (as filed)."""
    joined = "\n".join(sorted(numbers))
    return hashlib.sha256(joined.encode("utf-8", "surrogatepass")).hexdigest()


def _as_entries(population: Iterable[Entry] | LoadResult) -> tuple[Entry, ...]:
    # A load's result stands for its entries (what audit() takes); a path or a dict passed
    # by mistake should fail here, with what was given, not deep in sorting.
    if isinstance(population, LoadResult):
        return tuple(population.entries)
    given: object = population
    if isinstance(given, str | bytes | Mapping):
        msg = (
            f"population must be a sequence of Entry objects (or the result of load()), "
            f"got {type(given).__name__}"
        )
        raise TypeError(msg)
    return _checked_entries(population, "population must contain Entry objects", TypeError)


def _first_by_key(entries: Iterable[Entry]) -> dict[str, Entry]:
    """Map each entry-number key to the first entry that has it (dicts keep insertion order)."""
    by_key: dict[str, Entry] = {}
    for entry in entries:
        by_key.setdefault(entry.entry_number.key, entry)
    return by_key


def _rank_digest(seed: int, key: str) -> bytes:
    return hashlib.sha256(f"{seed}\x1f{key}".encode()).digest()


def _check_drawn(sample: JudgmentSample, candidates: Sequence[str], name: str, where: str) -> None:
    """Refuse a sample called random whose entries are not a run of its seed's draw.

    :func:`draw_samples` ranks the candidates by their digest under the seed, and sample *i*
    of a draw is the *i*-th run of ``size`` entries: a sample that is no such run was not
    drawn from this population with this seed (chosen by hand, say), and its rate must not be
    projected to the population.
    """
    seed = cast("int", sample.seed)
    keys = sample.keys
    size = len(sample.entries)
    ranked = sorted(set(candidates), key=lambda key: (_rank_digest(seed, key), key))
    position = {key: at for at, key in enumerate(ranked)}
    places = sorted(position.get(key, -1) for key in keys)
    first = places[0] if places else -1
    if (
        len(keys) == size
        and first >= 0
        and first % size == 0
        and places == list(range(first, first + size))
    ):
        return
    msg = (
        f"{where}: sample {sample.id!r} is marked random with seed {seed}, but its entries "
        f"are not a draw of that seed from this population (t86audit sample --size {size} "
        f"--seed {seed} draws others): a sample chosen otherwise is a judgment sample, whose "
        'rate is not projected to the population; mark it "method": "judgment"'
    )
    raise InputError(name, msg)


def _check_positive(name: str, value: object) -> int:
    if not _is_int(value) or cast("int", value) < 1:
        msg = f"{name} must be a positive integer, got {value!r}"
        raise SampleError(msg)
    return cast("int", value)


def _resolve_drawn_at(drawn_at: dt.datetime | None) -> dt.datetime:
    return dt.datetime.now(dt.UTC) if drawn_at is None else _to_utc(drawn_at)


def _stratifier(
    stratify_by: str | Callable[[Entry], str],
) -> tuple[Callable[[Entry], str], str]:
    given: object = stratify_by
    if isinstance(given, str):
        function = _STRATIFIERS.get(given)
        if function is None:
            msg = (
                f"cannot stratify by {given!r}: use one of {', '.join(STRATIFY_FIELDS)} "
                "or a function of the entry"
            )
            raise SampleError(msg)
        return function, given
    if callable(given):
        name = getattr(given, "__name__", None) or type(given).__name__
        return cast("Callable[[Entry], str]", given), str(name)
    msg = f"stratify_by must be a field name or a function, got {stratify_by!r}"
    raise SampleError(msg)


def _allocate(
    stratum_sizes: Mapping[str, int], size: int, count: int, label: str
) -> dict[str, int]:
    """Split ``size`` over strata in proportion to their sizes (largest remainder).

    Each stratum first gets ``floor(size * N_s / N)``; the seats left go one at a time to the
    largest remainders ``size * N_s mod N`` (integers, so ties are exact), ties to the stratum
    name in sorted order. A stratum never gets more than ``N_s // count``, so ``count``
    disjoint samples with the same allocation fit; a seat it cannot take goes to the next
    stratum in line.
    """
    total = sum(stratum_sizes.values())
    allocation = {name: size * n // total for name, n in stratum_sizes.items()}
    capacity = {name: n // count for name, n in stratum_sizes.items()}
    queue = sorted(stratum_sizes, key=lambda name: (-(size * stratum_sizes[name] % total), name))
    remaining = size - sum(allocation.values())
    while remaining:
        open_strata = [name for name in queue if allocation[name] < capacity[name]]
        if not open_strata:
            per_sample = size - remaining
            msg = (
                f"cannot draw {count} disjoint stratified samples of {size} by {label}: "
                f"its {len(stratum_sizes)} strata can fill only {per_sample} places per sample"
            )
            raise SampleError(msg)
        for name in open_strata[:remaining]:
            allocation[name] += 1
        remaining = size - sum(allocation.values())
    return allocation


def _stratified_groups(
    ranked: Sequence[Entry],
    stratum_of: Callable[[Entry], str],
    size: int,
    count: int,
    label: str,
) -> list[list[Entry]]:
    strata: dict[str, list[Entry]] = {}
    for entry in ranked:
        stratum: object = stratum_of(entry)
        if not isinstance(stratum, str):
            msg = (
                f"stratify_by {label} returned {stratum!r} for entry {entry.number}; "
                "it must return a string"
            )
            raise SampleError(msg)
        strata.setdefault(stratum, []).append(entry)
    allocation = _allocate(
        {name: len(group) for name, group in strata.items()}, size, count, label
    )
    position = {entry.entry_number.key: index for index, entry in enumerate(ranked)}
    groups: list[list[Entry]] = []
    for sample_index in range(count):
        chosen = [
            entry
            for name, members in strata.items()
            for entry in members[
                sample_index * allocation[name] : (sample_index + 1) * allocation[name]
            ]
        ]
        chosen.sort(key=lambda entry: position[entry.entry_number.key])
        groups.append(chosen)
    return groups


def draw_samples(
    population: Sequence[Entry] | LoadResult,
    *,
    size: int = SAMPLE_SIZE,
    count: int = 1,
    seed: int,
    stratify_by: str | Callable[[Entry], str] | None = None,
    drawn_at: dt.datetime | None = None,
    id_prefix: str = "S",
) -> tuple[JudgmentSample, ...]:
    r"""Draw ``count`` disjoint samples of ``size`` distinct entries, reproducibly from ``seed``.

    Entries are ranked by ``sha256(f"{seed}\x1f{key}")`` (see the module documentation): a
    uniformly random permutation keyed by the seed, independent of the order of
    ``population``. Without ``stratify_by`` the samples are simple random samples (method
    ``"random"``, projectable): sample *i* is the *i*-th run of ``size`` entries in that order.

    With ``stratify_by`` (a name from :data:`STRATIFY_FIELDS` or a function returning a
    string for an entry) the samples are stratified (method ``"stratified"``): ``size`` is
    allocated over the strata in proportion to their sizes by largest remainder (ties to the
    stratum name; when ``size`` is below the number of strata the largest strata get the
    places), and each stratum's places are filled in the same hash order, so samples drawn
    together stay disjoint. Every sample has the same allocation.

    An entry number that occurs twice in the population is one candidate (the first entry is
    kept): a repeated entry number is a filing finding, not a sampling concern. Only entries
    the T86 rules judge are candidates (:attr:`~t86audit.model.Entry.judged_as_t86`): a
    broker's export may hold formal (01) and informal (11) entries too, which a sample of T86
    filings must not draw. ``population_size`` and the fingerprint still describe the whole
    population as loaded, so the samples file matches the file it was drawn from.

    Args:
        population: the entries to sample from (or the result of :func:`~t86audit.io.load`).
        size: entries per sample, at least 1.
        count: how many disjoint samples to draw, at least 1.
        seed: the integer seed that fixes the draw; record it.
        stratify_by: a field name or function for stratified samples, or ``None``.
        drawn_at: the time to record (timezone-aware); defaults to now, in UTC.
        id_prefix: sample ids are ``f"{id_prefix}{i}"`` for i = 1, 2, ...

    Returns:
        The samples, in id order.

    Raises:
        SampleError: if ``size`` or ``count`` is not a positive integer, ``seed`` is not an
            integer, the population has fewer than ``size * count`` distinct entries, the
            stratification is unknown or cannot fill the samples, or ``drawn_at`` is naive.
        TypeError: if ``population`` does not hold :class:`~t86audit.model.Entry` objects.
    """
    size = _check_positive("size", size)
    count = _check_positive("count", count)
    if not _is_int(seed):
        msg = f"seed must be an integer, got {seed!r}"
        raise SampleError(msg)
    entries = _as_entries(population)
    candidates = _first_by_key(entry for entry in entries if entry.judged_as_t86)
    needed = size * count
    if len(candidates) < needed:
        wanted = f"1 sample of {size} needs" if count == 1 else f"{count} samples of {size} need"
        msg = f"population has {len(candidates)} distinct Type 86 entries; {wanted} {needed}"
        raise SampleError(msg)
    ranked = sorted(
        candidates.values(),
        key=lambda entry: (_rank_digest(seed, entry.entry_number.key), entry.entry_number.key),
    )
    when = _resolve_drawn_at(drawn_at)
    fingerprint = population_fingerprint(entries)
    if stratify_by is None:
        groups = [ranked[index * size : (index + 1) * size] for index in range(count)]
        method: SampleMethod = "random"
        label = None
    else:
        stratum_of, label = _stratifier(stratify_by)
        groups = _stratified_groups(ranked, stratum_of, size, count, label)
        method = "stratified"
    return tuple(
        JudgmentSample(
            id=f"{id_prefix}{number}",
            method=method,
            entries=group,
            seed=seed,
            population_size=len(entries),
            population_fingerprint=fingerprint,
            drawn_at=when,
            stratify_by=label,
        )
        for number, group in enumerate(groups, start=1)
    )


def cited_sample(
    population: Sequence[Entry] | LoadResult,
    entry_numbers: Sequence[str],
    *,
    id: str = "cited-1",
    method: SampleMethod = "cited",
    note: str = "",
    drawn_at: dt.datetime | None = None,
    size: int | None = None,
) -> JudgmentSample:
    """Rebuild a sample someone else chose, e.g. the entries a CBP letter cites.

    Entry numbers are matched by key, so ``"B76-0324527-8"`` finds an entry filed as
    ``"B7603245278"``; a number copied from a letter with typographic dashes
    (``"B76\u20130324527\u20138"``), full-width or invisible characters is read as typed. The
    sample holds the population's entries in the order cited.

    Args:
        population: the entries the numbers refer to (or the result of
            :func:`~t86audit.io.load`).
        entry_numbers: the cited entry numbers (any count; a letter may cite any number).
        id: the sample's id.
        method: ``"cited"`` (a list given to you) or ``"judgment"`` (your own pick).
        note: provenance, e.g. ``"CBP letter of 11 Jun 2024, sample 1"``.
        drawn_at: the time to record (timezone-aware); defaults to now, in UTC.
        size: if given, the number of entries expected; it must match.

    Returns:
        A sample with ``seed`` None; it is not projectable.

    Raises:
        UnknownEntriesError: listing every cited number that is not in the population.
        SampleError: if no numbers are given, a number is cited twice, ``size`` does not
            match, ``method`` is not ``"cited"`` or ``"judgment"``, or ``drawn_at`` is naive.
        TypeError: if ``entry_numbers`` is a single string.
    """
    given: object = entry_numbers
    if isinstance(given, str | bytes):
        msg = "entry_numbers must be a sequence of entry numbers, not a single string"
        raise TypeError(msg)
    if method not in _CITED_METHODS:
        msg = f"a cited sample's method must be 'cited' or 'judgment', got {method!r}"
        raise SampleError(msg)
    numbers = [str(number) for number in entry_numbers]
    if not numbers:
        msg = "no entry numbers were given for the cited sample"
        raise SampleError(msg)
    if size is not None and size != len(numbers):
        msg = f"the cited sample should have {size} entries but {len(numbers)} were given"
        raise SampleError(msg)
    repeated = _repeated_cited(numbers)
    if repeated:
        msg = f"entry numbers cited more than once: {', '.join(repeated)}"
        raise SampleError(msg)
    entries = _as_entries(population)
    by_key = _first_by_key(entries)
    found = [_found_key(by_key, number) for number in numbers]
    unknown = [number for number, key in zip(numbers, found, strict=True) if key is None]
    if unknown:
        raise UnknownEntriesError(unknown)
    return JudgmentSample(
        id=id,
        method=method,
        entries=[by_key[cast("str", key)] for key in found],
        seed=None,
        population_size=len(entries),
        population_fingerprint=population_fingerprint(entries),
        drawn_at=_resolve_drawn_at(drawn_at),
        note=note,
    )


def samples_to_json(
    samples: Iterable[JudgmentSample], population: Sequence[Entry] | LoadResult
) -> dict[str, object]:
    """Return the samples-file document of the contract for ``samples``.

    ``population`` is recorded at the top (``entries`` and ``fingerprint``); each sample also
    keeps its own population size and fingerprint, so samples rebuilt from an earlier
    population say so.

    Args:
        samples: the samples, in the order to write them.
        population: the population they refer to.

    Returns:
        ``{"schema_version": 1, "population": {...}, "samples": [...]}``.

    Raises:
        SampleError: if two samples share an id.
    """
    entries = _as_entries(population)
    sample_list = list(samples)
    ids = [sample.id for sample in sample_list]
    repeated = sorted({sample_id for sample_id in ids if ids.count(sample_id) > 1})
    if repeated:
        msg = f"sample ids must be unique, repeated: {', '.join(repeated)}"
        raise SampleError(msg)
    return {
        "schema_version": SCHEMA_VERSION,
        "population": {"entries": len(entries), "fingerprint": population_fingerprint(entries)},
        "samples": [sample.to_dict() for sample in sample_list],
    }


def write_samples(
    samples: Iterable[JudgmentSample],
    population: Sequence[Entry] | LoadResult,
    destination: str | os.PathLike[str] | TextIO,
) -> None:
    """Write the samples file: JSON, keys in contract order, 2-space indent, final newline.

    Args:
        samples: the samples to write.
        population: the population they refer to.
        destination: a path (written as UTF-8) or an open text stream.

    Raises:
        SampleError: if two samples share an id.
    """
    text = json.dumps(samples_to_json(samples, population), indent=2) + "\n"
    if isinstance(destination, str | os.PathLike):
        Path(destination).write_text(text, encoding="utf-8", newline="\n")
    else:
        destination.write(text)


def _source_name(source: str | os.PathLike[str] | TextIO) -> str:
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    return str(getattr(source, "name", "<stream>"))


def _read_text(source: str | os.PathLike[str] | TextIO, name: str) -> str:
    if not isinstance(source, str | os.PathLike):
        return source.read()
    try:
        return Path(source).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise InputError(name, "file not found") from exc
    except UnicodeDecodeError as exc:
        raise InputError(name, f"not valid UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise InputError(name, f"cannot be read ({exc.strerror or exc})") from exc


ALLOW_POPULATION_CHANGE_HINT = "allow_population_change=True"
"""How :func:`read_samples`'s error says to go on anyway (the command line says its option)."""


def _recorded_at(source: str | os.PathLike[str] | TextIO) -> dt.datetime:
    """When a sample without ``drawn_at`` was recorded: its file's modification time (UTC)."""
    if isinstance(source, str | os.PathLike):
        try:
            stamp = Path(source).stat().st_mtime
        except OSError:
            pass
        else:
            return dt.datetime.fromtimestamp(int(stamp), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _or_default(value: Any, default: int) -> Any:
    return default if value is None else value


def _require(condition: bool, name: str, reason: str) -> None:
    if not condition:
        raise InputError(name, reason)


def _parse_drawn_at(value: object, name: str, where: str) -> dt.datetime:
    _require(isinstance(value, str), name, f"{where}: drawn_at must be an ISO 8601 string")
    try:
        parsed = dt.datetime.fromisoformat(cast("str", value))
    except ValueError as exc:
        raise InputError(name, f"{where}: drawn_at is not ISO 8601: {value!r}") from exc
    # A hand-written file may omit the offset; the timestamp is provenance, so UTC is assumed.
    return parsed.replace(tzinfo=dt.UTC) if parsed.tzinfo is None else parsed


def _check_document(
    document: Any, name: str
) -> tuple[int | None, str | None, list[dict[str, Any]]]:
    """Check the file's shape; return the recorded population size and fingerprint, if any.

    A file written by hand from a letter may give only ``samples`` (each with ``id``,
    ``method`` and ``entries``): ``schema_version`` and ``population`` are checked when present.
    """
    _require(isinstance(document, dict), name, "a samples file must be a JSON object")
    version = document.get("schema_version", SCHEMA_VERSION)
    _require(
        _is_int(version) and version == SCHEMA_VERSION,
        name,
        f"unsupported schema_version {version!r}; this version reads {SCHEMA_VERSION}",
    )
    size: int | None = None
    fingerprint: str | None = None
    if "population" in document:
        population = document["population"]
        _require(isinstance(population, dict), name, "'population' must be an object")
        size = population.get("entries")
        fingerprint = population.get("fingerprint")
        _require(
            size is None or (_is_int(size) and size >= 0),
            name,
            "'population.entries' must be a non-negative integer",
        )
        _require(
            fingerprint is None or isinstance(fingerprint, str),
            name,
            "'population.fingerprint' must be a string",
        )
    _require("samples" in document, name, "a samples file needs a 'samples' array")
    samples = document.get("samples")
    _require(isinstance(samples, list), name, "'samples' must be an array")
    for index, sample in enumerate(samples):
        _check_sample_object(sample, name, f"samples[{index}]")
    return size, fingerprint, samples


def _check_sample_object(sample: Any, name: str, where: str) -> None:
    _require(isinstance(sample, dict), name, f"{where} must be an object")
    for key in ("id", "method", "entries"):
        _require(key in sample, name, f"{where} has no {key!r}")
    _require(isinstance(sample["id"], str), name, f"{where}: 'id' must be a string")
    _require(
        sample["method"] in _METHODS,
        name,
        f"{where}: 'method' must be one of {', '.join(_METHODS)}, got {sample['method']!r}",
    )
    seed = sample.get("seed")
    _require(seed is None or _is_int(seed), name, f"{where}: 'seed' must be an integer or null")
    entries = sample["entries"]
    _require(
        isinstance(entries, list) and all(isinstance(number, str) for number in entries),
        name,
        f"{where}: 'entries' must be an array of entry-number strings",
    )
    size = sample.get("size", len(entries))
    _require(
        _is_int(size) and size == len(entries),
        name,
        f"{where}: 'size' is {size!r} but {len(entries)} entries are listed",
    )
    for key, kind in (("stratify_by", str), ("population_fingerprint", str)):
        value = sample.get(key)
        _require(value is None or isinstance(value, kind), name, f"{where}: bad {key!r}")
    _require(isinstance(sample.get("note", ""), str), name, f"{where}: 'note' must be a string")
    recorded_size = sample.get("population_size")
    _require(
        recorded_size is None or (_is_int(recorded_size) and recorded_size >= 0),
        name,
        f"{where}: 'population_size' must be a non-negative integer",
    )


def read_samples(
    source: str | os.PathLike[str] | TextIO,
    population: Sequence[Entry] | LoadResult,
    *,
    allow_population_change: bool = False,
) -> tuple[JudgmentSample, ...]:
    """Read a samples file and rebuild its samples from ``population``.

    Entry numbers are matched by key to the population's entries. The file records the
    fingerprint of the population the samples were drawn from; if ``population`` has another
    fingerprint the samples may no longer mean what they meant, and :class:`SampleError` is
    raised unless ``allow_population_change`` is true (the samples then keep the fingerprint
    and population size recorded in the file).

    A file written by hand, from a letter say, needs only each sample's ``id``, ``method``
    and ``entries``: ``schema_version``, ``population``, ``size`` and ``drawn_at`` are checked
    when present. Without a recorded population the samples are taken to belong to the one
    given; without ``drawn_at`` a sample is dated by the file's modification time.

    Args:
        source: a path (read as UTF-8) or an open text stream.
        population: the population the samples refer to.
        allow_population_change: rebuild the samples even if the population changed.

    Returns:
        The samples, in file order.

    Raises:
        InputError: naming the file, if it cannot be read, is not JSON, has another
            ``schema_version``, or does not have the contract's shape.
        SampleError: if the population changed and that is not allowed.
        UnknownEntriesError: listing every entry number that is not in the population.
    """
    entries = _as_entries(population)
    return SamplesFile(source).rebuild(
        [entry.number for entry in entries],
        _first_by_key(entries),
        allow_population_change=allow_population_change,
        candidates=[entry.entry_number.key for entry in entries if entry.judged_as_t86],
    )


class SamplesFile:
    """A samples file read and checked, before its samples are rebuilt from a population.

    :func:`read_samples` in two steps, for a population that is not held in memory: the
    :attr:`wanted` entry-number keys say which entries to keep while the population streams
    past; :meth:`rebuild` then needs only every entry's number (for the fingerprint) and
    those entries.

    Raises:
        InputError: naming the file, as :func:`read_samples`.
    """

    def __init__(self, source: str | os.PathLike[str] | TextIO) -> None:
        name = self.name = _source_name(source)
        text = _read_text(source, name)
        # Malformed or hostile (nested thousands deep): a clear error naming the file and
        # where the JSON went wrong, as for the other JSON inputs, never a traceback.
        document = decode_document(name, text, json.loads)
        self.size, self.fingerprint, self.raw = _check_document(document, name)
        ids = [sample["id"] for sample in self.raw]
        repeated_ids = sorted({sample_id for sample_id in ids if ids.count(sample_id) > 1})
        _require(not repeated_ids, name, f"sample ids are repeated: {', '.join(repeated_ids)}")
        self.recorded_at = _recorded_at(source)

    @property
    def wanted(self) -> frozenset[str]:
        """The entry-number keys the samples name."""
        return frozenset(
            key for sample in self.raw for n in sample["entries"] for key in _cited_keys(n)
        )

    def rebuild(
        self,
        numbers: Sequence[str],
        by_key: Mapping[str, Entry],
        *,
        allow_population_change: bool = False,
        candidates: Sequence[str] | None = None,
    ) -> tuple[JudgmentSample, ...]:
        """The samples, from the population's entry numbers and its entries by key.

        ``numbers``: every entry's number as filed (one per entry); ``by_key``: the first
        entry of each key, at least of the :attr:`wanted` ones. ``candidates``: the keys of
        the entries a draw may pick (those judged as Type 86); given, a sample the file calls
        ``random`` is checked to be a draw of its seed from this population, since only a
        random sample's rate is projected to the population.

        Raises:
            SampleError: if the population changed and that is not allowed.
            UnknownEntriesError: listing every entry number that is not in the population.
            InputError: a ``random`` sample whose entries its seed does not draw.
        """
        name, file_size, file_fingerprint, raw_samples = (
            self.name,
            self.size,
            self.fingerprint,
            self.raw,
        )
        current = _fingerprint_of_numbers(numbers)
        if file_fingerprint is None:
            # Written by hand (from a letter): the samples name their entries, nothing more.
            file_fingerprint = current
            file_size = len(numbers) if file_size is None else file_size
        elif file_size is None:
            file_size = len(numbers)
        recorded_at = self.recorded_at
        if not allow_population_change:
            recorded = {file_fingerprint} | {
                sample["population_fingerprint"]
                for sample in raw_samples
                if sample.get("population_fingerprint") is not None
            }
            if recorded != {current}:
                msg = (
                    f"{name}: the samples were drawn from a population of {file_size} entries "
                    f"(fingerprint {file_fingerprint[:12]}...), but the population given has "
                    f"{len(numbers)} entries (fingerprint {current[:12]}...); pass "
                    f"{ALLOW_POPULATION_CHANGE_HINT} to rebuild the samples anyway"
                )
                raise SampleError(msg)

        unknown: list[str] = []
        for sample in raw_samples:
            for number in sample["entries"]:
                if _found_key(by_key, number) is None and number not in unknown:
                    unknown.append(number)
        if unknown:
            raise UnknownEntriesError(unknown, source=name)

        rebuilt: list[JudgmentSample] = []
        for index, sample in enumerate(raw_samples):
            where = f"samples[{index}]"
            try:
                rebuilt.append(
                    JudgmentSample(
                        id=sample["id"],
                        method=sample["method"],
                        entries=[
                            by_key[cast("str", _found_key(by_key, number))]
                            for number in sample["entries"]
                        ],
                        seed=sample.get("seed"),
                        population_size=_or_default(sample.get("population_size"), file_size),
                        population_fingerprint=sample.get("population_fingerprint")
                        or file_fingerprint,
                        drawn_at=_parse_drawn_at(sample["drawn_at"], name, where)
                        if sample.get("drawn_at") is not None
                        else recorded_at,
                        stratify_by=sample.get("stratify_by"),
                        note=sample.get("note", ""),
                    )
                )
            except SampleError as exc:
                raise InputError(name, f"{where}: {exc}") from exc
        if candidates is not None and current in (file_fingerprint, self.fingerprint or current):
            for index, drawn in enumerate(rebuilt):
                if drawn.method == "random" and drawn.seed is not None:
                    _check_drawn(drawn, candidates, name, f"samples[{index}]")
        return tuple(rebuilt)
