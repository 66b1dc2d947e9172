"""Value types shared by the schemas: CBS codes, ministries, statuses."""

from enum import StrEnum
from typing import Annotated

from pydantic import Field

GemeenteCode = Annotated[str, Field(pattern=r"^GM[0-9]{4}$", examples=["GM0599"],
                                    description="CBS-gemeentecode")]
WijkCode = Annotated[str, Field(pattern=r"^WK[0-9]{4}[0-9A-Z]{2}$", examples=["WK059912"])]
BuurtCode = Annotated[str, Field(pattern=r"^BU[0-9]{4}[0-9A-Z]{4}$", examples=["BU05991201"])]
FocusgebiedCode = Annotated[str, Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", min_length=2,
                                       max_length=64, examples=["rotterdam-zuid"])]
Actielijn = Annotated[int, Field(ge=1, le=4, description="Actielijn 1–4 (hoofdstuk 4)")]


class Ministerie(StrEnum):
    BZK = "BZK"
    OCW = "OCW"
    SZW = "SZW"
    JENV = "JenV"
    VWS = "VWS"
    EZK = "EZK"
    FIN = "FIN"


class InterventieStatus(StrEnum):
    GEPLAND = "gepland"
    LOPEND = "lopend"
    AFGEROND = "afgerond"
    GESTOPT = "gestopt"


class UitvoeringsprogrammaStatus(StrEnum):
    NIET_GESTART = "niet-gestart"
    IN_VOORBEREIDING = "in-voorbereiding"
    VASTGESTELD = "vastgesteld"
    IN_UITVOERING = "in-uitvoering"


UITVOERINGSPROGRAMMA_ONDERDELEN = (
    "analyse", "opgaven", "doelstellingen-en-ambities", "streefwaarden", "monitoringsysteem",
    "bewonersbetrokkenheid",
)
