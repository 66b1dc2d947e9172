"""Load the programme's reference data (gemeenten, focusgebieden, allianties) from the programme
document. Idempotent: it only creates what is missing, so a rerun changes nothing and emits no
event, and edits made through the API afterwards are never overwritten.
`python -m gebieden.loader`."""

import asyncio
import json
import logging
from importlib import resources
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.config import get_settings
from gebieden.focusgebieden.repository import FocusgebiedRepository
from gebieden.focusgebieden.schemas import AlliantieInvoer, FocusgebiedInvoer
from gebieden.focusgebieden.service import FocusgebiedService
from gebieden.gemeenten.models import Gemeente
from gebieden.gemeenten.schemas import GemeenteInvoer
from gebieden.gemeenten.service import GemeenteService
from nplv_shared.db import make_engine, make_sessionmaker
from nplv_shared.logs import configure_logging

logger = logging.getLogger(__name__)


def _read(name: str) -> list[dict[str, Any]]:
    data = resources.files("gebieden.referentiedata").joinpath(f"{name}.json").read_text("utf-8")
    return list(json.loads(data))


async def load_reference_data(session: AsyncSession) -> int:
    """Returns how many records were created or changed."""
    changes = 0
    gemeenten = GemeenteService(session)
    for item in _read("gemeenten"):
        if await session.get(Gemeente, item["code"]) is None:
            await gemeenten.put(item["code"], GemeenteInvoer(naam=item["naam"]), None)
            changes += 1
    focusgebieden = FocusgebiedService(session)
    repo = FocusgebiedRepository(session)
    for item in _read("focusgebieden"):
        if await repo.get(item["code"]) is None:
            invoer = FocusgebiedInvoer(naam=item["naam"], gemeente=item["gemeente"],
                                       inwoners=item.get("inwoners"))
            await focusgebieden.put(item["code"], invoer, None)
            changes += 1
        if await repo.alliantie(item["code"]) is None:
            rijks = {k: v for k, v in item["rijksvertegenwoordiger"].items() if v is not None}
            await focusgebieden.put_alliantie(
                item["code"], AlliantieInvoer.model_validate({"rijksvertegenwoordiger": rijks}),
                principal=None, if_match=None)
            changes += 1
    return changes


async def main() -> None:
    settings = get_settings()
    configure_logging("gebieden-loader", settings.log_level, settings.log_json)
    engine = make_engine(settings)
    try:
        async with make_sessionmaker(engine)() as session, session.begin():
            changes = await load_reference_data(session)
        logger.info("referentiedata geladen: %d wijziging(en)", changes)
    finally:
        await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
