"""The rapportage worker: consumes events into the views. `python -m rapportage.worker`."""

import asyncio

from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.inbox import IdempotentConsumer
from nplv_shared.worker import run_loops
from rapportage.config import SERVICE, get_settings
from rapportage.db import dead_letter, inbox
from rapportage.voortgang.projection import VoortgangProjection


async def main() -> None:
    settings = get_settings()
    engine = make_engine(settings)
    consumer = IdempotentConsumer(
        service=SERVICE, settings=settings, sessionmaker=make_sessionmaker(engine), inbox=inbox,
        dead_letter=dead_letter, projection=VoortgangProjection())
    try:
        await run_loops(f"{SERVICE}-worker", settings, [consumer.run])
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
