"""`/v1/voortgangsrapportages`: the half-yearly report to parliament, per period. The concept is
computed live; a publication freezes it. Each is readable as JSON, as CSV per table and as a
printable HTML page. Reading is public; publishing is for the programmabureau."""

import json
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy import Row

from nplv_shared.db import SessionDep
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.problems import NotFound
from nplv_shared.responses import LOCATION_HEADER, WRITE, JsonResponse
from rapportage.beheer import Beheerder
from rapportage.voortgangsrapportage import pagina, tabellen
from rapportage.voortgangsrapportage.schemas import (
    Concept,
    NieuwePublicatie,
    Publicatie,
    PublicatieKop,
    Verschillen,
    Voortgangsrapport,
)
from rapportage.voortgangsrapportage.service import HALFJAAR, RapportService

TAG = {"name": "Voortgangsrapportage",
       "description": "De halfjaarlijkse voortgangsrapportage aan de Tweede Kamer (§6): per "
                      "halfjaar, per focusgebied en voor het programma, per actielijn. Concept "
                      "(live) en gepubliceerde versies (bevroren, met inhoudhash), als JSON, als "
                      "CSV per tabel en als afdrukbare pagina; verschillen van een gepubliceerde "
                      "versie met het concept."}
router = APIRouter(prefix="/voortgangsrapportages", tags=[TAG["name"]])
Periode = Annotated[str, Path(alias="periode", pattern=HALFJAAR, examples=["2024S1"],
                              description="Halfjaar: JJJJS1 (jan–jun) of JJJJS2 (jul–dec)")]
Versie = Annotated[int, Path(alias="versie", ge=1, le=1_000_000)]
TabelNaam = Literal["indicatoren", "metingen", "interventies", "geld", "geld-per-jaar",
                    "programma"]  # the keys of tabellen.TABELLEN (a test checks)
Tabel = Annotated[TabelNaam, Path(alias="tabel", description=tabellen.beschrijving())]
NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"description": "Halfjaar nog niet begonnen, of deze versie bestaat niet"}}
TEKST = {"schema": {"type": "string"}}
HTML: dict[int | str, dict[str, Any]] = {200: {
    "content": {"text/html": TEKST},
    "description": "Afdrukbare pagina (HTML, Nederlands, met SVG-grafieken)"}}
CSV: dict[int | str, dict[str, Any]] = {200: {
    "content": {"text/csv": TEKST},
    "description": "CSV (UTF-8, komma's, decimale punt, ISO-datums, kopregel)"}}
Gebied = Annotated[str | None, Query(
    alias="focusgebied", pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=64,
    description="Alleen dit focusgebied (het programmadeel blijft over alle gebieden)")]
CONCEPT_CACHE = "public, no-cache"  # revalidate: the ETag is the content hash
GEPUBLICEERD_CACHE = "public, max-age=31536000, immutable"  # a publication never changes


def _etag(hash_: str) -> str:
    return f'"{hash_}"'


def _publicatie_json(row: Row[Any]) -> Response:
    """The frozen report exactly as stored (canonical JSON), inside its envelope."""
    kop = PublicatieKop.model_validate(row).model_dump_json(by_alias=True)
    body = kop[:-1] + ',"soort":"gepubliceerd","rapport":' + row.inhoud + "}"
    return Response(body, media_type="application/json",
                    headers={"ETag": _etag(row.inhoud_hash),
                             "Cache-Control": GEPUBLICEERD_CACHE})


def _gebied(rapport: Voortgangsrapport, code: str | None) -> Voortgangsrapport:
    """The report with only `code`'s section (404 when the report does not have it)."""
    if code is None:
        return rapport
    gekozen = [g for g in rapport.focusgebieden if g.focusgebied == code]
    if not gekozen:
        raise NotFound(f"Focusgebied {code} staat niet in de voortgangsrapportage over "
                       f"{rapport.periode}.")
    return rapport.model_copy(update={"focusgebieden": gekozen})


def _versie_etag(hash_: str, code: str | None) -> str:
    """The ETag of a representation: the report's hash, and the area when only it is shown."""
    return _etag(hash_ if code is None else f"{hash_}-{code}")


def _kop(row: Row[Any]) -> pagina.Kop:
    return pagina.Kop(soort="gepubliceerd", inhoud_hash=row.inhoud_hash, versie=row.versie,
                      gepubliceerd_op=row.gepubliceerd_op,
                      gepubliceerd_door=row.gepubliceerd_door,
                      vorige_versie=row.vorige_versie, toelichting=row.toelichting)


def _csv(rapport: Voortgangsrapport, tabel: str, naam: str, headers: dict[str, str]) -> Response:
    return Response(tabellen.csv_tekst(rapport, tabel), media_type="text/csv; charset=utf-8",
                    headers={**headers, "Content-Disposition":
                             f'attachment; filename="voortgangsrapportage-{naam}-{tabel}.csv"'})


@router.get("", summary="Gepubliceerde voortgangsrapportages",
            response_model=Page[PublicatieKop])
async def list_voortgangsrapportages(request: Request, session: SessionDep,
                                     paging: Annotated[PageParams, Depends(page_params)],
                                     ) -> JsonResponse:
    """Alle gepubliceerde versies van alle halfjaren, nieuwste halfjaar en versie eerst (zonder
    inhoud), gepagineerd. Openbaar."""
    koppen = await RapportService(session).publicaties(None)
    return paginate(request, koppen[paging.offset:paging.offset + paging.page_size],
                    len(koppen), paging)


@router.get("/{periode}", summary="Concept van de voortgangsrapportage over een halfjaar",
            response_model=Concept, responses=NOT_FOUND)
async def get_concept(periode: Periode, session: SessionDep,
                      focusgebied: Gebied = None) -> JsonResponse:
    """Live berekend: de stand aan het einde van het halfjaar (metingen van perioden die dan
    geëindigd zijn, status en output van interventies zoals ze toen golden, geld gedateerd tot
    en met het einde). Per actielijn voor het programma en per focusgebied. `inhoudHash` (ook de
    ETag) is de SHA-256 van de canonieke JSON van `rapport`: geef hem mee in `If-Match` bij het
    publiceren. Openbaar; 404 voor een halfjaar dat nog niet begonnen is."""
    concept = await RapportService(session).concept(periode)
    concept.rapport = _gebied(concept.rapport, focusgebied)
    return JsonResponse(concept, headers={"ETag": _versie_etag(concept.inhoud_hash, focusgebied),
                                          "Cache-Control": CONCEPT_CACHE})


@router.get("/{periode}/afdrukversie", summary="Concept als afdrukbare pagina",
            response_class=HTMLResponse, responses={**HTML, **NOT_FOUND})
async def get_concept_afdrukversie(periode: Periode, session: SessionDep,
                                   focusgebied: Gebied = None) -> HTMLResponse:
    """Het concept als HTML-pagina (Nederlands, toegankelijk, met per indicator een SVG-grafiek
    van de reeks tegen traject, streefwaarde en vergelijkingsregio's), met printopmaak: vanuit
    de browser af te drukken naar een PDF. Openbaar."""
    concept = await RapportService(session).concept(periode)
    kop = pagina.Kop(soort="concept", inhoud_hash=concept.inhoud_hash,
                     berekend_op=concept.berekend_op)
    return HTMLResponse(await pagina.html_bewaard(_gebied(concept.rapport, focusgebied), kop,
                                            focusgebied),
                        headers={"ETag": _versie_etag(concept.inhoud_hash, focusgebied),
                                 "Cache-Control": CONCEPT_CACHE})


@router.get("/{periode}/tabellen/{tabel}", summary="Concept als CSV, per tabel",
            response_class=Response, responses={**CSV, **NOT_FOUND})
async def get_concept_tabel(periode: Periode, tabel: Tabel, session: SessionDep,
                            focusgebied: Gebied = None) -> Response:
    """Eén tabel van het concept als CSV voor analisten. De kolommen staan bij de parameter
    `tabel` en in de README. Openbaar."""
    berekend = await RapportService(session).bereken(periode)
    return _csv(_gebied(berekend.rapport, focusgebied), tabel, f"{periode}-concept",
                {"ETag": _versie_etag(berekend.hash, focusgebied),
                 "Cache-Control": CONCEPT_CACHE})


@router.post("/{periode}/publicaties", status_code=201,
             summary="Publiceer het concept als nieuwe versie", response_model=PublicatieKop,
             responses={**WRITE, 201: {"headers": LOCATION_HEADER},
                        409: {"description": "Halfjaar loopt nog, of niets nieuws te publiceren"},
                        412: {"description": "Het concept is veranderd sinds de If-Match-hash"}})
async def create_publicatie(
        periode: Periode, principal: Beheerder, session: SessionDep,
        body: Annotated[NieuwePublicatie | None, Body()] = None,
        if_match: Annotated[str | None, Header(alias="If-Match", description=(
            "De inhoudHash (ETag) van het concept dat u bekeek; 412 als het intussen is "
            "veranderd"))] = None) -> JsonResponse:
    """Bevriest het concept als volgende versie, met inhoudhash, wie en wanneer; een volgende
    versie verwijst naar de vorige. Alleen het programmabureau (BZK, scope
    `nplv:rapportage:beheer`), alleen voor een voorbij halfjaar (anders 409), en niet als er
    niets veranderd is (409). Een gepubliceerde versie verandert nooit."""
    toelichting = body.toelichting if body is not None else None
    row = await RapportService(session).publiceer(periode, principal, toelichting, if_match)
    return JsonResponse(PublicatieKop.model_validate(row), status_code=201, headers={
        "Location": f"/v1/voortgangsrapportages/{periode}/publicaties/{row.versie}",
        "ETag": _etag(row.inhoud_hash)})


@router.get("/{periode}/publicaties", summary="Gepubliceerde versies van een halfjaar",
            response_model=list[PublicatieKop])
async def list_publicaties(periode: Periode, session: SessionDep) -> Response:
    """De gepubliceerde versies van dit halfjaar, nieuwste eerst (zonder inhoud). Openbaar."""
    koppen = await RapportService(session).publicaties(periode)
    return Response(json.dumps([k.model_dump(mode="json", by_alias=True) for k in koppen]),
                    media_type="application/json")


@router.get("/{periode}/publicaties/{versie}", summary="Een gepubliceerde versie",
            response_model=Publicatie, responses=NOT_FOUND)
async def get_publicatie(periode: Periode, versie: Versie, session: SessionDep) -> Response:
    """De bevroren versie precies zoals gepubliceerd (`rapport` is de canonieke JSON waarover
    `inhoudHash` is berekend). Verandert nooit. Openbaar."""
    return _publicatie_json(await RapportService(session).publicatie(periode, versie))


@router.get("/{periode}/publicaties/{versie}/afdrukversie",
            summary="Een gepubliceerde versie als afdrukbare pagina", response_class=HTMLResponse,
            responses={**HTML, **NOT_FOUND})
async def get_publicatie_afdrukversie(periode: Periode, versie: Versie, session: SessionDep,
                                      focusgebied: Gebied = None) -> HTMLResponse:
    """De bevroren versie als HTML-pagina met printopmaak, met de toelichting. Openbaar."""
    row = await RapportService(session).publicatie(periode, versie)
    rapport = _gebied(Voortgangsrapport.model_validate_json(row.inhoud), focusgebied)
    return HTMLResponse(await pagina.html_bewaard(rapport, _kop(row), focusgebied),
                        headers={"ETag": _versie_etag(row.inhoud_hash, focusgebied),
                                 "Cache-Control": GEPUBLICEERD_CACHE})


@router.get("/{periode}/publicaties/{versie}/tabellen/{tabel}",
            summary="Een gepubliceerde versie als CSV, per tabel", response_class=Response,
            responses={**CSV, **NOT_FOUND})
async def get_publicatie_tabel(periode: Periode, versie: Versie, tabel: Tabel,
                               session: SessionDep, focusgebied: Gebied = None) -> Response:
    """Eén tabel van de bevroren versie als CSV. Openbaar."""
    row = await RapportService(session).publicatie(periode, versie)
    return _csv(_gebied(Voortgangsrapport.model_validate_json(row.inhoud), focusgebied), tabel,
                f"{periode}-versie-{versie}", {"ETag": _versie_etag(row.inhoud_hash, focusgebied),
                                               "Cache-Control": GEPUBLICEERD_CACHE})


@router.get("/{periode}/publicaties/{versie}/verschillen",
            summary="Verschillen van een gepubliceerde versie met het concept of een andere "
                    "versie", response_model=Verschillen, responses=NOT_FOUND)
async def get_verschillen(periode: Periode, versie: Versie, session: SessionDep,
                          vergelijk_met: Annotated[int | None, Query(
                              alias="vergelijkMet", ge=1, le=1_000_000,
                              description="Een andere versie; zonder: het concept")] = None,
                          ) -> JsonResponse:
    """Welke feiten sinds de publicatie veranderd zijn (metingen, nulmetingen, streefwaarden,
    interventies, toekenningen, realisaties, begrotingsregels, gebieden, indicatoren), elk met
    het event dat het veranderde en de oude en nieuwe waarde; en welke cijfers van het rapport
    daardoor anders zijn. Openbaar."""
    return JsonResponse(await RapportService(session).verschillen(periode, versie,
                                                                  vergelijk_met))
