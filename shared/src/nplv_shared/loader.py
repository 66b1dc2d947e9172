"""Runs a service's reference-data loader once (`python -m <service>.loader`, after the
migrations): in one transaction, audited and in the processing log like any write, as the
principal the service's loader acts as."""

import logging
from collections.abc import Awaitable, Callable

from sqlalchemy import Table
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared import tracing
from nplv_shared.auth import Principal
from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.logs import configure_logging
from nplv_shared.outbox import EventPublisher
from nplv_shared.settings import ProducerSettings
from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Verwerkingsactiviteit, now_ms

logger = logging.getLogger(__name__)

Load = Callable[[AsyncSession, EventPublisher], Awaitable[int]]


async def run_loader(service: str, settings: ProducerSettings, load: Load, *, outbox: Table,
                     sequences: Table, verantwoording: Verantwoording,
                     activity: Verwerkingsactiviteit, principal: Principal) -> int:
    """`load` returns how many records it created or changed (0 on a rerun)."""
    configure_logging(f"{service}-loader", settings.log_level, settings.log_json)
    engine = make_engine(settings)
    publisher = EventPublisher(service=service, settings=settings, table=outbox,
                               sequences=sequences)
    tracing.configure_tracing(service)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            started = now_ms()
            verantwoording.start(session)  # audited like any write, as the loader
            changes = await load(session, publisher)
            await verantwoording.record_job(session, activity, principal,
                                            name="referentiedata laden", started_ms=started)
        logger.info("referentiedata geladen: %d wijziging(en)", changes)
        return changes
    finally:
        await engine.dispose()
