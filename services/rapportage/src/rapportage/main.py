"""The rapportage API: `uvicorn rapportage.main:app`."""

from fastapi import FastAPI

from nplv_shared.app import create_app
from rapportage import herbouwopdrachten
from rapportage.config import SERVICE, get_settings
from rapportage.verwerkingen import VERANTWOORDING
from rapportage.voortgang import router as voortgang
from rapportage.voortgangsrapportage import router as voortgangsrapportage

DESCRIPTION = """Voortgang van het Nationaal Programma Leefbaarheid en Veiligheid per focusgebied
en actielijn, opgebouwd uit de events van gebieden, indicatoren en financien (materialised
views, bijgewerkt per verwerkte batch). Elke rij vermeldt haar actualiteit (het laatste verwerkte
event) en elk antwoord hoe ver de verwerking achterloopt (`achterstand`). Herkomst: per rij de
events en de oorspronkelijke indiening. De halfjaarlijkse voortgangsrapportage: concept en
bevroren gepubliceerde versies, als JSON, CSV en afdrukbare pagina, met verschillenlijst.
Herbouw: alle events opnieuw afspelen."""
ROUTERS = (voortgang, voortgangsrapportage, herbouwopdrachten)


def build_app() -> FastAPI:
    return create_app(service=SERVICE, title="NPLV Rapportage API", description=DESCRIPTION,
                      settings=get_settings(), routers=[m.router for m in ROUTERS],
                      tags=[m.TAG for m in ROUTERS], verantwoording=VERANTWOORDING,
                      public_paths=("/voortgang", "/voortgangsrapportages"))


app = build_app()
