from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren.metingen.models import (
    MetingCorrectieRecord,
    MetingIntrekkingRecord,
    MetingRecord,
)
from indicatoren.metingen.schemas import MetingFilter
from nplv_shared.outbox import outbox_ctes

HISTORY = 20  # earlier values the plausibility of a new one is judged against


class MetingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(self, indicator: str, regio: str, periode: str, *,
                  for_update: bool = False) -> MetingRecord | None:
        """The stored row of the key, a withdrawn one too (`ingetrokken_op` set)."""
        return await self.session.get(MetingRecord, (indicator, regio, periode),
                                      with_for_update=for_update)

    async def history(self, indicator: str, regio: str, before: date) -> list[Decimal]:
        """The latest HISTORY values of the region for the indicator before `before`
        (withdrawn metingen left out)."""
        query = (select(MetingRecord.waarde)
                 .where(MetingRecord.indicator == indicator, MetingRecord.regio == regio,
                        MetingRecord.periode_begin < before,
                        MetingRecord.ingetrokken_op.is_(None))
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
                 .where(MetingRecord.indicator == indicator, MetingRecord.regio.in_(regios),
                        MetingRecord.ingetrokken_op.is_(None))
                 .order_by(MetingRecord.periode_begin, MetingRecord.periode,
                           MetingRecord.regio))
        return list((await self.session.execute(query)).scalars())

    async def correcties(self, indicator: str, regio: str,
                         periode: str) -> list[MetingCorrectieRecord]:
        c = MetingCorrectieRecord
        query = (select(c).where(c.indicator == indicator, c.regio == regio,
                                 c.periode == periode).order_by(c.id))
        return list((await self.session.execute(query)).scalars())

    async def add(self, record: MetingRecord | MetingCorrectieRecord |
                  MetingIntrekkingRecord) -> None:
        self.session.add(record)
        await self.session.flush()

    @staticmethod
    def _filtered(query: Select[Any], f: MetingFilter) -> Select[Any]:
        m = MetingRecord
        query = query.where(m.ingetrokken_op.is_(None))
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

# The stored state of the chunk's keys (withdrawn ones too), locked for the rest of the
# transaction.
EXISTING = text(f"""
    SELECT m.indicator_code, m.regio, m.periode, m.waarde, m.status, m.bron,
           m.ingetrokken_op IS NOT NULL AS ingetrokken
    FROM meting m
    JOIN unnest(CAST(:indicator_code AS text[]), CAST(:regio AS text[]),
                CAST(:periode AS text[])) AS k(indicator_code, regio, periode)
      USING {_KEY}
    FOR UPDATE OF m
""")  # noqa: S608 - constant text; every value is a bound parameter

# The latest values of each (indicator, regio) before a date: the plausibility history
# (withdrawn metingen left out).
HISTORY_BEFORE = text(f"""
    SELECT p.indicator_code, p.regio, h.periode_begin, h.waarde
    FROM unnest(CAST(:indicator_code AS text[]), CAST(:regio AS text[]),
                CAST(:voor AS date[])) AS p(indicator_code, regio, voor)
    CROSS JOIN LATERAL (
        SELECT periode_begin, waarde FROM meting m
        WHERE m.indicator_code = p.indicator_code AND m.regio = p.regio
          AND m.periode_begin < p.voor AND m.ingetrokken_op IS NULL
        ORDER BY m.periode_begin DESC LIMIT {HISTORY}) h
""")  # noqa: S608 - HISTORY is a constant; every value is a bound parameter

# Create new metingen and correct changed ones, keep each correction's previous value, and
# publish an event per written row: one statement for a whole chunk, so no written row and no
# event passes through Python. The event data is the state `MetingVastgelegd.of(Meting)`
# publishes (tests/integration/test_metingen_import.py compares the two); a correction adds
# the previous value and status and the reason, as `MetingGecorrigeerd`. A row marked
# `heropend` records a withdrawn meting anew, as the single write does: the row is reused
# (versie + 1, so its event sequence keeps rising), `ingetrokken_op` cleared, and it counts
# and publishes as new (`vastgelegd`), not as a correction.
_INPUT_EXTRA = ("vorige_waarde", "vorige_status", "vorige_bron", "reden", "heropend")
_INPUT = (*BULK_COLUMNS, *_INPUT_EXTRA)
_INPUT_TYPES = {**_BULK_TYPES, "vorige_waarde": "numeric", "heropend": "boolean"}
UPSERT_AND_PUBLISH = text(f"""
    WITH input AS (
        SELECT * FROM unnest({", ".join(f"CAST(:{c} AS {_INPUT_TYPES.get(c, 'text')}[])"
                                        for c in _INPUT)})
            WITH ORDINALITY AS t({", ".join(_INPUT)}, n)
    ),
    written AS (
        INSERT INTO meting AS m ({", ".join(BULK_COLUMNS)}, ingediend_door, organisatie,
                                 versie)
        SELECT {", ".join(BULK_COLUMNS)}, CAST(:ingediend_door AS text),
               CAST(:organisatie AS text), 1
        FROM input ORDER BY n
        ON CONFLICT {_KEY} DO UPDATE SET
            waarde = excluded.waarde, status = excluded.status, bron = excluded.bron,
            plausibel = excluded.plausibel, zscore = excluded.zscore,
            ingediend_door = excluded.ingediend_door, organisatie = excluded.organisatie,
            versie = m.versie + 1, gewijzigd_op = now(), ingetrokken_op = NULL,
            aangemaakt_op = CASE WHEN m.ingetrokken_op IS NULL THEN m.aangemaakt_op
                                 ELSE now() END
        WHERE m.ingetrokken_op IS NOT NULL
           OR (m.waarde, m.status, m.bron) IS DISTINCT FROM
              (excluded.waarde, excluded.status, excluded.bron)
        RETURNING m.*, (m.xmax = 0) AS nieuw
    ),
    classified AS (
        SELECT w.*, i.n, i.vorige_waarde, i.vorige_status, i.vorige_bron, i.reden,
               (w.nieuw OR coalesce(i.heropend, false)) AS vastgelegd
        FROM written w JOIN input i USING {_KEY}
    ),
    events AS (
        SELECT gen_random_uuid() AS event_id, w.n, w.vastgelegd AS nieuw, w.indicator_code,
               w.regio,
               w.periode, w.versie, w.waarde, w.status, w.bron, w.vorige_waarde,
               w.vorige_status, w.vorige_bron, w.reden,
               'metingen/' || w.indicator_code || '/' || w.regio || '/'
                   || replace(w.periode, '/', '-') AS subject,
               w.versie::bigint AS sequence,
               coalesce(w.focusgebied_code, w.gemeente_code, w.regio) AS key,
               CASE WHEN w.vastgelegd THEN CAST(:type_vastgelegd AS text)
                    ELSE CAST(:type_gecorrigeerd AS text) END AS type,
               jsonb_build_object(
                   'indicator', w.indicator_code, 'indicatorVersie', w.indicator_versie,
                   'regio', w.regio, 'regioSoort', w.regio_soort,
                   'focusgebied', w.focusgebied_code, 'gemeente', w.gemeente_code,
                   'periode', w.periode, 'periodeType', w.periode_type,
                   'periodeBegin', w.periode_begin, 'periodeEind', w.periode_eind,
                   'waarde', w.waarde::text, 'status', w.status, 'bron', w.bron,
                   'plausibel', w.plausibel, 'zscore', w.zscore::text,
                   'ingediendDoor', w.ingediend_door, 'organisatie', w.organisatie,
                   'importId', CAST(:import_id AS text))
               || CASE WHEN w.vastgelegd THEN '{{}}'::jsonb ELSE jsonb_build_object(
                   'vorigeWaarde', w.vorige_waarde::text, 'vorigeStatus', w.vorige_status,
                   'reden', w.reden) END AS data
        FROM classified w
    ),
    corrected AS (
        INSERT INTO meting_correctie (indicator_code, regio, periode, versie, vorige_waarde,
                                      nieuwe_waarde, vorige_status, nieuwe_status, vorige_bron,
                                      nieuwe_bron, reden, gecorrigeerd_door, organisatie)
        SELECT indicator_code, regio, periode, versie, vorige_waarde, waarde, vorige_status,
               status, vorige_bron, bron, reden, CAST(:ingediend_door AS text),
               CAST(:organisatie AS text)
        FROM events WHERE NOT nieuw
        ORDER BY n
    ),
    {outbox_ctes("events")}
    SELECT count(*) FILTER (WHERE nieuw) AS aangemaakt,
           count(*) FILTER (WHERE NOT nieuw) AS bijgewerkt
    FROM events
""")  # noqa: S608 - the names are the constants above; every value is a bound parameter


class MetingBulkRepository:
    """The set-based queries of a metingen import: a chunk at a time, never a row at a time."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def existing(self, keys: Sequence[tuple[str, str, str]]) -> tuple[
            dict[tuple[str, str, str], tuple[Decimal, str, str | None]],
            set[tuple[str, str, str]]]:
        """(waarde, status, bron) of the stored metingen among `keys`, and the keys that are
        stored but withdrawn; all of them locked."""
        if not keys:
            return {}, set()
        indicator, regio, periode = (list(column) for column in zip(*keys, strict=True))
        rows = await self.session.execute(EXISTING, {"indicator_code": indicator,
                                                     "regio": regio, "periode": periode})
        stored: dict[tuple[str, str, str], tuple[Decimal, str, str | None]] = {}
        withdrawn: set[tuple[str, str, str]] = set()
        for r in rows:
            key = (r.indicator_code, r.regio, r.periode)
            if r.ingetrokken:
                withdrawn.add(key)
            else:
                stored[key] = (r.waarde, r.status, r.bron)
        return stored, withdrawn

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

    async def upsert_and_publish(self, rows: Sequence[dict[str, Any]], *,
                                 ingediend_door: str, organisatie: str,
                                 import_id: str | None,
                                 outbox: dict[str, Any]) -> tuple[int, int]:
        """Write new metingen and corrections (each row a dict with BULK_COLUMNS and, for a
        correction, the previous state and the reason; `heropend` for a withdrawn meting
        recorded anew) with their events, which name `import_id`; returns how many were
        created (re-recorded ones included) and corrected."""
        if not rows:
            return 0, 0
        columns: dict[str, Any] = {c: [row.get(c) for row in rows] for c in _INPUT}
        result = (await self.session.execute(UPSERT_AND_PUBLISH, {
            **columns, **outbox, "ingediend_door": ingediend_door,
            "organisatie": organisatie, "import_id": import_id})).one()
        return result.aangemaakt, result.bijgewerkt
