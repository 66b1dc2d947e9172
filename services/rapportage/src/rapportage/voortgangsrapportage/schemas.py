"""What the half-yearly report returns. Decimals are exact text, dates ISO 8601, times UTC."""

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import Field

from nplv_shared.schemas import Invoer, Uitvoer
from rapportage.voortgang.schemas import (
    Achterstand,
    Gecombineerd,
    IndicatorCijfers,
    JaarGeld,
    NationaleContext,
    Output,
    StatusAantal,
)


class Reekspunt(Uitvoer):
    periode: str
    waarde: str = Field(description="Exact decimaal getal als tekst")
    status: str = Field(description="voorlopig of definitief")


class Vergelijkingsreeks(Uitvoer):
    regio: str
    soort: str = Field(description="rest-gemeente of nederland")
    punten: list[Reekspunt]


class RapportIndicator(IndicatorCijfers):
    """An indicator as of the end of the period: only metingen of periods that ended by then."""

    reeks: list[Reekspunt] = Field(description="De metingen van het gebied tot en met de periode")
    vergelijkingsreeksen: list[Vergelijkingsreeks]


class Interventieregel(Uitvoer):
    id: uuid.UUID
    titel: str | None
    ministerie: str | None
    status: str = Field(description="De status aan het einde van de periode")
    startdatum: date | None
    einddatum: date | None
    output_eenheid: str | None
    geplande_output: Decimal | None
    gerealiseerde_output: Decimal | None
    gestart_in_periode: bool
    beeindigd_in_periode: bool
    nagemeld: bool = Field(description="Pas na de periode vastgelegd: de stand is die van de "
                                       "eerste vastlegging")


class Interventietelling(Uitvoer):
    aantal: int
    per_status: list[StatusAantal]
    output: list[Output]
    gestart_in_periode: int
    beeindigd_in_periode: int
    nagemeld: int


class RapportInterventies(Interventietelling):
    lijst: list[Interventieregel]


class RapportGeld(Uitvoer):
    toegekend: Decimal = Field(description="Toekenningen van begrotingsjaren tot en met het jaar "
                                           "van de periode")
    verplicht: Decimal = Field(description="Verplichtingen gedateerd tot en met het einde van de "
                                           "periode")
    betaald: Decimal = Field(description="Betalingen gedateerd tot en met het einde van de "
                                         "periode")
    resterend: Decimal = Field(description="Toegekend min betaald")
    verplicht_in_periode: Decimal
    betaald_in_periode: Decimal


class RapportActielijn(Uitvoer):
    actielijn: int
    naam: str
    indicatoren_per_status: list[StatusAantal]
    indicatoren: list[RapportIndicator]
    interventies: RapportInterventies
    geld: RapportGeld
    geld_per_jaar: list[JaarGeld]


class RapportGebied(Uitvoer):
    focusgebied: str
    naam: str
    gemeente: str
    actielijnen: list[RapportActielijn]


class ProgrammaActielijnRapport(Uitvoer):
    actielijn: int
    naam: str
    indicatoren_per_status: list[StatusAantal]
    indicatoren: list[Gecombineerd]
    interventies: Interventietelling
    geld: RapportGeld


class RapportProgramma(Uitvoer):
    aantal_focusgebieden: int
    actielijnen: list[ProgrammaActielijnRapport]
    nederland: list[NationaleContext] = Field(description="De laatste waarde van elke "
                                                          "kernindicator voor Nederland tot en "
                                                          "met de periode")


class Voortgangsrapport(Uitvoer):
    """The report itself: what a publication freezes and its hash covers."""

    periode: str = Field(examples=["2024S1"])
    begin: date
    eind: date = Field(description="Peildatum: de stand aan het einde van deze dag")
    programma: RapportProgramma
    focusgebieden: list[RapportGebied]


class Concept(Uitvoer):
    soort: Literal["concept"] = "concept"
    periode: str
    berekend_op: datetime
    inhoud_hash: str = Field(description="SHA-256 (hex) van de canonieke JSON van het hele "
                                         "rapport (sleutels gesorteerd, geen witruimte, UTF-8), "
                                         "ook als `focusgebied` één gebied kiest")
    achterstand: Achterstand
    rapport: Voortgangsrapport


class PublicatieKop(Uitvoer):
    periode: str
    versie: int
    inhoud_hash: str = Field(description="SHA-256 (hex) van de canonieke JSON van `rapport`")
    gepubliceerd_door: str
    gepubliceerd_op: datetime
    vorige_versie: int | None = Field(description="De versie die deze vervangt")
    toelichting: str | None = Field(description="Toelichting en lessen (§6.2–6.3) bij deze "
                                                "versie")


class Publicatie(PublicatieKop):
    soort: Literal["gepubliceerd"] = "gepubliceerd"
    rapport: Voortgangsrapport


class NieuwePublicatie(Invoer):
    toelichting: str | None = Field(default=None, max_length=20000,
                                    description="Toelichting en lessen bij deze versie")


class Gebeurtenis(Uitvoer):
    """The event that made a fact what it is now."""

    id: str
    type: str
    source: str
    tijd: datetime


class Veldwijziging(Uitvoer):
    veld: str
    oud: str | None
    nieuw: str | None


class Feitwijziging(Uitvoer):
    feit: str = Field(description="Welk feit, bv. `meting leefbaarometer-score heerlen-noord "
                                  "2024S1`")
    soort: str = Field(description="focusgebied, indicator, meting, nulmeting, streefwaarde, "
                                   "interventie, begrotingsregel, toekenning of realisatie")
    wijziging: Literal["toegevoegd", "gewijzigd", "verwijderd"]
    velden: list[Veldwijziging]
    event: Gebeurtenis | None = Field(description="Het event dat het feit zo maakte (bij "
                                                  "verwijderd: het laatst bekende)")
    omschrijving: str


class Cijferwijziging(Uitvoer):
    pad: str = Field(description="Waar in het rapport, bv. `focusgebieden/heerlen-noord/"
                                 "actielijnen/2/indicatoren/leefbaarometer-score/laatsteMeting/"
                                 "waarde`")
    oud: str | None
    nieuw: str | None


class Verschillen(Uitvoer):
    periode: str
    versie: int = Field(description="De gepubliceerde versie waartegen vergeleken is")
    vergeleken_met: str = Field(description="`concept` of `versie N`")
    inhoud_hash_gepubliceerd: str
    inhoud_hash_vergeleken: str
    aantal: int = Field(description="Aantal gewijzigde feiten")
    feiten: list[Feitwijziging]
    cijfers: list[Cijferwijziging]
