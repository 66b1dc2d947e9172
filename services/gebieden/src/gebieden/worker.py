"""The gebieden worker: the outbox relay. `python -m gebieden.worker`."""

import asyncio

from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.outbox import OutboxRelay
from nplv_shared.worker import run_loops

from gebieden.config import get_settings
from gebieden.db import outbox


async def main() -> None:
    settings = get_settings()
    engine = make_engine(settings)
    relay = OutboxRelay(service="gebieden", settings=settings, table=outbox,
                        sessionmaker=make_sessionmaker(engine))
    try:
        await run_loops("gebieden-worker", settings, [relay.run])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
