"""The HTTP side of bulk imports (`nplv_shared.imports`): a service's import endpoint calls
`receive_import`; `GET /v1/imports/{importId}` (this module's router, included by `create_app`
when the service has imports) reports an import's phase, progress and summary.

Parameters of an import endpoint (query, camelCase): `modus` (`atomair`, default, or
`beste-poging`), `dryRun` and `async`. The format is the Content-Type: `application/json` (an
array of objects), `application/x-ndjson` or `text/csv` (UTF-8, a header row, comma-separated).
The body limit of import endpoints is `IMPORT_MAX_BODY_BYTES` (64 MiB by default), not the
API's general one. A synchronous import takes at most `IMPORT_SYNC_MAX_ROWS` rows (413 above
it: send `async=true`); a body over `IMPORT_SYNC_MAX_BYTES` becomes a job by itself.
"""

from __future__ import annotations

import hashlib
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field
from sqlalchemy import func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared import tracing
from nplv_shared.auth import Principal, current_principal
from nplv_shared.idempotency import KeyReused, StoredResponse
from nplv_shared.importformats import FileError, checked_start, media_type_of, read_chunks
from nplv_shared.imports import (
    Importer,
    ImportModus,
    ImportSamenvatting,
    ImportStatus,
    ImportTables,
    TooManyRows,
    Uitkomst,
    audit_import,
    principal_json,
    run_import,
    status_of,
    store_upload,
)
from nplv_shared.problems import InvalidParam, NotFound, ProblemError
from nplv_shared.responses import AUTH, JsonResponse
from nplv_shared.schemas import Uitvoer
from nplv_shared.settings import ServiceSettings

TAG = {"name": "Imports", "description": "Bulkimports: fase, voortgang en samenvatting"}
router = APIRouter(prefix="/imports", tags=["Imports"])
CHUNK_ROWS = 5000


class Import(Uitvoer):
    id: uuid.UUID
    soort: str = Field(description="Wat er geïmporteerd wordt, bv. `metingen`")
    status: ImportStatus = Field(description="wachtend, bezig, voltooid, geweigerd (atomair "
                                             "met foute rijen: niets geschreven) of mislukt")
    modus: ImportModus
    dry_run: bool
    formaat: str = Field(description="Mediatype van het bestand")
    asynchroon: bool = Field(description="Als job uitgevoerd door de worker")
    grootte: int = Field(description="Grootte van het bestand in bytes")
    rijen_verwerkt: int = Field(description="Rijen gelezen en verwerkt (voortgang)")
    rijen_per_seconde: int | None
    pogingen: int = Field(description="Keren dat een worker de job begon")
    aangemaakt_op: datetime
    gestart_op: datetime | None
    beeindigd_op: datetime | None
    samenvatting: ImportSamenvatting | None = Field(description="Als de import klaar is")
    melding: str | None = Field(description="Waarom de import mislukte of geweigerd werd")


def import_responses() -> dict[int | str, dict[str, Any]]:
    """The documented answers of an import endpoint, and its three body formats."""
    return {
        200: {"model": Import, "description": "Synchroon uitgevoerd; de samenvatting"},
        202: {"model": Import, "description": "Als job aangenomen; volg `Location`"},
        400: {"description": "Ongeldig bestand, of (atomair) foute rijen: niets geschreven"},
        **AUTH,
        413: {"description": "Te groot voor een synchrone import (gebruik async=true) of "
                             "groter dan IMPORT_MAX_BODY_BYTES"},
        415: {"description": "Geen JSON-array, NDJSON of CSV"},
        422: {"description": "Idempotency-Key al gebruikt voor een ander bestand"},
    }


def import_body(row_schema: dict[str, Any]) -> dict[str, Any]:
    """`openapi_extra` of an import endpoint: the request body in its three formats."""
    return {"requestBody": {"required": True, "content": {
        "application/json": {"schema": {"type": "array", "items": row_schema,
                                        "maxItems": 1_000_000}},
        "application/x-ndjson": {"schema": {"type": "string", "maxLength": 67_108_864}},
        "text/csv": {"schema": {"type": "string", "maxLength": 67_108_864}},
    }}}


Modus = Annotated[ImportModus, Query(description="atomair: alles of niets; beste-poging: de "
                                                 "goede rijen wel, de foute niet")]
DryRun = Annotated[bool, Query(alias="dryRun", description="Alles valideren en tellen, niets "
                                                           "schrijven")]
Async = Annotated[bool, Query(alias="async", description="Als job uitvoeren (202 + Location)")]


class _Hashing:
    """The request body as it arrives, hashed on the way (for Idempotency-Key)."""

    def __init__(self, request: Request) -> None:
        self.request = request
        self.digest = hashlib.sha256()
        self.size = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for part in self.request.stream():
            if part:
                self.digest.update(part)
                self.size += len(part)
                yield part


async def receive_import(request: Request, session: AsyncSession, principal: Principal,
                         importer: Importer, *, modus: ImportModus, dry_run: bool,
                         asynchroon: bool, idempotency_key: str | None) -> JSONResponse:
    """Run an import synchronously (200, or 400 when atomic with refused rows) or store it as
    a job (202). In the request's transaction (`SessionDep`)."""
    settings: ServiceSettings = request.state.settings
    tables: ImportTables = request.state.import_tables
    formaat = media_type_of(request.headers.get("content-type"))
    if formaat is None:
        raise ProblemError(
            "Stuur het bestand als application/json (een array van objecten), "
            "application/x-ndjson of text/csv.", status=415, title="Mediatype niet ondersteund")
    length = request.headers.get("content-length")
    asynchroon = asynchroon or (length is not None and length.isdigit()
                                and int(length) > settings.import_sync_max_bytes)
    body = _Hashing(request)
    if idempotency_key is not None:
        earlier = await _claim(request, session, principal, idempotency_key)
        if earlier is not None:
            return await _replay(earlier, body, modus, dry_run, asynchroon)
    import_id = uuid.uuid4()
    job = {"id": import_id, "soort": importer.soort, "modus": modus, "dry_run": dry_run,
           "formaat": formaat, "asynchroon": asynchroon, "principal": principal_json(principal),
           "traceparent": str(tracing.current()) if tracing.current() else None}
    if asynchroon:
        # the job row first (the parts reference it); no worker sees it before the commit
        await session.execute(insert(tables.jobs).values(**job, status=ImportStatus.WACHTEND))
        try:
            size = await store_upload(session, tables, import_id,
                                      checked_start(_bytes(body), formaat))
        except FileError as exc:
            raise ProblemError(str(exc), status=400, title="Ongeldig bestand") from exc
        row = (await session.execute(update(tables.jobs).where(tables.jobs.c.id == import_id)
                                     .values(grootte=size).returning(*tables.jobs.c))).one()
        response = _stored(202, Import.model_validate(row),
                           {"Location": f"/v1/imports/{import_id}"})
    else:
        response = await _run(session, tables, importer, body, principal, job, modus=modus,
                              dry_run=dry_run, max_rows=settings.import_sync_max_rows)
    if idempotency_key is not None:
        await _remember(request, session, principal, idempotency_key,
                        _fingerprint(body, modus, dry_run, asynchroon), response)
    return JSONResponse(response.body, status_code=response.status, headers=response.headers,
                        media_type=response.headers.pop("content-type", None))


async def _bytes(body: _Hashing) -> AsyncIterator[bytes]:
    async for part in body:
        yield part


async def _run(session: AsyncSession, tables: ImportTables, importer: Importer, body: _Hashing,
               principal: Principal, job: dict[str, Any], *, modus: ImportModus, dry_run: bool,
               max_rows: int) -> StoredResponse:
    chunks = read_chunks(_bytes(body), job["formaat"], size=CHUNK_ROWS)
    started_at, started = datetime.now(UTC), time.monotonic()
    try:
        uitkomst = await run_import(session, importer, chunks, principal, modus=modus,
                                    dry_run=dry_run, max_rows=max_rows, import_id=job["id"])
    except FileError as exc:
        raise ProblemError(str(exc), status=400, title="Ongeldig bestand") from exc
    except TooManyRows as exc:
        raise ProblemError(
            f"Een synchrone import heeft hoogstens {exc.limit} rijen; stuur dit bestand met "
            "async=true (het wordt dan als job uitgevoerd).", status=413,
            title="Te veel rijen voor een synchrone import") from exc
    status = status_of(uitkomst, modus)
    if status is ImportStatus.GEWEIGERD:
        raise _refused(uitkomst)
    audit_import(session, importer.soort, job["id"], uitkomst)
    row = (await session.execute(insert(tables.jobs).values(
        **job, status=status, grootte=body.size, rijen_verwerkt=uitkomst.rijen,
        rijen_per_seconde=int(uitkomst.rijen / max(time.monotonic() - started, 1e-6)),
        aangemaakt_op=started_at, gestart_op=started_at,
        beeindigd_op=func.clock_timestamp(),  # now() would be the transaction's start
        samenvatting=uitkomst.samenvatting().model_dump(mode="json", by_alias=True))
        .returning(*tables.jobs.c))).one()
    headers = {"Content-Location": f"/v1/imports/{job['id']}"}
    return _stored(200, Import.model_validate(row), headers)


def _stored(status: int, resource: Import, headers: dict[str, str]) -> StoredResponse:
    return StoredResponse(status=status, body=resource.model_dump(mode="json", by_alias=True),
                          headers=headers)


def _refused(uitkomst: Uitkomst) -> ProblemError:
    """An atomic import with refused rows: nothing is written (the request rolls back, the
    import leaves no record). 403 when a row is one the caller may not write, else 400; every
    refused row (up to the summary's limit) as an invalid param, the summary as an extension
    member."""
    samenvatting = uitkomst.samenvatting()
    forbidden = any(e.code == "forbidden" for e in uitkomst.fouten)
    return ProblemError(
        f"{uitkomst.geweigerd} van de {uitkomst.rijen} rijen zijn geweigerd; bij een atomaire "
        "import is daarom niets geschreven.",
        status=403 if forbidden else 400,
        title="Geen toegang tot rijen" if forbidden else "Ongeldige rijen",
        invalid_params=[InvalidParam(name=f"rij[{e.rij}]" + (f".{e.veld}" if e.veld else ""),
                                     code=e.code, reason=e.reden)
                        for e in sorted(uitkomst.fouten, key=lambda e: e.rij)],
        extensions={"samenvatting": samenvatting.model_dump(mode="json", by_alias=True)})


# -- Idempotency-Key for a streamed body ------------------------------------------------------
# The key is claimed before the body is read (a concurrent retry waits on it), and the body's
# hash is stored with the response at the end: a retry with the same key and the same file
# gets the first answer (the same import, no second one); another file with that key is 422.

PENDING = "import:pending"


async def _claim(request: Request, session: AsyncSession, principal: Principal,
                 key: str) -> Any | None:
    table = request.state.idempotency_table
    claimed = await session.execute(
        pg_insert(table).values(client_id=principal.client_id, key=key, request_hash=PENDING)
        .on_conflict_do_nothing().returning(table.c.key))
    if claimed.first() is not None:
        return None
    return (await session.execute(select(table).where(
        table.c.client_id == principal.client_id, table.c.key == key))).one()


def _fingerprint(body: _Hashing, modus: ImportModus, dry_run: bool, asynchroon: bool) -> str:
    return f"import:{modus}:{dry_run}:{asynchroon}:{body.digest.hexdigest()}"


async def _replay(earlier: Any, body: _Hashing, modus: ImportModus, dry_run: bool,
                  asynchroon: bool) -> JSONResponse:
    async for _ in body:  # the file must be the same one: read it to its hash
        pass
    if earlier.request_hash != _fingerprint(body, modus, dry_run, asynchroon):
        raise KeyReused(
            "Deze Idempotency-Key is al gebruikt voor een ander bestand; kies een nieuwe.",
            invalid_params=[InvalidParam(name="header.Idempotency-Key", code="reused",
                                         reason="sleutel hoort bij een ander verzoek")])
    headers = dict(earlier.headers or {})
    media_type = headers.pop("content-type", None)
    return JSONResponse(earlier.body, status_code=earlier.status, media_type=media_type,
                        headers={**headers, "Idempotent-Replayed": "true"})


async def _remember(request: Request, session: AsyncSession, principal: Principal, key: str,
                    fingerprint: str, response: StoredResponse) -> None:
    table = request.state.idempotency_table
    await session.execute(update(table).where(
        table.c.client_id == principal.client_id, table.c.key == key).values(
        request_hash=fingerprint, status=response.status, body=response.body,
        headers=response.headers))


# -- reading an import --------------------------------------------------------------------------

ImportId = Annotated[uuid.UUID, Path(alias="importId", description="Id van de import")]


@router.get("/{importId}", summary="Import opvragen", response_model=Import,
            responses={**AUTH, 404: {"description": "Geen import met dit id voor deze "
                                                    "organisatie"}})
async def get_import(request: Request, import_id: ImportId,
                     principal: Annotated[Principal, Depends(current_principal)]
                     ) -> JsonResponse:
    """Fase, voortgang (rijen verwerkt, rijen per seconde) en, als de import klaar is, de
    samenvatting. Alleen met een bearer-token van de organisatie die de import deed (een
    andere organisatie krijgt 404)."""
    tables: ImportTables = request.state.import_tables
    engine = request.state.engine
    async with engine.connect() as connection:
        row = (await connection.execute(
            select(tables.jobs).where(tables.jobs.c.id == import_id))).first()
    if row is None or row.principal.get("organisatie") != principal.organisatie:
        raise NotFound(f"Import {import_id} bestaat niet.")
    return JsonResponse(Import.model_validate(row), headers={"Cache-Control": "no-store"})

