"""The processing activities of financien (its part of the register, Logboek Dataverwerkingen):
which activity every write operation performs. A new write operation without an entry here
stops the service at start-up (`Verantwoording.check_routes`)."""

from financien.config import SERVICE
from financien.db import traceability
from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Register, Verwerkingsactiviteit

FINANCIEN_BEHEREN = Verwerkingsactiviteit(
    "financien-beheren", 1, "Financiën beheren",
    "Ministeries, gemeenten, het ministerie van Financiën en het programmabureau leggen "
    "begrotingsregels, toekenningen en realisaties vast (hoofdstuk 7 van het programma).")
REFERENTIEDATA_LADEN = Verwerkingsactiviteit(
    "financien-referentiedata-laden", 1, "Referentiedata laden",
    "De lader zet de referentiedata uit het programmadocument in de database (idempotent).")

REGISTER = Register(
    operaties={},
    overige=(REFERENTIEDATA_LADEN,),
)
VERANTWOORDING = Verantwoording(service=SERVICE, register=REGISTER, tables=traceability)
