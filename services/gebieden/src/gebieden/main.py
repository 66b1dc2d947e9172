"""The gebieden API: `uvicorn gebieden.main:app`."""

from fastapi import FastAPI

from gebieden.config import SERVICE, get_settings
from gebieden.db import event_sequence, idempotency, imports, outbox
from gebieden.focusgebieden import router as focusgebieden
from gebieden.gemeenten import router as gemeenten
from gebieden.interventies import router as interventies
from gebieden.referentie import router as referentie
from gebieden.verwerkingen import VERANTWOORDING
from nplv_shared.app import create_app
from nplv_shared.outbox import EventPublisher

DESCRIPTION = """Gebieden van het Nationaal Programma Leefbaarheid en Veiligheid: de 19 gemeenten,
de 20 stedelijke focusgebieden, hun allianties, uitvoeringsprogramma's en prestatieafspraken,
en de interventies die ministeries en gemeenten er uitvoeren. Lezen is openbaar; schrijven vraagt
een bearer-token met de juiste scope en organisatie. Elke wijziging verschijnt als CloudEvent op
Kafka-topic `nplv.gebieden.v1`."""
ROUTERS = (referentie, gemeenten, focusgebieden, interventies)


def build_app() -> FastAPI:
    settings = get_settings()
    return create_app(
        service=SERVICE, title="NPLV Gebieden API", description=DESCRIPTION, settings=settings,
        routers=[m.router for m in ROUTERS], tags=[m.TAG for m in ROUTERS],
        verantwoording=VERANTWOORDING,
        public_paths=("/actielijnen", "/er-subdoelen", "/gemeenten", "/focusgebieden",
                      "/interventies"),
        state={"publisher": EventPublisher(service=SERVICE, settings=settings, table=outbox,
                                           sequences=event_sequence),
               "idempotency_table": idempotency},
        import_tables=imports,
    )


app = build_app()
