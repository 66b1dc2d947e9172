from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from indicatoren.db import Base


class GemeenteRecord(Base):
    """A programme gemeente, copied from the programme document (gebieden owns the real
    record; services share no database, so indicatoren keeps the codes it validates against)."""

    __tablename__ = "gemeente"

    code: Mapped[str] = mapped_column(String(6), primary_key=True)
    naam: Mapped[str] = mapped_column(String(100))


class FocusgebiedRecord(Base):
    """A stedelijk focusgebied and its gemeente (reference copy, see GemeenteRecord)."""

    __tablename__ = "focusgebied"

    code: Mapped[str] = mapped_column(String(64), primary_key=True)
    naam: Mapped[str] = mapped_column(String(200))
    gemeente: Mapped[str] = mapped_column("gemeente_code", ForeignKey("gemeente.code"),
                                          index=True)
