"""The processing activities of gebieden (its part of the register, Logboek Dataverwerkingen):
which activity every write operation performs. A new write operation without an entry here
stops the service at start-up (`Verantwoording.check_routes`)."""

from gebieden.config import SERVICE
from gebieden.db import traceability
from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Register, Verwerkingsactiviteit

GEBIEDEN_VASTLEGGEN = Verwerkingsactiviteit(
    "gebieden-vastleggen", 1, "Gebieden vastleggen",
    "Het programmabureau en de gemeenten leggen gemeenten, prestatieafspraken, focusgebieden, "
    "allianties en uitvoeringsprogramma's vast (hoofdstuk 3 en 5 van het programma).")
INTERVENTIES_REGISTREREN = Verwerkingsactiviteit(
    "interventies-registreren", 1, "Interventies registreren",
    "Ministeries en gemeenten registreren, wijzigen en verwijderen de interventies die zij in "
    "de focusgebieden uitvoeren, met geplande en gerealiseerde output (hoofdstuk 4 en 6).")
REFERENTIEDATA_LADEN = Verwerkingsactiviteit(
    "referentiedata-laden", 1, "Referentiedata laden",
    "De lader zet de gemeenten, focusgebieden en allianties uit het programmadocument in de "
    "database (idempotent).")

REGISTER = Register(
    operaties={
        "putGemeente": GEBIEDEN_VASTLEGGEN,
        "putPrestatieafspraken": GEBIEDEN_VASTLEGGEN,
        "putFocusgebied": GEBIEDEN_VASTLEGGEN,
        "deleteFocusgebied": GEBIEDEN_VASTLEGGEN,
        "putAlliantie": GEBIEDEN_VASTLEGGEN,
        "putUitvoeringsprogramma": GEBIEDEN_VASTLEGGEN,
        "createInterventie": INTERVENTIES_REGISTREREN,
        "replaceInterventie": INTERVENTIES_REGISTREREN,
        "deleteInterventie": INTERVENTIES_REGISTREREN,
        "importInterventies": INTERVENTIES_REGISTREREN,
    },
    overige=(REFERENTIEDATA_LADEN,),
)
VERANTWOORDING = Verantwoording(service=SERVICE, register=REGISTER, tables=traceability)
