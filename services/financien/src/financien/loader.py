"""Load financien's reference data from the programme document. Idempotent: it only creates
what is missing, so a rerun changes nothing and emits no event, and revisions, approvals and
shares made through the API afterwards are never overwritten. It writes through the same use
cases as the API, as the programmabureau (`permissions.LOADER`). `python -m financien.loader`.

- `referentiedata/begrotingsregels.json`: the chapter-7 table "Uitgaven in miljoen" with every
  cell as printed (text: "" an empty cell, "37,5" with a decimal comma, "1.000" with a
  thousands point), amounts in millions; loaded in euros. An empty cell stays NULL, a printed
  0 stays 0. Also the proposed actielijn shares (the document gives none; see the README).
- the programme-organisation grants (§5.2, chapter 7): €500,000 per focusgebied per year in
  2023–2025 from the Volkshuisvestingsfonds, as toekenningen with fixed ids (uuid5), so a
  rerun finds them.
"""

import asyncio
import re
import uuid
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from financien import referentie
from financien.begrotingsregels.service import BegrotingsregelService
from financien.codes import JAREN
from financien.config import SERVICE, get_settings
from financien.db import event_sequence, outbox
from financien.permissions import LOADER
from financien.toekenningen.schemas import ToekenningInvoer
from financien.toekenningen.service import ToekenningService
from financien.verwerkingen import REFERENTIEDATA_LADEN, VERANTWOORDING
from nplv_shared.loader import run_loader
from nplv_shared.outbox import EventPublisher
from nplv_shared.problems import NotFound

MILJOEN = Decimal(1_000_000)
CEL = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})*(,[0-9]+)?$")  # Dutch: 1.000 / 37,5
PROGRAMMAORGANISATIE = {
    "begrotingsregel": "volkshuisvestingsfonds", "jaren": (2023, 2024, 2025),
    "bedrag": Decimal("500000.00"),
    "omschrijving": "Inrichting programmaorganisatie: €500.000 per focusgebied per jaar "
                    "2023-2025 uit het Volkshuisvestingsfonds (§5.2, hoofdstuk 7)",
}
NAMESPACE = uuid.UUID("6f1c3a52-5d0e-4c8b-9a57-0d3f1b2e7c11")


def cel_in_euro(cel: str) -> Decimal | None:
    """A cell of the table as printed (in millions) in euros; an empty cell is None."""
    if cel == "":
        return None
    if not CEL.match(cel):
        raise ValueError(f"onleesbare cel {cel!r}")
    return (Decimal(cel.replace(".", "").replace(",", ".")) * MILJOEN).quantize(Decimal("0.01"))


def programmaorganisatie_id(focusgebied: str, jaar: int) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, f"programmaorganisatie/{focusgebied}/{jaar}")


async def load_reference_data(session: AsyncSession, publisher: EventPublisher) -> int:
    """Returns how many records were created."""
    changes = 0
    regels = BegrotingsregelService(session, publisher)
    vandaag = datetime.now(UTC).date()
    for volgorde, item in enumerate(referentie.read("begrotingsregels"), start=1):
        bedragen = {f"bedrag_{jaar}": cel_in_euro(item["bedragen"][str(jaar)]) for jaar in JAREN}
        bedragen["structureel"] = cel_in_euro(item["structureel"])
        if await regels.load(item, bedragen, LOADER, volgorde=volgorde, datum=vandaag):
            changes += 1
    toekenningen = ToekenningService(session, publisher)
    for focusgebied in referentie.focusgebieden():
        for jaar in PROGRAMMAORGANISATIE["jaren"]:  # type: ignore[attr-defined]
            toekenning_id = programmaorganisatie_id(focusgebied, jaar)
            try:
                await toekenningen.get(toekenning_id)
                continue
            except NotFound:
                pass
            invoer = ToekenningInvoer(
                begrotingsregel=PROGRAMMAORGANISATIE["begrotingsregel"], focusgebied=focusgebied,
                jaar=jaar, bedrag=PROGRAMMAORGANISATIE["bedrag"],
                omschrijving=PROGRAMMAORGANISATIE["omschrijving"])
            await toekenningen.create(invoer, LOADER, toekenning_id=toekenning_id)
            changes += 1
    return changes


async def main() -> None:
    await run_loader(SERVICE, get_settings(), load_reference_data, outbox=outbox,
                     sequences=event_sequence, verantwoording=VERANTWOORDING,
                     activity=REFERENTIEDATA_LADEN, principal=LOADER)


if __name__ == "__main__":
    asyncio.run(main())
