"""The audit's per-entry records, kept by column, read back as the records they stand for."""

from __future__ import annotations

import datetime as dt
import pickle
from decimal import Decimal

import attrs
import pytest

from t86audit._entries import EntryRecord, RecordTable
from t86audit.model import Entry
from t86audit.testing import make_entry, make_population


def expected(entry: Entry) -> EntryRecord:
    """The record of ``entry``, field by field as EntryRecord documents it."""
    key = entry.entry_number.key
    total = entry.total_value
    exponent = total.as_tuple().exponent
    plain = exponent == -2 and (total or not total.is_signed())
    return EntryRecord(
        entry.number,
        None if entry.number.replace("-", "") == key else key,
        entry.arrival_date,
        entry.source,
        len(entry.source_rows) or len(entry.lines),
        entry.port_code.strip(),
        entry.filer_code or "",
        entry.seller.name,
        entry.consignee.name,
        len(entry.lines),
        int(total.scaleb(2)) if plain else total,
        entry.type_code,
    )


def odd_entries() -> list[Entry]:
    return [
        make_entry(serial=1, value="12.5"),  # one decimal place: kept as the Decimal
        make_entry(serial=2, value="0"),  # no decimals: kept as the Decimal
        make_entry(entry_number="b76 0000003 1", value="3.00"),  # key other than the number
        make_entry(serial=4, value="123456789012345678901234.56"),  # past 64 bits of cents
        make_entry(serial=5, port_code=" 2704 ", entry_type="11", source="b.csv"),
    ]


def test_records_read_back_equal_the_entries_records():
    entries = [*make_population(40, seed=3), *odd_entries()]
    table = RecordTable()
    for entry in entries:
        table.add(entry, entry.entry_number.key)
    records = [expected(e) for e in entries]
    assert list(table) == records
    assert [table[i] for i in range(len(table))] == records
    assert table[-1] == records[-1]
    assert table[2:5] == records[2:5]
    assert [table.key(i) for i in range(len(table))] == [e.entry_number.key for e in entries]
    assert table == records
    with pytest.raises(IndexError):
        table[len(entries)]
    assert [str(r.total_value) for r in table] == [str(e.total_value) for e in entries]
    assert isinstance(table[len(entries) - 2].value, int)  # cents past 64 bits, as ints


def test_parts_joined_equal_one_table_and_survive_pickling():
    """Workers' tables (each with its own list of texts) join into the parent's, in order."""
    entries = [*make_population(30, seed=8), *odd_entries()]
    entries[3] = attrs.evolve(entries[3], source="other.csv", port_code="9999")
    whole = RecordTable()
    for entry in entries:
        whole.add(entry, entry.entry_number.key)
    joined = RecordTable()
    for first, end in ((0, 7), (7, 20), (20, len(entries))):
        part = RecordTable()
        for entry in entries[first:end]:
            part.add(entry, entry.entry_number.key)
        joined.extend(pickle.loads(pickle.dumps(part)))
    assert list(joined) == list(whole) == [expected(e) for e in entries]
    assert [joined.key(i) for i in range(len(joined))] == [e.entry_number.key for e in entries]


def test_dates_and_texts_are_shared_between_records():
    day = dt.date(2024, 6, 3)
    entries = [make_entry(serial=n, arrival_date=day, value=Decimal("5.00")) for n in (1, 2)]
    table = RecordTable()
    for entry in entries:
        table.add(entry, entry.entry_number.key)
    first, second = table
    assert first.arrival_date is second.arrival_date
    assert first.seller is second.seller


def test_a_column_is_the_field_of_every_record():
    entries = [*make_population(20, seed=6), *odd_entries()]
    table = RecordTable()
    for entry in entries:
        table.add(entry, entry.entry_number.key)
    for name in (*EntryRecord._fields, "month", "key"):
        assert list(table.column(name)) == [getattr(r, name) for r in table], name


def test_first_of_finds_the_first_record_of_each_key_asked_for():
    """Keys other than the number without hyphens count, a number filed twice gives its first
    record, and keys not held are left out."""
    entries = odd_entries()
    entries.append(entries[1])  # the same entry filed a second time, later
    table = RecordTable()
    for entry in entries:
        table.add(entry, entry.entry_number.key)
    odd = entries[2]  # "b76 0000003 1": its key is not its number without hyphens
    assert odd.number.replace("-", "") != odd.entry_number.key
    keys = [e.entry_number.key for e in entries]
    assert len(set(keys)) == len(entries) - 1
    assert table.first_of({keys[1], keys[2], keys[4], "nope"}) == {
        keys[1]: 1,
        keys[2]: 2,
        keys[4]: 4,
    }
    assert table.first_of(set()) == {}
