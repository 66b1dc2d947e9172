"""Workload 3, event to view: a steady rate of interventie writes (wrk, paced like wrk2) into a
focusgebied of its own, and an observer that only polls the rapportage API
(`GET /v1/voortgang/focusgebieden/{code}`) for what it shows. The time from the 201 (stamped by
the wrk script on CLOCK_MONOTONIC, the clock of Python's time.monotonic) to the poll that first
shows it: the k-th 201 counts as visible at the first poll, after its 201, that shows at least
k interventies. A poll's time is when its response arrived, so the figure includes up to one
poll interval and one poll's latency. Afterwards the view must count every accepted write.
"""

from __future__ import annotations

import subprocess
import time
from collections.abc import Sequence

import httpx

from bench.harness import Row, percentile, wrk
from bench.system import BEHEER, SCHRIJVEN, SEED, System, log

AREA = "bench-event-naar-view"
GEMEENTE = "GM0599"
MAX_P50_MS, MAX_P99_MS = 100.0, 500.0
CONNECTIONS = 16


def run(system: System) -> list[Row]:
    mode = system.mode
    name = f"3 event→view, {mode.e2v_rate} writes/s for {mode.e2v_s}s"
    _create_area(system)
    system.quiesce()
    samples: list[tuple[float, int]] = []

    def observe(proc: subprocess.Popen[bytes]) -> None:
        with system.client("rapportage") as c:
            while proc.poll() is None:
                samples.append(_poll(c))
                time.sleep(mode.poll_s)
        system.memory["loaded"] = system.rss()  # workload 5: at the end of workload 3

    log(f"{name}: wrk met waarnemer (poll elke {mode.poll_s * 1000:.0f} ms)")
    result = wrk(system.url("gebieden"), "post_interventie.lua",
                 [f"token={system.token(SCHRIJVEN)}", f"focusgebieden={AREA}", f"seed={SEED}",
                  "label=Benchmark event", f"rate={mode.e2v_rate}", "threads=1", "record=1"],
                 connections=CONNECTIONS, seconds=mode.e2v_s, during=observe)
    accepted = len(result.stamps)
    # Requests still in flight when wrk stopped may have committed without a 201 it saw:
    # what must arrive is what gebieden holds.
    committed = _committed(system)
    deadline = time.monotonic() + 60
    with system.client("rapportage") as c:
        while (not samples or samples[-1][1] < committed) and time.monotonic() < deadline:
            samples.append(_poll(c))
            time.sleep(mode.poll_s)
    delays = match(result.stamps, samples)
    lost = committed - samples[-1][1] if samples else committed
    clean = result.errors == 0 and accepted > 0
    rate = result.rate
    rows = [
        Row(f"{name}: achieved writes/s", rate, "/s", None, f"{mode.e2v_rate}/s",
            clean and rate >= 0.95 * mode.e2v_rate,
            result.error_note() or f"POST p99 {result.latency_ms['p99']:.1f} ms"),
    ]
    if not delays:
        raise RuntimeError("geen enkele write werd zichtbaar in de view")
    for pct, target in ((50, MAX_P50_MS), (99, MAX_P99_MS)):
        figure = percentile(delays, pct)
        rows.append(Row(f"{name}: 201→visible p{pct}", figure, "ms", None,
                        f"< {target:.0f} ms", clean and lost == 0 and figure < target,
                        f"max {max(delays):.0f} ms" if pct == 99 else f"n={len(delays)}"))
    rows.append(Row(f"{name}: lost", float(lost), "events", None, "0", clean and lost == 0,
                    f"{committed} committed, {accepted} 201s seen by wrk"))
    return rows


def visible(client: httpx.Client) -> int:
    r = client.get(f"/voortgang/focusgebieden/{AREA}")
    r.raise_for_status()
    return sum(int(a["aantalInterventies"]) for a in r.json()["actielijnen"])


def _poll(client: httpx.Client) -> tuple[float, int]:
    count = visible(client)
    return time.monotonic(), count


def match(stamps: Sequence[float], samples: Sequence[tuple[float, int]]) -> list[float]:
    """Delays (ms) from each 201 to the first poll after it that shows enough interventies."""
    delays, j = [], 0
    for k, stamp in enumerate(sorted(stamps), start=1):
        while j < len(samples) and (samples[j][1] < k or samples[j][0] < stamp):
            j += 1
        if j == len(samples):
            break
        delays.append((samples[j][0] - stamp) * 1000)
    return delays


def _committed(system: System) -> int:
    """The interventies gebieden holds in the area, once requests still running have ended."""
    previous = -1
    with system.client("gebieden") as c:
        while True:
            r = c.get("/interventies", params={"focusgebied": AREA, "pageSize": 1})
            r.raise_for_status()
            total = int(r.json()["totaal"])
            if total == previous:
                return total
            previous = total
            time.sleep(0.5)


def _create_area(system: System) -> None:
    headers = {"Authorization": f"Bearer {system.token(BEHEER)}"}
    with system.client("gebieden") as c:
        r = c.put(f"/focusgebieden/{AREA}", headers=headers,
                  json={"naam": "Benchmark event naar view", "gemeente": GEMEENTE})
        if r.status_code not in (200, 201):
            raise RuntimeError(f"focusgebied {AREA}: {r.status_code} {r.text[:200]}")
    deadline = time.monotonic() + 60
    with system.client("rapportage") as c:
        while c.get(f"/voortgang/focusgebieden/{AREA}").status_code != 200:
            if time.monotonic() > deadline:
                raise RuntimeError(f"rapportage kent {AREA} niet na 60s")
            time.sleep(0.05)
