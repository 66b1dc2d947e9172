"""gebieden.events.registry: every published type is well named and its schema fits its events."""

import json
import re
import uuid
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from gebieden.events import registry
from nplv_shared.events import EventData, build_event

GEBIEDEN_TYPE = re.compile(r"^nl\.nplv\.gebieden\.[a-z]+\.(aangemaakt|gewijzigd|verwijderd)\.v1$")
INTERVENTIE_ID = uuid.UUID("6f1c1c9e-3f7e-4a0e-9a55-0d7c1c4b7a11")


def gemeente() -> dict[str, Any]:
    return {"code": "GM0599", "naam": "Rotterdam"}


def focusgebied() -> dict[str, Any]:
    return {"code": "rotterdam-zuid", "naam": "Rotterdam-Zuid", "gemeente": "GM0599",
            "inwoners": 200_000,
            "gebiedsdelen": [{"code": "WK059912", "geldigVanaf": date(2024, 1, 1)}]}


def alliantie() -> dict[str, Any]:
    return {"focusgebied": "rotterdam-zuid", "voorzitter": "De burgemeester",
            "rijksvertegenwoordiger": {"naam": "A. Ambtenaar", "ministerie": "BZK"},
            "partners": [{"naam": "Woonstad", "rol": "corporatie"}],
            "programmabureau": {"ingericht": True, "contactEmail": "nplv@rotterdam.nl"}}


def uitvoeringsprogramma() -> dict[str, Any]:
    return {"focusgebied": "rotterdam-zuid", "status": "vastgesteld",
            "vastgesteldOp": date(2024, 9, 1),
            "onderdelen": [{"code": "analyse", "aanwezig": True}]}


def prestatieafspraken() -> dict[str, Any]:
    return {"gemeente": "GM0599", "ondertekendOp": None,
            "afspraken": [{"nummer": 1, "status": "open"}]}


def interventie() -> dict[str, Any]:
    return {"id": INTERVENTIE_ID, "focusgebied": "rotterdam-zuid", "gemeente": "GM0599",
            "actielijn": 2, "ministerie": "SZW", "eigenaar": "SZW", "titel": "Wijkteams",
            "status": "lopend", "startdatum": date(2025, 1, 1), "outputEenheid": "huishoudens",
            "geplandeOutput": Decimal("120.50"), "gerealiseerdeOutput": Decimal("0.10")}


PAYLOADS = {
    "gemeente.aangemaakt": gemeente, "gemeente.gewijzigd": gemeente,
    "focusgebied.aangemaakt": focusgebied, "focusgebied.gewijzigd": focusgebied,
    "focusgebied.verwijderd": lambda: {"code": "rotterdam-zuid", "gemeente": "GM0599"},
    "alliantie.aangemaakt": alliantie, "alliantie.gewijzigd": alliantie,
    "uitvoeringsprogramma.aangemaakt": uitvoeringsprogramma,
    "uitvoeringsprogramma.gewijzigd": uitvoeringsprogramma,
    "prestatieafspraken.aangemaakt": prestatieafspraken,
    "prestatieafspraken.gewijzigd": prestatieafspraken,
    "interventie.aangemaakt": interventie, "interventie.gewijzigd": interventie,
    "interventie.verwijderd": lambda: {"id": INTERVENTIE_ID, "focusgebied": "rotterdam-zuid",
                                       "gemeente": "GM0599"},
}
EVENT_TYPES = [event_type for event_type, _ in registry]
CONTRACTS = Path(__file__).resolve().parents[2] / "contracts" / "events"


def committed_schema(event_type: str) -> dict[str, Any]:
    return dict(json.loads((CONTRACTS / f"{event_type}.schema.json").read_text()))


def payload_for(event_type: str) -> EventData:
    kind = event_type.removeprefix("nl.nplv.gebieden.").removesuffix(".v1")
    model = registry.model_for(event_type)
    assert model is not None
    return model(**PAYLOADS[kind]())


def wire_event(event_type: str) -> dict[str, Any]:
    event = build_event(source="urn:nld:nplv:systeem:gebieden", data=payload_for(event_type),
                        subject="focusgebieden/rotterdam-zuid", key="rotterdam-zuid", sequence=1)
    return json.loads(event.to_json_bytes())


class TestGebiedenEventRegistry:
    def test_registry_holds_exactly_the_published_types(self) -> None:
        assert {t.removeprefix("nl.nplv.gebieden.").removesuffix(".v1")
                for t in EVENT_TYPES} == {
            "gemeente.aangemaakt", "gemeente.gewijzigd",
            "focusgebied.aangemaakt", "focusgebied.gewijzigd", "focusgebied.verwijderd",
            "alliantie.aangemaakt", "alliantie.gewijzigd",
            "uitvoeringsprogramma.aangemaakt", "uitvoeringsprogramma.gewijzigd",
            "prestatieafspraken.aangemaakt", "prestatieafspraken.gewijzigd",
            "interventie.aangemaakt", "interventie.gewijzigd", "interventie.verwijderd"}

    @pytest.mark.parametrize("event_type", EVENT_TYPES)
    def test_type_follows_the_gebieden_naming_convention(self, event_type: str) -> None:
        assert GEBIEDEN_TYPE.match(event_type)

    def test_every_type_has_a_test_payload(self) -> None:
        kinds = {t.removeprefix("nl.nplv.gebieden.").removesuffix(".v1") for t in EVENT_TYPES}
        assert kinds == set(PAYLOADS)

    @pytest.mark.parametrize("event_type", EVENT_TYPES)
    def test_built_event_validates_against_the_committed_contract(self, event_type: str) -> None:
        schema = committed_schema(event_type)
        jsonschema.Draft202012Validator.check_schema(schema)
        jsonschema.validate(wire_event(event_type), schema)

    @pytest.mark.parametrize("event_type", EVENT_TYPES)
    def test_the_committed_contract_rejects_a_payload_without_a_required_field(
            self, event_type: str) -> None:
        schema = committed_schema(event_type)
        required = schema["$defs"]["Data"]["required"]
        event = wire_event(event_type)
        del event["data"][required[0]]
        with pytest.raises(jsonschema.ValidationError, match="required"):
            jsonschema.validate(event, schema)

    def test_the_interventie_contract_requires_its_identity_and_state(self) -> None:
        schema = committed_schema("nl.nplv.gebieden.interventie.gewijzigd.v1")
        assert set(schema["$defs"]["Data"]["required"]) == {
            "id", "focusgebied", "gemeente", "actielijn", "eigenaar", "titel", "status"}

    @pytest.mark.parametrize("event_type", EVENT_TYPES)
    def test_payload_is_camel_case_on_the_wire(self, event_type: str) -> None:
        data = wire_event(event_type)["data"]
        assert all("_" not in key for key in data)

    def test_interventie_output_is_an_exact_decimal_string_on_the_wire(self) -> None:
        data = wire_event("nl.nplv.gebieden.interventie.gewijzigd.v1")["data"]
        assert data["geplandeOutput"] == "120.50"
        assert data["gerealiseerdeOutput"] == "0.10"
        assert data["outputEenheid"] == "huishoudens"

    def test_payload_with_an_unknown_field_fails_the_schema(self) -> None:
        event_type = "nl.nplv.gebieden.gemeente.aangemaakt.v1"
        event = wire_event(event_type)
        event["data"]["provincie"] = "Zuid-Holland"
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(event, registry.json_schema(event_type))
