"""The indicatoren API as a running process on the real PostgreSQL and Kafka: the catalogue,
metingen with their correction history and their withdrawal, scope checks, bad input (400
with every error, nothing written), nulmeting and streefwaarden, the reeks, and the events
reaching Kafka."""

from __future__ import annotations

import asyncio
import json
import secrets
from typing import Any

from aiokafka import AIOKafkaConsumer

from tests.integration.helpers import query, scalar, wait_until
from tests.integration.matrix_indicatoren import BEHEER, SCHRIJVEN, local_indicator

ROTTERDAM = ("GM0599", SCHRIJVEN)


def buurt() -> str:
    return f"BU0599{secrets.token_hex(2).upper()}"


def outbox_count(stack: Any) -> int:
    return scalar(stack.database_url("indicatoren"), "SELECT count(*) FROM outbox")


def test_the_catalogue_serves_the_fifteen_kernindicatoren(stack):
    with stack.client("indicatoren") as c:
        # other tests on this stack add programme-wide indicators of their own (no number)
        r = c.get("/indicatoren", params={"kern": "true", "pageSize": 100})
        numbered = [i["kernindicator"] for i in r.json()["resultaten"]
                    if i["kernindicator"] is not None]
        assert numbered == list(range(1, 16))
        r = c.get("/indicatoren", params={"kern": "true", "pageSize": 10})
        assert r.status_code == 200, r.text
        assert [i["kernindicator"] for i in r.json()["resultaten"]] == list(range(1, 11))
        assert 'rel="next"' in r.headers["link"]
        r = c.get("/indicatoren", params={"actielijn": 4, "kern": "true"})
        assert [i["code"] for i in r.json()["resultaten"]] == [
            "ervaren-veiligheid", "risicoscore-jonge-aanwas", "incidentie-criminaliteit"]
        r = c.get("/indicatoren/leefbaarometer-score")
        assert r.status_code == 200
        assert r.headers["etag"] == '"1"'
        lbm = r.json()
        assert (lbm["eenheid"], lbm["schaalMin"], lbm["schaalMax"], lbm["periodetype"]) == (
            "score", "1.0000", "9.0000", "tweejaar")
        r = c.get("/indicatoren/leefbaarometer-score/versies")
        assert [v["betekenisversie"] for v in r.json()] == [1]
        assert c.get("/indicatoren/bestaat-niet").status_code == 404


def test_a_meting_is_corrected_only_with_if_match_and_a_reason(stack):
    regio = buurt()
    path = f"/metingen/relatieve-welvaart/{regio}/2023"
    auth = stack.auth(*ROTTERDAM)
    with stack.client("indicatoren") as c:
        r = c.put(path, json={"waarde": 41.5, "bron": "CBS 85984NED"}, headers=auth)
        assert r.status_code == 201, r.text
        assert r.headers["etag"] == '"1"'
        created = r.json()
        assert (created["waarde"], created["status"], created["regioSoort"],
                created["gemeente"], created["plausibel"]) == ("41.5000", "voorlopig", "buurt",
                                                               "GM0599", None)
        assert c.put(path, json={"waarde": "40"}, headers=auth).status_code == 428
        r = c.put(path, json={"waarde": "40"}, headers={**auth, "If-Match": '"1"'})
        assert r.status_code == 400
        assert [p["name"] for p in r.json()["invalidParams"]] == ["body.reden"]
        r = c.put(path, json={"waarde": "40", "status": "definitief",
                              "reden": "Definitieve cijfers"},
                  headers={**auth, "If-Match": '"1"'})
        assert r.status_code == 200, r.text
        assert (r.json()["waarde"], r.headers["etag"]) == ("40.0000", '"2"')
        stale = c.put(path, json={"waarde": "39", "reden": "Nog eens"},
                      headers={**auth, "If-Match": '"1"'})
        assert stale.status_code == 412
        r = c.get(path + "/correcties")
        assert r.status_code == 200
        assert [(k["vorigeWaarde"], k["nieuweWaarde"], k["vorigeStatus"], k["nieuweStatus"],
                 k["reden"]) for k in r.json()] == [
            ("41.5000", "40.0000", "voorlopig", "definitief", "Definitieve cijfers")]
        r = c.get("/metingen", params={"regio": regio})
        assert r.json()["totaal"] == 1
        assert r.headers["x-total-count"] == "1"
    rows = query(stack.database_url("indicatoren"),
                 "SELECT type, payload FROM outbox WHERE payload->>'subject' = $1 ORDER BY id",
                 f"metingen/relatieve-welvaart/{regio}/2023")
    assert [row["type"] for row in rows] == ["nl.nplv.indicatoren.meting.vastgelegd.v1",
                                             "nl.nplv.indicatoren.meting.gecorrigeerd.v1"]


def test_a_school_year_is_written_with_a_dash_in_the_path(stack):
    regio = buurt()
    with stack.client("indicatoren") as c:
        r = c.put(f"/metingen/schooladvies-havo-vwo/{regio}/2024-2025", json={"waarde": "38"},
                  headers=stack.auth(*ROTTERDAM))
        assert r.status_code == 201, r.text
        assert (r.json()["periode"], r.json()["periodeBegin"]) == ("2024/2025", "2024-08-01")
        assert c.get(f"/metingen/schooladvies-havo-vwo/{regio}/2024-2025").status_code == 200
        r = c.get("/metingen", params={"regio": regio, "periode": "2024/2025"})
        assert r.json()["totaal"] == 1


def test_scope_checks_write_nothing(stack):
    regio = buurt()
    path = f"/metingen/relatieve-welvaart/{regio}/2023"
    before = outbox_count(stack)
    with stack.client("indicatoren") as c:
        assert c.put(path, json={"waarde": "1"}).status_code == 401
        for organisatie, scope in (("GM0363", SCHRIJVEN), ("GM0599", "nplv:audit:lezen")):
            r = c.put(path, json={"waarde": "1"}, headers=stack.auth(organisatie, scope))
            assert r.status_code == 403, r.text
            assert r.headers["content-type"] == "application/problem+json"
        r = c.put("/indicatoren/mijn-indicator", json={
            "naam": "Eigen", "actielijn": 2, "bron": "Gemeente", "eenheid": "aantal",
            "richting": "neutraal", "soort": "stand", "combinatie": "optelbaar",
            "periodetype": "jaar"}, headers=stack.auth("GM0599", BEHEER))
        assert r.status_code == 403
        assert c.get(path).status_code == 404
    assert outbox_count(stack) == before


def test_bad_input_is_400_with_every_error_and_nothing_written(stack):
    before = outbox_count(stack)
    with stack.client("indicatoren") as c:
        r = c.put("/metingen/leefbaarometer-score/GM0001/2024Q1", json={"waarde": "12"},
                  headers=stack.auth("BZK", BEHEER))
        assert r.status_code == 400, r.text
        problem = r.json()
        assert r.headers["content-type"] == "application/problem+json"
        found = {p["name"]: (p["code"], p["reason"]) for p in problem["invalidParams"]}
        assert found == {
            "path.regioCode": ("unknown", "gemeente GM0001 (van regio 'GM0001') hoort niet bij "
                                          "het programma"),
            "path.periodeId": ("wrong_period_type", "periode 2024Q1 is een kwartaal; indicator "
                               "'leefbaarometer-score' wordt per twee jaar gemeten"),
            "body.waarde": ("out_of_range", "de score van 'leefbaarometer-score' ligt tussen 1 "
                                            "en 9, niet 12"),
        }
        r = c.put("/metingen/relatieve-welvaart/GM0599/2024S3", json={"waarde": "10"},
                  headers=stack.auth("BZK", BEHEER))
        assert r.json()["invalidParams"][0]["reason"] == ("halfjaar 3 in '2024S3' bestaat niet "
                                                          "(S1 of S2)")
        r = c.put("/metingen/relatieve-welvaart/GM0599/2023",
                  json={"waarde": "1.23456", "status": "klaar", "x": 1},
                  headers=stack.auth("BZK", BEHEER))
        assert r.status_code == 400
        assert {p["name"] for p in r.json()["invalidParams"]} == {"body.waarde", "body.status",
                                                                  "body.x"}
        assert c.get("/metingen/relatieve-welvaart/GM0599/2023").status_code == 404
    assert outbox_count(stack) == before


def test_targets_and_the_reeks(stack):
    indicator = local_indicator(stack)
    base = f"/focusgebieden/rotterdam-zuid/indicatoren/{indicator}"
    auth = stack.auth(*ROTTERDAM)
    with stack.client("indicatoren") as c:
        for regio, year, waarde in (("rotterdam-zuid", "2022", "30"), ("GM0599-rest", "2022",
                                                                       "20"),
                                    ("GM0599", "2022", "22"), ("rotterdam-zuid", "2023", "28"),
                                    ("NL01", "2023", "15")):
            headers = stack.auth("BZK", BEHEER) if regio == "NL01" else auth
            r = c.put(f"/metingen/{indicator}/{regio}/{year}", json={"waarde": waarde},
                      headers=headers)
            assert r.status_code == 201, r.text
        r = c.put(base + "/nulmeting", json={"waarde": "30", "periode": "2022"}, headers=auth)
        assert r.status_code == 201, r.text
        r = c.put(base + "/streefwaarden/2030", json={"waarde": "22", "besluit": "PA 2022"},
                  headers=auth)
        assert r.status_code == 201, r.text
        r = c.put(base + "/streefwaarden/2030", json={"waarde": "20", "besluit": "PA 2024",
                                                      "reden": "Hogere ambitie"},
                  headers={**auth, "If-Match": '"1"'})
        assert r.status_code == 200, r.text
        assert (r.json()["waarde"], r.json()["oorspronkelijkeWaarde"]) == ("20.0000",
                                                                          "22.0000")
        other = c.put(base + "/streefwaarden/2040", json={"waarde": "15"},
                      headers=stack.auth("GM0363", SCHRIJVEN))
        assert other.status_code == 403
        r = c.get(base + "/reeks")
        assert r.status_code == 200, r.text
        reeks = r.json()
        assert [g["regio"] for g in reeks["regios"]] == ["rotterdam-zuid", "GM0599-rest",
                                                         "GM0599", "NL01"]
        side_by_side = [(p["periode"], *(p[k]["waarde"] if p[k] else None for k in (
            "focusgebied", "restGemeente", "gemeente", "nederland"))) for p in reeks["punten"]]
        assert side_by_side == [("2022", "30.0000", "20.0000", "22.0000", None),
                                ("2023", "28.0000", None, None, "15.0000")]
        assert reeks["nulmeting"]["waarde"] == "30.0000"
        assert [(s["doelperiode"], s["waarde"]) for s in reeks["streefwaarden"]] == [
            ("2030", "20.0000")]
        revisies = c.get(base + "/revisies").json()
        assert [(x["soort"], x["vorigeWaarde"], x["nieuweWaarde"], x["reden"])
                for x in revisies] == [("streefwaarde", "22.0000", "20.0000", "Hogere ambitie")]
        assert c.get("/focusgebieden/nergens/indicatoren/ervaren-veiligheid/reeks"
                     ).status_code == 404


def test_events_reach_kafka(stack):
    """The relay marks an outbox row published only after Kafka acknowledged it."""
    url = stack.database_url("indicatoren")
    wait_until(lambda: scalar(url, "SELECT count(*) FROM outbox WHERE published_at IS NULL")
               == 0, message="alle indicatoren-events gepubliceerd")
    keys = {r["key"] for r in query(url, "SELECT DISTINCT key FROM outbox")}
    assert "programma" in keys


def test_the_reference_areas_are_the_programmes_twenty(stack):
    with stack.client("indicatoren") as c:
        r = c.get("/focusgebieden", params={"pageSize": 100})
    assert r.status_code == 200
    body = r.json()
    assert body["totaal"] == 20
    gebieden = {g["code"]: g["gemeente"] for g in body["resultaten"]}
    assert gebieden["rotterdam-zuid"] == "GM0599"
    assert len(set(gebieden.values())) == 19  # 20 areas in 19 gemeenten (Amsterdam has two)


async def subject_events(stack: Any, subject: str, expected: int) -> list[dict[str, Any]]:
    """The events of one subject on the indicatoren topic, in topic order (one key, so one
    partition)."""
    consumer = AIOKafkaConsumer(stack.stack.topic("nplv.indicatoren.v1"),
                                bootstrap_servers=stack.stack.kafka, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False)
    await consumer.start()
    found: list[dict[str, Any]] = []
    idle = 0
    try:
        while len(found) < expected and idle < 10:
            batch = await consumer.getmany(timeout_ms=2000, max_records=5000)
            idle = 0 if batch else idle + 1
            for records in batch.values():
                for record in records:
                    event = json.loads(record.value)
                    if event.get("subject") == subject:
                        found.append(event)
    finally:
        await consumer.stop()
    return found


class TestWithdrawal:
    """DELETE /metingen/{indicator}/{regio}/{periode}: withdrawn with If-Match and a reden,
    kept in history, gone from every read, and recorded anew by a later PUT."""

    def test_a_withdrawn_meting_leaves_every_read_and_is_published_with_its_reason(
            self, stack):
        indicator = local_indicator(stack)
        path = f"/metingen/{indicator}/rotterdam-zuid/2023"
        subject = f"metingen/{indicator}/rotterdam-zuid/2023"
        auth = stack.auth(*ROTTERDAM)
        with stack.client("indicatoren") as c:
            r = c.put(f"/metingen/{indicator}/rotterdam-zuid/2022", json={"waarde": "30"},
                      headers=auth)
            assert r.status_code == 201, r.text
            r = c.put(path, json={"waarde": "28", "bron": "Wijkmonitor"}, headers=auth)
            assert r.status_code == 201, r.text
            r = c.put(path, json={"waarde": "27", "bron": "Wijkmonitor", "reden": "Herteld"},
                      headers={**auth, "If-Match": '"1"'})
            assert r.status_code == 200, r.text
            r = c.delete(path, params={"reden": "Dubbel geteld"},
                         headers={**auth, "If-Match": '"2"'})
            assert r.status_code == 204, r.text
            assert r.content == b""
            assert c.get(path).status_code == 404
            assert c.get(path + "/correcties").status_code == 404
            r = c.get("/metingen", params={"indicator": indicator})
            assert [m["periode"] for m in r.json()["resultaten"]] == ["2022"]
            assert r.json()["totaal"] == 1
            reeks = c.get(f"/focusgebieden/rotterdam-zuid/indicatoren/{indicator}/reeks").json()
            assert [p["periode"] for p in reeks["punten"]] == ["2022"]
        url = stack.database_url("indicatoren")
        kept = query(url, "SELECT versie, ingetrokken_op IS NOT NULL AS ingetrokken, waarde "
                          "FROM meting WHERE indicator_code = $1 AND periode = '2023'", indicator)
        assert [(k["versie"], k["ingetrokken"], str(k["waarde"])) for k in kept] == [
            (3, True, "27.0000")]
        history = query(url, "SELECT versie, reden, ingetrokken_door, organisatie "
                             "FROM meting_intrekking WHERE indicator_code = $1", indicator)
        assert [(h["versie"], h["reden"], h["organisatie"]) for h in history] == [
            (3, "Dubbel geteld", "GM0599")]
        audit = query(url, "SELECT operatie, verwerkingsactiviteit FROM audit_log "
                           "WHERE resource_id LIKE $1 AND methode = 'DELETE' ORDER BY id",
                      f"%{indicator}%")
        assert audit
        assert {a["verwerkingsactiviteit"] for a in audit} == {
            "urn:nplv:verwerkingsactiviteit:metingen-intrekken:v1"}
        published = asyncio.run(subject_events(stack, subject, 3))
        assert [(e["type"].removeprefix("nl.nplv.indicatoren."), e["sequence"])
                for e in published] == [("meting.vastgelegd.v1", 1),
                                        ("meting.gecorrigeerd.v1", 2),
                                        ("meting.ingetrokken.v1", 3)]
        withdrawn = published[2]
        assert (withdrawn["partitionkey"], withdrawn["data"]["waarde"],
                withdrawn["data"]["bron"], withdrawn["data"]["reden"]) == (
            "rotterdam-zuid", "27.0000", "Wijkmonitor", "Dubbel geteld")
        assert "vorigeWaarde" not in withdrawn["data"]

    def test_preconditions_reason_permission_and_absence(self, stack):
        regio = buurt()
        path = f"/metingen/relatieve-welvaart/{regio}/2023"
        auth = stack.auth(*ROTTERDAM)
        with stack.client("indicatoren") as c:
            assert c.put(path, json={"waarde": "41"}, headers=auth).status_code == 201
            before = outbox_count(stack)
            r = c.delete(path, params={"reden": "Fout"}, headers=auth)
            assert r.status_code == 428, r.text
            r = c.delete(path, params={"reden": "Fout"}, headers={**auth, "If-Match": '"7"'})
            assert r.status_code == 412, r.text
            r = c.delete(path, headers={**auth, "If-Match": '"1"'})
            assert r.status_code == 400, r.text
            assert r.headers["content-type"] == "application/problem+json"
            assert [p["name"] for p in r.json()["invalidParams"]] == ["query.reden"]
            r = c.delete(path, params={"reden": " Fout"}, headers={**auth, "If-Match": '"1"'})
            assert r.status_code == 400, r.text
            r = c.delete(path, params={"reden": "Fout"},
                         headers={**stack.auth("GM0363", SCHRIJVEN), "If-Match": '"1"'})
            assert r.status_code == 403, r.text
            assert r.headers["content-type"] == "application/problem+json"
            r = c.delete(path, params={"reden": "Fout"},
                         headers={**stack.auth("GM0599", "nplv:audit:lezen"),
                                  "If-Match": '"1"'})
            assert r.status_code == 403, r.text
            assert c.delete(path, params={"reden": "Fout"},
                            headers={"If-Match": '"1"'}).status_code == 401
            assert outbox_count(stack) == before
            assert c.get(path).status_code == 200
            r = c.delete(path, params={"reden": "Fout"}, headers={**auth, "If-Match": '"1"'})
            assert r.status_code == 204, r.text
            again = c.delete(path, params={"reden": "Fout"},
                             headers={**auth, "If-Match": '"2"'})
            assert again.status_code == 404, again.text
            r = c.delete(f"/metingen/relatieve-welvaart/{buurt()}/2023",
                         params={"reden": "Fout"}, headers={**auth, "If-Match": '"1"'})
            assert r.status_code == 404

    def test_a_withdrawn_meting_is_recorded_anew_with_a_rising_sequence(self, stack):
        regio = buurt()
        path = f"/metingen/relatieve-welvaart/{regio}/2023"
        subject = f"metingen/relatieve-welvaart/{regio}/2023"
        auth = stack.auth(*ROTTERDAM)
        with stack.client("indicatoren") as c:
            assert c.put(path, json={"waarde": "41"}, headers=auth).status_code == 201
            r = c.delete(path, params={"reden": "Verkeerde buurt"},
                         headers={**auth, "If-Match": '"1"'})
            assert r.status_code == 204, r.text
            # a withdrawn meting counts as absent: If-Match of its old version is stale
            stale = c.put(path, json={"waarde": "40"}, headers={**auth, "If-Match": '"2"'})
            assert stale.status_code == 412, stale.text
            r = c.put(path, json={"waarde": "40"}, headers=auth)
            assert r.status_code == 201, r.text
            assert (r.json()["waarde"], r.headers["etag"]) == ("40.0000", '"3"')
            assert c.get(path).json()["waarde"] == "40.0000"
            assert c.get("/metingen", params={"regio": regio}).json()["totaal"] == 1
            assert c.get(path + "/correcties").json() == []
            r = c.delete(path, params={"reden": "Toch niet"},
                         headers={**auth, "If-Match": '"3"'})
            assert r.status_code == 204, r.text
        published = asyncio.run(subject_events(stack, subject, 4))
        assert [(e["type"].removeprefix("nl.nplv.indicatoren."), e["sequence"],
                 e["data"]["waarde"]) for e in published] == [
            ("meting.vastgelegd.v1", 1, "41.0000"), ("meting.ingetrokken.v1", 2, "41.0000"),
            ("meting.vastgelegd.v1", 3, "40.0000"), ("meting.ingetrokken.v1", 4, "40.0000")]
        assert published[1]["data"]["reden"] == "Verkeerde buurt"
        assert [e["data"]["importId"] for e in published] == [None] * 4  # single writes
