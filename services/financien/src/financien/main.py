"""The financien API: `uvicorn financien.main:app`."""

from fastapi import FastAPI

from financien.begrotingsregels import router as begrotingsregels
from financien.config import SERVICE, get_settings
from financien.db import event_sequence, idempotency, outbox
from financien.overzichten import router as overzichten
from financien.toekenningen import router as toekenningen
from financien.verwerkingen import VERANTWOORDING
from nplv_shared.app import create_app
from nplv_shared.outbox import EventPublisher

DESCRIPTION = """Financiën van het Nationaal Programma Leefbaarheid en Veiligheid (hoofdstuk 7):
de begrotingsregels uit de tabel 'Uitgaven in miljoen' precies zoals gedrukt (bedragen in euro),
hun revisies, de goedkeuring door Financiën van geld op de aanvullende post, de verdeling over de
actielijnen, toekenningen aan de 20 focusgebieden en de verplichtingen en betalingen daarop.
Bedragen zijn exacte decimale teksten met twee decimalen (`"500000.00"`), nooit getallen met
drijvende komma. Lezen is openbaar; schrijven vraagt een bearer-token met de juiste scope en
organisatie. Elke wijziging verschijnt als CloudEvent op Kafka-topic `nplv.financien.v1`."""
ROUTERS = (begrotingsregels, toekenningen, overzichten)


def build_app() -> FastAPI:
    settings = get_settings()
    return create_app(
        service=SERVICE, title="NPLV Financiën API", description=DESCRIPTION,
        settings=settings, routers=[m.router for m in ROUTERS], tags=[m.TAG for m in ROUTERS],
        verantwoording=VERANTWOORDING,
        public_paths=("/begrotingsregels", "/toekenningen", "/realisaties", "/begroting",
                      "/focusgebieden"),
        state={"publisher": EventPublisher(service=SERVICE, settings=settings, table=outbox,
                                           sequences=event_sequence),
               "idempotency_table": idempotency},
    )


app = build_app()
