from datetime import date
from typing import Any

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from gebieden.db import Base
from nplv_shared.aggregates import Versioned


class FocusgebiedRecord(Versioned, Base):
    __tablename__ = "focusgebied"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200))
    gemeente: Mapped[str] = mapped_column("gemeente_code", ForeignKey("gemeente.code"),
                                          index=True)
    inwoners: Mapped[int | None] = mapped_column(Integer)
    # CBS wijken/buurten with validity dates: [{"code": "BU...", "geldigVanaf": ..., ...}]
    gebiedsdelen: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)


class AlliantieRecord(Versioned, Base):
    """The local alliance led by the burgemeester, with the Rijk's representative (bijlage 3)."""

    __tablename__ = "alliantie"

    focusgebied: Mapped[str] = mapped_column(
        "focusgebied_code", ForeignKey("focusgebied.code", ondelete="CASCADE"), primary_key=True)
    voorzitter: Mapped[str | None] = mapped_column(String(200))
    rijksvertegenwoordiger: Mapped[dict[str, Any]] = mapped_column(JSONB)
    partners: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)
    programmabureau: Mapped[dict[str, Any]] = mapped_column(JSONB)


class UitvoeringsprogrammaRecord(Versioned, Base):
    __tablename__ = "uitvoeringsprogramma"

    focusgebied: Mapped[str] = mapped_column(
        "focusgebied_code", ForeignKey("focusgebied.code", ondelete="CASCADE"), primary_key=True)
    status: Mapped[str] = mapped_column(String(32))
    vastgesteld_op: Mapped[date | None] = mapped_column(Date)
    onderdelen: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
