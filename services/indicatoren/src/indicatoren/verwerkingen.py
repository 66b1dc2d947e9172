"""The processing activities of indicatoren (its part of the register, Logboek Dataverwerkingen):
which activity every write operation performs. A new write operation without an entry here
stops the service at start-up (`Verantwoording.check_routes`)."""

from indicatoren.config import SERVICE
from indicatoren.db import traceability
from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Register, Verwerkingsactiviteit

INDICATOREN_BEHEREN = Verwerkingsactiviteit(
    "indicatoren-beheren", 1, "Indicatoren beheren",
    "Het programmabureau en de gemeenten beheren de kernindicatoren en lokale indicatoren, "
    "de metingen, nulmetingen en streefwaarden (paragraaf 6.1 van het programma).")
REFERENTIEDATA_LADEN = Verwerkingsactiviteit(
    "indicatoren-referentiedata-laden", 1, "Referentiedata laden",
    "De lader zet de referentiedata uit het programmadocument in de database (idempotent).")

REGISTER = Register(
    operaties={},
    overige=(REFERENTIEDATA_LADEN,),
)
VERANTWOORDING = Verantwoording(service=SERVICE, register=REGISTER, tables=traceability)
