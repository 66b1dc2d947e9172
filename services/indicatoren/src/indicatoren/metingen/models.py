from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    ForeignKeyConstraint,
    Identity,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from indicatoren.db import WAARDE, Base
from nplv_shared.aggregates import Versioned


class MetingRecord(Versioned, Base):
    """indicator × regio × periode → waarde. The natural key (indicator_code, regio, periode)
    is the primary key, so a bulk import can `INSERT … ON CONFLICT (indicator_code, regio,
    periode)`. A correction updates the row (versie + 1) and adds a `meting_correctie` row.
    A withdrawal keeps the row (versie + 1, `ingetrokken_op` set) and adds a
    `meting_intrekking` row; reads leave a withdrawn meting out, and recording it again
    (PUT or import) reuses the row (versie + 1, `ingetrokken_op` cleared), so its version and
    event sequence keep rising."""

    __tablename__ = "meting"
    __table_args__ = (
        CheckConstraint("status IN ('voorlopig', 'definitief')", name="status"),
        CheckConstraint("periode_eind >= periode_begin", name="periode"),
        Index("ix_meting_focusgebied", "focusgebied_code", "indicator_code", "periode_begin"),
        Index("ix_meting_regio", "regio", "indicator_code", "periode_begin"),
    )

    indicator: Mapped[str] = mapped_column("indicator_code", ForeignKey("indicator.code"),
                                           primary_key=True)
    regio: Mapped[str] = mapped_column(String(64), primary_key=True)
    periode: Mapped[str] = mapped_column(String(16), primary_key=True)
    indicator_versie: Mapped[int] = mapped_column(Integer)
    regio_soort: Mapped[str] = mapped_column(String(16))
    focusgebied: Mapped[str | None] = mapped_column("focusgebied_code", String(64))
    gemeente: Mapped[str | None] = mapped_column("gemeente_code", String(6), index=True)
    periode_type: Mapped[str] = mapped_column(String(16))
    periode_begin: Mapped[date] = mapped_column(Date)
    periode_eind: Mapped[date] = mapped_column(Date)
    waarde: Mapped[Decimal] = mapped_column(WAARDE)
    status: Mapped[str] = mapped_column(String(16))
    bron: Mapped[str | None] = mapped_column(String(200))
    plausibel: Mapped[bool | None] = mapped_column(Boolean)
    zscore: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    ingediend_door: Mapped[str] = mapped_column(String(200))
    organisatie: Mapped[str] = mapped_column(String(8))
    ingetrokken_op: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class MetingCorrectieRecord(Base):
    """One correction of a meting: the value before and after, who, when and why."""

    __tablename__ = "meting_correctie"
    __table_args__ = (
        ForeignKeyConstraint(["indicator_code", "regio", "periode"],
                             ["meting.indicator_code", "meting.regio", "meting.periode"],
                             ondelete="CASCADE", name="fk_meting_correctie_meting"),
        Index("ix_meting_correctie_meting", "indicator_code", "regio", "periode", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    indicator: Mapped[str] = mapped_column("indicator_code", String(64))
    regio: Mapped[str] = mapped_column(String(64))
    periode: Mapped[str] = mapped_column(String(16))
    versie: Mapped[int] = mapped_column(Integer)  # the meting's versie after the correction
    vorige_waarde: Mapped[Decimal] = mapped_column(WAARDE)
    nieuwe_waarde: Mapped[Decimal] = mapped_column(WAARDE)
    vorige_status: Mapped[str] = mapped_column(String(16))
    nieuwe_status: Mapped[str] = mapped_column(String(16))
    vorige_bron: Mapped[str | None] = mapped_column(String(200))
    nieuwe_bron: Mapped[str | None] = mapped_column(String(200))
    reden: Mapped[str] = mapped_column(Text)
    gecorrigeerd_door: Mapped[str] = mapped_column(String(200))
    organisatie: Mapped[str] = mapped_column(String(8))
    gecorrigeerd_op: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                      server_default=func.now())


class MetingIntrekkingRecord(Base):
    """One withdrawal of a meting: the state withdrawn, who, when and why."""

    __tablename__ = "meting_intrekking"
    __table_args__ = (
        ForeignKeyConstraint(["indicator_code", "regio", "periode"],
                             ["meting.indicator_code", "meting.regio", "meting.periode"],
                             ondelete="CASCADE", name="fk_meting_intrekking_meting"),
        Index("ix_meting_intrekking_meting", "indicator_code", "regio", "periode", "id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    indicator: Mapped[str] = mapped_column("indicator_code", String(64))
    regio: Mapped[str] = mapped_column(String(64))
    periode: Mapped[str] = mapped_column(String(16))
    versie: Mapped[int] = mapped_column(Integer)  # the meting's versie after the withdrawal
    waarde: Mapped[Decimal] = mapped_column(WAARDE)
    status: Mapped[str] = mapped_column(String(16))
    bron: Mapped[str | None] = mapped_column(String(200))
    reden: Mapped[str] = mapped_column(Text)
    ingetrokken_door: Mapped[str] = mapped_column(String(200))
    organisatie: Mapped[str] = mapped_column(String(8))
    ingetrokken_op: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                     server_default=func.now())
