"""The gebieden worker: the outbox relay, the import jobs, and the pruning of published outbox
rows and expired Idempotency-Keys. `python -m gebieden.worker`."""

import asyncio
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from gebieden.config import SERVICE, get_settings
from gebieden.db import event_sequence, idempotency, imports, outbox
from gebieden.interventies.service import InterventieImporter
from gebieden.verwerkingen import INTERVENTIES_REGISTREREN, VERANTWOORDING
from nplv_shared.importjobs import ImportJobs
from nplv_shared.outbox import EventPublisher
from nplv_shared.worker import Loop, run_producer_worker


def import_jobs(engine: AsyncEngine,
                sessionmaker: async_sessionmaker[AsyncSession]) -> Sequence[Loop]:
    publisher = EventPublisher(service=SERVICE, settings=get_settings(), table=outbox,
                               sequences=event_sequence)
    jobs = ImportJobs(service=SERVICE, engine=engine, sessionmaker=sessionmaker, tables=imports,
                      importers={"interventies": InterventieImporter(publisher)},
                      verantwoording=VERANTWOORDING,
                      activities={"interventies": INTERVENTIES_REGISTREREN})
    return [jobs.run]


async def main() -> None:
    await run_producer_worker(SERVICE, get_settings(), outbox=outbox, idempotency=idempotency,
                              more=import_jobs)


if __name__ == "__main__":
    asyncio.run(main())
