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
METINGEN_VASTLEGGEN = Verwerkingsactiviteit(
    "metingen-vastleggen", 1, "Metingen vastleggen",
    "Gemeenten, datateams van ministeries en het programmabureau leggen gemeten waarden van "
    "indicatoren per regio en periode vast en corrigeren ze met reden (paragraaf 6.1).")
METINGEN_INTREKKEN = Verwerkingsactiviteit(
    "metingen-intrekken", 1, "Metingen intrekken",
    "Gemeenten, datateams van ministeries en het programmabureau trekken een vastgelegde "
    "meting met reden in; ze blijft bewaard maar telt niet meer mee (paragraaf 6.1).")
DOELEN_VASTLEGGEN = Verwerkingsactiviteit(
    "doelen-vastleggen", 1, "Nulmetingen en streefwaarden vastleggen",
    "Gemeenten en het programmabureau leggen per focusgebied de nulmeting en de streefwaarden "
    "van de indicatoren vast en herzien ze met reden en besluit (paragraaf 6.1).")
REFERENTIEDATA_LADEN = Verwerkingsactiviteit(
    "indicatoren-referentiedata-laden", 1, "Referentiedata laden",
    "De lader zet de referentiedata uit het programmadocument in de database (idempotent).")

REGISTER = Register(
    operaties={
        "putIndicator": INDICATOREN_BEHEREN,
        "putMeting": METINGEN_VASTLEGGEN,
        "importMetingen": METINGEN_VASTLEGGEN,
        "deleteMeting": METINGEN_INTREKKEN,
        "putNulmeting": DOELEN_VASTLEGGEN,
        "putStreefwaarde": DOELEN_VASTLEGGEN,
    },
    overige=(REFERENTIEDATA_LADEN,),
)
VERANTWOORDING = Verantwoording(service=SERVICE, register=REGISTER, tables=traceability)
