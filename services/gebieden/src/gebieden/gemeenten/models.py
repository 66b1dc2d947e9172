from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gebieden.db import Base
from nplv_shared.aggregates import Versioned


class GemeenteRecord(Versioned, Base):
    __tablename__ = "gemeente"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    naam: Mapped[str] = mapped_column(String(100))


class PrestatieafsprakenRecord(Versioned, Base):
    """The seven points of §5.2 agreed between Rijk and one gemeente."""

    __tablename__ = "prestatieafspraken"

    gemeente: Mapped[str] = mapped_column("gemeente_code", ForeignKey("gemeente.code"),
                                          primary_key=True)
    ondertekend_op: Mapped[date | None] = mapped_column(Date)
    afspraken: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
