"""Workload 5, memory: the resident set (VmRSS) of every API and worker process (the largest
one where uvicorn runs several workers), idle (after start and seed data, before any load) and
at the end of workload 3. The snapshots are taken by `run.py` and `event_to_view.py`; this
makes the rows."""

from __future__ import annotations

from bench.harness import Row, failed
from bench.system import System

LIMITS = {"idle": 150.0, "loaded": 300.0}
WHEN = {"idle": "idle", "loaded": "at end of 3"}


def rows(system: System) -> list[Row]:
    result = []
    for moment, limit in LIMITS.items():
        snapshot = system.memory.get(moment)
        if not snapshot:
            result.append(failed(f"5 RSS {WHEN[moment]}", "niet gemeten"))
            continue
        for process, mb in sorted(snapshot.items()):
            result.append(Row(f"5 RSS {WHEN[moment]}: {process}", mb, "MB", None,
                              f"< {limit:.0f} MB", mb < limit))
    return result
