"""The indicatoren API: `uvicorn indicatoren.main:app`."""

from fastapi import FastAPI

from indicatoren.config import SERVICE, get_settings
from indicatoren.db import event_sequence, idempotency, imports, outbox
from indicatoren.doelen import router as doelen
from indicatoren.indicatoren import router as indicatoren
from indicatoren.metingen import router as metingen
from indicatoren.reeksen import router as reeksen
from indicatoren.referentie import router as referentie
from indicatoren.verwerkingen import VERANTWOORDING
from nplv_shared.app import create_app
from nplv_shared.outbox import EventPublisher

DESCRIPTION = """Indicatoren van het Nationaal Programma Leefbaarheid en Veiligheid (§6.1): de
catalogus met de 15 kernindicatoren en de lokale indicatoren van de focusgebieden, de metingen
per regio en periode (met de rest van de gemeente, de gemeente en Nederland als vergelijking),
en per focusgebied de nulmeting en de streefwaarden. Lezen is openbaar; schrijven vraagt een
bearer-token met de juiste scope en organisatie. Elke wijziging verschijnt als CloudEvent op
Kafka-topic `nplv.indicatoren.v1`."""
ROUTERS = (indicatoren, metingen, referentie, doelen, reeksen)


def build_app() -> FastAPI:
    settings = get_settings()
    return create_app(
        service=SERVICE, title="NPLV Indicatoren API", description=DESCRIPTION,
        settings=settings, routers=[m.router for m in ROUTERS], tags=[m.TAG for m in ROUTERS],
        verantwoording=VERANTWOORDING,
        public_paths=("/indicatoren", "/metingen", "/focusgebieden"),
        state={"publisher": EventPublisher(service=SERVICE, settings=settings, table=outbox,
                                           sequences=event_sequence),
               "idempotency_table": idempotency},
        import_tables=imports,
    )


app = build_app()
