"""The processing activities of rapportage (its part of the register, Logboek
Dataverwerkingen). Rapportage processes the events of the other
services into its views. Its writes are the programmabureau's: a rebuild request, and the
publication of a half-yearly report."""

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

RAPPORTAGE_PUBLICEREN = Verwerkingsactiviteit(
    "voortgangsrapportage-publiceren", 1, "Voortgangsrapportage publiceren",
    "Het programmabureau bevriest de halfjaarlijkse voortgangsrapportage aan de Tweede Kamer "
    "als gepubliceerde versie (hoofdstuk 6: monitoring).")

REGISTER = Register(operaties={"createHerbouwopdracht": HERBOUW_AANVRAGEN,
                               "createPublicatie": RAPPORTAGE_PUBLICEREN},
                    overige=(VOORTGANG_BIJWERKEN, HERBOUWEN))
VERANTWOORDING = Verantwoording(service=SERVICE, register=REGISTER, tables=traceability)
