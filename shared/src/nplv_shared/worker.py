"""Runs a service's background loops (outbox relay, consumers) until SIGTERM/SIGINT."""

import asyncio
import logging
import signal
from collections.abc import Callable, Coroutine, Sequence
from typing import Any

from prometheus_client import start_http_server

from nplv_shared.logs import configure_logging
from nplv_shared.settings import ServiceSettings

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
