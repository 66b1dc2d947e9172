"""What gebieden really writes to its outbox (and so publishes) conforms to the committed event
contracts: each payload validates against contracts/events/<type>.schema.json, and each Kafka key
is the event's partitionkey and fits the key schema of contracts/asyncapi.json."""

from __future__ import annotations

import asyncio
import json
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parents[2]
CONTRACTS = ROOT / "contracts"
TOPIC = "nplv.gebieden.v1"
INTERVENTIES = "nplv:interventies:schrijven"
GEBIED = "nplv:gebieden:schrijven"
BEHEER = "nplv:gebieden:beheer"
ONDERDELEN = ("analyse", "opgaven", "doelstellingen-en-ambities", "streefwaarden",
              "monitoringsysteem", "bewonersbetrokkenheid")
T = "nl.nplv.gebieden."



@cache
def validator(event_type: str) -> Draft202012Validator:
    schema = json.loads((CONTRACTS / "events" / f"{event_type}.schema.json").read_text())
    return Draft202012Validator(schema, format_checker=Draft202012Validator.FORMAT_CHECKER)


@cache
def key_schemas() -> dict[str, dict[str, Any]]:
    asyncapi = json.loads((CONTRACTS / "asyncapi.json").read_text())
    return {m["title"]: m["bindings"]["kafka"]["key"]
            for m in asyncapi["components"]["messages"].values()}


def outbox_rows(database_url: str) -> list[dict[str, Any]]:
    async def fetch() -> list[dict[str, Any]]:
        conn = await asyncpg.connect(database_url)
        try:
            rows = await conn.fetch(
                "SELECT id, event_id, topic, key, type, payload FROM outbox ORDER BY id")
        finally:
            await conn.close()
        return [{**dict(r), "payload": json.loads(r["payload"])
                 if isinstance(r["payload"], str) else r["payload"]} for r in rows]

    return asyncio.run(fetch())


def interventie_body(**overrides: Any) -> dict[str, Any]:
    return {"focusgebied": "rotterdam-zuid", "actielijn": 3, "ministerie": "BZK",
            "titel": "Contracttest: buurtaanpak", "status": "gepland", "startdatum": "2025-03-01",
            "outputEenheid": "woningen", "geplandeOutput": "12.50", **overrides}


@pytest.fixture(scope="module")
def writes(stack: Any) -> dict[str, Any]:
    """Writes through the API that must each leave an event in the outbox (the loader's
    reference data left gemeente, focusgebied and alliantie events before them)."""
    done: dict[str, Any] = {}
    with stack.client("gebieden") as c:
        bzk = stack.auth("BZK", INTERVENTIES)
        r = c.post("/interventies", json=interventie_body(), headers=bzk)
        assert r.status_code == 201, r.text
        interventie_id, etag = r.json()["id"], r.headers["etag"]
        r = c.put(f"/interventies/{interventie_id}", headers={**bzk, "If-Match": etag},
                  json=interventie_body(titel="Contracttest: buurtaanpak (herzien)",
                                        status="lopend", gerealiseerdeOutput="3"))
        assert r.status_code == 200, r.text
        r = c.delete(f"/interventies/{interventie_id}",
                     headers={**bzk, "If-Match": r.headers["etag"]})
        assert r.status_code == 204, r.text
        done["interventie"] = interventie_id

        # A fresh focusgebied of gemeente Utrecht (GM0344), not utrecht-overvecht itself: its
        # uitvoeringsprogramma cannot be deleted, and tests/integration/test_auth.py creates
        # that one without If-Match (it would get 428 after us).
        code = f"utrecht-contract-{uuid.uuid4().hex[:8]}"
        r = c.put(f"/focusgebieden/{code}", headers=stack.auth("BZK", BEHEER),
                  json={"naam": "Contracttest Utrecht", "gemeente": "GM0344"})
        assert r.status_code == 201, r.text
        utrecht = stack.auth("GM0344", GEBIED)
        path = f"/focusgebieden/{code}/uitvoeringsprogramma"
        r = c.put(path, headers=utrecht, json={
            "status": "in-voorbereiding",
            "onderdelen": [{"code": onderdeel, "aanwezig": i % 2 == 0,
                            "toelichting": f"Contracttest {onderdeel}"}
                           for i, onderdeel in enumerate(ONDERDELEN)]})
        assert r.status_code == 201, r.text
        r = c.put(path, headers={**utrecht, "If-Match": r.headers["etag"]}, json={
            "status": "vastgesteld", "vastgesteldOp": "2025-06-30",
            "onderdelen": [{"code": onderdeel, "aanwezig": True} for onderdeel in ONDERDELEN]})
        assert r.status_code == 200, r.text
        focusgebied = c.get(f"/focusgebieden/{code}")
        r = c.delete(f"/focusgebieden/{code}", headers={**stack.auth("BZK", BEHEER),
                                                        "If-Match": focusgebied.headers["etag"]})
        assert r.status_code == 204, r.text
        done["focusgebied"] = code
    return done


@pytest.fixture(scope="module")
def outbox(stack: Any, writes: dict[str, Any]) -> list[dict[str, Any]]:
    rows = outbox_rows(stack.database_url("gebieden"))
    assert rows, "de outbox is leeg"
    return rows


def test_every_outbox_payload_validates_against_its_committed_schema(
        outbox: list[dict[str, Any]]) -> None:
    failures = []
    for row in outbox:
        schema_file = CONTRACTS / "events" / f"{row['type']}.schema.json"
        if not schema_file.exists():
            failures.append(f"outbox {row['id']}: geen contract voor type {row['type']}")
            continue
        failures.extend(f"outbox {row['id']} ({row['type']}) {e.json_path}: {e.message}"
                        for e in validator(row["type"]).iter_errors(row["payload"]))
    assert not failures, f"{len(failures)} afwijking(en) van de contracten:\n" + "\n".join(
        failures[:50])


def test_row_columns_agree_with_the_event(outbox: list[dict[str, Any]]) -> None:
    for row in outbox:
        payload = row["payload"]
        where = f"outbox {row['id']} ({row['type']})"
        assert row["key"] == payload["partitionkey"], where
        assert row["type"] == payload["type"], where
        assert str(row["event_id"]) == payload["id"], where
        assert row["topic"].split(".test-")[0] == TOPIC, where
        assert payload["dataschema"] == validator(row["type"]).schema["$id"], where


def test_every_key_fits_the_asyncapi_key_schema(outbox: list[dict[str, Any]]) -> None:
    schemas = key_schemas()
    failures = [f"outbox {row['id']} ({row['type']}) sleutel {row['key']!r}: {e.message}"
                for row in outbox
                for e in Draft202012Validator(schemas[row["type"]]).iter_errors(row["key"])]
    assert not failures, "\n".join(failures)


def test_outbox_holds_at_least_the_expected_types(outbox: list[dict[str, Any]],
                                                  writes: dict[str, Any]) -> None:
    expected = {
        T + "gemeente.aangemaakt.v1", T + "alliantie.aangemaakt.v1",  # reference data loader
        T + "focusgebied.aangemaakt.v1", T + "focusgebied.verwijderd.v1",
        T + "interventie.aangemaakt.v1", T + "interventie.gewijzigd.v1",
        T + "interventie.verwijderd.v1",
        T + "uitvoeringsprogramma.aangemaakt.v1", T + "uitvoeringsprogramma.gewijzigd.v1",
    }
    missing = expected - {row["type"] for row in outbox}
    assert not missing, f"ontbrekende eventtypes in de outbox: {sorted(missing)}"


def test_interventie_events_tell_its_history_in_order(outbox: list[dict[str, Any]],
                                                      writes: dict[str, Any]) -> None:
    mine = [row["payload"] for row in outbox
            if row["payload"]["subject"] == f"interventies/{writes['interventie']}"]
    assert [e["type"] for e in mine] == [T + "interventie.aangemaakt.v1",
                                         T + "interventie.gewijzigd.v1",
                                         T + "interventie.verwijderd.v1"]
    assert [e["sequence"] for e in mine] == sorted({e["sequence"] for e in mine})
    assert {e["partitionkey"] for e in mine} == {"rotterdam-zuid"}
    created, changed, deleted = (e["data"] for e in mine)
    assert created["gemeente"] == "GM0599"
    assert created["ministerie"] == "BZK"
    assert changed["titel"] == "Contracttest: buurtaanpak (herzien)"
    assert changed["status"] == "lopend"
    assert deleted == {"id": writes["interventie"], "focusgebied": "rotterdam-zuid",
                       "gemeente": "GM0599"}


def test_uitvoeringsprogramma_events_carry_all_six_onderdelen(
        outbox: list[dict[str, Any]], writes: dict[str, Any]) -> None:
    code = writes["focusgebied"]
    mine = [row for row in outbox if row["type"].startswith(T + "uitvoeringsprogramma.")
            and row["payload"]["data"]["focusgebied"] == code]
    assert [row["type"] for row in mine] == [T + "uitvoeringsprogramma.aangemaakt.v1",
                                             T + "uitvoeringsprogramma.gewijzigd.v1"]
    for row in mine:
        assert row["key"] == code
        assert row["payload"]["subject"] == f"focusgebieden/{code}/uitvoeringsprogramma"
        assert sorted(o["code"] for o in row["payload"]["data"]["onderdelen"]) == sorted(
            ONDERDELEN)
    assert mine[-1]["payload"]["data"]["status"] == "vastgesteld"
    assert mine[-1]["payload"]["data"]["vastgesteldOp"] == "2025-06-30"
