from pydantic import Field

from nplv_shared.schemas import Uitvoer


class Gebied(Uitvoer):
    """A stedelijk focusgebied as indicatoren knows it (from the programme document)."""

    code: str
    naam: str
    gemeente: str = Field(description="CBS-gemeentecode")
