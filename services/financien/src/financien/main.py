"""The financien API: `uvicorn financien.main:app`."""

from fastapi import FastAPI

from financien.config import SERVICE, get_settings
from financien.db import event_sequence, idempotency, outbox
from financien.verwerkingen import VERANTWOORDING
from nplv_shared.app import create_app
from nplv_shared.outbox import EventPublisher

DESCRIPTION = """Financien van het Nationaal Programma Leefbaarheid en Veiligheid. Elke wijziging
verschijnt als CloudEvent op Kafka-topic `nplv.financien.v1`."""
ROUTERS: tuple[object, ...] = ()


def build_app() -> FastAPI:
    settings = get_settings()
    return create_app(
        service=SERVICE, title="NPLV Financien API", description=DESCRIPTION,
        settings=settings, routers=[], tags=[], verantwoording=VERANTWOORDING,
        public_paths=(),
        state={"publisher": EventPublisher(service=SERVICE, settings=settings, table=outbox,
                                           sequences=event_sequence),
               "idempotency_table": idempotency},
    )


app = build_app()
