"""The parts every workload uses: run sizes, result rows and the table, wrk, a direct asyncpg
load loop for the baselines, percentiles, process memory and a description of the machine."""

from __future__ import annotations

import asyncio
import json
import math
import os
import platform
import shutil
import subprocess
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import asyncpg

ROOT = Path(__file__).resolve().parent.parent
WRK_SCRIPTS = Path(__file__).resolve().parent / "wrk"


# ------------------------------------------------------------------------------ run sizes

@dataclass(frozen=True)
class Mode:
    """How long and how big each workload is. `full` is what `make bench` runs."""

    name: str
    seed_interventies: int      # written through the API before anything is measured
    write_s: int                # workload 1, per concurrency (wrk)
    write_direct_s: float       # workload 1 baseline, per concurrency
    read_s: int                 # workload 2, per endpoint and concurrency (wrk)
    read_direct_s: float        # workload 2 baseline
    e2v_s: int                  # workload 3
    e2v_rate: int               # workload 3 offered writes/s
    backlog: int                # workload 4 events
    old_rows: int               # workload 6: old rows in the outbox and in the inbox
    imports: tuple[int, ...]    # workload 7: metingen per bulk import (the last: peak RSS)
    poll_s: float = 0.01        # how often the observer of workload 3 polls the view


MODES = {
    "full": Mode("full", seed_interventies=2000, write_s=20, write_direct_s=10, read_s=20,
                 read_direct_s=10, e2v_s=60, e2v_rate=200, backlog=20_000,
                 old_rows=5_000_000, imports=(100_000, 1_000_000)),
    "quick": Mode("quick", seed_interventies=300, write_s=5, write_direct_s=3, read_s=2,
                  read_direct_s=1, e2v_s=10, e2v_rate=200, backlog=4000, old_rows=200_000,
                  imports=(100_000, 200_000)),
    "smoke": Mode("smoke", seed_interventies=60, write_s=1, write_direct_s=0.5, read_s=1,
                  read_direct_s=0.5, e2v_s=2, e2v_rate=50, backlog=300, old_rows=5000,
                  imports=(5_000, 10_000)),
}


# ------------------------------------------------------------------------------ results

@dataclass
class Row:
    """One line of the table. `ratio` is ours ÷ baseline; `holds` is None when the line is
    information without a target. A figure measured with errors never holds."""

    workload: str
    ours: float | None
    unit: str
    baseline: float | None = None
    target: str = "—"
    holds: bool | None = None
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.ours is None or not self.baseline:
            return None
        return self.ours / self.baseline

    def cells(self) -> list[str]:
        holds = "—" if self.holds is None else ("yes" if self.holds else "no")
        ratio = "—" if self.ratio is None else _ratio(self.ratio)
        ours = _figure(self.ours, self.unit)
        if self.note:
            ours = f"{ours} ({self.note})"
        return [self.workload, ours, _figure(self.baseline, self.unit), ratio, self.target,
                holds]

    def as_dict(self) -> dict[str, Any]:
        return {"workload": self.workload, "ours": self.ours, "unit": self.unit,
                "baseline": self.baseline, "ratio": self.ratio, "target": self.target,
                "holds": self.holds, "note": self.note}


def failed(workload: str, error: BaseException | str) -> Row:
    """The row of a workload that could not be measured."""
    text = str(error).splitlines()[0][:120] if str(error) else type(error).__name__
    return Row(workload, None, "", holds=False, note=f"error: {text}")


def _ratio(value: float) -> str:
    return f"{value:.2f}" if value >= 0.1 else f"{value:.2g}"


def _figure(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    if unit in ("/s", "MB"):
        return f"{value:,.0f} {unit}".replace(",", " ") if value >= 100 else f"{value:.1f} {unit}"
    if unit == "ms":
        return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"
    return f"{value:g} {unit}".strip()


HEADER = ["workload", "ours", "baseline (same run)", "ratio", "target", "holds"]


def table(rows: Sequence[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "|".join("---" for _ in HEADER) + "|"]
    lines += ["| " + " | ".join(c.replace("|", "/") for c in row.cells()) + " |" for row in rows]
    return "\n".join(lines)


def machine() -> dict[str, str]:
    mem_kb = 0
    with Path("/proc/meminfo").open() as f:
        for line in f:
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    model = ""
    with Path("/proc/cpuinfo").open() as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    commit = subprocess.run(["git", "-C", str(ROOT), "describe", "--always", "--dirty"],
                            capture_output=True, text=True, check=False).stdout.strip()
    return {"cores": str(os.cpu_count()), "memory": f"{mem_kb / 1024 / 1024:.1f} GiB",
            "cpu": model or platform.processor(), "kernel": platform.release(),
            "python": platform.python_version(), "commit": commit or "unknown",
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")}


# ------------------------------------------------------------------------------ wrk

@dataclass
class WrkResult:
    duration_s: float
    requests: int
    statuses: dict[int, int]
    socket_errors: dict[str, int]
    latency_ms: dict[str, float]
    stamps: list[float] = field(default_factory=list)

    @property
    def ok(self) -> int:
        return sum(n for status, n in self.statuses.items() if 200 <= status < 300)

    @property
    def errors(self) -> int:
        """Non-2xx responses plus connect/read/write errors and timeouts."""
        return self.requests - self.ok + sum(self.socket_errors.values())

    @property
    def rate(self) -> float:
        """2xx responses per second (errors do not count as work done)."""
        return self.ok / self.duration_s if self.duration_s else 0.0

    def error_note(self) -> str:
        if not self.errors:
            return ""
        bad = {s: n for s, n in sorted(self.statuses.items()) if not 200 <= s < 300}
        parts = [f"{n}× {s}" for s, n in bad.items()]
        parts += [f"{n} {kind}" for kind, n in self.socket_errors.items() if n]
        return "errors: " + ", ".join(parts)


def wrk_path() -> str:
    path = shutil.which("wrk")
    if path is None:
        subprocess.run(["bash", str(ROOT / "scripts" / "local" / "wrk.sh"), "ensure"],
                       check=True)
        path = shutil.which("wrk")
    if path is None:
        raise SystemExit("wrk ontbreekt (scripts/local/wrk.sh)")
    return path


def wrk(url: str, script: str, args: Sequence[str], *, connections: int, seconds: float,
        threads: int = 1, during: Callable[[subprocess.Popen[bytes]], None] | None = None,
        ) -> WrkResult:
    """Run wrk with one of bench/wrk/*.lua against `url` and parse its BENCH_RESULT line.
    `during(process)` runs while wrk does (the observer of workload 3)."""
    cmd = [wrk_path(), f"-t{threads}", f"-c{max(connections, threads)}",
           f"-d{max(1, round(seconds))}s", "--timeout", "10s", "-s", str(WRK_SCRIPTS / script),
           url, "--", *args]
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        try:
            if during is not None:
                during(proc)
            proc.wait(timeout=seconds + 60)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    for line in stdout.splitlines():
        if line.startswith("BENCH_RESULT "):
            data = json.loads(line.removeprefix("BENCH_RESULT "))
            stamps = data.get("stamps") or []
            return WrkResult(
                duration_s=data["duration_s"], requests=int(data["requests"]),
                statuses={int(k): int(v) for k, v in (data.get("statuses") or {}).items()},
                socket_errors={k: int(v) for k, v in data["socket_errors"].items()},
                latency_ms={k: float(v) for k, v in data["latency_ms"].items()},
                stamps=[float(s) for s in stamps] if isinstance(stamps, list) else [])
    raise RuntimeError(f"wrk gaf geen resultaat (exit {proc.returncode}): "
                       f"{(stderr or stdout).strip()[-500:]}")


# ------------------------------------------------------------------------------ baselines

@dataclass
class LoopResult:
    operations: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    first_error: str = ""

    @property
    def rate(self) -> float:
        return self.operations / self.seconds if self.seconds else 0.0

    def p(self, pct: float) -> float | None:
        return percentile(self.latencies_ms, pct) if self.latencies_ms else None


Operation = Callable[[asyncpg.Connection, int, int], Awaitable[Any]]


async def closed_loop(dsn: str, concurrency: int, seconds: float, operation: Operation,
                      ) -> LoopResult:
    """`concurrency` connections, each running `operation(conn, worker, n)` back to back for
    `seconds` (what wrk does over HTTP, done here directly against PostgreSQL)."""
    conns = await asyncio.gather(*(asyncpg.connect(dsn) for _ in range(concurrency)))
    latencies: list[float] = []
    errors: list[str] = []
    done = 0
    try:
        start = time.perf_counter()
        stop_at = start + seconds

        async def work(conn: asyncpg.Connection, worker: int) -> None:
            nonlocal done
            n = 0
            while time.perf_counter() < stop_at:
                t0 = time.perf_counter()
                try:
                    await operation(conn, worker, n)
                except (asyncpg.PostgresError, OSError) as exc:
                    errors.append(repr(exc))
                else:
                    latencies.append((time.perf_counter() - t0) * 1000)
                    done += 1
                n += 1

        await asyncio.gather(*(work(c, w) for w, c in enumerate(conns)))
        elapsed = time.perf_counter() - start
    finally:
        await asyncio.gather(*(c.close() for c in conns))
    return LoopResult(done, len(errors), elapsed, latencies, errors[0] if errors else "")


def percentile(values: Sequence[float], pct: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, math.ceil(pct / 100 * len(ordered)) - 1))
    return ordered[index]


# ------------------------------------------------------------------------------ memory

def rss_each_mb(pid: int) -> list[float]:
    """Resident memory (MB) of a process and of each of its descendants (uvicorn --workers
    forks), one figure per process: the target is per process."""
    return [mb for mb in map(rss_mb, process_tree(pid)) if mb is not None]


def process_tree(pid: int) -> list[int]:
    """A process and all its descendants (read from /proc once)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo += children.get(current, [])
    return found


def rss_mb(pid: int) -> float | None:
    """VmRSS of one process in MB, None when it is gone."""
    try:
        status = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return None
    for line in status:
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return None
