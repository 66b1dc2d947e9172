"""What indicatoren really writes to its outbox (and so publishes) conforms to the committed
event contracts: each payload validates against contracts/events/<type>.schema.json, each
Kafka key is the event's partitionkey and fits the key schema in contracts/asyncapi.json,
values are decimal strings, and a correction carries the old and the new value."""

from __future__ import annotations

import json
import secrets
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator

from tests.integration.helpers import query

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
TOPIC = "nplv.indicatoren.v1"
BEHEER = "nplv:indicatoren:beheer"
SCHRIJVEN = "nplv:indicatoren:schrijven"
T = "nl.nplv.indicatoren."
DECIMAL_FIELDS = ("waarde", "vorigeWaarde", "oorspronkelijkeWaarde", "zscore", "schaalMin",
                  "schaalMax")


@cache
def validator(event_type: str) -> Draft202012Validator:
    schema = json.loads((CONTRACTS / "events" / f"{event_type}.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def key_schemas() -> dict[str, dict[str, Any]]:
    asyncapi = json.loads((CONTRACTS / "asyncapi.json").read_text())
    return {m["title"]: m["bindings"]["kafka"]["key"]
            for m in asyncapi["components"]["messages"].values()}


@pytest.fixture(scope="module")
def writes(stack: Any) -> dict[str, Any]:
    """One write of every kind through the API (the loader's catalogue events came first)."""
    done: dict[str, Any] = {"indicator": f"contract-{secrets.token_hex(4)}",
                            "buurt": f"BU0599{secrets.token_hex(2).upper()}"}
    code, buurt = done["indicator"], done["buurt"]
    bzk, rotterdam = stack.auth("BZK", BEHEER), stack.auth("GM0599", SCHRIJVEN)
    body = {"naam": "Contractindicator", "actielijn": 2, "bron": "Gemeente",
            "eenheid": "score", "schaalMin": "-1", "schaalMax": "1", "richting": "neutraal",
            "soort": "stand", "combinatie": "niet-combineerbaar", "periodetype": "jaar",
            "focusgebied": "rotterdam-zuid"}
    with stack.client("indicatoren") as c:
        steps = [
            c.put(f"/indicatoren/{code}", json=body, headers=rotterdam),
            c.put(f"/indicatoren/{code}", json={**body, "naam": "Contractindicator 2"},
                  headers={**rotterdam, "If-Match": '"1"'}),
            c.put(f"/indicatoren/{code}", json={**body, "naam": "Contractindicator 2",
                                                "schaalMax": "2", "reden": "Bredere schaal"},
                  headers={**rotterdam, "If-Match": '"2"'}),
            c.put(f"/metingen/{code}/{buurt}/2023", json={"waarde": "0.25"}, headers=rotterdam),
            c.put(f"/metingen/{code}/{buurt}/2023", json={"waarde": "-0.5", "reden": "Fout"},
                  headers={**rotterdam, "If-Match": '"1"'}),
            c.put(f"/metingen/{code}/NL01/2023", json={"waarde": "0"}, headers=bzk),
            c.delete(f"/metingen/{code}/NL01/2023", params={"reden": "Dubbel vastgelegd"},
                     headers={**bzk, "If-Match": '"1"'}),
            c.put(f"/focusgebieden/rotterdam-zuid/indicatoren/{code}/nulmeting",
                  json={"waarde": "0.1", "periode": "2022"}, headers=rotterdam),
            c.put(f"/focusgebieden/rotterdam-zuid/indicatoren/{code}/nulmeting",
                  json={"waarde": "0.2", "periode": "2022", "reden": "Herrekend",
                        "besluit": "B&W 2024"}, headers={**rotterdam, "If-Match": '"1"'}),
            c.put(f"/focusgebieden/rotterdam-zuid/indicatoren/{code}/streefwaarden/2030",
                  json={"waarde": "0.5"}, headers=rotterdam),
            c.put(f"/focusgebieden/rotterdam-zuid/indicatoren/{code}/streefwaarden/2030",
                  json={"waarde": "0.6", "reden": "Ambitie", "besluit": "PA 2024"},
                  headers={**rotterdam, "If-Match": '"1"'}),
            c.put(f"/indicatoren/{code}", json={**body, "naam": "Contractindicator 2",
                                                "schaalMax": "2", "status": "vervallen"},
                  headers={**rotterdam, "If-Match": '"3"'}),
        ]
    for r in steps:
        assert r.status_code in (200, 201, 204), r.text
    return done


@pytest.fixture(scope="module")
def outbox(stack: Any, writes: dict[str, Any]) -> list[dict[str, Any]]:
    rows = query(stack.database_url("indicatoren"),
                 "SELECT id, event_id, topic, key, type, payload FROM outbox ORDER BY id")
    parsed = [{**dict(r), "payload": json.loads(r["payload"]) if isinstance(r["payload"], str)
               else r["payload"]} for r in rows]
    assert parsed, "de outbox is leeg"
    return parsed


def test_every_payload_validates_against_its_committed_schema(outbox):
    failures = []
    for row in outbox:
        if not (CONTRACTS / "events" / f"{row['type']}.schema.json").exists():
            failures.append(f"outbox {row['id']}: geen contract voor {row['type']}")
            continue
        failures += [f"outbox {row['id']} ({row['type']}) {e.json_path}: {e.message}"
                     for e in validator(row["type"]).iter_errors(row["payload"])]
    assert not failures, "\n".join(failures[:50])


def test_row_columns_agree_with_the_event_and_keys_fit_the_asyncapi(outbox):
    schemas = key_schemas()
    for row in outbox:
        payload, where = row["payload"], f"outbox {row['id']} ({row['type']})"
        assert row["key"] == payload["partitionkey"], where
        assert row["type"] == payload["type"], where
        assert str(row["event_id"]) == payload["id"], where
        assert row["topic"].split(".test-")[0] == TOPIC, where
        errors = list(Draft202012Validator(schemas[row["type"]]).iter_errors(row["key"]))
        assert not errors, f"{where}: sleutel {row['key']!r}: {errors[0].message}"


def test_decimals_are_strings_never_floats(outbox):
    for row in outbox:
        data = row["payload"]["data"]
        for name in DECIMAL_FIELDS:
            if data.get(name) is not None:
                assert isinstance(data[name], str), (row["type"], name, data[name])


def test_every_type_was_published_in_order_with_its_key(outbox, writes):
    code, buurt = writes["indicator"], writes["buurt"]
    mine = [(r["type"].removeprefix(T), r["key"], r["payload"]["sequence"]) for r in outbox
            if code in r["payload"]["subject"]]
    assert mine == [
        ("indicator.aangemaakt.v1", "rotterdam-zuid", 1),
        ("indicator.gewijzigd.v1", "rotterdam-zuid", 2),
        ("indicator.nieuwe-versie.v1", "rotterdam-zuid", 3),
        ("meting.vastgelegd.v1", "GM0599", 1),
        ("meting.gecorrigeerd.v1", "GM0599", 2),
        ("meting.vastgelegd.v1", "NL01", 1),
        ("meting.ingetrokken.v1", "NL01", 2),
        ("nulmeting.vastgelegd.v1", "rotterdam-zuid", 1),
        ("nulmeting.herzien.v1", "rotterdam-zuid", 2),
        ("streefwaarde.vastgelegd.v1", "rotterdam-zuid", 1),
        ("streefwaarde.herzien.v1", "rotterdam-zuid", 2),
        ("indicator.vervallen.v1", "rotterdam-zuid", 4),
    ]
    correction = next(r["payload"] for r in outbox
                      if r["type"] == T + "meting.gecorrigeerd.v1"
                      and r["payload"]["subject"] == f"metingen/{code}/{buurt}/2023")
    assert (correction["data"]["vorigeWaarde"], correction["data"]["waarde"],
            correction["data"]["reden"], correction["data"]["vorigeStatus"]) == (
        "0.2500", "-0.5000", "Fout", "voorlopig")
    withdrawal = next(r["payload"]["data"] for r in outbox
                      if r["type"] == T + "meting.ingetrokken.v1"
                      and r["payload"]["subject"] == f"metingen/{code}/NL01/2023")
    assert (withdrawal["waarde"], withdrawal["reden"], withdrawal["importId"]) == (
        "0.0000", "Dubbel vastgelegd", None)
    nieuwe_versie = next(r["payload"]["data"] for r in outbox
                         if r["type"] == T + "indicator.nieuwe-versie.v1"
                         and r["payload"]["subject"] == f"indicatoren/{code}")
    assert (nieuwe_versie["betekenisversie"], nieuwe_versie["schaalMax"]) == (2, "2.0000")


def test_the_loader_published_the_catalogue_under_the_programma_key(outbox):
    loaded = [r for r in outbox if r["type"] == T + "indicator.aangemaakt.v1"
              and r["payload"]["data"]["kernindicator"] is not None]
    assert len(loaded) == 15
    assert {r["key"] for r in loaded} == {"programma"}
