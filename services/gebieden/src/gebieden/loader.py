"""Load the programme's reference data (gemeenten, focusgebieden, allianties) from the programme
document. Idempotent: it only creates what is missing, so a rerun changes nothing and emits no
event, and edits made through the API afterwards are never overwritten. It writes through the
same use cases as the API, as the programmabureau (`permissions.LOADER`).
`python -m gebieden.loader`."""

import asyncio
import json
from importlib import resources
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gebieden.config import SERVICE, get_settings
from gebieden.db import event_sequence, outbox
from gebieden.focusgebieden.schemas import AlliantieInvoer, FocusgebiedInvoer
from gebieden.focusgebieden.service import FocusgebiedService
from gebieden.gemeenten.schemas import GemeenteInvoer
from gebieden.gemeenten.service import GemeenteService
from gebieden.permissions import LOADER
from gebieden.verwerkingen import REFERENTIEDATA_LADEN, VERANTWOORDING
from nplv_shared.loader import run_loader
from nplv_shared.outbox import EventPublisher
from nplv_shared.problems import NotFound


def _read(name: str) -> list[dict[str, Any]]:
    data = resources.files("gebieden.referentiedata").joinpath(f"{name}.json").read_text("utf-8")
    return list(json.loads(data))


async def load_reference_data(session: AsyncSession, publisher: EventPublisher) -> int:
    """Returns how many records were created or changed."""
    changes = 0
    gemeenten = GemeenteService(session, publisher)
    for item in _read("gemeenten"):
        if not await gemeenten.exists(item["code"]):
            await gemeenten.put(item["code"], GemeenteInvoer(naam=item["naam"]), LOADER, None)
            changes += 1
    focusgebieden = FocusgebiedService(session, publisher)
    for item in _read("focusgebieden"):
        if await focusgebieden.gemeente_of(item["code"]) is None:
            invoer = FocusgebiedInvoer(naam=item["naam"], gemeente=item["gemeente"],
                                       inwoners=item.get("inwoners"))
            await focusgebieden.put(item["code"], invoer, LOADER, None)
            changes += 1
        try:
            await focusgebieden.get_alliantie(item["code"])
        except NotFound:
            rijks = {k: v for k, v in item["rijksvertegenwoordiger"].items() if v is not None}
            await focusgebieden.put_alliantie(
                item["code"], AlliantieInvoer.model_validate({"rijksvertegenwoordiger": rijks}),
                LOADER, None)
            changes += 1
    return changes


async def main() -> None:
    await run_loader(SERVICE, get_settings(), load_reference_data, outbox=outbox,
                     sequences=event_sequence, verantwoording=VERANTWOORDING,
                     activity=REFERENTIEDATA_LADEN, principal=LOADER)


if __name__ == "__main__":
    asyncio.run(main())
