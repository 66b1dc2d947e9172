"""Runs a service's background loops (outbox relay, consumers, import jobs) until
SIGTERM/SIGINT."""

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine, Sequence
from datetime import timedelta
from functools import partial
from typing import Any

from prometheus_client import start_http_server
from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from nplv_shared.logs import configure_logging
from nplv_shared.settings import ProducerSettings, ServiceSettings

logger = logging.getLogger(__name__)

Loop = Callable[[asyncio.Event], Coroutine[Any, Any, None]]


async def run_loops(service: str, settings: ServiceSettings, loops: Sequence[Loop]) -> None:
    configure_logging(service, settings.log_level, settings.log_json)
    if settings.metrics_port:
        start_http_server(settings.metrics_port, addr="127.0.0.1")
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    logger.info("worker %s gestart", service)
    tasks = [asyncio.create_task(run(stop)) for run in loops]
    await stop.wait()
    logger.info("worker %s stopt", service)
    await asyncio.wait(tasks, timeout=30)
    for task in tasks:
        task.cancel()


async def run_producer_worker(
        service: str, settings: ProducerSettings, *, outbox: Table, idempotency: Table,
        more: Callable[[AsyncEngine, async_sessionmaker[AsyncSession]], Sequence[Loop]]
        = lambda engine, sessionmaker: ()) -> None:
    """The worker of a service that publishes: its outbox relay, the pruning of published
    outbox rows and expired Idempotency-Keys, and the service's own loops (`more`, e.g. its
    import jobs), until SIGTERM/SIGINT."""
    from nplv_shared import tracing
    from nplv_shared.db import make_engine, make_sessionmaker
    from nplv_shared.outbox import OutboxRelay
    from nplv_shared.retention import prune_loop

    tracing.configure_tracing(service)
    engine = make_engine(settings)
    tracing.instrument_engine(engine)
    sessionmaker = make_sessionmaker(engine)
    relay = OutboxRelay(service=service, settings=settings, table=outbox,
                        sessionmaker=sessionmaker)
    prune_outbox = partial(prune_loop, sessionmaker=sessionmaker, table=outbox,
                           column=outbox.c.published_at,
                           retention=timedelta(days=settings.outbox_retention_days))
    prune_keys = partial(prune_loop, sessionmaker=sessionmaker, table=idempotency,
                         column=idempotency.c.created_at,
                         retention=timedelta(hours=settings.idempotency_ttl_hours))
    try:
        await run_loops(f"{service}-worker", settings,
                        [relay.run, prune_outbox, prune_keys, *more(engine, sessionmaker)])
    finally:
        await engine.dispose()
