"""Load indicatoren's reference data from the programme document: the 19 gemeenten and 20
focusgebieden (a copy of gebieden's reference data: services share no database) and the 15
kernindicatoren of §6.1. Idempotent: it only creates what is missing, so a rerun changes
nothing and emits no event, and changes made through the API afterwards are never
overwritten. Indicators are written through the same use case as the API, as the
programmabureau (`permissions.LOADER`). `python -m indicatoren.loader`."""

import asyncio
import json
from importlib import resources
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.config import SERVICE, get_settings
from indicatoren.db import event_sequence, outbox
from indicatoren.indicatoren.schemas import IndicatorInvoer
from indicatoren.indicatoren.service import IndicatorService
from indicatoren.permissions import LOADER
from indicatoren.referentie.service import ReferentieService
from indicatoren.verwerkingen import REFERENTIEDATA_LADEN, VERANTWOORDING
from nplv_shared.loader import run_loader
from nplv_shared.outbox import EventPublisher


def read(name: str) -> list[dict[str, Any]]:
    data = resources.files("indicatoren.referentiedata").joinpath(f"{name}.json").read_text(
        "utf-8")
    return list(json.loads(data))


def kernindicatoren() -> list[tuple[str, IndicatorInvoer]]:
    """The 15 kernindicatoren as (code, invoer), in the order of §6.1."""
    return [(item["code"], IndicatorInvoer.model_validate(
        {k: v for k, v in item.items() if k != "code"})) for item in read("kernindicatoren")]


async def load_reference_data(session: AsyncSession, publisher: EventPublisher) -> int:
    """Returns how many records were created."""
    changes = await ReferentieService(session).load(read("gemeenten"), read("focusgebieden"))
    indicatoren = IndicatorService(session, publisher)
    for code, invoer in kernindicatoren():
        if not await indicatoren.exists(code):
            await indicatoren.put(code, invoer, LOADER, None)
            changes += 1
    return changes


async def main() -> None:
    await run_loader(SERVICE, get_settings(), load_reference_data, outbox=outbox,
                     sequences=event_sequence, verantwoording=VERANTWOORDING,
                     activity=REFERENTIEDATA_LADEN, principal=LOADER)


if __name__ == "__main__":
    asyncio.run(main())
