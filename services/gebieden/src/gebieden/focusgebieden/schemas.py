from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, model_validator

from gebieden.codes import (
    UITVOERINGSPROGRAMMA_ONDERDELEN,
    BuurtCode,
    GemeenteCode,
    Ministerie,
    UitvoeringsprogrammaStatus,
    WijkCode,
)
from nplv_shared.schemas import Invoer, Uitvoer


class Gebiedsdeel(Invoer):
    """A CBS wijk or buurt that is part of the focusgebied for a period."""

    code: Annotated[WijkCode | BuurtCode, Field(description="CBS wijk- (WK) of buurtcode (BU)")]
    geldig_vanaf: date
    geldig_tot: date | None = Field(default=None, description="Na geldigVanaf; leeg: nog geldig")

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.geldig_tot and self.geldig_tot <= self.geldig_vanaf:
            raise ValueError("geldigTot moet na geldigVanaf liggen")
        return self


class FocusgebiedInvoer(Invoer):
    naam: str = Field(min_length=2, max_length=200)
    gemeente: GemeenteCode
    inwoners: int | None = Field(default=None, ge=0, le=2_000_000)
    gebiedsdelen: list[Gebiedsdeel] = Field(default_factory=list, max_length=500)


class Focusgebied(Uitvoer):
    code: str
    naam: str
    gemeente: str
    inwoners: int | None
    gebiedsdelen: list[dict[str, object]]
    versie: int
    gewijzigd_op: datetime


class Rijksvertegenwoordiger(Invoer):
    naam: str | None = Field(default=None, max_length=200)
    ministerie: Ministerie | None = None
    directoraat: str | None = Field(default=None, max_length=32)


class Partner(Invoer):
    naam: str = Field(min_length=1, max_length=200)
    rol: str | None = Field(default=None, max_length=200)


class Programmabureau(Invoer):
    ingericht: bool = False
    naam: str | None = Field(default=None, max_length=200)
    contact_email: str | None = Field(default=None, max_length=254,
                                      pattern=r"^[^@\x00-\x20\x7f]+@[^@\x00-\x20\x7f]+\.[^@\x00-\x20\x7f]+$")


class AlliantieInvoer(Invoer):
    voorzitter: str | None = Field(default=None, max_length=200,
                                   description="De burgemeester die het alliantieoverleg voorzit")
    rijksvertegenwoordiger: Rijksvertegenwoordiger
    partners: list[Partner] = Field(default_factory=list, max_length=100)
    programmabureau: Programmabureau = Field(default_factory=Programmabureau)


class Alliantie(Uitvoer):
    focusgebied: str
    voorzitter: str | None
    rijksvertegenwoordiger: dict[str, object]
    partners: list[dict[str, object]]
    programmabureau: dict[str, object]
    versie: int
    gewijzigd_op: datetime


class Onderdeel(Invoer):
    code: str = Field(description="Eén van de zes verplichte onderdelen (§5.2)",
                      json_schema_extra={"enum": list(UITVOERINGSPROGRAMMA_ONDERDELEN)})
    aanwezig: bool
    toelichting: str | None = Field(default=None, max_length=2000)


class UitvoeringsprogrammaInvoer(Invoer):
    status: UitvoeringsprogrammaStatus
    vastgesteld_op: date | None = None
    onderdelen: list[Onderdeel] = Field(
        min_length=6, max_length=6,
        description="Precies de zes onderdelen van §5.2, elk één keer: "
                    + ", ".join(UITVOERINGSPROGRAMMA_ONDERDELEN))

    @model_validator(mode="after")
    def _all_six_parts(self) -> Self:
        codes = [o.code for o in self.onderdelen]
        if sorted(codes) != sorted(UITVOERINGSPROGRAMMA_ONDERDELEN):
            raise ValueError("onderdelen moet precies de zes onderdelen bevatten: "
                             + ", ".join(UITVOERINGSPROGRAMMA_ONDERDELEN))
        return self


class Uitvoeringsprogramma(Uitvoer):
    focusgebied: str
    status: UitvoeringsprogrammaStatus
    vastgesteld_op: date | None
    onderdelen: list[dict[str, object]]
    versie: int
    gewijzigd_op: datetime
