"""The indicatoren worker: the outbox relay, the import jobs, and the pruning of published outbox
rows and expired Idempotency-Keys. `python -m indicatoren.worker`."""

import asyncio
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from indicatoren.config import SERVICE, get_settings
from indicatoren.db import event_sequence, idempotency, imports, outbox
from indicatoren.metingen.bulk import MetingImporter
from indicatoren.verwerkingen import METINGEN_VASTLEGGEN, VERANTWOORDING
from nplv_shared.importjobs import ImportJobs
from nplv_shared.outbox import EventPublisher
from nplv_shared.worker import Loop, run_producer_worker


def import_jobs(engine: AsyncEngine,
                sessionmaker: async_sessionmaker[AsyncSession]) -> Sequence[Loop]:
    publisher = EventPublisher(service=SERVICE, settings=get_settings(), table=outbox,
                               sequences=event_sequence)
    jobs = ImportJobs(service=SERVICE, engine=engine, sessionmaker=sessionmaker, tables=imports,
                      importers={"metingen": MetingImporter(publisher)},
                      verantwoording=VERANTWOORDING,
                      activities={"metingen": METINGEN_VASTLEGGEN})
    return [jobs.run]


async def main() -> None:
    await run_producer_worker(SERVICE, get_settings(), outbox=outbox, idempotency=idempotency,
                              more=import_jobs)


if __name__ == "__main__":
    asyncio.run(main())
