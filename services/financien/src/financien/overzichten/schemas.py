from financien.codes import Bedrag
from nplv_shared.schemas import Uitvoer


class JaarTotaal(Uitvoer):
    jaar: int
    bedrag: Bedrag


class Totaal(Uitvoer):
    per_jaar: list[JaarTotaal]
    structureel: Bedrag
    totaal: Bedrag


class MinisterieTotaal(Totaal):
    kop: str
    ministerie: str


class ActielijnTotaal(Totaal):
    actielijn: int


class FocusgebiedTotaal(Uitvoer):
    focusgebied: str
    gemeente: str
    per_jaar: list[JaarTotaal]
    totaal: Bedrag


class Begrotingstotalen(Totaal):
    """Totalen van de huidige bedragen (de laatste revisie van elke regel), in euro. Een lege
    cel telt als niets; `totaal` is de som over 2022–2026 (zonder `structureel`)."""

    per_ministerie: list[MinisterieTotaal]
    per_actielijn: list[ActielijnTotaal]
    per_focusgebied: list[FocusgebiedTotaal]


class Stand(Uitvoer):
    toegekend: Bedrag
    verplicht: Bedrag
    betaald: Bedrag
    resterend: Bedrag


class ActielijnStand(Stand):
    actielijn: int


class JaarStand(Stand):
    jaar: int
    per_actielijn: list[ActielijnStand]


class Budgetoverzicht(Uitvoer):
    focusgebied: str
    gemeente: str
    totaal: Stand
    per_jaar: list[JaarStand]
    per_actielijn: list[ActielijnStand]
