"""The processing activities of rapportage (its part of the register, Logboek
Dataverwerkingen). Rapportage has no write operations: it processes the events of the other
services into its views."""

from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Register, Verwerkingsactiviteit
from rapportage.config import SERVICE
from rapportage.db import traceability

VOORTGANG_BIJWERKEN = Verwerkingsactiviteit(
    "voortgang-bijwerken", 1, "Voortgang bijwerken",
    "De rapportagedienst verwerkt de events van de andere diensten in de voortgangsoverzichten "
    "per focusgebied en actielijn (hoofdstuk 6: monitoring).")

HERBOUWEN = Verwerkingsactiviteit(
    "weergaven-herbouwen", 1, "Weergaven herbouwen",
    "De rapportagedienst bouwt de voortgangsoverzichten opnieuw op uit alle events sinds het "
    "begin (herbouw op verzoek van het programmabureau), en wisselt ze in één keer om.")

HERBOUW_AANVRAGEN = Verwerkingsactiviteit(
    "herbouw-aanvragen", 1, "Herbouw aanvragen",
    "Het programmabureau vraagt een herbouw van de voortgangsoverzichten aan; de worker voert "
    "hem uit (weergaven-herbouwen).")

REGISTER = Register(operaties={"createHerbouwopdracht": HERBOUW_AANVRAGEN},
                    overige=(VOORTGANG_BIJWERKEN, HERBOUWEN))
VERANTWOORDING = Verantwoording(service=SERVICE, register=REGISTER, tables=traceability)
