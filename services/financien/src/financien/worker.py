"""The financien worker: the outbox relay and the pruning of published outbox rows and expired
Idempotency-Keys. `python -m financien.worker`."""

import asyncio

from financien.config import SERVICE, get_settings
from financien.db import idempotency, outbox
from nplv_shared.worker import run_producer_worker


async def main() -> None:
    await run_producer_worker(SERVICE, get_settings(), outbox=outbox, idempotency=idempotency)


if __name__ == "__main__":
    asyncio.run(main())
