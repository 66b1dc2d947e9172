"""The half-yearly voortgangsrapportage: the concept (computed live from the views' read models,
as of the end of its period), publication (a frozen snapshot with a content hash, who and when;
never changed), and the difference list of a published version against the concept or another
version."""

import asyncio
import hashlib
import json
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared import audit, perioden
from nplv_shared.auth import Principal
from nplv_shared.problems import BadRequest, Conflict, NotFound, PreconditionFailed
from rapportage.voortgang.service import achterstand
from rapportage.voortgangsrapportage import opbouw, verschillen
from rapportage.voortgangsrapportage.repository import RapportRepository
from rapportage.voortgangsrapportage.schemas import (
    Concept,
    PublicatieKop,
    Verschillen,
    Voortgangsrapport,
)

HALFJAAR = r"^(20[0-9]{2}|2100)S[12]$"  # the years periods may have (nplv_shared.perioden)


def canoniek(rapport: Voortgangsrapport) -> str:
    """The report as canonical JSON: keys sorted, no white space, UTF-8; decimals are text, so
    the same report always gives the same bytes (and hash)."""
    return json.dumps(rapport.model_dump(mode="json", by_alias=True), sort_keys=True,
                      separators=(",", ":"), ensure_ascii=False)


def inhoud_hash(inhoud: str) -> str:
    return hashlib.sha256(inhoud.encode("utf-8")).hexdigest()


def halfjaar(periode_id: str) -> perioden.Periode:
    """A half-year that has begun (404 for one in the future: there is nothing to report yet)."""
    try:
        periode = perioden.parse(periode_id)  # the path pattern has checked the form
    except perioden.OngeldigePeriode as exc:
        raise BadRequest(f"Ongeldig halfjaar {periode_id}: {exc}") from exc
    if periode.begin > datetime.now(UTC).date():
        raise NotFound(f"Halfjaar {periode_id} is nog niet begonnen; er is nog niets over te "
                       "rapporteren.")
    return periode


@dataclass(frozen=True)
class Berekend:
    periode: perioden.Periode
    rapport: Voortgangsrapport
    feiten: opbouw.Feiten | None  # only when asked for
    inhoud: str
    hash: str
    berekend_op: datetime


def _bereken(periode: perioden.Periode, gegevens: Any, met_feiten: bool) -> Berekend:
    rapport, feiten = opbouw.bouw(periode, gegevens, met_feiten=met_feiten)
    inhoud = canoniek(rapport)
    return Berekend(periode, rapport, feiten, inhoud, inhoud_hash(inhoud), datetime.now(UTC))


class _Laatste:
    """The last reports computed in this process, each under the projection version it was
    computed at: a request meets the same report until the worker applies another batch (the
    version changes with every batch), without computing it again. A few periods only."""

    PLAATSEN = 3

    def __init__(self) -> None:
        self._items: OrderedDict[str, tuple[Any, Berekend]] = OrderedDict()
        self._bezig: dict[tuple[int, str], asyncio.Lock] = {}

    def slot(self, periode: str) -> asyncio.Lock:
        """One computation of a period at a time: whoever comes meanwhile waits and reuses it.
        (A lock belongs to one event loop; a process normally has one.)"""
        return self._bezig.setdefault((id(asyncio.get_running_loop()), periode), asyncio.Lock())

    def get(self, periode: str, versie: Any, *, met_feiten: bool) -> Berekend | None:
        item = self._items.get(periode)
        if item is None or item[0] != versie or (met_feiten and item[1].feiten is None):
            return None
        self._items.move_to_end(periode)
        return item[1]

    def put(self, periode: str, versie: Any, berekend: Berekend) -> None:
        self._items[periode] = (versie, berekend)
        self._items.move_to_end(periode)
        while len(self._items) > self.PLAATSEN:
            self._items.popitem(last=False)


LAATSTE = _Laatste()


class RapportService:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session
        self.repo = RapportRepository(session)

    async def bereken(self, periode_id: str, *, opnieuw: bool = False,
                      met_feiten: bool = False) -> Berekend:
        """The report as of the end of the half-year (with the facts behind it when
        `met_feiten`); the one computed last for the same projection version unless `opnieuw`
        (publication computes it afresh). The arithmetic runs in a thread, so the process
        keeps answering (health checks, other reads) meanwhile."""
        periode = halfjaar(periode_id)
        async with LAATSTE.slot(periode_id):
            versie = await self.repo.projectieversie()  # before the data: never newer than it
            if not opnieuw and (bekend := LAATSTE.get(periode_id, versie,
                                                      met_feiten=met_feiten)) is not None:
                return bekend
            gegevens = await self.repo.gegevens(periode.eind)
            berekend = await asyncio.to_thread(_bereken, periode, gegevens, met_feiten)
            LAATSTE.put(periode_id, versie, berekend)
            return berekend

    async def concept(self, periode_id: str) -> Concept:
        berekend = await self.bereken(periode_id)
        return Concept(periode=periode_id, berekend_op=berekend.berekend_op,
                       inhoud_hash=berekend.hash,
                       achterstand=achterstand(await self.repo.posities()),
                       rapport=berekend.rapport)

    async def publiceer(self, periode_id: str, principal: Principal, toelichting: str | None,
                        if_match: str | None) -> Row[Any]:
        """Freeze the concept as the next version. One publication of a period at a time; the
        period must have ended; `If-Match` (optional) names the concept's hash the publisher
        reviewed (412 when the concept has changed since); 409 when nothing differs from the
        latest version."""
        periode = halfjaar(periode_id)
        if periode.eind >= datetime.now(UTC).date():
            raise Conflict(f"Halfjaar {periode_id} loopt nog (tot en met "
                           f"{periode.eind.isoformat()}); publiceren kan als het voorbij is.")
        await self.repo.vergrendel(periode_id)
        berekend = await self.bereken(periode_id, opnieuw=True, met_feiten=True)
        if if_match is not None and not {berekend.hash, "*"} & _tags(if_match):
            raise PreconditionFailed(
                f"Het concept is veranderd sinds u het bekeek: de inhoud heeft nu hash "
                f"{berekend.hash}. Bekijk het concept opnieuw.")
        vorige = await self.repo.publicatie(periode_id)
        if vorige is not None and (vorige.inhoud_hash, vorige.toelichting) == (berekend.hash,
                                                                              toelichting):
            raise Conflict(f"Versie {vorige.versie} van {periode_id} is gelijk aan het concept; "
                           "er is niets nieuws te publiceren.")
        versie = 1 if vorige is None else vorige.versie + 1
        await self.repo.bewaar({
            "periode": periode_id, "versie": versie, "inhoud": berekend.inhoud,
            "inhoud_hash": berekend.hash, "feiten": berekend.feiten, "toelichting": toelichting,
            "gepubliceerd_door": f"{principal.organisatie}/{principal.client_id}",
            "gepubliceerd_op": datetime.now(UTC),
            "vorige_versie": None if vorige is None else vorige.versie})
        audit.record(self.session, audit.Wijziging(
            audit.AANMAKEN, "voortgangsrapportage", f"{periode_id}/{versie}",
            na={"inhoudHash": berekend.hash, "vorigeVersie": None if vorige is None
                else vorige.versie}))
        return await self.publicatie(periode_id, versie)

    async def publicatie(self, periode_id: str, versie: int) -> Row[Any]:
        halfjaar(periode_id)
        row = await self.repo.publicatie(periode_id, versie)
        if row is None:
            raise NotFound(f"Van {periode_id} is geen versie {versie} gepubliceerd.")
        return row

    async def publicaties(self, periode_id: str | None) -> list[PublicatieKop]:
        return [PublicatieKop.model_validate(r) for r in await self.repo.publicaties(periode_id)]

    async def verschillen(self, periode_id: str, versie: int,
                          vergelijk_met: int | None) -> Verschillen:
        """Version `versie` against the concept (None) or another published version."""
        oud = await self.publicatie(periode_id, versie)
        if vergelijk_met is None:
            berekend = await self.bereken(periode_id, met_feiten=True)
            nieuw_feiten, nieuw_rapport, nieuw_hash = (
                berekend.feiten or {}, json.loads(berekend.inhoud), berekend.hash)
            naam = "concept"
        else:
            ander = await self.publicatie(periode_id, vergelijk_met)
            nieuw_feiten, nieuw_rapport, nieuw_hash = (
                ander.feiten, json.loads(ander.inhoud), ander.inhoud_hash)
            naam = f"versie {vergelijk_met}"
        feiten = verschillen.feiten(oud.feiten, nieuw_feiten)
        return Verschillen(
            periode=periode_id, versie=versie, vergeleken_met=naam,
            inhoud_hash_gepubliceerd=oud.inhoud_hash, inhoud_hash_vergeleken=nieuw_hash,
            aantal=len(feiten), feiten=feiten,
            cijfers=verschillen.cijfers(json.loads(oud.inhoud), nieuw_rapport))


def _tags(header: str) -> set[str]:
    return {t.strip().removeprefix("W/").strip('"') for t in header.split(",") if t.strip()}
