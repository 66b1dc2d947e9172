"""The rapportage worker: consumes the three topics into the views, runs requested rebuilds and
prunes old inbox ids. `python -m rapportage.worker`."""

import asyncio
from datetime import timedelta
from functools import partial

from nplv_shared import tracing
from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.inbox import IdempotentConsumer
from nplv_shared.retention import prune_loop
from nplv_shared.worker import run_loops
from rapportage.config import SERVICE, get_settings
from rapportage.db import consumer_positie, dead_letter, inbox
from rapportage.herbouw import BATCH_LOCK, herbouw_loop
from rapportage.projectie import Projectie
from rapportage.verwerkingen import VERANTWOORDING, VOORTGANG_BIJWERKEN


async def main() -> None:
    settings = get_settings()
    tracing.configure_tracing(SERVICE)
    engine = make_engine(settings)
    tracing.instrument_engine(engine)
    sessionmaker = make_sessionmaker(engine)
    consumer = IdempotentConsumer(
        service=SERVICE, settings=settings, sessionmaker=sessionmaker, inbox=inbox,
        dead_letter=dead_letter, projection=Projectie(), verantwoording=VERANTWOORDING,
        activity=VOORTGANG_BIJWERKEN, positions=consumer_positie, batch_lock=BATCH_LOCK)
    prune_inbox = partial(prune_loop, sessionmaker=sessionmaker, table=inbox,
                          column=inbox.c.received_at,
                          retention=timedelta(days=settings.inbox_retention_days))
    rebuilds = partial(herbouw_loop, settings=settings, engine=engine)
    try:
        await run_loops(f"{SERVICE}-worker", settings, [consumer.run, prune_inbox, rebuilds])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
