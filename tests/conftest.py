"""Shared fixtures. `stack` runs the real system for a test session: fresh databases (built by
the migrations), its own Kafka topic and consumer group, and every API and worker as a real
process, on the PostgreSQL and Kafka that `make test` provisions."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine
from sqlalchemy.pool import NullPool

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import devstack  # noqa: E402
import servicelist  # noqa: E402
from nplv_shared.tokens import ensure_keys, mint  # noqa: E402
from tests.browser.chromium import launch_chromium  # noqa: E402


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
        self.stack_stop(process, sig=signal.SIGKILL if kill else signal.SIGTERM)
        devstack.start_process(self.stack, process)

    def stack_stop(self, process: str, *, sig: int | None = None) -> None:
        devstack.stop_process(self.stack, process, sig=sig or signal.SIGTERM)

    def start(self, process: str) -> None:
        devstack.start_process(self.stack, process)


def _service(name: str) -> devstack.Service:
    return servicelist.by_name(name)


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[RunningStack]:
    base = tmp_path_factory.mktemp("stack")
    private_path, public_path = ensure_keys(base / "keys")
    with devstack.ephemeral_stack(base, public_path, GEBIEDEN_OUTBOX_POLL_INTERVAL_S="1") as s:
        yield RunningStack(stack=s, private_key=private_path.read_text())


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Markers follow the fixtures a test really uses: `integration` for the running system,
    `database` for a rolled-back session on the real PostgreSQL (`-m "not integration"` runs
    the fast tests only)."""
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & {"stack", "fuzz_stack"}:
            item.add_marker(pytest.mark.integration)
        if fixtures & {"service_database", "gebieden_session", "rapportage_session"}:
            item.add_marker(pytest.mark.database)


# --- service tests: use cases on a real PostgreSQL session, rolled back after each test -----

@pytest.fixture(scope="session")
def service_database() -> Iterator[dict[str, str]]:
    """A database per service, built by its migrations, on the PostgreSQL `make test`
    provisions (started here when it is not running); dropped afterwards."""
    stack = devstack.provision_postgres()
    stack.db_suffix = f"_svc_{os.getpid()}"
    devstack.migrate(stack, fresh=True)
    try:
        yield {s.name: stack.database_url(s) for s in servicelist.SERVICES}
    finally:
        devstack.drop_databases(stack)


@asynccontextmanager
async def _rolled_back(url: str) -> AsyncIterator[AsyncSession]:
    engine = create_async_engine(url, poolclass=NullPool)
    try:
        async with engine.connect() as connection:
            outer = await connection.begin()
            # The code under test may begin/commit: that becomes a savepoint of `outer`.
            session = AsyncSession(bind=connection, expire_on_commit=False,
                                   join_transaction_mode="create_savepoint")
            try:
                yield session
            finally:
                await session.close()
                await outer.rollback()
    finally:
        await engine.dispose()


@pytest.fixture
async def gebieden_session(service_database: dict[str, str]) -> AsyncIterator[AsyncSession]:
    async with _rolled_back(service_database["gebieden"]) as session:
        yield session


@pytest.fixture
async def rapportage_session(service_database: dict[str, str]) -> AsyncIterator[AsyncSession]:
    async with _rolled_back(service_database["rapportage"]) as session:
        yield session


# --- a real headless Chromium (tests/browser/chromium.py) ----------------------------------------
BROWSER_TIMEOUT_MS = 15_000


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def chromium() -> AsyncIterator[Browser]:
    """Debian's Chromium, started once via Playwright and closed at the end of the session.
    Fails (never skips) when /usr/bin/chromium is missing."""
    async with async_playwright() as playwright:
        browser = await launch_chromium(playwright)
        try:
            yield browser
        finally:
            await browser.close()


@pytest_asyncio.fixture(loop_scope="session")
async def page(chromium: Browser) -> AsyncIterator[Page]:
    """A page in a new browser context (no cookies, storage or cache shared between tests),
    Dutch locale and Amsterdam time, as the report's readers have them."""
    context = await chromium.new_context(locale="nl-NL", timezone_id="Europe/Amsterdam")
    context.set_default_timeout(BROWSER_TIMEOUT_MS)
    try:
        yield await context.new_page()
    finally:
        await context.close()
