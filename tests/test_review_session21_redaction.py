"""Redaction against the messages session 21 added or changed (review h12).

Each case puts a name where a new message quotes user text, and checks that the redacted
report (every format) holds no word of it while the plain report still says what it said:

- a label row (a text alone on a row, which the loader now quotes: "the row holds only '...'")
  holding a person's name, and the continuation row after it, which names that "entry";
- HTS006's list of a description's words "not found there", which split the consignee's name
  that the description holds into words;
- a description that quotes another entry's consignee in another script, whose words DES003
  quotes as "not in the Latin script".
"""

from __future__ import annotations

import csv
import html
import json
from pathlib import Path

import pytest

import t86audit
from t86audit.redact import Redactor


KEY = "0123456789abcdef" * 4
COLUMNS = [
    "entry_number",
    "arrival_date",
    "filed_at",
    "port_code",
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
]


def _row(serial: int, name: str, description: str, hts: str, **more: str) -> dict[str, str]:
    row = {
        "entry_number": f"Q7Z-{5510000 + serial:07d}",
        "arrival_date": "2024-03-05",
        "filed_at": "2024-03-04T10:00:00",
        "port_code": "4701",
        "bill_of_lading": f"738-{34170000 + serial}",
        "consignee_name": name,
        "consignee_address": f"{serial} Tollemache Road",
        "consignee_city": "Snettisham",
        "consignee_state": "NC",
        "consignee_postal_code": "27001",
        "consignee_country": "US",
        "seller_name": "Quenby Textiles Ltd",
        "seller_address": "9 Ring Road, Pudong",
        "seller_country": "CN",
        "line_number": "1",
        "description": description,
        "hts_number": hts,
        "country_of_origin": "CN",
        "value_usd": "60.00",
        "quantity": "1",
    }
    row.update(more)
    return row


def _write(path: Path, rows: list[dict[str, str]], tail: str = "") -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        handle.write(tail)
    return path


def _plain(text: str) -> str:
    return " ".join(html.unescape(text).split()).casefold()


@pytest.fixture(scope="module")
def population(tmp_path_factory: pytest.TempPathFactory) -> Path:
    rows = [
        _row(
            1, "Marguerite Obasanjo", "eau de parfum 100ml for Marguerite Obasanjo", "3304995000"
        ),
        _row(2, "Nadezhda Kuzmina", "gift for Надежда Кузьмина", "6109100012"),
        _row(3, "Надежда Кузьмина", "cotton t-shirt", "6109100012"),
    ]
    blank = dict.fromkeys(COLUMNS, "")
    label = {**blank, "entry_number": "Cordelia Ashworth-Pryce"}
    # A row of line data after the label row, its entry number blank: "right after the rows
    # of entry 'Cordelia Ashworth-Pryce'".
    continuation = {**blank, "line_number": "2", "description": "cotton scarf", "value_usd": "5"}
    folder = tmp_path_factory.mktemp("h12")
    # A short row (ragged) holding a name alone: "(it holds only 'Octavia Merriweather')".
    return _write(folder / "p.csv", [*rows, label, continuation], "Octavia Merriweather\n")


NAMES = (
    "marguerite",
    "obasanjo",
    "надежда",
    "кузьмина",
    "cordelia",
    "ashworth",
    "octavia",
    "merriweather",
)


def test_the_plain_report_quotes_the_names(population: Path) -> None:
    """The cases are real: without redaction, every message names its person."""
    report = t86audit.audit(t86audit.load(population))
    text = _plain(report.to_json())
    assert "words not found there: eau, parfum, marguerite, obasanjo" in text
    assert "its words 'надежда кузьмина' are not in the latin script" in text
    assert "the row holds only 'cordelia ashworth-pryce'" in text
    assert "right after the rows of entry 'cordelia ashworth-pryce'" in text
    assert "it holds only 'octavia merriweather'" in text


@pytest.mark.parametrize("fmt", ["json", "csv", "markdown", "html", "text", "xlsx"])
@pytest.mark.parametrize("streamed", [False, True])
def test_no_name_survives_redaction(population: Path, fmt: str, streamed: bool) -> None:
    given = str(population) if streamed else t86audit.load(population)
    report = t86audit.audit(given, redact_key=KEY)
    if fmt == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        path = report.save(population.with_name(f"r{int(streamed)}.xlsx"))
        book = openpyxl.load_workbook(path)
        text = " ".join(
            str(cell.value) for sheet in book for row in sheet.iter_rows() for cell in row
        )
    else:
        text = report.render(fmt)
    plain = _plain(text)
    assert [name for name in NAMES if name in plain] == []


def test_the_redacted_messages_still_say_what_they_said(population: Path) -> None:
    report = t86audit.audit(t86audit.load(population), redact_key=KEY)
    redactor = Redactor(bytes.fromhex(KEY))
    consignee = redactor.pseudonym("Marguerite Obasanjo", "consignee")
    (hts006,) = [f for f in report.findings if f.code == "HTS006"]
    assert f"words not found there: eau, parfum, {consignee}." in hts006.message
    # The description is the finding's subject: it and the message's quotes of it agree.
    other = redactor.pseudonym("Надежда Кузьмина", "consignee")
    (des003,) = [f for f in report.findings if f.code == "DES003"]
    assert des003.observed == f"gift for {other}"
    assert f"description 'gift for {other}'" in des003.message
    assert f"its words '{other}' are not in the Latin script" in des003.message
    # The label row's text is replaced, as text (no one knows it is a name), in both errors.
    label = redactor.pseudonym("Cordelia Ashworth-Pryce", "text")
    assert label.startswith("Text-")
    messages = [e.message for e in report.load.errors] if report.load else []
    assert any(f"the row holds only '{label}', as a title" in m for m in messages)
    assert any(f"right after the rows of entry '{label}'" in m for m in messages)
    note = redactor.pseudonym("Octavia Merriweather", "text")
    assert any(f"it holds only '{note}')" in m for m in messages)
    document = json.loads(report.to_json())
    assert len(document["load_errors"]) == len(messages) == 3


def test_a_row_text_without_a_letter_is_kept() -> None:
    """'2024' or '---' names nobody: the message keeps it, so the row is still found."""
    message = "the row holds only '2024', as a title, label or note row does"
    assert Redactor.row_texts(message) == []
    assert Redactor.row_texts("(it holds only 'Total', '1,234.00')") == ["Total"]


def test_a_listed_name_is_found_between_commas() -> None:
    """A message that lists a description's words lists a name's words with commas."""
    redactor = Redactor(bytes.fromhex(KEY))
    text = "words not found there: eau, parfum, marguerite, obasanjo."
    redacted = redactor.text(text, values=["Marguerite Obasanjo"])
    assert redacted == (
        "words not found there: eau, parfum, "
        + redactor.pseudonym("Marguerite Obasanjo", "party")
        + "."
    )
