import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from gebieden.db import Base
from nplv_shared.aggregates import Versioned


class InterventieRecord(Versioned, Base):
    """What a ministry or gemeente does in a focusgebied. Attribute names are the API's field
    names (`focusgebied`, `gemeente`), column names stay as migrated (`*_code`)."""

    __tablename__ = "interventie"
    __table_args__ = (
        CheckConstraint("actielijn BETWEEN 1 AND 4", name="actielijn"),
        CheckConstraint("einddatum IS NULL OR startdatum IS NULL OR einddatum >= startdatum",
                        name="periode"),
        # a departmental system's own reference, unique per owner (the sync's natural key)
        Index("uq_interventie_bron", "eigenaar", "bronsysteem", "bron_id", unique=True,
              postgresql_where=text("bron_id IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True,
                                          default=uuid.uuid4)
    focusgebied: Mapped[str] = mapped_column("focusgebied_code", ForeignKey("focusgebied.code"),
                                             index=True)
    gemeente: Mapped[str] = mapped_column("gemeente_code", String(6), index=True)
    actielijn: Mapped[int] = mapped_column(SmallInteger, index=True)
    ministerie: Mapped[str | None] = mapped_column(String(8), index=True)
    eigenaar: Mapped[str] = mapped_column(String(8), index=True)
    titel: Mapped[str] = mapped_column(String(200))
    omschrijving: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), index=True)
    startdatum: Mapped[date | None] = mapped_column(Date)
    einddatum: Mapped[date | None] = mapped_column(Date)
    output_eenheid: Mapped[str | None] = mapped_column(String(64))
    geplande_output: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    gerealiseerde_output: Mapped[Decimal | None] = mapped_column(Numeric(18, 2))
    begrotingsregel_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    bronsysteem: Mapped[str | None] = mapped_column(String(64))
    bron_id: Mapped[str | None] = mapped_column(String(128))
