"""`make bench`: start a throw-away copy of the whole system, fill it with seed data (fixed seed),
run every workload, print one table (our figure, the baseline measured in the same run on the
same machine, their ratio, the target and whether it holds) and write it to bench/RESULTS.md
with the machine's cores and memory and the date.

    python -m bench.run            # the full run (about 10 minutes)
    python -m bench.run --quick    # a small run (about 2 minutes)
    python -m bench.run --smoke    # the smallest run, for tests/bench (about a minute)

Workloads (README "Benchmarks"): 1 write path, 2 read path, 3 event to view, 4 event
throughput into the views, 5 memory, 6 the tables that only grow, 7 bulk import. A service
adds its own workloads as a module with `run(system) -> list[Row]` and an entry in `WORKLOADS`.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

from bench import (
    backlog,
    event_to_view,
    imports,
    memory,
    rapportage,
    reads,
    voortgangsrapportage,
    writes,
)
from bench.harness import MODES, ROOT, Mode, Row, failed, machine, table, wrk_path
from bench.system import SEED, System, log, running, seed

# In the order they run: reads before writes (so they see exactly the seed data), memory after
# event to view (its loaded snapshot is taken there), the backlog and the old rows, then the
# bulk import (its relay must not publish during the others; it uses its own service).
WORKLOADS: list[tuple[str, str, Callable[[System], list[Row]]]] = [
    ("2", "2 read path", reads.run),
    ("1", "1 write path", writes.run),
    ("3", "3 event to view", event_to_view.run),
    ("5", "5 memory", memory.rows),
    ("4", "4 event throughput into the views", backlog.run),
    ("6", "6 tables that only grow", backlog.run_old_rows),
    ("7", "7 bulk import", imports.run),
    ("8", "8 backlog of meting events into the views", rapportage.run_backlog),
    ("9", "9 rebuild of the views by replay", rapportage.run_rebuild),
    ("10", "10 meting event to view through the APIs", rapportage.run_event_to_view),
    ("11", "11 voortgangsrapportage render", voortgangsrapportage.run),
]

BASELINES = """\
What the baseline of each workload is (measured in the same run, on the same machine):

1. Write path: the same write done directly with asyncpg at the same concurrency against the
   same gebieden database: per write one transaction with the interventie row, its outbox row
   (a real event's JSON) and `SELECT pg_notify(...)` on the relay's channel, into copies of the
   two tables (same columns, indexes and constraints) so the relay and consumer need not
   process them afterwards. Ratio = API ÷ direct.
2. Read path: the SQL the endpoint's repository runs, directly with asyncpg (prepared
   statements) at the same concurrency against the same database. Ratio = API ÷ direct.
3. Event to view: no baseline; the target is absolute. The observer polls the view every
   ~10 ms, so figures include up to one poll interval.
4. Event throughput: a bare aiokafka consumer that reads the whole topic from the beginning
   and JSON-decodes every message. Ratio = drain ÷ bare consumer.
5. Memory: no baseline; VmRSS of each process (the largest of an API's uvicorn processes).
6. Tables that only grow: workload 4's figures, without the old rows. Ratio = with ÷ without.
7. Bulk import: the same metingen loaded with a plain COPY (asyncpg `copy_records_to_table`)
   into `meting_copy` (`LIKE meting INCLUDING ALL` plus its foreign key to `indicator`) in
   the same indicatoren database: the same 18 columns the import fills (with the values the
   API stored for one imported buurt), the same batches of 25,000 rows (each its own
   transaction) over as many connections as the API gets requests at once, after the relay
   has published the import's events. Ratio = API ÷ COPY. Peak RSS: no baseline.
8. Backlog of meting events (bench/rapportage.py): produced straight to the indicatoren topic
   with an aiokafka producer (the relay's bytes, not via the outbox) while the rapportage worker
   is stopped; drain timed on the consumer group's committed offsets. Baseline: a bare aiokafka
   consumer reading and JSON-decoding the whole indicatoren topic in the same run. Ratio =
   drain ÷ bare consumer.
9. Rebuild by replay (`POST /v1/herbouwopdrachten`, polled until `klaar`): no baseline; the
   target is absolute. Every event of the three topics is replayed.
10. Meting event to view: no baseline; an open-loop schedule (Python, httpx) of new metingen
   (PUT, nine in ten) and interventies (POST, one in ten); the observer polls each area's view
   every ~20 ms, so figures include up to one poll interval.
11. Voortgangsrapportage render (bench/voortgangsrapportage.py), the report of 2025S2 on the
   demo data set (its own stack, loaded through the APIs) and on a large generated one (applied
   directly to a fresh rapportage database): `bereken` and the HTML render in the bench process,
   and sequential HTTP requests (httpx) for the HTML page and the JSON concept, each either after
   a change (one meting correction applied first: the report is computed) or repeated (nothing
   changed: the API's kept report). Baseline: the programme view `GET /v1/voortgang/programma`
   on the same data, same requests. Ratio = report ÷ programme view. No targets.

Rates count only 2xx responses; a figure measured with errors (non-2xx, timeouts) never
holds. Latencies are wrk's (from the request written to the response read)."""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    size = parser.add_mutually_exclusive_group()
    size.add_argument("--quick", action="store_const", const="quick", dest="mode",
                      help="a small run (seconds per workload)")
    size.add_argument("--smoke", action="store_const", const="smoke", dest="mode",
                      help="the smallest run, to check the harness itself (tests/bench)")
    parser.add_argument("--only", default="",
                        help="run only these workloads, e.g. 1,3 (the seed data always)")
    parser.add_argument("--results", type=Path, default=ROOT / "bench" / "RESULTS.md",
                        help="where the table goes (default bench/RESULTS.md)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    parser.add_argument("--workdir", type=Path, default=ROOT / ".local" / "bench",
                        help="the stack's keys, pid files and logs (kept after the run)")
    args = parser.parse_args()
    mode = MODES[args.mode or "full"]
    only = {w.strip() for w in args.only.split(",") if w.strip()}
    load_before = os.getloadavg()[0]
    rows = bench(mode, args.workdir, only)
    info = machine()
    info["load"] = f"{load_before:.2f} before the run, {os.getloadavg()[0]:.2f} after"
    text = table(rows)
    print(f"\nmake bench ({mode.name}), {info['date']}, {info['cores']} cores, "
          f"{info['memory']}, commit {info['commit']}\n")
    print(text)
    results = results_markdown(mode, info, text)
    args.results.parent.mkdir(parents=True, exist_ok=True)
    args.results.write_text(results)
    if args.json:
        args.json.write_text(json.dumps({"mode": mode.name, "machine": info,
                                         "rows": [r.as_dict() for r in rows]}, indent=2))
    log(f"tabel geschreven naar {args.results}")
    if any(r.note.startswith("error:") for r in rows):
        sys.exit(1)


def bench(mode: Mode, workdir: Path, only: set[str]) -> list[Row]:
    wrk_path()  # install wrk before anything starts
    started = time.monotonic()
    rows: list[Row] = []
    with running(mode, workdir) as system:
        log(f"seed: {mode.seed_interventies} interventies (seed {SEED})")
        seed(system, mode.seed_interventies)
        time.sleep(2)
        system.memory["idle"] = system.rss()
        for number, name, workload in WORKLOADS:
            if only and number not in only:
                continue
            log(f"== {name}")
            t0 = time.monotonic()
            try:
                rows += workload(system)
            except Exception as exc:  # noqa: BLE001 - one broken workload must not hide others
                log(f"{name} mislukt: {exc!r}")
                rows.append(failed(name, exc))
            log(f"== {name}: {time.monotonic() - t0:.0f}s")
    log(f"klaar in {time.monotonic() - started:.0f}s")
    return sorted(rows, key=lambda r: r.workload.split(" ", 1)[0])


def results_markdown(mode: Mode, info: dict[str, str], text: str) -> str:
    command = "python -m bench.run" + ("" if mode.name == "full" else f" --{mode.name}")
    sizes = (f"seed {mode.seed_interventies} interventies; writes {mode.write_s} s per "
             f"concurrency (direct {mode.write_direct_s} s); reads {mode.read_s} s per endpoint "
             f"and concurrency (direct {mode.read_direct_s} s); event to view "
             f"{mode.e2v_rate}/s for {mode.e2v_s} s; backlog {mode.backlog} events; "
             f"{mode.old_rows} old rows; bulk import "
             f"{' and '.join(str(n) for n in mode.imports)} metingen")
    lines = [
        "# `make bench`: the last run", "",
        f"Written by `make bench` (`{command}`); do not edit by hand.", "",
        f"- date: {info['date']}",
        f"- machine: {info['cores']} cores, {info['memory']} ({info['cpu']}), "
        f"Linux {info['kernel']}, Python {info['python']}",
        f"- commit: {info['commit']}",
        f"- load average (1 min): {info['load']} (anything else running on the machine moves "
        "the figures)",
        f"- sizes ({mode.name}): {sizes}", "",
        text, "",
        BASELINES, "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
