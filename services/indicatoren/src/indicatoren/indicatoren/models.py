from datetime import datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from indicatoren.db import Base
from nplv_shared.aggregates import Versioned


class IndicatorRecord(Versioned, Base):
    """An indicator of the catalogue: a kernindicator of §6.1 (focusgebied NULL) or a local
    indicator of one focusgebied. `versie` is the ETag (every change); `betekenisversie` counts
    changes of meaning only (a row in `indicator_versie` each), and a meting keeps the
    betekenisversie it was measured with."""

    __tablename__ = "indicator"
    __table_args__ = (
        CheckConstraint("actielijn BETWEEN 1 AND 4", name="actielijn"),
        CheckConstraint("kernindicator IS NULL OR kernindicator BETWEEN 1 AND 15",
                        name="kernindicator"),
        CheckConstraint("schaal_min IS NULL OR schaal_max IS NULL OR schaal_min < schaal_max",
                        name="schaal"),
    )

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200))
    omschrijving: Mapped[str | None] = mapped_column(Text)
    actielijn: Mapped[int] = mapped_column(SmallInteger, index=True)
    kernindicator: Mapped[int | None] = mapped_column(SmallInteger, unique=True)
    focusgebied: Mapped[str | None] = mapped_column("focusgebied_code",
                                                    ForeignKey("focusgebied.code"), index=True)
    eigenaar: Mapped[str] = mapped_column(String(8))
    bron: Mapped[str] = mapped_column(String(64))
    bron_toelichting: Mapped[str | None] = mapped_column(Text)
    eenheid: Mapped[str] = mapped_column(String(16))
    schaal_min: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    schaal_max: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    richting: Mapped[str] = mapped_column(String(16))
    soort: Mapped[str] = mapped_column(String(16))
    combinatie: Mapped[str] = mapped_column(String(32))
    periodetype: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), index=True)
    betekenisversie: Mapped[int] = mapped_column(Integer)


class IndicatorVersieRecord(Base):
    """One meaning of an indicator: what its values meant from `vastgesteld_op` on."""

    __tablename__ = "indicator_versie"

    indicator: Mapped[str] = mapped_column(
        "indicator_code", ForeignKey("indicator.code", ondelete="CASCADE"), primary_key=True)
    betekenisversie: Mapped[int] = mapped_column(Integer, primary_key=True)
    omschrijving: Mapped[str | None] = mapped_column(Text)
    bron: Mapped[str] = mapped_column(String(64))
    eenheid: Mapped[str] = mapped_column(String(16))
    schaal_min: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    schaal_max: Mapped[Decimal | None] = mapped_column(Numeric(18, 4))
    richting: Mapped[str] = mapped_column(String(16))
    soort: Mapped[str] = mapped_column(String(16))
    combinatie: Mapped[str] = mapped_column(String(32))
    periodetype: Mapped[str] = mapped_column(String(16))
    reden: Mapped[str | None] = mapped_column(Text)
    vastgesteld_door: Mapped[str] = mapped_column(String(200))
    vastgesteld_op: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                     server_default=func.now())
