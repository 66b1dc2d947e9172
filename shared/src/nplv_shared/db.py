"""Async engine and the one-transaction-per-request session dependency."""

from collections.abc import AsyncIterator
from typing import Annotated, Any

import asyncpg
from fastapi import Depends, Request
from sqlalchemy import MetaData, event
from sqlalchemy.exc import DBAPIError, DisconnectionError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from nplv_shared.settings import ServiceSettings

DATABASE_ERRORS = (OSError, asyncpg.PostgresError, asyncpg.InterfaceError, DBAPIError)
# Errors that say "the database is unreachable right now", as opposed to "this data is wrong".
TRANSIENT_DATABASE_ERRORS = (OSError, TimeoutError, asyncpg.InterfaceError,
                             asyncpg.exceptions.ConnectionDoesNotExistError,
                             asyncpg.exceptions.CannotConnectNowError,
                             asyncpg.exceptions.AdminShutdownError, OperationalError,
                             InterfaceError, PoolTimeout)


def is_transient(exc: BaseException) -> bool:
    """True when `exc` (or what it wraps) says the database is away, not that data is wrong."""
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    if isinstance(exc, DBAPIError) and isinstance(exc.orig, BaseException) and exc.orig is not exc:
        cause = getattr(exc.orig, "__cause__", None)
        if isinstance(cause, TRANSIENT_DATABASE_ERRORS):
            return True
    return isinstance(exc, TRANSIENT_DATABASE_ERRORS)


# Stable constraint names, so Alembic autogenerate and downgrades agree.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def make_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


def make_engine(settings: ServiceSettings) -> AsyncEngine:
    engine = create_async_engine(settings.database_url, pool_size=settings.database_pool_size)
    event.listen(engine.sync_engine.pool, "checkout", _refuse_closed_connection)
    return engine


def _refuse_closed_connection(dbapi_connection: Any, _record: Any, _proxy: Any) -> None:
    """Pessimistic disconnect handling without a round trip per checkout.

    SQLAlchemy's `pool_pre_ping` costs three round trips on asyncpg (BEGIN, `;`, ROLLBACK) for
    every request, which the benchmark showed as a large share of a read. When PostgreSQL
    restarts or ends a backend, it closes the socket and asyncpg marks the connection closed
    as soon as the event loop sees it; raising DisconnectionError here makes the pool throw
    that connection away and check out a fresh one. A connection that dies without the socket
    closing (a silent network partition) fails on first use instead: that error is transient
    (503 with Retry-After) and invalidates the pool, so the next request reconnects.
    """
    connection = getattr(dbapi_connection, "_connection", None)
    if connection is not None and connection.is_closed():
        raise DisconnectionError("de databaseverbinding is gesloten")


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker[AsyncSession]:
    return async_sessionmaker(engine, expire_on_commit=False)


READ_METHODS = frozenset({"GET", "HEAD"})


async def _request_session(request: Request) -> AsyncIterator[AsyncSession]:
    """One transaction per write request, committed before the response is sent.

    Services and repositories never commit; they flush. An exception rolls everything back,
    including the outbox rows written in the same transaction. The service's `Verantwoording`
    writes the request's processing-log line and audit rows just before the commit. A read
    (GET/HEAD) runs its statements in autocommit on one connection: no BEGIN/COMMIT round
    trips, and nothing a read could leave behind.
    """
    sessionmaker: async_sessionmaker[AsyncSession] = request.state.sessionmaker
    if request.method in READ_METHODS:
        engine: AsyncEngine = request.state.engine
        async with engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            async with sessionmaker(bind=autocommit) as session:
                yield session
        return
    verantwoording = getattr(request.state, "verantwoording", None)
    async with sessionmaker() as session:
        async with session.begin():
            if verantwoording is not None:
                verantwoording.start(session)
            yield session
            if verantwoording is not None:  # its processing line and audit rows, same commit
                await verantwoording.record_request(session, request)
        publisher = getattr(request.state, "publisher", None)
        if publisher is not None:  # committed: wake the outbox relay if events were written
            publisher.after_commit(session, request.state.engine)


# scope="function": the exit code (commit) runs before FastAPI sends the response.
SessionDep = Annotated[AsyncSession, Depends(_request_session, scope="function")]
