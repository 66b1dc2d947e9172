"""The gebieden worker: the outbox relay, the import jobs, and the pruning of published outbox
rows and expired Idempotency-Keys. `python -m gebieden.worker`."""

import asyncio
from datetime import timedelta
from functools import partial

from gebieden.config import SERVICE, get_settings
from gebieden.db import event_sequence, idempotency, imports, outbox
from gebieden.interventies.service import InterventieImporter
from gebieden.verwerkingen import INTERVENTIES_REGISTREREN, VERANTWOORDING
from nplv_shared import tracing
from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.importjobs import ImportJobs
from nplv_shared.outbox import EventPublisher, OutboxRelay
from nplv_shared.retention import prune_loop
from nplv_shared.worker import run_loops


async def main() -> None:
    settings = get_settings()
    tracing.configure_tracing(SERVICE)
    engine = make_engine(settings)
    tracing.instrument_engine(engine)
    sessionmaker = make_sessionmaker(engine)
    relay = OutboxRelay(service=SERVICE, settings=settings, table=outbox,
                        sessionmaker=sessionmaker)
    prune_outbox = partial(prune_loop, sessionmaker=sessionmaker, table=outbox,
                           column=outbox.c.published_at,
                           retention=timedelta(days=settings.outbox_retention_days))
    prune_keys = partial(prune_loop, sessionmaker=sessionmaker, table=idempotency,
                         column=idempotency.c.created_at,
                         retention=timedelta(hours=settings.idempotency_ttl_hours))
    publisher = EventPublisher(service=SERVICE, settings=settings, table=outbox,
                               sequences=event_sequence)
    jobs = ImportJobs(service=SERVICE, engine=engine, sessionmaker=sessionmaker, tables=imports,
                      importers={"interventies": InterventieImporter(publisher)},
                      verantwoording=VERANTWOORDING,
                      activities={"interventies": INTERVENTIES_REGISTREREN})
    try:
        await run_loops(f"{SERVICE}-worker", settings,
                        [relay.run, prune_outbox, prune_keys, jobs.run])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
