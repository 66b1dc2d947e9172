"""What the progress views return. Decimals are text (exact), times UTC."""

import uuid
from datetime import datetime
from decimal import Decimal

from pydantic import Field

from nplv_shared.schemas import Uitvoer


class Achterstand(Uitvoer):
    """How far the consumer is behind the three topics, measured by the worker about once a
    second: `bijgewerktTot` is the moment up to which every published event is in the views."""

    events: int = Field(description="Events gepubliceerd maar nog niet verwerkt")
    seconden: float | None = Field(description="Nu min bijgewerktTot; null als nog niets "
                                               "gemeten is")
    bijgewerkt_tot: datetime | None
    gemeten_op: datetime | None


class Stand(Uitvoer):
    """How fresh a view (row) is: the last event applied to it."""

    laatste_event_id: uuid.UUID | None
    laatste_event_tijd: datetime | None
    bijgewerkt_op: datetime | None


class StatusAantal(Uitvoer):
    status: str
    aantal: int


class Output(Uitvoer):
    eenheid: str | None = Field(description="Eenheid van de output; leeg als niet opgegeven")
    gepland: Decimal
    gerealiseerd: Decimal


class Waarde(Uitvoer):
    periode: str
    waarde: str = Field(description="Exact decimaal getal als tekst")


class LaatsteMeting(Waarde):
    status: str


class Prognose(Uitvoer):
    uitkomst: str = Field(description="verwacht, bereikt, niet-bij-huidig-tempo of "
                                      "onvoldoende-gegevens")
    periode: str | None = Field(description="De periode waarin de trend het doel bereikt")
    trend_per_jaar: str | None
    aantal_punten: int


class Kloof(Uitvoer):
    regio: str
    soort: str = Field(description="rest-gemeente of nederland")
    periode: str | None = Field(description="Laatste periode die gebied en regio beide hebben")
    waarde: str | None
    kloof: str | None = Field(description="Gebied min regio in die periode")
    begin_periode: str | None
    kloof_bij_begin: str | None
    wordt_kleiner: bool | None
    vergelijkbaar: bool = Field(description="false voor absolute aantallen: dan geen kloof")


class IndicatorCijfers(Uitvoer):
    """The figures of one focusgebied × indicator (`rapportage.berekening`)."""

    indicator: str
    naam: str
    actielijn: int
    eenheid: str
    richting: str
    combinatie: str
    nulmeting: Waarde | None
    laatste_meting: LaatsteMeting | None
    streefwaarde: Waarde | None = Field(description="Het doel waartegen de status is bepaald")
    streefwaarden: list[Waarde]
    aantal_metingen: int
    voortgang: str | None = Field(description="(laatste − nulmeting) / |streefwaarde − "
                                              "nulmeting|, met het teken van de richting")
    verwachte_voortgang: str | None = Field(description="Het deel van het rechte traject naar "
                                                        "het doel dat verstreken is")
    trajectwaarde: str | None
    status: str = Field(description="op-koers, risico, achter of onvoldoende-gegevens")
    prognose: Prognose
    vergelijking: list[Kloof]


class IndicatorVoortgang(IndicatorCijfers):
    stand: Stand


class Geld(Uitvoer):
    toegekend: Decimal
    verplicht: Decimal
    betaald: Decimal
    resterend: Decimal = Field(description="Toegekend min betaald")


class JaarGeld(Geld):
    jaar: int


class ActielijnVoortgang(Uitvoer):
    actielijn: int
    aantal_interventies: int
    per_status: list[StatusAantal]
    output: list[Output]
    indicatoren_per_status: list[StatusAantal]
    indicatoren: list[IndicatorVoortgang]
    geld: Geld
    geld_per_jaar: list[JaarGeld]
    stand: Stand = Field(description="Het laatste event achter deze actielijn: van haar "
                                     "interventies, indicatoren en geld")


class FocusgebiedVoortgang(Uitvoer):
    focusgebied: str
    naam: str
    gemeente: str
    actielijnen: list[ActielijnVoortgang]
    stand: Stand
    achterstand: Achterstand


class IndicatorWeergave(Uitvoer):
    focusgebied: str
    voortgang: IndicatorVoortgang
    achterstand: Achterstand


class FocusgebiedSamenvatting(Uitvoer):
    focusgebied: str
    naam: str
    gemeente: str
    aantal_interventies: int


class Gecombineerd(Uitvoer):
    """An indicator over all focusgebieden, by its combination rule; never a plain average."""

    indicator: str
    naam: str
    combinatie: str
    per_status: list[StatusAantal]
    gebieden_meegeteld: list[str] = Field(description="Gebieden met nulmeting, meting en doel")
    nulmeting: str | None
    laatste: str | None
    streefwaarde: str | None
    voortgang: str | None
    toelichting: str = Field(description="Hoe (of waarom niet) de gebieden zijn gecombineerd")


class ActielijnOverzicht(Uitvoer):
    actielijn: int
    indicatoren_per_status: list[StatusAantal]
    indicatoren: list[Gecombineerd]
    aantal_interventies: int
    per_status: list[StatusAantal]
    output: list[Output]
    geld: Geld
    per_focusgebied: list["GebiedActielijn"]
    achterstand: Achterstand


class GebiedActielijn(Uitvoer):
    focusgebied: str
    naam: str
    gemeente: str
    indicatoren_per_status: list[StatusAantal]
    aantal_interventies: int
    geld: Geld
    stand: Stand


class NationaleContext(Uitvoer):
    indicator: str
    naam: str
    actielijn: int
    periode: str | None
    waarde: str | None


class ProgrammaGebied(Uitvoer):
    focusgebied: str
    naam: str
    gemeente: str
    actielijnen: list["ProgrammaActielijn"]
    stand: Stand


class ProgrammaActielijn(Uitvoer):
    actielijn: int
    indicatoren_per_status: list[StatusAantal]
    aantal_interventies: int
    geld: Geld


class Programmaoverzicht(Uitvoer):
    focusgebieden: list[ProgrammaGebied]
    nederland: list[NationaleContext]
    achterstand: Achterstand


class HerkomstEvent(Uitvoer):
    source: str
    type: str
    id: str
    tijd: datetime
    onderwerp: str = Field(description="Wat het event beschrijft (meting, interventie, …)")
    indiening: dict[str, str | None] = Field(
        description="De oorspronkelijke indiening: importId, metingId, interventieId, "
                    "toekenningId, bron (CBS-tabel) waar van toepassing")


class Herkomst(Uitvoer):
    weergave: str
    events: list[HerkomstEvent]


class Herbouwopdracht(Uitvoer):
    id: uuid.UUID
    status: str = Field(description="wachtend, bezig, klaar of mislukt")
    aangevraagd_door: str
    aangevraagd_op: datetime
    gestart_op: datetime | None
    klaar_op: datetime | None
    events_verwerkt: int
    events_totaal: int | None
    per_seconde: Decimal | None
    resterend_seconden: Decimal | None
    fout: str | None


ActielijnOverzicht.model_rebuild()
ProgrammaGebied.model_rebuild()
