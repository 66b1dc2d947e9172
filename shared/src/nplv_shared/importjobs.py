"""Import jobs: the worker side of bulk imports (`nplv_shared.imports`).

The service's worker claims waiting jobs with `FOR UPDATE SKIP LOCKED` and runs each in one
transaction per attempt that holds an advisory lock on the job. PostgreSQL releases that lock
the moment the transaction ends, also when the worker is killed, so an abandoned `bezig` job is
seen and started again at once from its stored upload (nothing of the killed attempt was
committed); a worker that hangs with its connection open loses the job when its lease (renewed
by a heartbeat that also writes the progress) runs out. After `MAX_POGINGEN` attempts the job
is `mislukt`, with the reason.
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from sqlalchemy import Text, cast, func, select, update
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from nplv_shared.aio import sleep_or_stop
from nplv_shared.auth import Principal
from nplv_shared.importformats import FileError, RowError, read_chunks
from nplv_shared.imports import (
    Importer,
    ImportModus,
    ImportSamenvatting,
    ImportStatus,
    ImportTables,
    Telling,
    audit_import,
    principal_of,
    read_upload,
    run_import,
    status_of,
)
from nplv_shared.tracing import TraceParent
from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Verwerkingsactiviteit

logger = logging.getLogger(__name__)

MAX_POGINGEN = 3          # attempts of a job before it is reported `mislukt`
LEASE = timedelta(seconds=60)  # a claimed job whose worker is silent this long is claimed again
HEARTBEAT_S = 2.0         # progress and lease are written this often while a job runs
CLAIM_GRACE = timedelta(seconds=5)  # a job claimed this recently is not yet judged abandoned


class ImportJobs:
    """The worker side: claims waiting (or abandoned) jobs and runs them, one at a time."""

    def __init__(self, *, service: str, engine: AsyncEngine,
                 sessionmaker: async_sessionmaker[AsyncSession], tables: ImportTables,
                 importers: dict[str, Importer], verantwoording: Verantwoording,
                 activities: dict[str, Verwerkingsactiviteit],
                 chunk_size: int = 5000, poll_interval_s: float = 1.0) -> None:
        self.service = service
        self.engine = engine
        self.sessionmaker = sessionmaker
        self.tables = tables
        self.importers = importers
        self.verantwoording = verantwoording
        self.activities = activities
        self.chunk_size = chunk_size
        self.poll_interval_s = poll_interval_s
        self.worker_id = uuid.uuid4().hex[:12]

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                job = await self.claim()
                if job is not None:
                    await self.run_job(job)
                    continue
            except asyncio.CancelledError:
                raise
            except Exception:
                logger.exception("importjobs: fout bij het uitvoeren van een job")
            await sleep_or_stop(stop, self.poll_interval_s)

    async def claim(self) -> Any | None:
        """The oldest waiting job, or an abandoned one; marks it `bezig` under a lease and
        counts the attempt. A job out of attempts is marked `mislukt` instead.

        A running job's transaction holds an advisory lock on the job (`_job_lock`), which
        PostgreSQL releases the moment that transaction ends, also when its worker is killed.
        So a `bezig` job whose lock is free (and that was not claimed just now) is abandoned
        and taken at once; a silent worker whose connection stays open loses its job when
        the lease runs out."""
        jobs = self.tables.jobs
        claimed_a_while_ago = jobs.c.lease_tot < func.now() + LEASE - CLAIM_GRACE
        abandoned = (jobs.c.status == ImportStatus.BEZIG) & (
            (jobs.c.lease_tot < func.now())
            | (claimed_a_while_ago & func.pg_try_advisory_xact_lock(_job_lock(jobs.c.id))))
        async with self.sessionmaker() as session, session.begin():
            candidate = (await session.execute(
                select(jobs.c.id, jobs.c.pogingen).where(
                    (jobs.c.status == ImportStatus.WACHTEND) | abandoned)
                .order_by(jobs.c.aangemaakt_op).limit(1)
                .with_for_update(skip_locked=True))).first()
            if candidate is None:
                return None
            if candidate.pogingen >= MAX_POGINGEN:
                await session.execute(update(jobs).where(jobs.c.id == candidate.id).values(
                    status=ImportStatus.MISLUKT, beeindigd_op=func.now(), lease_tot=None,
                    melding=f"De import is {MAX_POGINGEN} keer begonnen en niet afgekomen "
                            "(de worker stopte tijdens het werk); er is niets van geschreven."))
                await session.execute(self.tables.uploads.delete().where(
                    self.tables.uploads.c.import_id == candidate.id))
                return None
            return (await session.execute(
                update(jobs).where(jobs.c.id == candidate.id).values(
                    status=ImportStatus.BEZIG, pogingen=jobs.c.pogingen + 1,
                    lease_tot=func.now() + LEASE, rijen_verwerkt=0, rijen_per_seconde=None,
                    gestart_op=func.coalesce(jobs.c.gestart_op, func.now()))
                .returning(*jobs.c))).one()

    async def run_job(self, job: Any) -> None:
        importer = self.importers[job.soort]
        principal = principal_of(job.principal)
        parent = TraceParent.parse(job.traceparent)
        context = parent.child() if parent else None
        started, started_ms = time.monotonic(), int(time.time() * 1000)
        latest = 0
        beat = asyncio.create_task(self._heartbeat(job, started, lambda: latest))

        async def progress(rows: int) -> None:
            nonlocal latest
            latest = rows

        modus = ImportModus(job.modus)
        try:
            async with self.sessionmaker() as session, session.begin():
                # held until this transaction ends: while it is, the job is not abandoned
                await session.execute(select(func.pg_advisory_xact_lock(_job_lock(str(job.id)))))
                chunks = read_chunks(read_upload(self.sessionmaker, self.tables, job.id),
                                     job.formaat, size=self.chunk_size)
                importer_session = _TracedImport(importer, str(context) if context else None)
                self.verantwoording.start(session)
                try:
                    uitkomst = await run_import(session, importer_session, chunks, principal,
                                                modus=modus, dry_run=job.dry_run,
                                                progress=progress, import_id=job.id)
                except FileError as exc:
                    await self._finish(session, job, status=ImportStatus.GEWEIGERD,
                                       melding=str(exc), rows=latest, started=started)
                    return
                audit_import(session, job.soort, job.id, uitkomst)
                await self.verantwoording.record_job(
                    session, self.activities[job.soort], principal,
                    name=f"import-{job.soort}", started_ms=started_ms, context=context,
                    parent=parent)
                if not await self._finish(session, job, status=status_of(uitkomst, modus),
                                          samenvatting=uitkomst.samenvatting(),
                                          rows=uitkomst.rijen, started=started):
                    raise _LostLease
        except _LostLease:
            logger.warning("importjob %s: lease verlopen, een andere worker heeft hem", job.id)
        finally:
            beat.cancel()

    async def _finish(self, session: AsyncSession, job: Any, *, status: ImportStatus,
                      rows: int, started: float, samenvatting: ImportSamenvatting | None = None,
                      melding: str | None = None) -> bool:
        """The job's end, in the transaction of its data; False when this attempt is no longer
        the job's current one (its lease expired and another worker took it)."""
        jobs = self.tables.jobs
        seconds = max(time.monotonic() - started, 1e-6)
        done = await session.execute(
            update(jobs).where(jobs.c.id == job.id, jobs.c.pogingen == job.pogingen,
                               jobs.c.status == ImportStatus.BEZIG)
            .values(status=status, beeindigd_op=func.clock_timestamp(), lease_tot=None,
                    rijen_verwerkt=rows, rijen_per_seconde=int(rows / seconds),
                    samenvatting=samenvatting.model_dump(mode="json", by_alias=True)
                    if samenvatting else None, melding=melding)
            .returning(jobs.c.id))
        if done.first() is None:
            return False
        await session.execute(self.tables.uploads.delete().where(
            self.tables.uploads.c.import_id == job.id))
        return True

    async def _heartbeat(self, job: Any, started: float, rows: Callable[[], int]) -> None:
        """Progress and lease, in autocommit, outside the job's transaction."""
        jobs = self.tables.jobs
        while True:
            await asyncio.sleep(HEARTBEAT_S)
            seconds = max(time.monotonic() - started, 1e-6)
            try:
                async with self.engine.connect() as connection:
                    autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
                    await autocommit.execute(
                        update(jobs).where(jobs.c.id == job.id,
                                           jobs.c.pogingen == job.pogingen,
                                           jobs.c.status == ImportStatus.BEZIG)
                        .values(lease_tot=func.now() + LEASE, rijen_verwerkt=rows(),
                                rijen_per_seconde=int(rows() / seconds)))
            except Exception as exc:  # noqa: BLE001 - the next beat tries again
                logger.warning("importjob %s: voortgang niet geschreven: %r", job.id, exc)


def _job_lock(job_id: Any) -> Any:
    """The advisory lock key of a job (a bigint from its id, the column or its text)."""
    return func.hashtextextended(cast(job_id, Text), 0)


class _LostLease(Exception):
    pass


class _TracedImport:
    """An importer whose events carry the trace of the request that started the job."""

    def __init__(self, importer: Importer, traceparent: str | None) -> None:
        self.importer = importer
        self.soort = importer.soort
        self.traceparent = traceparent

    async def import_chunk(self, session: AsyncSession, rows: list[tuple[int, dict[str, Any]]],
                           principal: Principal, *, write: bool) -> tuple[Telling, list[RowError]]:
        session.info["traceparent"] = self.traceparent
        return await self.importer.import_chunk(session, rows, principal, write=write)
