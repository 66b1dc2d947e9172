"""The processing activities of financien (its part of the register, Logboek Dataverwerkingen):
which activity every write operation performs. A new write operation without an entry here
stops the service at start-up (`Verantwoording.check_routes`)."""

from financien.config import SERVICE
from financien.db import traceability
from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Register, Verwerkingsactiviteit

BEGROTING_BEHEREN = Verwerkingsactiviteit(
    "begroting-beheren", 1, "Programmabegroting beheren",
    "Ministeries herzien de bedragen van hun begrotingsregels (met reden en datum; het "
    "origineel blijft bewaard) en het programmabureau legt de verdeling over de actielijnen "
    "vast (hoofdstuk 7 van het programma).")
AANVULLENDE_POST_GOEDKEUREN = Verwerkingsactiviteit(
    "aanvullende-post-goedkeuren", 1, "Aanvullende post goedkeuren",
    "Het ministerie van Financiën legt de goedkeuring of afwijzing vast van geld op de "
    "aanvullende post, met datum en referentie (hoofdstuk 7).")
MIDDELEN_TOEKENNEN = Verwerkingsactiviteit(
    "middelen-toekennen", 1, "Middelen toekennen",
    "Ministeries kennen delen van hun begrotingsregels per jaar toe aan focusgebieden "
    "(hoofdstuk 7, §5.2).")
REALISATIES_VASTLEGGEN = Verwerkingsactiviteit(
    "realisaties-vastleggen", 1, "Verplichtingen en betalingen vastleggen",
    "Ministeries en gemeenten leggen verplichtingen en betalingen op toekenningen vast.")
REFERENTIEDATA_LADEN = Verwerkingsactiviteit(
    "financien-referentiedata-laden", 1, "Referentiedata laden",
    "De lader zet de begrotingstabel van hoofdstuk 7 en de toekenningen van €500.000 per "
    "focusgebied per jaar (2023-2025) voor de programmaorganisatie in de database "
    "(idempotent).")

REGISTER = Register(
    operaties={
        "createRevisie": BEGROTING_BEHEREN,
        "replaceActielijnverdeling": BEGROTING_BEHEREN,
        "replaceGoedkeuring": AANVULLENDE_POST_GOEDKEUREN,
        "createToekenning": MIDDELEN_TOEKENNEN,
        "replaceToekenning": MIDDELEN_TOEKENNEN,
        "createRealisatie": REALISATIES_VASTLEGGEN,
    },
    overige=(REFERENTIEDATA_LADEN,),
)
VERANTWOORDING = Verantwoording(service=SERVICE, register=REGISTER, tables=traceability)
