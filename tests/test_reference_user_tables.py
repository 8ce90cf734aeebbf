"""User-supplied tables: quota goods, PGA flags of HTS numbers, confirmed AD/CVD matches."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from t86audit import reference as ref
from t86audit.exceptions import InputError


TABLES = Path(__file__).resolve().parent.parent / "examples" / "tables"


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_text(text, encoding=encoding)
    return path


# --- quota goods ------------------------------------------------------------------------------


def test_quota_example_table_loads_and_matches_by_prefix():
    """The example quota table covers raw cane sugar under 1701.14 but not refined sugar."""
    table = ref.QuotaTable.from_csv(TABLES / "quota.csv", date="2025-01-01")

    sugar = table.matches("1701.14.10.40", "BR")
    assert [g.hts_prefix for g in sugar] == ["170114"]
    assert "additional U.S. note 5" in sugar[0].quota
    assert table.matches("1701.99.10.50") == ()
    assert table.matches("6109.10.00.40", "VN") == ()
    assert table.snapshot.name == "quota"
    assert table.snapshot.date == "2025-01-01"
    assert len(table.snapshot.sha256) == 64
    assert len(table) == 7


def test_quota_rows_limited_to_an_origin_match_only_that_origin(tmp_path):
    """A row with a country code matches lines of that origin; a row without one, every origin."""
    path = write(
        tmp_path / "q.csv",
        "\ufeffhts,quota,country_code\n"
        "0406.90,cheese (all origins),\n"
        "0406.90.08,Canada only,ca\n\n",
    )
    table = ref.QuotaTable.from_csv(path)

    assert [g.quota for g in table.matches("0406900810", "CA")] == [
        "cheese (all origins)",
        "Canada only",
    ]
    assert [g.quota for g in table.matches("0406900810", "FR")] == ["cheese (all origins)"]
    assert table.matches("", "CA") == ()


def test_quota_goods_without_a_name_describe_their_prefix():
    """A row without a quota name still says what it covers."""
    good = ref.read_quota_table("hts\n1202.41\n")[0]

    assert good.describe() == "quota goods under HTS 120241"


@pytest.mark.parametrize(
    ("text", "column", "value"),
    [
        ("hts\n17\n", "hts", "17"),
        ("hts\n1701.1\n", "hts", "1701.1"),
        ("hts\n1701.14.10.40.99\n", "hts", "1701.14.10.40.99"),
        ("hts,country_code\n1701,Brazil\n", "country_code", "Brazil"),
    ],
)
def test_quota_table_rejects_malformed_cells(text, column, value):
    """A malformed HTS prefix or country is an input error naming the row, column and value."""
    with pytest.raises(InputError) as error:
        ref.read_quota_table(text, source="q.csv")

    assert (error.value.row, error.value.column, error.value.value) == (1, column, value)


def test_quota_table_requires_the_hts_column(tmp_path):
    """A file without an ``hts`` column is rejected as a whole."""
    path = write(tmp_path / "q.csv", "number,quota\n1701,sugar\n")

    with pytest.raises(InputError) as error:
        ref.QuotaTable.from_csv(path)
    assert error.value.column == "hts"


def test_missing_quota_file_is_an_input_error(tmp_path):
    """A path that does not exist is reported as an input error, not an OSError."""
    with pytest.raises(InputError):
        ref.QuotaTable.from_csv(tmp_path / "absent.csv")


@settings(max_examples=60, deadline=None)
@given(
    prefixes=st.lists(
        st.sampled_from(["1701", "170114", "17011410", "1202", "120241"]), max_size=5
    ),
    number=st.sampled_from(["1701141040", "1701991050", "1202414040", "0406900810"]),
)
def test_quota_matches_every_row_whose_prefix_starts_the_number(prefixes, number):
    """matches() returns exactly the rows whose prefix begins the number, shortest first."""
    table = ref.QuotaTable([ref.QuotaGood(p) for p in dict.fromkeys(prefixes)])

    found = [g.hts_prefix for g in table.matches(number)]
    assert found == sorted((p for p in dict.fromkeys(prefixes) if number.startswith(p)), key=len)


# --- PGA flags --------------------------------------------------------------------------------


def test_pga_example_table_flags_the_planted_cookies():
    """The example table gives butter cookies FD4, AQ1 and AM7 and leaves t-shirts unflagged."""
    table = ref.PgaFlagTable.from_csv(TABLES / "pga_flags.csv")

    assert table.flags("1905.90.90.90") == ("FD4", "AQ1", "AM7")
    assert table.flags("3304100000") == ("FD2", "AM7")
    assert table.flags("6109.10.00.40") == ()
    assert len(table) == 5
    assert table.snapshot.name == "pga_flags"


def test_pga_flags_come_from_the_longest_listed_prefix():
    """A 10-digit row overrides its heading's flags, even with no flags at all."""
    table = ref.PgaFlagTable(
        ref.read_pga_flag_table(
            "hts,flags\n1905,FD3\n1905.90.90.90,FD4\n1905.31.00.49,\n", source="p.csv"
        )
    )

    assert table.flags("1905909090") == ("FD4",)
    assert table.flags("1905.90.10.00") == ("FD3",)
    assert table.flags("1905.31.00.49") == ()
    assert table.lists("1905.31.00.49")
    assert not table.lists("6109100040")


def test_pga_rows_for_one_number_merge_and_accept_any_separator():
    """One row per flag, or flags separated by bars, commas, semicolons or spaces, all merge."""
    rows = ref.read_pga_flag_table(
        'hts,flags\n0902.30.00.50,fd3\n0902.30.00.50,AQ1; am7\n0902300050,"FD3|AQ1, AM7 AL1"\n'
    )

    assert rows == (ref.PgaHtsFlags("0902300050", ("FD3", "AQ1", "AM7", "AL1")),)


@pytest.mark.parametrize(
    ("text", "column"),
    [("hts,flags\n1905.90,FD-4\n", "flags"), ("hts,flags\nabc,FD4\n", "hts")],
)
def test_pga_table_rejects_malformed_cells(text, column):
    """A flag that is not a code, or an HTS cell that is not a number, is an input error."""
    with pytest.raises(InputError) as error:
        ref.read_pga_flag_table(text, source="p.csv")

    assert (error.value.row, error.value.column) == (1, column)


def test_pga_table_requires_the_flags_column():
    """Without a ``flags`` column the table cannot say anything and is rejected."""
    with pytest.raises(InputError) as error:
        ref.read_pga_flag_table("hts\n1905.90.90.90\n")
    assert error.value.column == "flags"


@settings(max_examples=60, deadline=None)
@given(
    rows=st.dictionaries(
        st.sampled_from(["1905", "190590", "19059090", "1905909090", "0902"]),
        st.lists(st.sampled_from(["FD1", "FD3", "FD4", "AQ1"]), max_size=3, unique=True),
        max_size=5,
    ),
    number=st.sampled_from(["1905909090", "1905901000", "1905310049", "0902300050"]),
)
def test_pga_flags_equal_the_longest_prefix_rule(rows, number):
    """flags() agrees with a brute-force longest-prefix lookup."""
    table = ref.PgaFlagTable(ref.PgaHtsFlags(p, tuple(f)) for p, f in rows.items())

    listed = [p for p in rows if number.startswith(p)]
    expected = tuple(rows[max(listed, key=len)]) if listed else ()
    assert table.flags(number) == expected


# --- AD/CVD confirmations ---------------------------------------------------------------------


def test_adcvd_example_tables_confirm_one_match():
    """The example confirms cased pencils for 9609.10.00 and leaves candles unconfirmed."""
    table = ref.AdcvdTable.from_csv(
        TABLES / "adcvd_orders.csv", TABLES / "adcvd_order_hts.csv", date="2026-07-06"
    )

    pencils = table.matches("9609.10.00.00", "CN")
    candles = table.matches("3406.00.00.00", "CN")
    assert [o.case_number for o in pencils] == ["A-570-827"]
    assert pencils[0].is_confirmed("9609100000")
    assert not candles[0].is_confirmed("3406000000")
    assert [o.case_number for o in table.matches("0304.62.00.20", "vn")] == ["A-552-801"]


def test_adcvd_confirmed_column_of_the_orders_table_confirms_every_number():
    """``confirmed`` in the orders table confirms all the case's HTS numbers."""
    orders = ref.read_adcvd_orders(
        "case_number,order_type,country_code,product,hts_in_scope,confirmed\n"
        "A-1,AD,VN,Fish,0304.62|0304.93,yes\n"
        "A-2,AD,VN,Shrimp,0306.17,\n"
    )

    assert orders[0].confirmed_prefixes == ("030462", "030493")
    assert orders[0].is_confirmed("0304930010")
    assert orders[1].confirmed_prefixes == ()


def test_adcvd_confirmed_cells_must_be_yes_or_no():
    """A ``confirmed`` cell that is neither yes nor no is an input error."""
    with pytest.raises(InputError) as error:
        ref.read_adcvd_orders(
            "case_number,order_type,country_code,product\nA-1,AD,VN,Fish\n",
            "case_number,hts,confirmed\nA-1,0304.62,maybe\n",
            source="o.csv",
        )

    assert (error.value.row, error.value.column, error.value.value) == (1, "confirmed", "maybe")


def test_bundled_adcvd_table_confirms_nothing():
    """The bundled China list only names HTS numbers; no match in it is confirmed."""
    assert not any(o.confirmed_prefixes for o in ref.adcvd_table().orders)
