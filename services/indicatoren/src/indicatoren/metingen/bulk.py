"""The metingen import (`POST /v1/metingen/imports`): the bulk form of the single write, with
the same validation (`validatie.validate`, once per chunk), the same permissions (a gemeente
only its own regions) and the same correction rule (a changed value needs a `reden`; the
previous value is kept in `meting_correctie`). Set-based: per chunk one query for the stored
state, one for the plausibility histories and one statement that writes the metingen, the
corrections and the events (built in SQL, `outbox_ctes`), whatever the number of rows.

Plausibility in an import: each row is judged against the latest 20 values of its region and
indicator before its period, from the database and from the rows of the same chunk (rows of
earlier chunks are in the database by then). Within one chunk a key may occur once (a second
row with the same indicator, regio and periode is refused, naming the first); across chunks a
later row is a correction of the earlier one. A withdrawn meting counts as not stored: a row
for it records it anew (`aangemaakt`, `meting.vastgelegd`), as a PUT does.
"""

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from indicatoren import events, plausibiliteit
from indicatoren.metingen.repository import HISTORY, MetingBulkRepository
from indicatoren.metingen.service import MetingService
from indicatoren.metingen.validatie import Context, GeldigeMeting, validate
from nplv_shared.auth import Principal
from nplv_shared.importformats import RowError
from nplv_shared.imports import IMPORT_ID, Telling, session_traceparent
from nplv_shared.outbox import EventPublisher

CONTEXT = "indicatoren.metingen.context"  # session.info: the catalogue, read once per import
EVENT_TYPE_PARAMETERS = {"type_vastgelegd": events.MetingVastgelegd.event_type,
                         "type_gecorrigeerd": events.MetingGecorrigeerd.event_type}
EVENT_TYPES = tuple(EVENT_TYPE_PARAMETERS.values())


class MetingImporter:
    soort = "metingen"

    def __init__(self, publisher: EventPublisher) -> None:
        self.publisher = publisher

    async def import_chunk(self, session: AsyncSession, rows: list[tuple[int, dict[str, Any]]],
                           principal: Principal, *, write: bool) -> tuple[Telling, list[RowError]]:
        context = await self._context(session, principal)
        errors: list[RowError] = []
        valid: list[tuple[int, GeldigeMeting]] = []
        seen: dict[tuple[str, str, str], int] = {}
        for (number, _), uitkomst in zip(rows, validate([r for _, r in rows], context),
                                         strict=True):
            if uitkomst.meting is None:
                errors.extend(RowError(number, f.veld, f.reden,
                                       code="forbidden" if f.code == "forbidden" else "invalid")
                              for f in uitkomst.fouten)
                continue
            key = uitkomst.meting.sleutel
            if key in seen:
                errors.append(RowError(number, "periode", "dezelfde meting (indicator, regio, "
                                                          f"periode) staat al in rij {seen[key]}"))
                continue
            seen[key] = number
            valid.append((number, uitkomst.meting))
        if not valid:
            return Telling(), errors
        bulk = MetingBulkRepository(session)
        stored, withdrawn = await bulk.existing([m.sleutel for _, m in valid])
        nieuw: list[GeldigeMeting] = []
        correcties: dict[tuple[str, str, str], tuple[GeldigeMeting, tuple[Any, ...]]] = {}
        ongewijzigd = 0
        for number, meting in valid:
            old = stored.get(meting.sleutel)
            if old is None:
                nieuw.append(meting)
            elif old == (meting.waarde, meting.status, meting.bron):
                ongewijzigd += 1
            elif meting.reden is None:
                errors.append(RowError(number, "reden", f"de meting bestaat al (waarde "
                                                        f"{old[0].normalize():f}); een correctie "
                                                        "vraagt een reden"))
            else:
                correcties[meting.sleutel] = (meting, old)
        if not write:
            return Telling(), errors
        to_write = [*nieuw, *(m for m, _ in correcties.values())]
        oordelen = await _plausibility(bulk, to_write, [m for _, m in valid])
        schrijven = [{**_columns(m, oordelen[m.sleutel]), "heropend": m.sleutel in withdrawn}
                     for m in nieuw]
        for meting, (waarde, status, bron) in correcties.values():
            schrijven.append({**_columns(meting, oordelen[meting.sleutel]), "vorige_waarde": waarde,
                         "vorige_status": status, "vorige_bron": bron, "reden": meting.reden})
        outbox = self.publisher.sql_parameters(
            session, EVENT_TYPES, traceparent=session_traceparent(session))
        aangemaakt, bijgewerkt = await bulk.upsert_and_publish(
            schrijven, ingediend_door=principal.client_id, organisatie=principal.organisatie,
            import_id=_import_id(session), outbox={**outbox, **EVENT_TYPE_PARAMETERS})
        return Telling(aangemaakt=aangemaakt, bijgewerkt=bijgewerkt,
                       ongewijzigd=ongewijzigd + len(to_write) - aangemaakt - bijgewerkt), errors

    async def _context(self, session: AsyncSession, principal: Principal) -> Context:
        context: Context | None = session.info.get(CONTEXT)
        if context is None or context.principal != principal:
            context = await MetingService(session, self.publisher).context(principal)
            session.info[CONTEXT] = context
        return context


async def _plausibility(bulk: MetingBulkRepository, to_write: Sequence[GeldigeMeting],
                        chunk: Sequence[GeldigeMeting]) -> dict[tuple[str, str, str],
                                                                plausibiliteit.Oordeel]:
    pairs: dict[tuple[str, str], date] = {}
    for m in to_write:
        pair = (m.indicator, m.regio)
        pairs[pair] = max(pairs.get(pair, m.periode_begin), m.periode_begin)
    stored = await bulk.histories(pairs)
    series: dict[tuple[str, str], dict[date, Decimal]] = {
        pair: dict(stored.get(pair, [])) for pair in pairs}
    for m in chunk:  # the chunk's own values count as history of its later periods
        if (m.indicator, m.regio) in series:
            series[(m.indicator, m.regio)][m.periode_begin] = m.waarde
    ordered = {pair: sorted(values.items()) for pair, values in series.items()}
    result = {}
    for m in to_write:
        earlier = [v for begin, v in ordered[(m.indicator, m.regio)] if begin < m.periode_begin]
        result[m.sleutel] = plausibiliteit.beoordeel(m.waarde, earlier[-HISTORY:])
    return result


def _import_id(session: AsyncSession) -> str | None:
    value = session.info.get(IMPORT_ID)
    return str(value) if value is not None else None


def _columns(m: GeldigeMeting, oordeel: plausibiliteit.Oordeel) -> dict[str, Any]:
    return {"indicator_code": m.indicator, "regio": m.regio, "periode": m.periode,
            "indicator_versie": m.indicator_versie, "regio_soort": m.regio_soort,
            "focusgebied_code": m.focusgebied, "gemeente_code": m.gemeente,
            "periode_type": m.periode_type, "periode_begin": m.periode_begin,
            "periode_eind": m.periode_eind, "waarde": m.waarde, "status": m.status,
            "bron": m.bron, "plausibel": oordeel.plausibel, "zscore": oordeel.zscore}
