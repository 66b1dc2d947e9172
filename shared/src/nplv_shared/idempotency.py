"""`Idempotency-Key` for POSTs (IETF draft-ietf-httpapi-idempotency-key-header): a client that
retries a create after a timeout gets the original response instead of a second resource.

The key row is inserted first, in the request's own transaction. A concurrent request with the
same key blocks on the unique index until the first commits (then replays its response) or rolls
back (then proceeds itself), so PostgreSQL serialises them without any extra locking.
"""

import hashlib
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from sqlalchemy import (
    Column,
    DateTime,
    Integer,
    MetaData,
    Table,
    Text,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlalchemy.ext.asyncio import AsyncSession

from nplv_shared.db import SessionDep
from nplv_shared.problems import BadRequest, InvalidParam, ProblemError

logger = logging.getLogger(__name__)

IdempotencyKey = Annotated[str | None, Header(
    alias="Idempotency-Key", min_length=8, max_length=100, pattern=r"^[A-Za-z0-9_.:-]+$",
    description="Unieke sleutel van de client (bv. een UUID): een herhaald verzoek met dezelfde "
                "sleutel geeft het oorspronkelijke antwoord terug en maakt niets opnieuw aan")]


class KeyReused(ProblemError):
    status, title = 422, "Idempotency-Key hergebruikt"


def idempotency_table(metadata: MetaData) -> Table:
    return Table(
        "idempotency_key",
        metadata,
        Column("client_id", Text, primary_key=True),
        Column("key", Text, primary_key=True),
        Column("request_hash", Text, nullable=False),
        Column("status", Integer),
        Column("body", JSONB),
        Column("headers", JSONB),
        Column("created_at", DateTime(timezone=True), nullable=False, server_default=func.now(),
               index=True),
    )


@dataclass(frozen=True)
class StoredResponse:
    status: int
    body: Any
    headers: dict[str, str]


def request_hash(kind: str, body: bytes) -> str:
    return hashlib.sha256(b"\n".join([kind.encode(), body])).hexdigest()


def _json(response: StoredResponse, *, replayed: bool = False) -> JSONResponse:
    headers = {**response.headers, **({"Idempotent-Replayed": "true"} if replayed else {})}
    return JSONResponse(response.body, status_code=response.status, headers=headers)


class IdempotencyStore:
    def __init__(self, session: AsyncSession, table: Table) -> None:
        self.session = session
        self.table = table

    async def claim(self, client_id: str, key: str, fingerprint: str) -> StoredResponse | None:
        """Claim `key` for this request, or return the response stored for it earlier."""
        t = self.table
        claimed = await self.session.execute(
            insert(t).values(client_id=client_id, key=key, request_hash=fingerprint)
            .on_conflict_do_nothing().returning(t.c.key))
        if claimed.first() is not None:
            return None
        row = (await self.session.execute(
            select(t).where(t.c.client_id == client_id, t.c.key == key))).one()
        if row.request_hash != fingerprint:
            raise KeyReused(
                "Deze Idempotency-Key is al gebruikt voor een ander verzoek; kies een nieuwe.",
                invalid_params=[InvalidParam(name="header.Idempotency-Key", code="reused",
                                             reason="sleutel hoort bij een ander verzoek")])
        if row.status is None:  # cannot happen after the blocking insert; defensive
            raise BadRequest("Het oorspronkelijke verzoek met deze sleutel is nog bezig.")
        return StoredResponse(status=row.status, body=row.body, headers=dict(row.headers or {}))

    async def respond(self, client_id: str, key: str | None, request: BaseModel,
                      create: Callable[[], Awaitable[StoredResponse]]) -> JSONResponse:
        """Run `create` once per (client, key): a retry with the same key and body replays the
        stored response (`Idempotent-Replayed: true`), another body with that key is 422.
        Without a key, `create` simply runs."""
        if key is None:
            return _json(await create())
        fingerprint = request_hash(type(request).__name__, request.model_dump_json().encode())
        earlier = await self.claim(client_id, key, fingerprint)
        if earlier is not None:
            return _json(earlier, replayed=True)
        response = await create()
        await self.store(client_id, key, response)
        return _json(response)

    async def store(self, client_id: str, key: str, response: StoredResponse) -> None:
        t = self.table
        await self.session.execute(
            update(t).where(t.c.client_id == client_id, t.c.key == key)
            .values(status=response.status, body=response.body, headers=response.headers))


async def _request_store(request: Request, session: SessionDep) -> IdempotencyStore:
    return IdempotencyStore(session, request.state.idempotency_table)


# The request's store, on the table put in the app state by
# `create_app(state={"idempotency_table": ...})`.
IdempotencyDep = Annotated[IdempotencyStore, Depends(_request_store)]
