from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from financien.codes import JAREN
from financien.db import Base
from nplv_shared.aggregates import Versioned

Geld = Numeric(18, 2)


class Bedragen:
    """The per-year amounts of chapter 7 (2022–2026) and the structural amount, each NULL when
    the cell is empty (an explicit 0 stays 0). Shared by the line and its revisions."""

    bedrag_2022: Mapped[Decimal | None] = mapped_column(Geld)
    bedrag_2023: Mapped[Decimal | None] = mapped_column(Geld)
    bedrag_2024: Mapped[Decimal | None] = mapped_column(Geld)
    bedrag_2025: Mapped[Decimal | None] = mapped_column(Geld)
    bedrag_2026: Mapped[Decimal | None] = mapped_column(Geld)
    structureel: Mapped[Decimal | None] = mapped_column(Geld)

    def bedrag(self, jaar: int) -> Decimal | None:
        value: Decimal | None = getattr(self, f"bedrag_{jaar}")
        return value

    @property
    def bedragen(self) -> list[dict[str, Any]]:
        return [{"jaar": jaar, "bedrag": self.bedrag(jaar)} for jaar in JAREN]


class BegrotingsregelRecord(Bedragen, Versioned, Base):
    """One line of the chapter-7 table, with its current amounts (= its latest revision)."""

    __tablename__ = "begrotingsregel"
    __table_args__ = (
        CheckConstraint("goedkeuring_status IS NULL OR aanvullende_post", name="goedkeuring"),
    )

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    kop: Mapped[str] = mapped_column(String(32), index=True)  # heading as printed: VRO, BZK…
    ministerie: Mapped[str] = mapped_column(String(8), index=True)  # owning organisation
    instrument: Mapped[str] = mapped_column(String(200))
    label: Mapped[str | None] = mapped_column(String(100))  # "(10 x 100 mln)" as printed
    toelichting: Mapped[str | None] = mapped_column(Text)
    specifiek_voor_focusgebieden: Mapped[bool] = mapped_column(Boolean)
    volgorde: Mapped[int] = mapped_column(Integer)  # row order in the document
    revisie: Mapped[int] = mapped_column(Integer)  # number of the current revision (0: original)
    aanvullende_post: Mapped[bool] = mapped_column(Boolean, default=False)
    goedkeuring_status: Mapped[str | None] = mapped_column(String(16))
    goedkeuring_datum: Mapped[date | None] = mapped_column(Date)
    goedkeuring_referentie: Mapped[str | None] = mapped_column(String(200))
    # [{"actielijn": 2, "percentage": "100.00"}], summing to exactly 100
    actielijnen: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, default=list)

    @property
    def goedkeuring(self) -> dict[str, Any] | None:
        if self.goedkeuring_status is None:
            return None
        return {"status": self.goedkeuring_status, "datum": self.goedkeuring_datum,
                "referentie": self.goedkeuring_referentie}

    def aandelen(self) -> list[tuple[int, Decimal]]:
        return [(int(a["actielijn"]), Decimal(a["percentage"])) for a in self.actielijnen]


class RevisieRecord(Bedragen, Base):
    """A line's amounts as of one revision; revision 0 is the original from the document.
    Never changed or deleted (IATI: original and revised budget side by side)."""

    __tablename__ = "begrotingsregel_revisie"

    begrotingsregel: Mapped[str] = mapped_column(
        "begrotingsregel_code", ForeignKey("begrotingsregel.code"), primary_key=True)
    nummer: Mapped[int] = mapped_column(Integer, primary_key=True)
    aanvullende_post: Mapped[bool] = mapped_column(Boolean)
    reden: Mapped[str] = mapped_column(Text)
    datum: Mapped[date] = mapped_column(Date)
    door: Mapped[str] = mapped_column(String(32))  # organisation that made the revision
    aangemaakt_op: Mapped[datetime] = mapped_column(DateTime(timezone=True),
                                                    server_default=func.now())

    __mapper_args__ = {"eager_defaults": True}
