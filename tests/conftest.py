"""Shared fixtures. `stack` runs the real system for a test session: fresh databases (built by
the migrations), its own Kafka topic and consumer group, and every API and worker as a real
process, on the PostgreSQL and Kafka that `make test` provisions."""

from __future__ import annotations

import random
import socket
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import devstack  # noqa: E402
from nplv_shared.tokens import ensure_keys, mint  # noqa: E402


@dataclass
class RunningStack:
    stack: devstack.Stack
    private_key: str

    def url(self, service: str) -> str:
        return self.stack.api_url(_service(service))

    def client(self, service: str) -> httpx.Client:
        return httpx.Client(base_url=f"{self.url(service)}/v1", timeout=10)

    def token(self, organisatie: str, *scopes: str) -> str:
        return mint(organisatie, list(scopes), private_key=self.private_key)

    def auth(self, organisatie: str, *scopes: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(organisatie, *scopes)}"}

    def worker_metric(self, service: str, name: str, **labels: str) -> float:
        """Read one sample from a worker's Prometheus endpoint (0 when absent)."""
        port = _service(service).metrics_port + self.stack.port_offset
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
        wanted = [f'{k}="{v}"' for k, v in labels.items()]
        for line in text.splitlines():
            if line.startswith(name + "{") and all(w in line for w in wanted):
                return float(line.rsplit(" ", 1)[1])
        return 0.0

    def database_url(self, service: str) -> str:
        url = self.stack.database_url(_service(service))
        return url.replace("postgresql+asyncpg://", "postgresql://")

    def restart(self, process: str, *, kill: bool = False) -> None:
        import signal

        self.stack_stop(process, sig=signal.SIGKILL if kill else signal.SIGTERM)
        devstack.start_process(self.stack, process)

    def stack_stop(self, process: str, *, sig: int | None = None) -> None:
        import signal

        devstack.stop_process(self.stack, process, sig=sig or signal.SIGTERM)

    def start(self, process: str) -> None:
        devstack.start_process(self.stack, process)


def _free_port_offset() -> int:
    """A port offset whose API and metrics ports are all free (parallel sessions can coexist)."""
    for _ in range(50):
        offset = random.randrange(10_000, 30_000, 10)
        ports = [p + offset for s in devstack.SERVICES for p in (s.api_port, s.metrics_port)]
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


def _service(name: str) -> devstack.Service:
    return next(s for s in devstack.SERVICES if s.name == name)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    run_id = uuid.uuid4().hex[:8]
    base = tmp_path_factory.mktemp("stack")
    private_path, public_path = ensure_keys(base / "keys")
    infra = devstack.provision(start_local=True)
    stack = devstack.Stack(
        pg_base=infra.pg_base, kafka=infra.kafka, db_suffix=f"_test_{run_id}",
        topic_suffix=f".test-{run_id}", consumer_group=f"nplv-rapportage-test-{run_id}",
        port_offset=_free_port_offset(), key_file=public_path, run_dir=base / "run",
        log_dir=base / "log",
        extra_env={"GEBIEDEN_LOG_LEVEL": "INFO", "GEBIEDEN_OUTBOX_POLL_INTERVAL_S": "1"},
    )
    devstack.prepare(stack, fresh=True)
    for name in devstack.process_commands(stack):
        devstack.start_process(stack, name)
    try:
        devstack.wait_ready(stack)
        yield RunningStack(stack=stack, private_key=private_path.read_text())
    finally:
        for name in devstack.process_commands(stack):
            devstack.stop_process(stack, name)
        for log in sorted(stack.log_dir.glob("*.log")):
            text = log.read_text(errors="replace")
            if "Traceback" in text:
                sys.stderr.write(f"\n--- {log.name} (laatste regels) ---\n{text[-4000:]}\n")
        devstack.drop_databases(stack)
