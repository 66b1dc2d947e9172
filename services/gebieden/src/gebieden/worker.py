"""The gebieden worker: the outbox relay and the idempotency-key purge.
`python -m gebieden.worker`."""

import asyncio
from datetime import timedelta

from gebieden.config import SERVICE, get_settings
from gebieden.db import idempotency, outbox
from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.idempotency import purge_expired
from nplv_shared.outbox import OutboxRelay
from nplv_shared.worker import run_loops


async def main() -> None:
    settings = get_settings()
    engine = make_engine(settings)
    sessionmaker = make_sessionmaker(engine)
    relay = OutboxRelay(service=SERVICE, settings=settings, table=outbox,
                        sessionmaker=sessionmaker)
    ttl = timedelta(hours=settings.idempotency_ttl_hours)

    async def purge(stop: asyncio.Event) -> None:
        await purge_expired(stop, sessionmaker, idempotency, ttl)

    try:
        await run_loops(f"{SERVICE}-worker", settings, [relay.run, purge])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
