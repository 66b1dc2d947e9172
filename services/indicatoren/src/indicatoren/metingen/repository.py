from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.metingen.models import MetingCorrectieRecord, MetingRecord
from indicatoren.metingen.schemas import MetingFilter

HISTORY = 20  # earlier values the plausibility of a new one is judged against


class MetingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, indicator: str, regio: str, periode: str, *,
                  for_update: bool = False) -> MetingRecord | None:
        return await self.session.get(MetingRecord, (indicator, regio, periode),
                                      with_for_update=for_update)

    async def history(self, indicator: str, regio: str, before: date) -> list[Decimal]:
        """The latest HISTORY values of the region for the indicator before `before`."""
        query = (select(MetingRecord.waarde)
                 .where(MetingRecord.indicator == indicator, MetingRecord.regio == regio,
                        MetingRecord.periode_begin < before)
                 .order_by(MetingRecord.periode_begin.desc()).limit(HISTORY))
        return list((await self.session.execute(query)).scalars())

    async def search(self, filters: MetingFilter, *, offset: int,
                   limit: int) -> tuple[list[MetingRecord], int]:
        query = self._filtered(select(MetingRecord), filters)
        count = self._filtered(select(func.count()).select_from(MetingRecord), filters)
        total = (await self.session.execute(count)).scalar_one()
        m = MetingRecord
        order = (m.indicator, m.regio, m.periode_begin, m.periode)
        rows = await self.session.execute(query.order_by(*order).offset(offset).limit(limit))
        return list(rows.scalars()), total

    async def series(self, indicator: str, regios: list[str]) -> list[MetingRecord]:
        query = (select(MetingRecord)
                 .where(MetingRecord.indicator == indicator, MetingRecord.regio.in_(regios))
                 .order_by(MetingRecord.periode_begin, MetingRecord.periode,
                           MetingRecord.regio))
        return list((await self.session.execute(query)).scalars())

    async def correcties(self, indicator: str, regio: str,
                         periode: str) -> list[MetingCorrectieRecord]:
        c = MetingCorrectieRecord
        query = (select(c).where(c.indicator == indicator, c.regio == regio,
                                 c.periode == periode).order_by(c.id))
        return list((await self.session.execute(query)).scalars())

    async def add(self, record: MetingRecord | MetingCorrectieRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    @staticmethod
    def _filtered(query: Select[Any], f: MetingFilter) -> Select[Any]:
        m = MetingRecord
        for column, value in ((m.indicator, f.indicator), (m.regio, f.regio),
                              (m.periode, f.periode), (m.focusgebied, f.focusgebied),
                              (m.gemeente, f.gemeente), (m.status, f.status)):
            if value is not None:
                query = query.where(column == value)
        return query


# -- bulk import (set-based: one statement per step per chunk) --------------------------------
BULK_COLUMNS = ("indicator_code", "regio", "periode", "indicator_versie", "regio_soort",
                "focusgebied_code", "gemeente_code", "periode_type", "periode_begin",
                "periode_eind", "waarde", "status", "bron", "plausibel", "zscore")
_BULK_TYPES = {"indicator_versie": "integer", "periode_begin": "date", "periode_eind": "date",
               "waarde": "numeric", "plausibel": "boolean", "zscore": "numeric"}
_KEY = "(indicator_code, regio, periode)"

# The stored state of the chunk's keys, locked for the rest of the transaction.
EXISTING = text(f"""
    SELECT m.indicator_code, m.regio, m.periode, m.waarde, m.status, m.bron
    FROM meting m
    JOIN unnest(CAST(:indicator_code AS text[]), CAST(:regio AS text[]),
                CAST(:periode AS text[])) AS k(indicator_code, regio, periode)
      USING {_KEY}
    FOR UPDATE OF m
""")  # noqa: S608 - constant text; every value is a bound parameter

# The latest values of each (indicator, regio) before a date: the plausibility history.
HISTORY_BEFORE = text(f"""
    SELECT p.indicator_code, p.regio, h.periode_begin, h.waarde
    FROM unnest(CAST(:indicator_code AS text[]), CAST(:regio AS text[]),
                CAST(:voor AS date[])) AS p(indicator_code, regio, voor)
    CROSS JOIN LATERAL (
        SELECT periode_begin, waarde FROM meting m
        WHERE m.indicator_code = p.indicator_code AND m.regio = p.regio
          AND m.periode_begin < p.voor
        ORDER BY m.periode_begin DESC LIMIT {HISTORY}) h
""")  # noqa: S608 - HISTORY is a constant; every value is a bound parameter

# Create new metingen and correct changed ones; returns the rows written, in input order.
UPSERT = text(f"""
    WITH input AS (
        SELECT * FROM unnest({", ".join(f"CAST(:{c} AS {_BULK_TYPES.get(c, 'text')}[])"
                                        for c in BULK_COLUMNS)})
            WITH ORDINALITY AS t({", ".join(BULK_COLUMNS)}, n)
    )
    INSERT INTO meting AS m ({", ".join(BULK_COLUMNS)}, ingediend_door, organisatie, versie)
    SELECT {", ".join(BULK_COLUMNS)}, :ingediend_door, :organisatie, 1 FROM input ORDER BY n
    ON CONFLICT {_KEY} DO UPDATE SET
        waarde = excluded.waarde, status = excluded.status, bron = excluded.bron,
        plausibel = excluded.plausibel, zscore = excluded.zscore,
        ingediend_door = excluded.ingediend_door, organisatie = excluded.organisatie,
        versie = m.versie + 1, gewijzigd_op = now()
    WHERE (m.waarde, m.status, m.bron) IS DISTINCT FROM
          (excluded.waarde, excluded.status, excluded.bron)
    RETURNING m.indicator_code AS indicator, m.indicator_versie, m.regio, m.regio_soort,
              m.focusgebied_code AS focusgebied, m.gemeente_code AS gemeente, m.periode,
              m.periode_type, m.periode_begin, m.periode_eind, m.waarde, m.status, m.bron,
              m.plausibel, m.zscore, m.ingediend_door, m.organisatie, m.versie,
              m.aangemaakt_op, m.gewijzigd_op
""")  # noqa: S608 - the names are the constants above; every value is a bound parameter

CORRECTIONS = text("""
    INSERT INTO meting_correctie (indicator_code, regio, periode, versie, vorige_waarde,
                                  nieuwe_waarde, vorige_status, nieuwe_status, vorige_bron,
                                  nieuwe_bron, reden, gecorrigeerd_door, organisatie)
    SELECT * FROM unnest(CAST(:indicator_code AS text[]), CAST(:regio AS text[]),
                         CAST(:periode AS text[]), CAST(:versie AS integer[]),
                         CAST(:vorige_waarde AS numeric[]), CAST(:nieuwe_waarde AS numeric[]),
                         CAST(:vorige_status AS text[]), CAST(:nieuwe_status AS text[]),
                         CAST(:vorige_bron AS text[]), CAST(:nieuwe_bron AS text[]),
                         CAST(:reden AS text[])),
         LATERAL (SELECT CAST(:gecorrigeerd_door AS text), CAST(:organisatie AS text)) w
""")


class MetingBulkRepository:
    """The set-based queries of a metingen import: a chunk at a time, never a row at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def existing(self, keys: Sequence[tuple[str, str, str]]) -> dict[
            tuple[str, str, str], tuple[Decimal, str, str | None]]:
        """(waarde, status, bron) of the stored metingen among `keys`, locked."""
        if not keys:
            return {}
        indicator, regio, periode = (list(column) for column in zip(*keys, strict=True))
        rows = await self.session.execute(EXISTING, {"indicator_code": indicator,
                                                     "regio": regio, "periode": periode})
        return {(r.indicator_code, r.regio, r.periode): (r.waarde, r.status, r.bron)
                for r in rows}

    async def histories(self, before: dict[tuple[str, str], date]) -> dict[
            tuple[str, str], list[tuple[date, Decimal]]]:
        """Per (indicator, regio): the latest HISTORY (periode_begin, waarde) before the date."""
        if not before:
            return {}
        pairs = list(before)
        rows = await self.session.execute(HISTORY_BEFORE, {
            "indicator_code": [p[0] for p in pairs], "regio": [p[1] for p in pairs],
            "voor": [before[p] for p in pairs]})
        found: dict[tuple[str, str], list[tuple[date, Decimal]]] = {}
        for r in rows:
            found.setdefault((r.indicator_code, r.regio), []).append((r.periode_begin, r.waarde))
        return found

    async def upsert(self, rows: Sequence[dict[str, Any]], *, ingediend_door: str,
                     organisatie: str) -> Sequence[Row[Any]]:
        if not rows:
            return []
        columns: dict[str, Any] = {c: [row[c] for row in rows] for c in BULK_COLUMNS}
        return (await self.session.execute(UPSERT, {
            **columns, "ingediend_door": ingediend_door, "organisatie": organisatie})).all()

    async def add_corrections(self, rows: Sequence[dict[str, Any]], *, door: str,
                              organisatie: str) -> None:
        if not rows:
            return
        names = ("indicator_code", "regio", "periode", "versie", "vorige_waarde",
                 "nieuwe_waarde", "vorige_status", "nieuwe_status", "vorige_bron",
                 "nieuwe_bron", "reden")
        await self.session.execute(CORRECTIONS, {
            **{n: [row[n] for row in rows] for n in names},
            "gecorrigeerd_door": door, "organisatie": organisatie})
