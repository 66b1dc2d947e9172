"""Rebuild requests: `POST /v1/herbouwopdrachten` asks the worker to rebuild the views by replay
(`rapportage.herbouw`); its progress is readable while it runs. The programmabureau only:
organisatie BZK with scope `nplv:rapportage:beheer`."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Path
from pydantic import RootModel
from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError

from nplv_shared import audit
from nplv_shared.db import SessionDep
from nplv_shared.problems import Conflict, NotFound
from nplv_shared.responses import AUTH, LOCATION_HEADER, NOT_FOUND, WRITE, JsonResponse
from rapportage.beheer import Beheerder
from rapportage.db import herbouw
from rapportage.voortgang.schemas import Herbouwopdracht

TAG = {"name": "Herbouw",
       "description": "Herbouw van de weergaven door alle events opnieuw af te spelen; de "
                      "weergaven blijven leesbaar en worden in één keer omgewisseld."}
router = APIRouter(prefix="/herbouwopdrachten", tags=[TAG["name"]])


class Opdrachten(RootModel[list[Herbouwopdracht]]):
    pass


OpdrachtId = Annotated[uuid.UUID, Path(alias="opdrachtId")]


@router.post("", status_code=202, summary="Vraag een herbouw van de weergaven aan",
             response_model=Herbouwopdracht,
             responses={**WRITE, 202: {"headers": LOCATION_HEADER},
                        409: {"description": "Er wacht of loopt al een herbouw"}})
async def create_herbouwopdracht(principal: Beheerder, session: SessionDep) -> JsonResponse:
    """De worker speelt alle events van de drie topics vanaf het begin af in nieuwe tabellen,
    haalt de live verwerking in en wisselt de tabellen in één transactie om; lezen gaat door.
    202 met `Location` van de opdracht, waarvan de voortgang (events verwerkt van totaal,
    snelheid, resterende tijd) te volgen is. 409 als er al een wacht of loopt."""
    job_id = uuid.uuid4()
    try:
        async with session.begin_nested():
            await session.execute(insert(herbouw).values(
                id=job_id, status="wachtend",
                aangevraagd_door=f"{principal.organisatie}/{principal.client_id}"))
    except IntegrityError as exc:
        raise Conflict("Er wacht of loopt al een herbouw; volg die opdracht.") from exc
    row = (await session.execute(select(herbouw).where(herbouw.c.id == job_id))).one()
    audit.record(session, audit.Wijziging(audit.AANMAKEN, "herbouwopdracht", str(job_id),
                                          na={"status": row.status}))
    return JsonResponse(Herbouwopdracht.model_validate(row), status_code=202,
                        headers={"Location": f"/v1/herbouwopdrachten/{job_id}"})


@router.get("/{opdrachtId}", summary="Voortgang van een herbouw",
            response_model=Herbouwopdracht, responses={**AUTH, **NOT_FOUND})
async def get_herbouwopdracht(opdracht_id: OpdrachtId, principal: Beheerder,
                       session: SessionDep) -> JsonResponse:
    """Status (wachtend, bezig, klaar, mislukt), events verwerkt van totaal, events per
    seconde en de geschatte resterende tijd."""
    row = (await session.execute(select(herbouw).where(herbouw.c.id == opdracht_id))
           ).one_or_none()
    if row is None:
        raise NotFound(f"Herbouwopdracht {opdracht_id} bestaat niet.")
    return JsonResponse(Herbouwopdracht.model_validate(row))


@router.get("", summary="De laatste herbouwopdrachten", response_model=list[Herbouwopdracht],
            responses=AUTH)
async def list_herbouwopdrachten(principal: Beheerder, session: SessionDep) -> JsonResponse:
    """De twintig laatst aangevraagde herbouwopdrachten, nieuwste eerst."""
    rows = (await session.execute(select(herbouw).order_by(herbouw.c.aangevraagd_op.desc())
                                  .limit(20))).all()
    return JsonResponse(Opdrachten([Herbouwopdracht.model_validate(r) for r in rows]))
