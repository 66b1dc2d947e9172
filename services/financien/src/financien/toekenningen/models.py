import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from financien.db import Base
from nplv_shared.aggregates import Versioned


class ToekenningRecord(Versioned, Base):
    """Part of a begrotingsregel's amount for one year, assigned to a focusgebied."""

    __tablename__ = "toekenning"
    __table_args__ = (
        CheckConstraint("bedrag >= 0", name="bedrag"),
        CheckConstraint("jaar BETWEEN 2022 AND 2026", name="jaar"),
        Index("ix_toekenning_regel_jaar", "begrotingsregel_code", "jaar"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    begrotingsregel: Mapped[str] = mapped_column(
        "begrotingsregel_code", ForeignKey("begrotingsregel.code"))
    ministerie: Mapped[str] = mapped_column(String(8), index=True)
    focusgebied: Mapped[str] = mapped_column("focusgebied_code", String(64), index=True)
    gemeente: Mapped[str] = mapped_column("gemeente_code", String(6), index=True)
    jaar: Mapped[int] = mapped_column(SmallInteger)
    bedrag: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    interventie_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    omschrijving: Mapped[str | None] = mapped_column(String(500))


class RealisatieRecord(Versioned, Base):
    """A commitment (verplichting) or payment (betaling) against a toekenning."""

    __tablename__ = "realisatie"
    __table_args__ = (
        CheckConstraint("bedrag >= 0", name="bedrag"),
        CheckConstraint("soort IN ('verplichting', 'betaling')", name="soort"),
        CheckConstraint("NOT overschrijding OR reden IS NOT NULL", name="reden"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    toekenning: Mapped[uuid.UUID] = mapped_column(
        "toekenning_id", ForeignKey("toekenning.id"), index=True)
    begrotingsregel: Mapped[str] = mapped_column("begrotingsregel_code", String(64))
    focusgebied: Mapped[str] = mapped_column("focusgebied_code", String(64), index=True)
    gemeente: Mapped[str] = mapped_column("gemeente_code", String(6))
    jaar: Mapped[int] = mapped_column(SmallInteger)
    soort: Mapped[str] = mapped_column(String(16))
    bedrag: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    datum: Mapped[date] = mapped_column(Date)
    referentie: Mapped[str] = mapped_column(String(200))
    overschrijding: Mapped[bool] = mapped_column(Boolean)
    reden: Mapped[str | None] = mapped_column(Text)
    vastgelegd_door: Mapped[str] = mapped_column(String(8))
