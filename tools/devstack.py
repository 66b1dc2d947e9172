"""Runs the whole NPLV system as native processes: `make up` / `make down` call this.

PostgreSQL and Kafka are provisioned by scripts/local/*.sh unless DATABASE_URL (a server URL such
as postgresql://user:pw@host:5432) or KAFKA_BOOTSTRAP_SERVERS point at existing ones. Then every
service's migrations run, the reference data is loaded, and every API and worker is started with
its pid and log under .local/run and .local/log. The test suite uses the same functions.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg
import httpx

from servicelist import SERVICES, Service

ROOT = Path(__file__).resolve().parent.parent
LOCAL = ROOT / ".local"
RUN, LOG = LOCAL / "run", LOCAL / "log"
PYTHON = sys.executable
LOCAL_PG = "postgresql://nplv:nplv@127.0.0.1:55432"
LOCAL_KAFKA = "127.0.0.1:19092"
KEY_DIR = LOCAL / "keys"
# Uvicorn processes per API (NPLV_API_WORKERS overrides): measured by `make bench`, see README.
API_WORKERS = 2


__all__ = ["SERVICES", "Service", "Stack"]


@dataclass
class Stack:
    """Where the infrastructure is and how the services are named and reached."""

    pg_base: str
    kafka: str
    db_suffix: str = ""
    topic_suffix: str = ""
    group_suffix: str = ""
    port_offset: int = 0
    key_file: Path = KEY_DIR / "dev-public.pem"
    run_dir: Path = RUN
    log_dir: Path = LOG
    extra_env: dict[str, str] = field(default_factory=dict)

    def database(self, service: Service) -> str:
        return f"{service.name}{self.db_suffix}"

    def database_url(self, service: Service) -> str:
        parts = urlsplit(self.pg_base)
        return urlunsplit(("postgresql+asyncpg", parts.netloc, f"/{self.database(service)}",
                           "", ""))

    def topic(self, base: str) -> str:
        return f"{base}{self.topic_suffix}"

    def consumer_group(self, service: Service) -> str:
        return service.consumer_group + self.group_suffix

    def api_url(self, service: Service) -> str:
        return f"http://127.0.0.1:{service.api_port + self.port_offset}"

    def env(self, service: Service) -> dict[str, str]:
        p = service.prefix
        env = {
            **os.environ,
            f"{p}DATABASE_URL": self.database_url(service),
            f"{p}KAFKA_BOOTSTRAP_SERVERS": self.kafka,
            f"{p}JWT_PUBLIC_KEY_FILE": str(self.key_file),
            f"{p}METRICS_PORT": str(service.metrics_port + self.port_offset),
        }
        if service.produces:
            env[f"{p}TOPIC"] = self.topic(service.produces)
        if service.consumes:
            env[f"{p}TOPICS"] = json.dumps([self.topic(t) for t in service.consumes])
        if service.dead_letter:
            env[f"{p}DEAD_LETTER_TOPIC"] = self.topic(service.dead_letter)
            env[f"{p}CONSUMER_GROUP"] = self.consumer_group(service)
        env.update(self.extra_env)
        return env


def local_script(name: str, *args: str) -> None:
    subprocess.run(["bash", str(ROOT / "scripts" / "local" / f"{name}.sh"), *args], check=True)


def provision(*, start_local: bool = True) -> Stack:
    """Start local PostgreSQL/Kafka unless the environment points at existing ones."""
    pg = os.environ.get("DATABASE_URL")
    kafka = os.environ.get("KAFKA_BOOTSTRAP_SERVERS")
    if not pg and start_local:
        local_script("postgres", "start")
    if not kafka and start_local:
        local_script("kafka", "start")
    return Stack(pg_base=_server_url(pg or LOCAL_PG), kafka=kafka or LOCAL_KAFKA)


def provision_postgres() -> Stack:
    """PostgreSQL only (for the service tests): the local cluster unless DATABASE_URL is set."""
    pg = os.environ.get("DATABASE_URL")
    if not pg:
        local_script("postgres", "start")
    return Stack(pg_base=_server_url(pg or LOCAL_PG), kafka=LOCAL_KAFKA)


def migrate(stack: Stack, *, fresh: bool = False) -> None:
    """Create (or recreate) every service's database and run its migrations; no Kafka."""
    asyncio.run(_ensure_databases(stack, fresh=fresh))
    for service in SERVICES:
        _run([PYTHON, "-m", "alembic", "-c", str(service.folder / "alembic.ini"),
              "upgrade", "head"], stack.env(service))


def _server_url(url: str) -> str:
    parts = urlsplit(url.replace("postgresql+asyncpg://", "postgresql://"))
    return urlunsplit(("postgresql", parts.netloc, "", "", ""))


async def _ensure_databases(stack: Stack, *, fresh: bool) -> None:
    conn = await asyncpg.connect(f"{stack.pg_base}/postgres")
    try:
        for service in SERVICES:
            name = stack.database(service)
            if fresh:
                await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            exists = await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
            if not exists:
                await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def _drop_databases(stack: Stack) -> None:
    conn = await asyncpg.connect(f"{stack.pg_base}/postgres")
    try:
        for service in SERVICES:
            await conn.execute(f'DROP DATABASE IF EXISTS "{stack.database(service)}" WITH (FORCE)')
    finally:
        await conn.close()


def drop_databases(stack: Stack) -> None:
    asyncio.run(_drop_databases(stack))


def prepare(stack: Stack, *, fresh: bool = False) -> None:
    """Databases, keys, topics, migrations and reference data: idempotent."""
    asyncio.run(_ensure_databases(stack, fresh=fresh))
    if stack.key_file == KEY_DIR / "dev-public.pem":
        _run([PYTHON, "-c", "from nplv_shared.tokens import ensure_keys; ensure_keys()"], {})
    topics = [stack.topic(t) for s in SERVICES for t in s.topics]
    _run([PYTHON, "-m", "nplv_shared.topics", "--bootstrap", stack.kafka, *topics], {})
    for service in SERVICES:
        _run([PYTHON, "-m", "alembic", "-c", str(ROOT / "services" / service.name / "alembic.ini"),
              "upgrade", "head"], stack.env(service))
        if service.loader:
            _run([PYTHON, "-m", f"{service.name}.loader"], stack.env(service))


def _run(cmd: list[str], env: dict[str, str]) -> None:
    subprocess.run(cmd, check=True, cwd=ROOT, env={**os.environ, **env})


def process_commands(stack: Stack) -> dict[str, tuple[list[str], dict[str, str]]]:
    commands = {}
    for s in SERVICES:
        commands[f"{s.name}-api"] = (
            [PYTHON, "-m", "uvicorn", f"{s.name}.main:app", "--host", "127.0.0.1",
             "--port", str(s.api_port + stack.port_offset), "--no-access-log",
             "--workers", os.environ.get("NPLV_API_WORKERS", str(API_WORKERS))], stack.env(s))
        commands[f"{s.name}-worker"] = ([PYTHON, "-m", f"{s.name}.worker"], stack.env(s))
    return commands


def start_process(stack: Stack, name: str) -> int:
    cmd, env = process_commands(stack)[name]
    stack.run_dir.mkdir(parents=True, exist_ok=True)
    stack.log_dir.mkdir(parents=True, exist_ok=True)
    pid = running_pid(stack, name)
    if pid:
        return pid
    with (stack.log_dir / f"{name}.log").open("ab") as log:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    (stack.run_dir / f"{name}.pid").write_text(str(proc.pid))
    return proc.pid


def running_pid(stack: Stack, name: str) -> int | None:
    pid_file = stack.run_dir / f"{name}.pid"
    if not pid_file.exists():
        return None
    pid = int(pid_file.read_text())
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pid_file.unlink()
        return None
    return pid


def stop_process(stack: Stack, name: str, *, sig: int = signal.SIGTERM,
                 timeout: float = 20) -> None:
    pid = running_pid(stack, name)
    if pid is None:
        return
    os.kill(pid, sig)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            break
        _reap(pid)
        time.sleep(0.1)
    else:
        os.kill(pid, signal.SIGKILL)
    _reap(pid)
    (stack.run_dir / f"{name}.pid").unlink(missing_ok=True)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):  # not our child (started by `make up`)
        os.waitpid(pid, os.WNOHANG)


def wait_ready(stack: Stack, timeout: float = 60) -> None:
    for service in SERVICES:
        url = f"{stack.api_url(service)}/v1/health/live"
        deadline = time.monotonic() + timeout
        while True:
            try:
                if httpx.get(url, timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                log = stack.log_dir / f"{service.name}-api.log"
                tail = log.read_text()[-3000:] if log.exists() else ""
                raise SystemExit(f"{service.name} kwam niet op binnen {timeout}s.\n{tail}")
            time.sleep(0.2)


@contextmanager
def ephemeral_stack(workdir: Path, key_file: Path, **env: str) -> Iterator[Stack]:
    """A throw-away copy of the system (own databases, topic, group, ports) for tests and
    benchmarks, on the provisioned PostgreSQL and Kafka; removed again afterwards."""
    run_id = uuid.uuid4().hex[:8]
    infra = provision(start_local=True)
    stack = Stack(pg_base=infra.pg_base, kafka=infra.kafka, db_suffix=f"_test_{run_id}",
                  topic_suffix=f".test-{run_id}", group_suffix=f"-test-{run_id}",
                  port_offset=free_port_offset(), key_file=key_file, run_dir=workdir / "run",
                  log_dir=workdir / "log", extra_env=env)
    prepare(stack, fresh=True)
    for name in process_commands(stack):
        start_process(stack, name)
    try:
        wait_ready(stack)
        yield stack
    finally:
        for name in process_commands(stack):
            stop_process(stack, name)
        for log in sorted(stack.log_dir.glob("*.log")):
            text = log.read_text(errors="replace")
            if "Traceback" in text:
                sys.stderr.write(f"\n--- {log.name} (laatste regels) ---\n{text[-4000:]}\n")
        drop_databases(stack)


def free_port_offset() -> int:
    """A port offset whose API and metrics ports are all free (parallel runs can coexist)."""
    for _ in range(50):
        offset = random.randrange(10_000, 30_000, 10)
        ports = [p + offset for s in SERVICES for p in (s.api_port, s.metrics_port)]
        if all(_is_free(p) for p in ports):
            return offset
    raise RuntimeError("geen vrije poorten gevonden")


def _is_free(port: int) -> bool:
    with socket.socket() as sock:
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def up() -> None:
    stack = provision()
    prepare(stack)
    for name in process_commands(stack):
        start_process(stack, name)
    wait_ready(stack)
    print("\nNPLV draait:")
    for s in SERVICES:
        print(f"  {s.name:<11} API  {stack.api_url(s)}/v1   (OpenAPI: {stack.api_url(s)}"
              f"/v1/openapi.json, docs: /v1/docs, metrics: /metrics)")
        print(f"  {s.name:<11} worker-metrics http://127.0.0.1:{s.metrics_port}/metrics")
    print(f"  PostgreSQL  {stack.pg_base}   Kafka {stack.kafka}")
    print(f"  Logs in {LOG.relative_to(ROOT)}/; token: make token ORG=BZK SCOPE=...")


def down() -> None:
    stack = Stack(pg_base=LOCAL_PG, kafka=LOCAL_KAFKA)
    for name in process_commands(stack):
        stop_process(stack, name)
    if not os.environ.get("KAFKA_BOOTSTRAP_SERVERS"):
        local_script("kafka", "stop")
    if not os.environ.get("DATABASE_URL"):
        local_script("postgres", "stop")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=["up", "down", "provision", "provision-infra"])
    args = parser.parse_args()
    if args.command == "up":
        up()
    elif args.command == "down":
        down()
    elif args.command == "provision-infra":
        provision()
    else:
        prepare(provision())


if __name__ == "__main__":
    main()
