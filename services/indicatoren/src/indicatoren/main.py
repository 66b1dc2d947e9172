"""The indicatoren API: `uvicorn indicatoren.main:app`."""

from fastapi import FastAPI

from indicatoren.config import SERVICE, get_settings
from indicatoren.db import event_sequence, idempotency, outbox
from indicatoren.verwerkingen import VERANTWOORDING
from nplv_shared.app import create_app
from nplv_shared.outbox import EventPublisher

DESCRIPTION = """Indicatoren van het Nationaal Programma Leefbaarheid en Veiligheid. Elke wijziging
verschijnt als CloudEvent op Kafka-topic `nplv.indicatoren.v1`."""
ROUTERS: tuple[object, ...] = ()


def build_app() -> FastAPI:
    settings = get_settings()
    return create_app(
        service=SERVICE, title="NPLV Indicatoren API", description=DESCRIPTION,
        settings=settings, routers=[], tags=[], verantwoording=VERANTWOORDING,
        public_paths=(),
        state={"publisher": EventPublisher(service=SERVICE, settings=settings, table=outbox,
                                           sequences=event_sequence),
               "idempotency_table": idempotency},
    )


app = build_app()
