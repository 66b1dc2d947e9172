from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import Field, WithJsonSchema, model_validator

from financien.codes import (
    MINSTENS_DRIE,
    NIET_LEEG,
    Actielijn,
    Bedrag,
    BedragInvoer,
    Goedkeuringsstatus,
    Jaar,
    Percentage,
    PercentageInvoer,
)
from nplv_shared.schemas import Invoer, Uitvoer

# A date that may be empty, documented with its format on the property itself (the ADR linter
# looks for `format: date` on every date field, also a nullable one).
OptioneleDatum = Annotated[date | None, WithJsonSchema(
    {"type": ["string", "null"], "format": "date"})]


class JaarBedrag(Uitvoer):
    jaar: int
    bedrag: Bedrag | None = Field(description="Leeg (null) waar de tabel een lege cel heeft; "
                                              "een 0 in de tabel is \"0.00\"")


class ActielijnAandeel(Uitvoer):
    actielijn: int
    percentage: Percentage


class Goedkeuring(Uitvoer):
    status: Goedkeuringsstatus
    datum: OptioneleDatum
    referentie: str | None


class Begrotingsregel(Uitvoer):
    code: str = Field(description="Stabiele sleutel van de regel (kebab-case)")
    kop: str = Field(description="Kop in de tabel zoals gedrukt: VRO, BZK, EZK/Klimaat, VWS, "
                                 "OCW, SZW of JenV")
    ministerie: str = Field(description="Organisatie die de regel beheert (VRO valt onder BZK)")
    instrument: str
    label: str | None = Field(description="Tekst achter het instrument zoals gedrukt, "
                                          "bv. \"(10 x 100 mln)\"")
    toelichting: str | None
    specifiek_voor_focusgebieden: bool = Field(
        description="true: specifiek voor de 20 focusgebieden; false: ook generiek ingezet")
    bedragen: list[JaarBedrag] = Field(description="Huidige bedragen in euro per jaar "
                                                   "2022–2026 (de laatste revisie)")
    structureel: Bedrag | None
    revisie: int = Field(description="Nummer van de huidige revisie; 0 is het origineel")
    aanvullende_post: bool = Field(description="Staat (een deel van) het geld op de "
                                               "aanvullende post bij Financiën")
    goedkeuring: Goedkeuring | None = Field(description="Goedkeuring door Financiën; alleen "
                                                        "bij geld op de aanvullende post")
    actielijnen: list[ActielijnAandeel] = Field(description="Verdeling over de actielijnen, "
                                                            "samen precies 100%")
    versie: int
    aangemaakt_op: datetime
    gewijzigd_op: datetime


class Revisie(Uitvoer):
    begrotingsregel: str
    nummer: int = Field(description="0 is het origineel uit het programmadocument")
    bedragen: list[JaarBedrag]
    structureel: Bedrag | None
    aanvullende_post: bool
    reden: str
    datum: date
    door: str = Field(description="Organisatie die de revisie vastlegde")
    aangemaakt_op: datetime


class JaarBedragInvoer(Invoer):
    jaar: Jaar
    bedrag: BedragInvoer | None = Field(description="null maakt de cel leeg")


class RevisieInvoer(Invoer):
    """Een wijziging van de bedragen van een regel. De jaren in `bedragen` krijgen het
    opgegeven bedrag (null maakt de cel leeg); jaren die niet genoemd zijn houden hun bedrag.
    `structureel` en `aanvullendePost` veranderen alleen als ze zijn opgegeven."""

    bedragen: list[JaarBedragInvoer] = Field(
        default_factory=list, max_length=5,
        description="Elk jaar hoogstens één keer (een jaar dat twee keer voorkomt is 400)")
    structureel: BedragInvoer | None = Field(default=None, description="Alleen als opgegeven; "
                                                                      "null maakt het leeg")
    aanvullende_post: bool | None = Field(
        default=None, description="Zet de regel op (true) of van (false) de aanvullende post; "
        "op de post begint de goedkeuring als 'aangevraagd'")
    reden: str = Field(max_length=1000, pattern=MINSTENS_DRIE,
                       description="Minstens drie tekens, zonder witruimte aan begin of eind")
    datum: date

    @model_validator(mode="after")
    def _each_year_once(self) -> Self:
        jaren = [b.jaar for b in self.bedragen]
        if len(jaren) != len(set(jaren)):
            raise ValueError("elk jaar mag hoogstens één keer in bedragen staan")
        return self


class GoedkeuringInvoer(Invoer):
    """Een besluit (`goedgekeurd` of `afgewezen`) vraagt een datum en een referentie; anders
    400."""

    status: Goedkeuringsstatus
    datum: OptioneleDatum = Field(default=None,
                                  description="Verplicht bij goedgekeurd/afgewezen")
    referentie: str | None = Field(default=None, max_length=200, pattern=NIET_LEEG,
                                   description="Kenmerk van het besluit; verplicht bij "
                                               "goedgekeurd/afgewezen")

    @model_validator(mode="after")
    def _decided_has_date_and_reference(self) -> Self:
        decided = self.status != Goedkeuringsstatus.AANGEVRAAGD
        if decided and (self.datum is None or self.referentie is None):
            raise ValueError("een besluit (goedgekeurd of afgewezen) vraagt datum en referentie")
        return self


class AandeelInvoer(Invoer):
    actielijn: Actielijn
    percentage: PercentageInvoer


class ActielijnverdelingInvoer(Invoer):
    aandelen: list[AandeelInvoer] = Field(
        min_length=1, max_length=4,
        description="Elke actielijn hoogstens één keer; de percentages tellen op tot precies "
                    "100.00 (anders 400)")

    @model_validator(mode="after")
    def _sums_to_100(self) -> Self:
        lijnen = [a.actielijn for a in self.aandelen]
        if len(lijnen) != len(set(lijnen)):
            raise ValueError("elke actielijn mag hoogstens één keer voorkomen")
        totaal = sum(a.percentage for a in self.aandelen)
        if totaal != 100:
            raise ValueError(f"de aandelen tellen op tot {totaal}%, niet tot precies 100%")
        return self


@dataclass(frozen=True)
class RegelFilter:
    kop: str | None = None
    ministerie: str | None = None
    specifiek_voor_focusgebieden: bool | None = None
    actielijn: int | None = None
