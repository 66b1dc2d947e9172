"""The gebieden API: `uvicorn gebieden.main:app`."""

from fastapi import FastAPI

from gebieden.config import get_settings
from gebieden.focusgebieden.router import router as focusgebieden
from gebieden.gemeenten.router import router as gemeenten
from gebieden.interventies.router import router as interventies
from gebieden.referentie.router import router as referentie
from nplv_shared.app import create_app

DESCRIPTION = """Gebieden van het Nationaal Programma Leefbaarheid en Veiligheid: de 19 gemeenten,
de 20 stedelijke focusgebieden, hun allianties, uitvoeringsprogramma's en prestatieafspraken,
en de interventies die ministeries en gemeenten er uitvoeren. Lezen is openbaar; schrijven vraagt
een bearer-token met de juiste scope en organisatie. Elke wijziging verschijnt als CloudEvent op
Kafka-topic `nplv.gebieden.v1`."""


def build_app() -> FastAPI:
    return create_app(
        service="gebieden", title="NPLV Gebieden API", description=DESCRIPTION,
        settings=get_settings(), routers=[referentie, gemeenten, focusgebieden, interventies],
        public_paths=("/actielijnen", "/er-subdoelen", "/gemeenten", "/focusgebieden",
                      "/interventies"),
    )


app = build_app()
