"""`GET /v1/audit`: the service's audit log, for auditors only (scope `nplv:audit:lezen`),
always filtered (by resource, client, trace id or time window: an unfiltered read is a 400, as
LDV's read extension asks), paged, oldest first. There is no way to change it through the API.
"""

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from pydantic import Field
from sqlalchemy import Select, Table, func, select

from nplv_shared.auth import Principal, require_scope
from nplv_shared.db import SessionDep
from nplv_shared.paging import Page, PageParams, page_params, paginate
from nplv_shared.problems import BadRequest, InvalidParam
from nplv_shared.responses import AUTH, JsonResponse
from nplv_shared.schemas import Uitvoer

SCOPE_AUDIT = "nplv:audit:lezen"
TAG = {"name": "Audit", "description": "Wie wat wanneer heeft gewijzigd (alleen voor auditors)"}
MAX_WINDOW_DAYS = 366

router = APIRouter(prefix="/audit", tags=["Audit"])
Auditor = Annotated[Principal, require_scope(SCOPE_AUDIT)]


class AuditRegel(Uitvoer):
    id: int
    tijd: datetime
    trace_id: str = Field(description="W3C trace id; ook in het verwerkingslog (LDV)")
    span_id: str
    request_id: str | None
    client_id: str
    organisatie: str
    oin: str | None
    operatie: str = Field(description="aanmaken, wijzigen, verwijderen of importeren")
    resource: str
    resource_id: str
    voor: dict[str, Any] | None = Field(description="Velden vóór de wijziging")
    na: dict[str, Any] | None = Field(description="Velden na de wijziging")
    details: dict[str, Any] | None = Field(description="Bij een import: id en aantallen")
    verwerkingsactiviteit: str = Field(description="URI in het register van "
                                                   "verwerkingsactiviteiten")
    methode: str | None
    pad: str | None


TRACE_ID = r"^[0-9a-f]{32}$"
Text = Annotated[str | None, Query(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f\x7f]+$")]


@router.get("", summary="Auditlog (alleen met een filter)", response_model=Page[AuditRegel],
            responses={**AUTH, 400: {"description": "Geen of een ongeldig filter"}})
async def list_audit(
    request: Request, session: SessionDep, _: Auditor,
    paging: Annotated[PageParams, Depends(page_params)],
    resource: Annotated[Text, Query(description="Soort resource, bv. `interventie`")] = None,
    resourceId: Annotated[Text, Query(description="Id van de resource (met `resource`)")] = None,
    clientId: Annotated[Text, Query(description="Client die de wijziging deed")] = None,
    traceId: Annotated[str | None, Query(pattern=TRACE_ID, description="W3C trace id")] = None,
    van: Annotated[datetime | None, Query(description="Vanaf (inclusief), met tijdzone")] = None,
    tot: Annotated[datetime | None, Query(description="Tot (exclusief), met tijdzone")] = None,
) -> JsonResponse:
    """Het auditlog van deze dienst, oudste eerst, met ten minste één filter: `resource`
    (eventueel met `resourceId`), `clientId`, `traceId`, of een tijdvenster `van` en `tot`
    (samen, hoogstens een jaar). Alleen met scope `nplv:audit:lezen`."""
    table: Table = request.state.verantwoording.tables.audit
    query = _filtered(select(table), table, resource=resource, resource_id=resourceId,
                      client_id=clientId, trace_id=traceId, van=van, tot=tot)
    total = (await session.execute(
        select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = (await session.execute(query.order_by(table.c.id).offset(paging.offset)
                                  .limit(paging.page_size))).mappings().all()
    return paginate(request, [AuditRegel.model_validate(dict(r)) for r in rows], total, paging)


def _filtered(query: Select[Any], table: Table, *, resource: str | None,
              resource_id: str | None, client_id: str | None, trace_id: str | None,
              van: datetime | None, tot: datetime | None) -> Select[Any]:
    errors = _filter_errors(resource=resource, resource_id=resource_id, client_id=client_id,
                            trace_id=trace_id, van=van, tot=tot)
    if errors:
        raise BadRequest("Het auditlog is alleen met een geldig filter te lezen.",
                         invalid_params=errors)
    for column, value in ((table.c.resource, resource), (table.c.resource_id, resource_id),
                          (table.c.client_id, client_id), (table.c.trace_id, trace_id)):
        if value is not None:
            query = query.where(column == value)
    if van is not None and tot is not None:
        query = query.where(table.c.tijd >= van, table.c.tijd < tot)
    return query


def _filter_errors(*, resource: str | None, resource_id: str | None, client_id: str | None,
                   trace_id: str | None, van: datetime | None,
                   tot: datetime | None) -> list[InvalidParam]:
    errors = []
    window = van is not None or tot is not None
    if not (resource or client_id or trace_id or window):
        errors.append(InvalidParam(
            name="query", code="filter_required",
            reason="geef resource, clientId, traceId of een tijdvenster (van en tot)"))
    if resource_id is not None and resource is None:
        errors.append(InvalidParam(name="query.resourceId", code="requires_resource",
                                   reason="resourceId alleen samen met resource"))
    if window:
        for name, value in (("van", van), ("tot", tot)):
            if value is None:
                errors.append(InvalidParam(name=f"query.{name}", code="missing",
                                           reason="een tijdvenster heeft van en tot"))
            elif value.tzinfo is None:
                errors.append(InvalidParam(name=f"query.{name}", code="timezone_required",
                                           reason="tijd met tijdzone, bv. 2026-01-01T00:00:00Z"))
        if van and tot and van.tzinfo and tot.tzinfo:
            if tot <= van:
                errors.append(InvalidParam(name="query.tot", code="before_van",
                                           reason="tot ligt niet na van"))
            elif (tot - van).days > MAX_WINDOW_DAYS:
                errors.append(InvalidParam(name="query.tot", code="window_too_long",
                                           reason=f"hoogstens {MAX_WINDOW_DAYS} dagen"))
    return errors
