"""The JSON report: validates against its documented, versioned schema; order and values kept."""

from __future__ import annotations

import copy
import dataclasses
import json

import jsonschema
import pytest

from drift import results
from drift.model import Finding, Interval, Quote
from drift.report import SCHEMA_PATH, load_schema, render_json


@pytest.fixture(scope="module")
def validator() -> jsonschema.Draft202012Validator:
    schema = load_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.fixture
def document(analysis) -> dict:
    return json.loads(render_json(analysis))


def test_json_validates_against_the_schema(validator, document):
    errors = sorted(validator.iter_errors(document), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_is_versioned_with_the_results(validator):
    schema = load_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["version"] == results.SCHEMA_VERSION
    assert schema["$id"].endswith(results.SCHEMA_VERSION)
    assert schema["properties"]["schema_version"]["const"] == results.SCHEMA_VERSION
    assert schema["description"] and all("description" in p or "$ref" in p for p in schema["properties"].values())


# Each schema definition mirrors one dataclass: a field added to results.py without a
# schema change (and a version bump) fails here rather than in a consumer's hands.
MIRRORS = {
    "interval": Interval, "quote": Quote, "finding": Finding, "pairScore": results.PairScore,
    "sense": results.Sense, "concept": results.ConceptResult, "facet": results.FacetResult,
    "pillar": results.PillarCoverage, "theme": results.BuyerTheme, "trend": results.TrendSeries,
    "distinctiveTerm": results.DistinctiveTerm, "topic": results.Topic, "corpus": results.CorpusStats,
    "run": results.RunInfo, "criterion": results.Criterion, "definition": results.Definition,
    "criterionRow": results.CriterionRow, "definitionComparison": results.DefinitionComparison,
    "facetStatement": results.FacetStatement, "definitionChange": results.DefinitionChange,
    "winLossRow": results.WinLossRow, "winLoss": results.WinLoss,
}


@pytest.mark.parametrize("name", sorted(MIRRORS))
def test_schema_definitions_match_the_dataclasses(name):
    schema = load_schema()
    fields = [f.name for f in dataclasses.fields(MIRRORS[name])]
    assert list(schema["$defs"][name]["properties"]) == fields
    assert schema["$defs"][name]["required"] == fields
    top = [f.name for f in dataclasses.fields(results.Analysis)]
    assert list(schema["properties"]) == top


def _break(document: dict, how: str) -> dict:
    doc = copy.deepcopy(document)
    if how == "missing run.generated_at":
        del doc["run"]["generated_at"]
    elif how == "score as string":
        doc["concepts"][0]["pairs"][0]["score"] = "0.58"
    elif how == "p above 1":
        doc["findings"][0]["p_value"] = 1.7
    elif how == "quote without source":
        del doc["concepts"][0]["quotes"]["rep"][0]["source"]
    elif how == "unknown voice":
        doc["themes"][0]["quotes"][0]["voice"] = "ceo"
    elif how == "findings not a list":
        doc["findings"] = {"0": doc["findings"][0]}
    elif how == "extra top-level field":
        doc["surprise"] = True
    elif how == "wrong schema version":
        doc["schema_version"] = "0.9"
    elif how == "count negative":
        doc["corpus"]["documents"] = -1
    elif how == "trend value as text":
        doc["trends"][0]["values"][1] = "high"
    elif how == "interval missing high":
        del doc["pillars"][0]["interval"]["rep"]["high"]
    else:  # pragma: no cover
        raise AssertionError(how)
    return doc


@pytest.mark.parametrize("how", [
    "missing run.generated_at", "score as string", "p above 1", "quote without source", "unknown voice",
    "findings not a list", "extra top-level field", "wrong schema version", "count negative",
    "trend value as text", "interval missing high",
])
def test_a_broken_document_fails_validation(validator, document, how):
    with pytest.raises(jsonschema.ValidationError):
        validator.validate(_break(document, how))


def test_json_keeps_order_and_formatting(analysis):
    text = render_json(analysis)
    assert text.endswith("\n") and text.startswith('{\n  "run": {')
    doc = json.loads(text)
    assert [f["title"] for f in doc["findings"]] == [f.title for f in analysis.findings]
    assert list(doc["corpus"]["by_channel"]) == list(analysis.corpus.by_channel)  # not sorted
    assert "Tomás" in text and "\\u" not in text  # ensure_ascii=False
    assert "<script>alert(1)</script>" in text  # JSON carries the data as-is; displays escape it
    assert render_json(analysis) == text


def test_nan_and_infinity_become_null(make_analysis, validator):
    a = make_analysis()
    a.concepts[0].pairs[0].score = float("nan")
    a.findings[0].effect = float("inf")
    a.trends[0].values[0] = float("-inf")
    text = render_json(a)
    doc = json.loads(text)
    assert doc["concepts"][0]["pairs"][0]["score"] is None
    assert doc["findings"][0]["effect"] is None
    assert doc["trends"][0]["values"][0] is None
    validator.validate(doc)


def test_schema_file_is_packaged_next_to_the_renderer():
    assert SCHEMA_PATH.name == "schema.json" and SCHEMA_PATH.parent.name == "report"
