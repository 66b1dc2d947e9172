import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import Field

from nplv_shared.schemas import Uitvoer


class StatusAantal(Uitvoer):
    status: str
    aantal: int


class Output(Uitvoer):
    eenheid: str | None = Field(description="Eenheid van de output; leeg als niet opgegeven")
    gepland: Decimal
    gerealiseerd: Decimal


class ActielijnVoortgang(Uitvoer):
    actielijn: int
    aantal_interventies: int
    per_status: list[StatusAantal]
    output: list[Output]


class Stand(Uitvoer):
    """How fresh this view is: the last gebieden event applied to it."""

    laatste_event_id: uuid.UUID | None
    laatste_event_tijd: datetime | None
    bijgewerkt_op: datetime | None


class FocusgebiedVoortgang(Uitvoer):
    focusgebied: str
    naam: str
    gemeente: str
    actielijnen: list[ActielijnVoortgang]
    stand: Stand


class FocusgebiedSamenvatting(Uitvoer):
    focusgebied: str
    naam: str
    gemeente: str
    aantal_interventies: int
