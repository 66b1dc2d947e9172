"""The rapportage API: `uvicorn rapportage.main:app`."""

from fastapi import FastAPI

from nplv_shared.app import create_app
from rapportage.config import get_settings
from rapportage.voortgang.router import router as voortgang

DESCRIPTION = """Voortgang van het Nationaal Programma Leefbaarheid en Veiligheid, opgebouwd uit de
events van de andere diensten (materialised views). Elke weergave vermeldt haar actualiteit: het
laatste verwerkte event (id en tijd)."""


def build_app() -> FastAPI:
    return create_app(service="rapportage", title="NPLV Rapportage API", description=DESCRIPTION,
                      settings=get_settings(), routers=[voortgang], public_paths=("/voortgang",))


app = build_app()
