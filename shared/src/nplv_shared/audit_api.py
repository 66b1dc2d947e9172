"""`GET /v1/audit`: the service's audit log, for auditors only (scope `nplv:audit:lezen`),
always filtered (by resource, client, trace id or time: an unfiltered read is a 400, as LDV's
read extension asks), paged, oldest first. There is no way to change it through the API.
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
RFC3339 = (r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{1,6})?"
           r"(Z|[+-][0-9]{2}:[0-9]{2})$")
# A time as RFC 3339 text with its offset, read here rather than by pydantic (whose lax mode
# would also take `0.5` as a Unix time, which the document does not allow).
Tijd = Annotated[str | None, Query(pattern=RFC3339, json_schema_extra={"format": "date-time"})]
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
    van: Annotated[Tijd, Query(description="Vanaf (inclusief), RFC 3339 met tijdzone")] = None,
    tot: Annotated[Tijd, Query(description="Tot (exclusief), RFC 3339 met tijdzone")] = None,
) -> JsonResponse:
    """Het auditlog van deze dienst, oudste eerst, met ten minste één filter: `resource`
    (eventueel met `resourceId`), `clientId`, `traceId`, `van` of `tot`; filters gelden samen.
    Zonder filter, of met `resourceId` zonder `resource`, of `tot` niet na `van`: 400. Alleen
    met scope `nplv:audit:lezen`."""
    table: Table = request.state.verantwoording.tables.audit
    query = _filtered(select(table), table, resource=resource, resource_id=resourceId,
                      client_id=clientId, trace_id=traceId, van=_tijd("van", van),
                      tot=_tijd("tot", tot))
    total = (await session.execute(
        select(func.count()).select_from(query.subquery()))).scalar_one()
    rows = (await session.execute(query.order_by(table.c.id).offset(paging.offset)
                                  .limit(paging.page_size))).mappings().all()
    return paginate(request, [AuditRegel.model_validate(dict(r)) for r in rows], total, paging)


def _tijd(name: str, value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise BadRequest("Het auditlog is alleen met een geldig filter te lezen.", invalid_params=[
            InvalidParam(name=f"query.{name}", code="invalid_datetime",
                         reason="geen bestaande datum en tijd")]) from None


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
    if van is not None:
        query = query.where(table.c.tijd >= van)
    if tot is not None:
        query = query.where(table.c.tijd < tot)
    return query


def _filter_errors(*, resource: str | None, resource_id: str | None, client_id: str | None,
                   trace_id: str | None, van: datetime | None,
                   tot: datetime | None) -> list[InvalidParam]:
    errors = []
    if not (resource or client_id or trace_id or van or tot):
        errors.append(InvalidParam(
            name="query", code="filter_required",
            reason="geef resource, clientId, traceId, van of tot"))
    if resource_id is not None and resource is None:
        errors.append(InvalidParam(name="query.resourceId", code="requires_resource",
                                   reason="resourceId alleen samen met resource"))
    if van and tot and tot <= van:
        errors.append(InvalidParam(name="query.tot", code="before_van",
                                   reason="tot ligt niet na van"))
    return errors
