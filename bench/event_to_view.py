"""Benchmark: time from a committed gebieden change (the API's 2xx) to the rapportage view
showing it, over a few hundred changes. `make bench` (own throw-away stack, real PG + Kafka).

Prints median, p95, p99 and max in milliseconds, and the write latency of the API itself.
The target from the programme's platform issue: event-to-view p99 under 500 ms.
"""

import argparse
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import devstack  # noqa: E402
from nplv_shared.tokens import ensure_keys, mint  # noqa: E402


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(pct / 100 * len(ordered)) - 1))
    return ordered[index]


def run(changes: int, poll_s: float) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        private_path, public_path = ensure_keys(work / "keys")
        with devstack.ephemeral_stack(work, public_path) as stack:
            svc = {s.name: s for s in devstack.SERVICES}
            gebieden = httpx.Client(base_url=stack.api_url(svc["gebieden"]) + "/v1", timeout=10)
            rapportage = httpx.Client(base_url=stack.api_url(svc["rapportage"]) + "/v1",
                                      timeout=10)
            key = private_path.read_text()
            beheer = {"Authorization": "Bearer " + mint("BZK", ["nplv:gebieden:beheer"],
                                                        private_key=key)}
            schrijf = {"Authorization": "Bearer " + mint("BZK", ["nplv:interventies:schrijven"],
                                                         private_key=key)}
            code = f"bench-{uuid.uuid4().hex[:8]}"
            gebieden.put(f"/focusgebieden/{code}", json={"naam": "Benchmark", "gemeente":
                                                         "GM0599"}, headers=beheer)
            _wait(lambda: rapportage.get(f"/voortgang/focusgebieden/{code}").status_code == 200)
            to_view, api = [], []
            for i in range(changes):
                body = {"focusgebied": code, "actielijn": 2, "ministerie": "BZK",
                        "titel": f"Benchmark {i}", "outputEenheid": "woningen",
                        "geplandeOutput": "1"}
                started = time.perf_counter()
                r = gebieden.post("/interventies", json=body, headers=schrijf)
                committed = time.perf_counter()
                r.raise_for_status()
                _wait(lambda n=i + 1: _count(rapportage, code) == n, poll_s)
                seen = time.perf_counter()
                api.append((committed - started) * 1000)
                to_view.append((seen - committed) * 1000)
    _report("event → view (ms)", to_view)
    _report("API POST /interventies (ms)", api)


def _count(client: httpx.Client, code: str) -> int:
    view = client.get(f"/voortgang/focusgebieden/{code}").json()
    return sum(a["aantalInterventies"] for a in view["actielijnen"])


def _wait(probe, poll_s: float = 0.005, timeout: float = 30) -> None:  # type: ignore[no-untyped-def]
    deadline = time.perf_counter() + timeout
    while not probe():
        if time.perf_counter() > deadline:
            raise SystemExit("timeout: de view volgde niet")
        time.sleep(poll_s)


def _report(name: str, values: list[float]) -> None:
    print(f"{name:<30} n={len(values)}  median={statistics.median(values):.1f}  "
          f"p95={percentile(values, 95):.1f}  p99={percentile(values, 99):.1f}  "
          f"max={max(values):.1f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--changes", type=int, default=300)
    parser.add_argument("--poll-ms", type=float, default=5)
    args = parser.parse_args()
    run(args.changes, args.poll_ms / 1000)
