"""nplv_shared.events: the CloudEvents envelope, build_event and the EventRegistry schema."""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta, timezone
from typing import Any, ClassVar

import jsonschema
import pytest
from pydantic import ValidationError

from nplv_shared.events import CloudEvent, EventData, EventRegistry, build_event, schema_url

SOURCE = "urn:nld:nplv:systeem:test"


class VoorbeeldAangemaakt(EventData):
    event_type: ClassVar[str] = "nl.nplv.test.voorbeeld.aangemaakt.v1"
    code: str
    aantal: int


class VoorbeeldGewijzigd(EventData):
    event_type: ClassVar[str] = "nl.nplv.test.voorbeeld.gewijzigd.v2"
    code: str


def registry() -> EventRegistry:
    reg = EventRegistry()
    reg.register(VoorbeeldAangemaakt)
    reg.register(VoorbeeldGewijzigd)
    return reg


def envelope(**overrides: Any) -> dict[str, Any]:
    return {"source": SOURCE, "type": VoorbeeldAangemaakt.event_type, "subject": "voorbeeld/a",
            "dataschema": schema_url(VoorbeeldAangemaakt.event_type), "partitionkey": "a",
            "data": {"code": "a", "aantal": 1}, **overrides}


def built(**overrides: Any) -> CloudEvent:
    arguments: dict[str, Any] = {"source": SOURCE, "data": VoorbeeldAangemaakt(code="a", aantal=3),
                                 "subject": "voorbeeld/a", "key": "a", "sequence": 7}
    arguments.update(overrides)
    return build_event(**arguments)


def as_wire_json(event: CloudEvent) -> dict[str, Any]:
    return json.loads(event.to_json_bytes())


class TestCloudEvent:
    @pytest.mark.parametrize("event_type", [
        "nl.nplv.gebieden.interventie.aangemaakt.v1",
        "nl.nplv.gebieden.focus-gebied.v12",
    ])
    def test_reverse_dns_type_with_version_is_accepted(self, event_type: str) -> None:
        assert CloudEvent.model_validate(envelope(type=event_type)).type == event_type

    @pytest.mark.parametrize("event_type", [
        "InterventieAangemaakt",                          # not reverse DNS
        "com.example.interventie.aangemaakt.v1",          # other namespace
        "nl.nplv.gebieden.interventie.aangemaakt",        # no version
        "nl.nplv.gebieden.interventie.aangemaakt.1",      # version without v
        "nl.nplv.gebieden.interventie.aangemaakt.vX",     # non-numeric version
        "nl.nplv.Gebieden.interventie.aangemaakt.v1",     # upper case
        "nl.nplv.gebieden.v1",                            # no event name
    ])
    def test_type_without_reverse_dns_or_v_version_is_rejected(self, event_type: str) -> None:
        with pytest.raises(ValidationError) as info:
            CloudEvent.model_validate(envelope(type=event_type))
        assert [e["loc"] for e in info.value.errors()] == [("type",)]

    @pytest.mark.parametrize("source", [
        "gebieden", "https://nplv.example.nl/gebieden", "urn:nl:nplv:gebieden",
        "URN:NLD:NPLV:GEBIEDEN", "urn:nld:", "urn:nld:nplv gebieden",
    ])
    def test_source_that_is_not_an_urn_nld_is_rejected(self, source: str) -> None:
        with pytest.raises(ValidationError) as info:
            CloudEvent.model_validate(envelope(source=source))
        assert [e["loc"] for e in info.value.errors()] == [("source",)]

    @pytest.mark.parametrize("field", ["type", "source"])
    def test_trailing_newline_in_type_or_source_is_rejected(self, field: str) -> None:
        value = envelope()[field] + "\n"
        with pytest.raises(ValidationError):
            CloudEvent.model_validate(envelope(**{field: value}))

    def test_naive_time_is_rejected(self) -> None:
        with pytest.raises(ValidationError):
            CloudEvent.model_validate(envelope(time="2025-01-01T12:00:00"))

    def test_unknown_extension_attribute_is_kept(self) -> None:
        event = CloudEvent.model_validate(envelope(traceparent="00-abc-def-01"))
        assert as_wire_json(event)["traceparent"] == "00-abc-def-01"

    def test_wire_json_round_trips_and_omits_null_sequence(self) -> None:
        event = CloudEvent.model_validate(envelope())
        wire = event.to_json_bytes()
        assert "sequence" not in json.loads(wire)
        assert CloudEvent.model_validate_json(wire) == event


class TestBuildEvent:
    def test_fills_specversion_id_datacontenttype_and_dataschema(self) -> None:
        event = built()
        assert event.specversion == "1.0"
        assert isinstance(event.id, uuid.UUID)
        assert event.datacontenttype == "application/json"
        assert event.type == "nl.nplv.test.voorbeeld.aangemaakt.v1"
        assert event.dataschema == "urn:nld:nplv:schema:nl.nplv.test.voorbeeld.aangemaakt.v1"

    def test_key_becomes_partitionkey_and_data_is_the_json_payload(self) -> None:
        event = built(key="rotterdam-zuid")
        assert event.partitionkey == "rotterdam-zuid"
        assert event.sequence == 7
        assert event.subject == "voorbeeld/a"
        assert event.data == {"code": "a", "aantal": 3}

    def test_time_defaults_to_now_in_utc(self) -> None:
        before = datetime.now(UTC)
        event = built()
        after = datetime.now(UTC)
        assert event.time.tzinfo is not None
        assert event.time.utcoffset() == timedelta(0)
        assert before <= event.time <= after

    def test_given_time_is_kept(self) -> None:
        moment = datetime(2025, 3, 1, 9, 30, tzinfo=timezone(timedelta(hours=1)))
        assert built(time=moment).time == moment

    def test_each_event_gets_a_new_id(self) -> None:
        assert built().id != built().id

    def test_wire_time_is_an_rfc3339_timestamp_with_offset(self) -> None:
        wire_time = as_wire_json(built())["time"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)",
                            wire_time)


class TestEventRegistry:
    def test_register_rejects_an_invalid_event_type(self) -> None:
        class Fout(EventData):
            event_type: ClassVar[str] = "nplv.fout"

        with pytest.raises(ValueError, match=r"nplv\.fout"):
            EventRegistry().register(Fout)

    def test_iterates_types_sorted_and_finds_models(self) -> None:
        reg = registry()
        assert [t for t, _ in reg] == sorted([VoorbeeldAangemaakt.event_type,
                                              VoorbeeldGewijzigd.event_type])
        assert reg.model_for(VoorbeeldGewijzigd.event_type) is VoorbeeldGewijzigd
        assert reg.model_for("nl.nplv.test.onbekend.v1") is None

    def test_json_schema_is_a_valid_json_schema(self) -> None:
        schema = registry().json_schema(VoorbeeldAangemaakt.event_type)
        jsonschema.Draft202012Validator.check_schema(schema)
        assert schema["$id"] == schema_url(VoorbeeldAangemaakt.event_type)
        assert {"id", "time", "data", "type", "source"} <= set(schema["required"])

    def test_built_event_validates_against_its_schema(self) -> None:
        schema = registry().json_schema(VoorbeeldAangemaakt.event_type)
        jsonschema.validate(as_wire_json(built()), schema)

    def test_event_with_a_different_type_fails_the_schema(self) -> None:
        schema = registry().json_schema(VoorbeeldAangemaakt.event_type)
        event = as_wire_json(built())
        event["type"] = VoorbeeldGewijzigd.event_type
        with pytest.raises(jsonschema.ValidationError) as info:
            jsonschema.validate(event, schema)
        assert list(info.value.path) == ["type"]

    def test_event_with_wrong_payload_fails_the_schema(self) -> None:
        schema = registry().json_schema(VoorbeeldAangemaakt.event_type)
        event = as_wire_json(built())
        event["data"]["onbekend"] = True
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(event, schema)

    def test_event_without_id_fails_the_schema(self) -> None:
        schema = registry().json_schema(VoorbeeldAangemaakt.event_type)
        event = as_wire_json(built())
        del event["id"]
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(event, schema)
