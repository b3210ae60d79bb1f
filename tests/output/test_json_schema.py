"""The JSON output validates against docs/json-schema.json, and the schema rejects
documents that break it (so that the validation can fail)."""

from __future__ import annotations

import copy
import json
import os
from typing import Any

import pytest
from output_scenarios import DOCS, SCENARIOS, write_scenario

from nse.output.writers import OutputSpec

jsonschema = pytest.importorskip("jsonschema")

pytestmark = pytest.mark.usefixtures("own_services")


@pytest.fixture(scope="module")
def validator() -> Any:
    with open(os.path.join(DOCS, "json-schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _doc(tmp_path: str, name: str, **kw: Any) -> Any:
    path = os.path.join(tmp_path, f"{name}.json")
    write_scenario(SCENARIOS[name](), OutputSpec(json=path), **kw)
    with open(path, encoding="utf-8") as f:
        return json.load(f)


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_outputs_validate(tmp_path: str, validator: Any, name: str) -> None:
    doc = _doc(str(tmp_path), name)
    validator.validate(doc)
    assert doc["incomplete"] is False
    assert doc["runstats"]["finished"]["exit"] == "success"


def test_interrupted_output_validates(tmp_path: str, validator: Any) -> None:
    doc = _doc(str(tmp_path), "full", incomplete="interrupted by the user (SIGINT)", upto=2)
    validator.validate(doc)
    assert doc["incomplete"] is True
    assert doc["runstats"]["finished"]["errormsg"] == "interrupted by the user (SIGINT)"
    assert len(doc["hosts"]) == 2 and "postscript" not in doc


def test_scripts_structured_output_is_nested_json(tmp_path: str) -> None:
    doc = _doc(str(tmp_path), "full")
    port = next(p for p in doc["hosts"][0]["ports"] if p["portid"] == 45003)
    scripts = {s["id"]: s for s in port["scripts"]}
    assert scripts["http-title"]["data"] == {"title": "Directory listing for /"}
    weird = scripts["weird"]
    # keyless items make an array, keyed ones an object; UTF-8 decoded, bad bytes \xNN
    assert weird["data"]["list"] == ["1", "2", {"a": "b"}]
    assert weird["data"]["k<&\"'>--x"] == "h\u00e9\tllo\r\n"
    assert weird["output"].startswith("bytes \x00\x1f\x7f\\xFF and UTF-8 h\u00e9 --x")
    assert scripts["broken"]["state"] == "error" and "data" not in scripts["broken"]
    host_scripts = {s["id"]: s["state"] for s in doc["hosts"][0]["hostscript"]}
    assert host_scripts == {"host-info": "ok", "slow": "timed-out"}


def _broken(doc: Any) -> list[Any]:
    docs = []
    d = copy.deepcopy(doc)
    d["hosts"][0]["ports"][0]["state"]["state"] = "opened"
    docs.append(d)
    d = copy.deepcopy(doc)
    del d["runstats"]
    docs.append(d)
    d = copy.deepcopy(doc)
    d["hosts"][0]["ports"][1]["scripts"][0]["state"] = "finished"
    docs.append(d)
    d = copy.deepcopy(doc)
    d["runstats"]["finished"]["exit"] = "error"  # error without errormsg
    docs.append(d)
    d = copy.deepcopy(doc)
    d["hosts"][0]["ports"][0]["portid"] = "45001"
    docs.append(d)
    return docs


def test_schema_rejects_broken_documents(tmp_path: str, validator: Any) -> None:
    doc = _doc(str(tmp_path), "full")
    for bad in _broken(doc):
        assert not validator.is_valid(bad)
