"""JSON reports validate against docs/report-schema.json; the schema documents every key."""

import datetime as dt
import json
from pathlib import Path

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings

import t86audit
from t86audit.refset import ReferenceSet
from t86audit.registry import RuleRegistry
from t86audit.testing import make_entry, make_sample
from t86audit.testing.strategies import populations
from t86audit.waivers import Waiver


ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads((ROOT / "docs" / "report-schema.json").read_text(encoding="utf-8"))
EXAMPLES = ROOT / "examples" / "data"
AT = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
VALIDATOR = jsonschema.Draft202012Validator(
    SCHEMA, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)
# Built once: the hypothesis test audits many tiny populations.
REGISTRY = RuleRegistry.default()
REFERENCE = ReferenceSet()


def errors(document):
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message[:200]}"
        for e in VALIDATOR.iter_errors(document)
    ]


def _resolve(schema):
    """Follow $ref, allOf and anyOf to the object schemas that describe a value."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return _resolve(SCHEMA["$defs"][name])
    out = [schema]
    for key in ("allOf", "anyOf"):
        for part in schema.get(key, []):
            out.extend(_resolve(part))
    return out


def undocumented(value, schema, path="$"):
    """Keys in ``value`` that the schema does not describe (objects with properties only)."""
    missing: list[str] = []
    parts = _resolve(schema)
    if isinstance(value, dict):
        props = {}
        for part in parts:
            props.update(part.get("properties", {}))
        if not props:
            return missing
        for key, item in value.items():
            if key not in props:
                missing.append(f"{path}.{key}")
            else:
                missing.extend(undocumented(item, props[key], f"{path}.{key}"))
    elif isinstance(value, list):
        for part in parts:
            if "items" in part and isinstance(part["items"], dict):
                for index, item in enumerate(value[:3]):
                    missing.extend(undocumented(item, part["items"], f"{path}[{index}]"))
                break
    return missing


@pytest.fixture(scope="module")
def example_report():
    loaded = t86audit.load(EXAMPLES / "entries.csv")
    random = t86audit.draw_samples(loaded.entries, count=2, seed=7, drawn_at=AT)
    flagged = t86audit.audit(loaded, select=["VAL001", "CON001"]).findings
    cited = t86audit.cited_sample(
        loaded.entries, [f.entry_number for f in flagged[:4]], drawn_at=AT, note="CBP letter"
    )
    waivers = [
        Waiver(flagged[0].entry_number, flagged[0].code, "reviewed", "A. Reviewer", AT.date()),
        Waiver("B76-9999999-0", "VAL001", "stale", "A. Reviewer", AT.date()),
    ]
    report = t86audit.audit(
        loaded,
        samples=(*random, cited),
        waivers=waivers,
        generated_at=AT,
        invocation={"format": "json"},
    )
    return json.loads(report.to_json())


def test_schema_is_valid_draft_2020_12():
    """The schema file is itself a valid JSON Schema (draft 2020-12)."""
    jsonschema.Draft202012Validator.check_schema(SCHEMA)

    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_example_data_report_validates(example_report):
    """The report of the example population (samples, waivers, load errors) is valid."""
    document = example_report

    assert document["findings"]
    assert document["load_errors"]
    assert len(document["samples"]) == 3
    assert errors(document) == []


def test_schema_documents_every_key_the_report_emits(example_report):
    """Each key in the example report is described in the schema (no silent additions)."""
    assert undocumented(example_report, SCHEMA) == []


def test_schema_rejects_a_report_missing_a_contract_key():
    """The schema is not vacuous: dropping a contract key or retyping a value fails it."""
    report = t86audit.audit([make_entry(value="950.00")], registry=REGISTRY, reference=REFERENCE)
    document = report.to_dict()
    del document["load_errors"]
    document["findings"][0]["severity"] = "fatal"

    assert len(errors(document)) == 2


@pytest.mark.parametrize(
    "entries",
    [
        [],
        [make_entry()],
        [make_entry(value="950.00"), make_entry(serial=2, consignee={"name": ""})],
    ],
    ids=["empty", "one-clean", "two-flagged"],
)
def test_tiny_populations_validate(entries):
    """Reports of zero, one and two entries are valid, with and without a sample."""
    samples = [make_sample(entries, method="judgment")] if entries else []
    report = t86audit.audit(
        entries, samples=samples, generated_at=AT, registry=REGISTRY, reference=REFERENCE
    )

    assert errors(report.to_dict()) == []


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(populations(max_size=5))
def test_generated_populations_validate(entries):
    """Any small generated population gives a report that validates."""
    samples = [make_sample(entries)] if entries else []
    report = t86audit.audit(
        entries, samples=samples, generated_at=AT, registry=REGISTRY, reference=REFERENCE
    )
    document = json.loads(report.to_json())

    assert errors(document) == []
    assert undocumented(document, SCHEMA) == []
