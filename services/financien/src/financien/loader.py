"""Load financien's reference data from the programme document. Idempotent.
`python -m financien.loader`."""

import asyncio


async def main() -> None:
    return None


if __name__ == "__main__":
    asyncio.run(main())
