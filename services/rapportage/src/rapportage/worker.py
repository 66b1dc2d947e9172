"""The rapportage worker: consumes events into the views and prunes old inbox ids.
`python -m rapportage.worker`."""

import asyncio
from datetime import timedelta
from functools import partial

from nplv_shared import tracing
from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.inbox import IdempotentConsumer
from nplv_shared.retention import prune_loop
from nplv_shared.worker import run_loops
from rapportage.config import SERVICE, get_settings
from rapportage.db import dead_letter, inbox
from rapportage.verwerkingen import VERANTWOORDING, VOORTGANG_BIJWERKEN
from rapportage.voortgang.projection import VoortgangProjection


async def main() -> None:
    settings = get_settings()
    tracing.configure_tracing(SERVICE)
    engine = make_engine(settings)
    tracing.instrument_engine(engine)
    sessionmaker = make_sessionmaker(engine)
    consumer = IdempotentConsumer(
        service=SERVICE, settings=settings, sessionmaker=sessionmaker, inbox=inbox,
        dead_letter=dead_letter, projection=VoortgangProjection(),
        verantwoording=VERANTWOORDING, activity=VOORTGANG_BIJWERKEN)
    prune_inbox = partial(prune_loop, sessionmaker=sessionmaker, table=inbox,
                          column=inbox.c.received_at,
                          retention=timedelta(days=settings.inbox_retention_days))
    try:
        await run_loops(f"{SERVICE}-worker", settings, [consumer.run, prune_inbox])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
