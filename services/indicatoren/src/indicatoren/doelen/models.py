from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    DateTime,
    ForeignKey,
    Identity,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from indicatoren.db import WAARDE, Base
from nplv_shared.aggregates import Versioned


class NulmetingRecord(Versioned, Base):
    """The baseline of an indicator in a focusgebied. A revision keeps the original
    (`oorspronkelijke_*`) and adds a `doel_revisie` row."""

    __tablename__ = "nulmeting"

    focusgebied: Mapped[str] = mapped_column("focusgebied_code", ForeignKey("focusgebied.code"),
                                             primary_key=True)
    indicator: Mapped[str] = mapped_column("indicator_code", ForeignKey("indicator.code"),
                                           primary_key=True)
    waarde: Mapped[Decimal] = mapped_column(WAARDE)
    periode: Mapped[str] = mapped_column(String(16))
    indicator_versie: Mapped[int] = mapped_column(Integer)
    besluit: Mapped[str | None] = mapped_column(String(200))
    toelichting: Mapped[str | None] = mapped_column(Text)
    oorspronkelijke_waarde: Mapped[Decimal] = mapped_column(WAARDE)
    oorspronkelijke_periode: Mapped[str] = mapped_column(String(16))


class StreefwaardeRecord(Versioned, Base):
    """A target for an indicator in a focusgebied for a target period (e.g. 2030, 2040)."""

    __tablename__ = "streefwaarde"

    focusgebied: Mapped[str] = mapped_column("focusgebied_code", ForeignKey("focusgebied.code"),
                                             primary_key=True)
    indicator: Mapped[str] = mapped_column("indicator_code", ForeignKey("indicator.code"),
                                           primary_key=True)
    doelperiode: Mapped[str] = mapped_column(String(16), primary_key=True)
    waarde: Mapped[Decimal] = mapped_column(WAARDE)
    indicator_versie: Mapped[int] = mapped_column(Integer)
    besluit: Mapped[str | None] = mapped_column(String(200))
    toelichting: Mapped[str | None] = mapped_column(Text)
    oorspronkelijke_waarde: Mapped[Decimal] = mapped_column(WAARDE)


class DoelRevisieRecord(Base):
    """One revision of a nulmeting or streefwaarde: before and after, reason, decision."""

    __tablename__ = "doel_revisie"
    __table_args__ = (
        Index("ix_doel_revisie_doel", "focusgebied_code", "indicator_code", "soort", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    soort: Mapped[str] = mapped_column(String(16))  # nulmeting | streefwaarde
    focusgebied: Mapped[str] = mapped_column("focusgebied_code", String(64))
    indicator: Mapped[str] = mapped_column("indicator_code", String(64))
    doelperiode: Mapped[str | None] = mapped_column(String(16))  # streefwaarde only
    versie: Mapped[int] = mapped_column(Integer)
    vorige_waarde: Mapped[Decimal] = mapped_column(WAARDE)
    nieuwe_waarde: Mapped[Decimal] = mapped_column(WAARDE)
    vorige_periode: Mapped[str | None] = mapped_column(String(16))
    nieuwe_periode: Mapped[str | None] = mapped_column(String(16))
    reden: Mapped[str] = mapped_column(Text)
    besluit: Mapped[str] = mapped_column(String(200))
    herzien_door: Mapped[str] = mapped_column(String(200))
    organisatie: Mapped[str] = mapped_column(String(8))
    herzien_op: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                 server_default=func.now())
