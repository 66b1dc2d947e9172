"""The committed contracts in contracts/ are exactly what the code generates (snapshot).

A change to an event payload, the envelope or an API shows up here as a diff: review it, decide
whether it is compatible (see the versioning rules) and commit the regenerated files with
`.venv/bin/python tools/export_contracts.py`.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft7Validator, Draft202012Validator

import export_contracts
import servicelist

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
ASYNCAPI_SPEC = ROOT / "node_modules/@asyncapi/specs/schemas/3.0.0-without-$id.json"
ASYNCAPI_RULESET = Path(__file__).with_name("asyncapi.spectral.yaml")
EVENT_TYPES = sorted(export_contracts.event_schemas())
REGENERATE = "regenereer met `.venv/bin/python tools/export_contracts.py` en review de diff"


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return export_contracts.generate()


@pytest.fixture(scope="module")
def asyncapi() -> dict[str, Any]:
    return json.loads((CONTRACTS / "asyncapi.json").read_text(encoding="utf-8"))


class TestSnapshot:
    def test_committed_contracts_equal_generated(self, generated: dict[str, str]) -> None:
        diffs = export_contracts.differences(generated, CONTRACTS)
        assert not diffs, f"contracts/ is verouderd; {REGENERATE}:\n" + "\n".join(diffs)

    def test_one_schema_file_per_registered_event_type(self) -> None:
        on_disk = sorted(p.name for p in (CONTRACTS / "events").glob("*.schema.json"))
        assert on_disk == sorted(f"{t}.schema.json" for t in EVENT_TYPES)
        assert "nl.nplv.gebieden.interventie.gewijzigd.v1" in EVENT_TYPES

    def test_one_openapi_document_per_listed_service_is_committed(self) -> None:
        names = sorted(p.name for p in (CONTRACTS / "openapi").glob("*.json"))
        assert names == sorted(f"{s.name}.json" for s in servicelist.SERVICES)

    def test_check_mode_fails_with_a_diff_when_a_file_is_out_of_date(
            self, tmp_path: Path) -> None:
        copy = tmp_path / "contracts"
        shutil.copytree(CONTRACTS, copy)
        schema_file = copy / "events" / "nl.nplv.gebieden.interventie.aangemaakt.v1.schema.json"
        schema = json.loads(schema_file.read_text(encoding="utf-8"))
        schema["$defs"]["Data"]["properties"]["verouderdVeld"] = {"type": "string"}
        schema_file.write_text(export_contracts.render(schema), encoding="utf-8")
        (copy / "events" / "nl.nplv.gebieden.opgeheven.iets.v1.schema.json").write_text("{}\n")

        result = subprocess.run(
            [sys.executable, "tools/export_contracts.py", "--check", "--contracts-dir", str(copy)],
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=False)

        assert result.returncode == 1, result.stdout + result.stderr
        assert '-        "verouderdVeld": {' in result.stdout
        assert "nl.nplv.gebieden.interventie.aangemaakt.v1.schema.json" in result.stdout
        assert "nl.nplv.gebieden.opgeheven.iets.v1.schema.json" in result.stdout

    def test_check_mode_passes_on_the_committed_contracts(self) -> None:
        result = subprocess.run([sys.executable, "tools/export_contracts.py", "--check"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120,
                                check=False)
        assert result.returncode == 0, result.stdout + result.stderr


class TestEventSchemas:
    @pytest.mark.parametrize("event_type", EVENT_TYPES)
    def test_is_a_valid_draft_2020_12_schema_for_its_type(self, event_type: str) -> None:
        path = CONTRACTS / "events" / f"{event_type}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        assert schema["properties"]["type"] == {"const": event_type}
        assert {"id", "source", "type", "time", "data"} <= set(schema["required"])


class TestAsyncApi:
    def test_is_asyncapi_3_0_0(self, asyncapi: dict[str, Any]) -> None:
        assert asyncapi["asyncapi"] == "3.0.0"

    def test_one_message_per_registered_event_type(self, asyncapi: dict[str, Any]) -> None:
        messages = asyncapi["components"]["messages"]
        titles = sorted(m["title"] for m in messages.values())
        assert titles == EVENT_TYPES
        for message in messages.values():
            assert message["contentType"] == "application/cloudevents+json"
            payload = CONTRACTS / message["payload"]["$ref"]
            assert payload.name == f"{message['title']}.schema.json"
            assert payload.exists(), payload
            key = message["bindings"]["kafka"]["key"]
            assert key["type"] == "string"

    def test_one_channel_per_produced_topic_with_its_producer_and_consumers(
            self, asyncapi: dict[str, Any]) -> None:
        channels = {c["address"]: (cid, c) for cid, c in asyncapi["channels"].items()}
        produced = {s.produces: s for s in servicelist.SERVICES if s.produces}
        assert set(channels) == set(produced)
        ops = asyncapi["operations"].values()
        for topic in produced:
            channel_id, channel = channels[topic]
            assert "retention.ms=-1" in channel["description"]
            assert channel["bindings"]["kafka"]["topicConfiguration"]["retention.ms"] == -1
            server = asyncapi["servers"][channel["servers"][0]["$ref"].rsplit("/", 1)[1]]
            assert (server["protocol"], server["host"]) == ("kafka", "127.0.0.1:19092")
            mine = [op for op in ops if op["channel"] == {"$ref": f"#/channels/{channel_id}"}]
            senders = [op for op in mine if op["action"] == "send"]
            receivers = [op for op in mine if op["action"] == "receive"]
            assert len(senders) == 1
            consumers = [s for s in servicelist.SERVICES if topic in s.consumes]
            assert sorted(op["bindings"]["kafka"]["groupId"]["enum"][0] for op in receivers) == \
                sorted(f"nplv-{s.name}" for s in consumers)
            # the client id the consumer really uses (nplv_shared.inbox.IdempotentConsumer)
            assert sorted(op["bindings"]["kafka"]["clientId"]["enum"][0] for op in receivers) == \
                sorted(f"nplv-{s.name}-consumer" for s in consumers)
            for op in mine:
                assert len(op["messages"]) == len(channel["messages"])

    def test_validates_against_the_asyncapi_3_0_0_json_schema(
            self, asyncapi: dict[str, Any]) -> None:
        assert ASYNCAPI_SPEC.exists(), "node_modules ontbreekt: draai `npm ci` in de repo-root"
        spec = json.loads(ASYNCAPI_SPEC.read_text(encoding="utf-8"))
        errors = [f"{e.json_path}: {e.message[:300]}"
                  for e in Draft7Validator(spec).iter_errors(asyncapi)]
        assert not errors, "\n".join(errors)

    def test_passes_spectral_asyncapi_rules_with_resolved_payload_refs(self) -> None:
        """spectral:asyncapi also resolves every payload $ref into contracts/events/."""
        result = subprocess.run(
            ["npx", "--no-install", "spectral", "lint", "-r", str(ASYNCAPI_RULESET),
             "--fail-severity", "error", "contracts/asyncapi.json"],
            cwd=ROOT, capture_output=True, text=True, timeout=180, check=False)
        assert result.returncode == 0, result.stdout + result.stderr
