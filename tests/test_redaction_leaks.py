"""A redacted report names no consignee or seller of its input, in any format or section.

The population is built so that rules quote its names and addresses (CON003, CON004, CON006,
CON007, VAL002, VAL005), with accents, apostrophes, case and spacing variants, an ``Apt 4-B``
address, a rejected row, a note column and descriptions naming the consignee; the audit adds
cited and drawn samples whose note names consignees, and waivers whose reasons name parties of
their own entry, of another entry, and of no entry in the population (an unused waiver).
Every output (the exposure worksheet and every cell of every sheet of the workbook included)
is searched, case-insensitively, white space collapsed and HTML entities decoded, for every
party name and address of the input, with and without accents, and for each of their
distinctive words.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from pathlib import Path

import pytest

import t86audit
from t86audit.cli import main
from t86audit.io import load
from t86audit.redact import Redactor


AT = "2024-06-01T00:00:00+00:00"
KEY = "0123456789abcdef" * 4

COLUMNS = [
    "entry_number",
    "entry_type",
    "arrival_date",
    "filed_at",
    "port_code",
    "mode",
    "bill_of_lading",
    "consignee_name",
    "consignee_address",
    "consignee_city",
    "consignee_state",
    "consignee_postal_code",
    "consignee_country",
    "seller_name",
    "seller_address",
    "seller_country",
    "line_number",
    "description",
    "hts_number",
    "country_of_origin",
    "value_usd",
    "quantity",
    "quantity_unit",
    "gross_weight_kg",
    "customer_note",
]
PARTIES = ("consignee_name", "consignee_address", "seller_name", "seller_address")
LANTERN = ("Obscura Lantern Works", '12 "Old Mill" Road, Kowloon Bay', "HK")
DANISH = ("Ærøskøbing Kunstværk ApS", "Vestergade 7, Ærøskøbing", "DK")
MIRABELLE = ("Mirabelle Kestrelwood Trading", "221 Ferncastle Road, Shenzhen", "CN")
# Words of the distinctive values that the report's own prose may also use.
COMMON_WORDS = {"crescent", "trading", "works", "lantern", "logistics", "unit", "boulevard"}


def _population() -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []

    def add(name, address, city, state, seller, value, **more):
        serial = len(rows) + 1
        row = {
            "entry_number": f"Q7Z-{4410000 + serial:07d}",
            "entry_type": "86",
            "arrival_date": "2023-03-14",
            "filed_at": "2023-03-12T09:00:00",
            "port_code": "4701",
            "mode": "air",
            "bill_of_lading": f"738-{24170000 + serial}",
            "consignee_name": name,
            "consignee_address": address,
            "consignee_city": city,
            "consignee_state": state,
            "consignee_postal_code": "32301",
            "consignee_country": "US",
            "seller_name": seller[0],
            "seller_address": seller[1],
            "seller_country": seller[2],
            "line_number": "1",
            "description": "women's cotton knit t-shirt",
            "hts_number": "6109.10.00.40",
            "country_of_origin": "VN",
            "value_usd": value,
            "quantity": "1",
            "quantity_unit": "PCS",
            "gross_weight_kg": "0.4",
            "customer_note": "",
        }
        row.update(more)
        rows.append(row)

    where = ("4417 Wrenfield Crescent", "Tallahassee", "FL")
    add("Zebulon Quixtar", *where, LANTERN, "350.00", customer_note="gift for Zebulon Quixtar")
    add(
        "ZEBULON  QUIXTAR",
        "4417 WRENFIELD  CRESCENT",
        "Tallahassee",
        "FL",
        LANTERN,
        "360.00",
        description="t-shirt for zebulon quixtar",
    )
    add("zebulon quixtar", *where, LANTERN, "370.00")
    apt = ("19 Rue Châteaubriand Apt 4-B", "Montpelier", "VT")
    add("Siobhán O'Déagh-Pélissier", *apt, DANISH, "120.00", country_of_origin="DK")
    add(
        "Siobhan O'Deagh-Pelissier",
        "19 Rue Chateaubriand Apt 4-B",
        "Montpelier",
        "VT",
        DANISH,
        "130.00",
        country_of_origin="DK",
    )
    for name in (
        "Thaddeus Vormund",
        "Griselda Nakamura-Oyelaran",
        "Percival Ashgrove",
        "Ottoline Fairweather",
        "Leopold Quennell",
        "Mariposa D'Angelo-Vüstenberg",
    ):
        add(
            name,
            "88 Marblethorpe Lane Unit 7",
            "Duluth",
            "MN",
            LANTERN,
            "45.00",
            arrival_date="2023-04-02",
            filed_at="2023-03-30T10:00:00",
        )
    add(
        "Mirabelle Kestrelwood Trading",
        "221 Ferncastle Road",
        "Shenzhen",
        "",
        MIRABELLE,
        "80.00",
        consignee_country="CN",
        country_of_origin="CN",
    )
    add("Fenwick Dunmore Logistics", "5150 Brackenridge Parkway", "Laredo", "TX", LANTERN, "60.00")
    add("Obscura Lantern Works", "993 Quillfeather Boulevard", "Newark", "NJ", LANTERN, "75.00")
    add(
        "Bartholomew Alexander Featherstonehaugh-Cholmondeley of Wrexham Manor Estates "
        "Incorporated",
        "7 Snapdragon Terrace",
        "Portland",
        "OR",
        LANTERN,
        "40.00",
    )
    add("Ignatius\tMoravec", "6 Hollowbrook Row", "Boise", "ID", LANTERN, "25.00")
    add("Wilhelmina Tschernigg", *where, LANTERN, "abc")  # rejected: not an amount
    add("Cosima Rauchenberger", "40 Pennywhistle Court", "Akron", "OH", LANTERN, "990.00")
    return rows


ROWS = _population()
WAIVERS = [
    (
        "Q7Z-4410001",
        "VAL002",
        "Zebulon Quixtar confirmed orders to 4417 Wrenfield Crescent from Obscura Lantern Works",
    ),
    (
        "Q7Z-4410004",
        "CON001",
        "Siobhán O'Déagh-Pélissier at 19 Rue Châteaubriand Apt 4-B; also Thaddeus Vormund",
    ),
    (
        "Q7Z-4410099",
        "VAL001",
        "unused waiver for Percival Ashgrove at 88 Marblethorpe Lane Unit 7",
    ),
]
CITED_NOTE = (
    "CBP letter: Zebulon Quixtar and Siobhán O'Déagh-Pélissier at 4417 Wrenfield Crescent, "
    "and 'Cosima Rauchenberger'"
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _normal(text: str) -> str:
    return " ".join(html.unescape(text).replace("\\", "").split()).casefold()


def _needles() -> list[str]:
    values = {row[field].strip() for row in ROWS for field in PARTIES}
    words = {
        word
        for value in values
        for word in re.findall(r"[^\W\d_]{5,}", value)
        if word.casefold() not in COMMON_WORDS
    }
    return sorted({_normal(v) for v in values | words} | {_fold(_normal(v)) for v in values})


def _leaks(where: str, text: str) -> list[str]:
    plain = _normal(text)
    folded = _fold(plain)
    found = []
    for needle in _needles():
        pattern = r"(?<!\w)" + re.escape(needle) + r"(?!\w)"
        if re.search(pattern, plain) or re.search(pattern, folded):
            found.append(f"{where}: {needle!r}")
    return found


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    status = main(list(argv), stdout=out, stderr=err)
    return status, out.getvalue(), err.getvalue()


def _text_of(path: Path) -> str:
    if path.suffix != ".xlsx":
        return path.read_text(encoding="utf-8")
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(path)
    cells = []
    for sheet in workbook.worksheets:
        cells.append(sheet.title)
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value is not None:
                    cells.append(f"[{sheet.title}!{cell.coordinate}] {cell.value}")
                if cell.comment is not None:
                    cells.append(cell.comment.text)
    return "\n".join(cells)


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("leaks")
    population = folder / "population.csv"
    with population.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(ROWS)
    waivers = folder / "waivers.csv"
    with waivers.open("w", encoding="utf-8", newline="") as handle:
        plain = csv.writer(handle)
        plain.writerow(["entry_number", "code", "reason", "reviewer", "date"])
        plain.writerows((*w, "Jane Reviewer", "2024-01-05") for w in WAIVERS)
    cited = folder / "cited.json"
    numbers = "Q7Z-4410001,Q7Z-4410004,Q7Z-4410006,Q7Z-4410012,Q7Z-4410016"
    status, _, err = run(
        "sample",
        str(population),
        "--cite",
        numbers,
        "--note",
        CITED_NOTE,
        "--drawn-at",
        AT,
        "-o",
        str(cited),
    )
    assert status == 0, err
    drawn = folder / "drawn.json"
    status, _, err = run(
        "sample",
        str(population),
        "--seed",
        "7",
        "--size",
        "5",
        "--count",
        "2",
        "--note",
        "drawn for Zebulon Quixtar",
        "--id",
        "D",
        "--drawn-at",
        AT,
        "-o",
        str(drawn),
    )
    assert status == 0, err
    return {
        "folder": folder,
        "population": population,
        "waivers": waivers,
        "samples": [cited, drawn],
    }


SUFFIX = {
    "text": "txt",
    "markdown": "md",
    "html": "html",
    "json": "json",
    "csv": "csv",
    "xlsx": "xlsx",
}


@pytest.mark.parametrize("fmt", list(SUFFIX))
@pytest.mark.parametrize("extras", ["plain", "samples-waivers"])
def test_no_party_value_of_the_input_survives_redaction(files, fmt, extras, monkeypatch):
    monkeypatch.setenv("T86AUDIT_REDACT_KEY", KEY)
    folder = files["folder"]
    output = folder / f"{extras}.{SUFFIX[fmt]}"
    worksheet = folder / f"{extras}-{fmt}-worksheet.csv"
    argv = [
        "audit",
        str(files["population"]),
        "--redact",
        "--format",
        fmt,
        "-o",
        str(output),
        "--force",
        "--generated-at",
        AT,
        "--exposure-worksheet",
        str(worksheet),
    ]
    if extras == "samples-waivers":
        argv += ["--waivers", str(files["waivers"])]
        for sample in files["samples"]:
            argv += ["--samples", str(sample)]
    status, out, err = run(*argv)
    assert status in (0, 1), err
    leaks = _leaks(f"{fmt} report", _text_of(output))
    leaks += _leaks("exposure worksheet", worksheet.read_text(encoding="utf-8"))
    leaks += _leaks("stdout and stderr", out + err)
    assert not leaks
    if extras == "samples-waivers" and fmt == "json":
        document = json.loads(output.read_text(encoding="utf-8"))
        assert "Consignee-" in json.dumps(document)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_no_leak_with_worker_processes(files, jobs, monkeypatch):
    monkeypatch.setenv("T86AUDIT_REDACT_KEY", KEY)
    argv = [
        "audit",
        str(files["population"]),
        "--redact",
        "--format",
        "json",
        "--jobs",
        jobs,
        "--generated-at",
        AT,
        "--waivers",
        str(files["waivers"]),
    ]
    for sample in files["samples"]:
        argv += ["--samples", str(sample)]
    status, out, err = run(*argv)
    assert status in (0, 1), err
    assert not _leaks(f"json --jobs {jobs}", out + err)


def test_the_python_report_of_a_redacted_audit_holds_no_party_value(files):
    key = bytes.fromhex(KEY)
    for population in (load(files["population"]), str(files["population"])):
        report = t86audit.audit(population, redact_key=key)
        leaks = _leaks("to_records", json.dumps(report.to_records(), default=str))
        pandas = pytest.importorskip("pandas")
        frame = report.to_dataframe()
        assert isinstance(frame, pandas.DataFrame)
        leaks += _leaks("to_dataframe", frame.to_csv() + " ".join(map(str, frame.columns)))
        leaks += _leaks("repr", repr(report) + repr(report.entry_rows) + repr(report.findings))
        assert not leaks


def test_waiver_reasons_and_sample_notes_lose_every_known_party_value():
    """User-written text is searched for every party the redactor knows, quoted or not."""
    redactor = Redactor(bytes.fromhex(KEY))
    redactor.learn_value("Percival Ashgrove", "consignee")
    redactor.learn_value("88 Marblethorpe Lane Unit 7", "address")
    redactor.learn_value("Obscura Lantern Works", "seller")
    text = (
        "waived: (Percival  ashgrove, at 88 Marblethorpe Lane Unit 7.) via Obscura Lantern Works"
    )
    redacted = redactor.text(text, anywhere=True)
    assert "ashgrove" not in redacted.lower()
    assert "marblethorpe" not in redacted.lower()
    assert "obscura" not in redacted.lower()
    assert redacted.startswith("waived: (Consignee-")
    assert redacted.endswith(".) via " + redactor.pseudonym("Obscura Lantern Works", "seller"))
    # Without ``anywhere``, machine text keeps its former behaviour: quoted values only.
    assert redactor.text(text) == text
