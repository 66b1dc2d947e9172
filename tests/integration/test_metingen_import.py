"""The metingen import on the real stack: 50,000 rows as a dry run, for real (rows, and 50,000
events on the topic in per-area order) and again (all `ongewijzigd`, no events); a 200,000-row
job followed to the end through its progress resource, and one whose worker is killed halfway
(nothing half-written, the job resumes); bad rows in both modes; CSV and NDJSON; corrections
with their history; and the scope rules."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import random
import signal
from typing import Any

from aiokafka import AIOKafkaConsumer

from tests.integration.helpers import query, scalar, wait_until

BEHEER = ("BZK", "nplv:indicatoren:beheer")
ROTTERDAM = ("GM0599", "nplv:indicatoren:schrijven")
INDICATOR = "incidentie-criminaliteit"  # a count, per half year
PERIODEN = [f"{y}S{h}" for y in range(2015, 2025) for h in (1, 2)]  # 20 half years
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def buurten(prefix: str, gemeenten: tuple[str, ...], count: int) -> list[str]:
    """`count` buurt codes of this test only: BU + gemeente digits + its own two-letter
    prefix (letters no other test uses) + two characters."""
    codes = [f"BU{g[2:]}{prefix}{a}{b}" for g in gemeenten for a in ALPHABET for b in ALPHABET]
    assert len(codes) >= count
    return codes[:count]


def rows_for(regions: list[str], *, indicators: tuple[str, ...] = (INDICATOR,),
             seed: int = 1) -> list[dict[str, str]]:
    rng = random.Random(seed)
    return [{"indicator": i, "regio": r, "periode": p, "waarde": str(rng.randint(100, 120)),
             "status": "definitief", "bron": "CBS 85146NED"}
            for i in indicators for r in regions for p in PERIODEN]


def as_csv(rows: list[dict[str, str]]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def post(stack: Any, body: str | bytes, media: str, *, who: tuple[str, str] = BEHEER,
         **params: str) -> Any:
    with stack.client("indicatoren") as c:
        return c.post("/metingen/imports", content=body, params=params, timeout=300,
                      headers={"Content-Type": media, **stack.auth(*who)})


def stored(stack: Any, prefix: str) -> int:
    return scalar(stack.database_url("indicatoren"),
                  "SELECT count(*) FROM meting WHERE substr(regio, 7, 2) = $1 "
                  "AND regio LIKE 'BU%'", prefix)


def events(stack: Any, prefix: str) -> int:
    return scalar(stack.database_url("indicatoren"),
                  "SELECT count(*) FROM outbox WHERE substr(payload->'data'->>'regio', 7, 2) "
                  "= $1 AND payload->'data'->>'regio' LIKE 'BU%'", prefix)


def counts(response: Any) -> tuple[int, int, int, int]:
    s = response.json()["samenvatting"]
    return s["aangemaakt"], s["bijgewerkt"], s["ongewijzigd"], s["geweigerd"]


async def topic_events(stack: Any, prefix: str, expected: int) -> list[dict[str, Any]]:
    """The events of this test's regions on the indicatoren topic, in topic order per
    partition (a key's events share a partition)."""
    consumer = AIOKafkaConsumer(stack.stack.topic("nplv.indicatoren.v1"),
                                bootstrap_servers=stack.stack.kafka, group_id=None,
                                auto_offset_reset="earliest", enable_auto_commit=False,
                                max_partition_fetch_bytes=8 << 20)
    await consumer.start()
    found: list[dict[str, Any]] = []
    idle = 0
    try:
        while len(found) < expected and idle < 10:
            batch = await consumer.getmany(timeout_ms=2000, max_records=20000)
            idle = 0 if batch else idle + 1
            for records in batch.values():
                for record in records:
                    event = json.loads(record.value)
                    regio = event["data"].get("regio", "")
                    if regio.startswith("BU") and regio[6:8] == prefix:
                        found.append(event)
    finally:
        await consumer.stop()
    return found


class TestFiftyThousandRows:
    def test_dry_run_then_for_real_then_again(self, stack):
        regions = buurten("QA", ("GM0599", "GM0363"), 2500)
        body = as_csv(rows_for(regions))
        dry = post(stack, body, "text/csv", dryRun="true")
        assert dry.status_code == 200, dry.text
        assert counts(dry) == (50_000, 0, 0, 0)
        assert dry.json()["dryRun"] is True
        assert stored(stack, "QA") == 0
        assert events(stack, "QA") == 0

        real = post(stack, body, "text/csv")
        assert real.status_code == 200, real.text
        assert counts(real) == (50_000, 0, 0, 0)
        assert stored(stack, "QA") == 50_000
        assert events(stack, "QA") == 50_000
        published = asyncio.run(topic_events(stack, "QA", 50_000))
        assert len(published) == 50_000
        # per area (key: the gemeente of the buurt) in file order: each region's periods rise
        by_region: dict[str, list[str]] = {}
        for event in published:
            assert event["partitionkey"] == "GM" + event["data"]["regio"][2:6]
            by_region.setdefault(event["data"]["regio"], []).append(event["data"]["periode"])
        assert all(periods == PERIODEN for periods in by_region.values())

        again = post(stack, body, "text/csv")
        assert counts(again) == (0, 0, 50_000, 0)
        assert events(stack, "QA") == 50_000  # no new events

    def test_an_imported_meting_publishes_what_a_single_write_publishes(self, stack):
        """The import builds its events in SQL: they must carry the same data and envelope
        as the single write's (built from the API model), for a new meting and a correction."""
        regio = buurten("QJ", ("GM0599",), 1)[0]
        rows = rows_for([regio])[:6]
        rows[5]["waarde"] = "9000"  # a jump: plausibel false, with a z-score
        assert counts(post(stack, as_csv(rows), "text/csv")) == (6, 0, 0, 0)
        rows = [{**row, "reden": "tikfout"} for row in rows]
        rows[5]["waarde"] = "118"
        assert counts(post(stack, as_csv(rows), "text/csv")) == (0, 1, 5, 0)
        with stack.client("indicatoren") as c:
            rij = rows[5]
            meting = c.get(f"/metingen/{rij['indicator']}/{regio}/{rij['periode']}").json()
        published = query(stack.database_url("indicatoren"),
                          "SELECT type, payload FROM outbox WHERE payload->>'subject' = $1 "
                          "ORDER BY id", f"metingen/{INDICATOR}/{regio}/{rows[5]['periode']}")
        assert [p[0] for p in published] == ["nl.nplv.indicatoren.meting.vastgelegd.v1",
                                            "nl.nplv.indicatoren.meting.gecorrigeerd.v1"]
        first, correction = (json.loads(p[1]) for p in published)
        state = {k: v for k, v in meting.items()
                 if k not in ("versie", "aangemaaktOp", "gewijzigdOp")}
        # importId: the import's id (test_an_imported_event_names_its_import), null for a
        # single write; every other field as the single write's state
        assert correction["data"] == {**state, "vorigeWaarde": "9000.0000",
                                      "vorigeStatus": "definitief", "reden": "tikfout",
                                      "importId": correction["data"]["importId"]}
        assert first["data"]["plausibel"] is False
        assert first["data"]["zscore"] is not None
        assert first["data"].keys() == state.keys() | {"importId"}
        assert (correction["sequence"], correction["partitionkey"], correction["source"]) == (
            2, "GM0599", "urn:nld:nplv:systeem:indicatoren")
        assert correction["dataschema"] == (
            "urn:nld:nplv:schema:nl.nplv.indicatoren.meting.gecorrigeerd.v1")
        assert correction["time"].endswith("Z")


    def test_an_imported_event_names_its_import(self, stack):
        regio = buurten("QL", ("GM0599",), 1)[0]
        r = post(stack, as_csv(rows_for([regio])[:2]), "text/csv")
        assert counts(r) == (2, 0, 0, 0)
        ids = query(stack.database_url("indicatoren"),
                    "SELECT payload->'data'->>'importId' FROM outbox "
                    "WHERE payload->'data'->>'regio' = $1", regio)
        assert [i[0] for i in ids] == [r.json()["id"]] * 2


class TestJobs:
    def test_a_200000_row_job_is_followed_to_the_end(self, stack):
        regions = buurten("QB", ("GM0599", "GM0363", "GM0518", "GM0772"), 5000)
        body = as_csv(rows_for(regions, indicators=(INDICATOR, "woningen-herstructurering")))
        r = post(stack, body, "text/csv", **{"async": "true"})
        assert r.status_code == 202, r.text
        location = r.headers["location"].removeprefix("/v1")
        seen_progress = []

        def finished() -> dict[str, Any] | None:
            with stack.client("indicatoren") as c:
                job = c.get(location, headers=stack.auth(*BEHEER)).json()
            if job["status"] == "bezig":
                seen_progress.append(job["rijenVerwerkt"])
            return job if job["status"] not in ("wachtend", "bezig") else None

        job = wait_until(finished, timeout=600, interval=0.5, message="job klaar")
        assert job["status"] == "voltooid", job
        assert job["samenvatting"]["aangemaakt"] == 200_000
        assert job["rijenVerwerkt"] == 200_000
        assert job["rijenPerSeconde"] > 0
        assert stored(stack, "QB") == 200_000
        assert any(0 < n < 200_000 for n in seen_progress), seen_progress

    def test_a_worker_killed_mid_job_leaves_nothing_half_written_and_the_job_resumes(
            self, stack):
        regions = buurten("QC", ("GM0599", "GM0363", "GM0518", "GM0772"), 5000)
        body = as_csv(rows_for(regions, indicators=(INDICATOR, "woningen-herstructurering")))
        r = post(stack, body, "text/csv", **{"async": "true"})
        assert r.status_code == 202, r.text
        location = r.headers["location"].removeprefix("/v1")

        def job() -> dict[str, Any]:
            with stack.client("indicatoren") as c:
                return c.get(location, headers=stack.auth(*BEHEER)).json()

        wait_until(lambda: job()["rijenVerwerkt"] > 0, timeout=300, interval=0.2,
                   message="job halverwege")
        stack.stack_stop("indicatoren-worker", sig=signal.SIGKILL)
        assert job()["status"] == "bezig"
        assert stored(stack, "QC") == 0  # atomic: the killed attempt wrote nothing
        stack.start("indicatoren-worker")
        done = wait_until(lambda: (j := job())["status"] not in ("wachtend", "bezig") and j,
                          timeout=600, interval=0.5, message="job hervat en klaar")
        assert done["status"] == "voltooid", done
        assert done["pogingen"] == 2
        assert stored(stack, "QC") == 200_000
        assert events(stack, "QC") == 200_000


class TestRowsAndModes:
    def _rows(self, prefix: str) -> list[dict[str, str]]:
        rows = rows_for(buurten(prefix, ("GM0599",), 2))[:6]
        rows[1]["waarde"] = "-3"                  # a count below zero
        rows[2]["periode"] = "2024"               # a year for a half-year indicator
        rows[3]["indicator"] = "bestaat-niet"
        rows[4]["regio"] = "BU0599"               # not a region code
        return rows

    def test_atomic_refuses_the_file_and_names_every_bad_row(self, stack):
        r = post(stack, json.dumps(self._rows("QD")), "application/json")
        assert r.status_code == 400
        names = [p["name"] for p in r.json()["invalidParams"]]
        assert names == ["rij[2].waarde", "rij[3].periode", "rij[4].indicator", "rij[5].regio"]
        assert r.json()["samenvatting"]["geweigerd"] == 4
        assert stored(stack, "QD") == 0

    def test_best_effort_writes_the_good_rows(self, stack):
        rows = self._rows("QE")
        r = post(stack, "\n".join(json.dumps(x) for x in rows), "application/x-ndjson",
                 modus="beste-poging")
        assert r.status_code == 200, r.text
        assert counts(r) == (2, 0, 0, 4)
        assert stored(stack, "QE") == 2

    def test_a_correction_needs_a_reason_and_keeps_the_history(self, stack):
        rows = rows_for(buurten("QF", ("GM0599",), 1))[:3]
        assert post(stack, as_csv(rows), "text/csv").status_code == 200
        rows[1]["waarde"] = "999"
        refused = post(stack, as_csv(rows), "text/csv")
        assert refused.status_code == 400
        assert refused.json()["invalidParams"][0]["name"] == "rij[2].reden"
        for row in rows:
            row["reden"] = "herziene CBS-cijfers"
        r = post(stack, as_csv(rows), "text/csv")
        assert counts(r) == (0, 1, 2, 0)
        history = query(stack.database_url("indicatoren"),
                        "SELECT vorige_waarde, nieuwe_waarde, reden FROM meting_correctie "
                        "WHERE regio = $1 AND periode = $2", rows[1]["regio"], rows[1]["periode"])
        assert [(str(h[0].normalize()), str(h[1].normalize()), h[2]) for h in history] == [
            (str(int(rows_for(buurten("QF", ("GM0599",), 1))[1]["waarde"])), "999",
             "herziene CBS-cijfers")]
        event = query(stack.database_url("indicatoren"),
                      "SELECT payload->'data' FROM outbox WHERE type LIKE '%gecorrigeerd%' "
                      "AND payload->'data'->>'regio' = $1", rows[1]["regio"])
        assert len(event) == 1
        assert json.loads(event[0][0])["waarde"] == "999.0000"

    def test_a_withdrawn_meting_is_recorded_anew_by_an_import(self, stack):
        """A withdrawn meting counts as absent: the import records it anew (aangemaakt, a
        `vastgelegd` event with the next sequence), not as a correction needing a reden."""
        rows = rows_for(buurten("QK", ("GM0599",), 1))[:3]
        assert counts(post(stack, as_csv(rows), "text/csv")) == (3, 0, 0, 0)
        rij = rows[1]
        path = f"/metingen/{rij['indicator']}/{rij['regio']}/{rij['periode']}"
        with stack.client("indicatoren") as c:
            r = c.delete(path, params={"reden": "Dubbel"},
                         headers={**stack.auth(*BEHEER), "If-Match": '"1"'})
            assert r.status_code == 204, r.text
            assert c.get(path).status_code == 404
        rows[1]["waarde"] = "777"
        assert counts(post(stack, as_csv(rows), "text/csv")) == (1, 0, 2, 0)
        with stack.client("indicatoren") as c:
            r = c.get(path)
        assert r.status_code == 200, r.text
        assert (r.json()["waarde"], r.headers["etag"]) == ("777.0000", '"3"')
        published = query(stack.database_url("indicatoren"),
                          "SELECT type, payload->'sequence' AS sequence FROM outbox "
                          "WHERE payload->>'subject' = $1 ORDER BY id",
                          f"metingen/{INDICATOR}/{rij['regio']}/{rij['periode']}")
        assert [(p["type"].removeprefix("nl.nplv.indicatoren."), json.loads(p["sequence"]))
                for p in published] == [("meting.vastgelegd.v1", 1),
                                        ("meting.ingetrokken.v1", 2),
                                        ("meting.vastgelegd.v1", 3)]
        assert scalar(stack.database_url("indicatoren"),
                      "SELECT count(*) FROM meting_correctie WHERE regio = $1",
                      rij["regio"]) == 0

    def test_a_jump_is_flagged_not_refused(self, stack):
        rows = rows_for(buurten("QG", ("GM0599",), 1))[:8]
        rows[7]["waarde"] = "5000"
        assert counts(post(stack, as_csv(rows), "text/csv")) == (8, 0, 0, 0)
        flag = scalar(stack.database_url("indicatoren"),
                      "SELECT plausibel FROM meting WHERE regio = $1 AND periode = $2",
                      rows[7]["regio"], rows[7]["periode"])
        assert flag is False


class TestScopes:
    def test_a_gemeente_imports_only_its_own_regions(self, stack):
        own = rows_for(buurten("QH", ("GM0599",), 1))[:2]
        other = rows_for(buurten("QH", ("GM0363",), 1))[:2]
        ok = post(stack, as_csv(own), "text/csv", who=ROTTERDAM)
        assert ok.status_code == 200, ok.text
        refused = post(stack, as_csv(own + other), "text/csv", who=ROTTERDAM)
        assert refused.status_code == 403
        assert stored(stack, "QH") == 2

    def test_without_a_token_or_scope(self, stack):
        body = as_csv(rows_for(buurten("QI", ("GM0599",), 1))[:2])
        with stack.client("indicatoren") as c:
            r = c.post("/metingen/imports", content=body, headers={"Content-Type": "text/csv"})
        assert r.status_code == 401
        assert post(stack, body, "text/csv",
                    who=("GM0599", "nplv:gebieden:schrijven")).status_code == 403
        assert stored(stack, "QI") == 0
