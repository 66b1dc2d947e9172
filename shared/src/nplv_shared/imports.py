"""Bulk import, once for every service: a file of rows (JSON array, NDJSON or CSV) through a
service's `Importer`, with a DHIS2-style summary (`aangemaakt`, `bijgewerkt`, `ongewijzigd`,
`geweigerd`, each refused row with its number, field and reason).

- **Modes.** `atomair`: all rows or none (one refused row refuses the file: 400 with every
  refused row). `beste-poging`: the good rows are written, the bad ones listed. `dryRun=true`:
  everything is validated and counted as if written, then rolled back.
- **Streaming.** The body is parsed while it arrives (`importformats`), in chunks; an importer
  sees one chunk at a time and writes it set-based (`INSERT … ON CONFLICT` over arrays, events
  with `EventPublisher.publish_many`), so memory is bounded by the chunk size.
- **One transaction.** A synchronous import runs in the request's transaction, its data inside a
  savepoint: a refused atomic import or a dry run rolls the savepoint back, and the import's own
  record (with its summary, readable at `GET /v1/imports/{id}`) is still committed.
- **Jobs.** With `async=true`, or a body larger than `import_sync_max_bytes`, the upload is
  stored in `import_upload` (in parts, as it arrives) next to an `import_job` row in state
  `wachtend`, and the API answers 202 with `Location: /v1/imports/{id}`. The service's worker
  claims jobs with `FOR UPDATE SKIP LOCKED` under a lease, runs the whole import in one
  transaction and reports progress (rows, rows/s) outside it. A worker that dies leaves the lease
  to expire: the next worker starts the job again from the stored upload (the data of the lost
  attempt was never committed), and after `MAX_POGINGEN` attempts the job is `mislukt`, with the
  reason. A job is never lost and never half-written.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel, Field, ValidationError
from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Table,
    Text,
    cast,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from nplv_shared import tracing
from nplv_shared.aio import sleep_or_stop
from nplv_shared.audit import Wijziging, record
from nplv_shared.auth import Principal
from nplv_shared.importformats import Chunk, FileError, RowError, read_chunks
from nplv_shared.problems import reason_of
from nplv_shared.schemas import Uitvoer, scalar_kinds
from nplv_shared.tracing import TraceParent
from nplv_shared.verantwoording import Verantwoording
from nplv_shared.verwerkingen import Verwerkingsactiviteit

logger = logging.getLogger(__name__)

MAX_POGINGEN = 3          # attempts of a job before it is reported `mislukt`
LEASE = timedelta(seconds=60)  # a claimed job whose worker is silent this long is claimed again
HEARTBEAT_S = 2.0         # progress and lease are written this often while a job runs
CLAIM_GRACE = timedelta(seconds=5)  # a job claimed this recently is not yet judged abandoned
UPLOAD_PART_BYTES = 1 << 20
MAX_FOUTEN = 1000         # refused rows listed in a summary (all are counted)


class ImportModus(StrEnum):
    ATOMAIR = "atomair"
    BESTE_POGING = "beste-poging"


class ImportStatus(StrEnum):
    WACHTEND = "wachtend"
    BEZIG = "bezig"
    VOLTOOID = "voltooid"      # written (or, with dryRun, validated); refused rows listed
    GEWEIGERD = "geweigerd"    # atomic, with refused rows: nothing written
    MISLUKT = "mislukt"        # could not be carried out (see `melding`)


# -- the summary ------------------------------------------------------------------------------

class ImportFout(Uitvoer):
    rij: int = Field(description="Rijnummer in het bestand (1 = eerste gegevensrij)")
    veld: str | None = Field(description="Het veld dat niet klopt, als het om één veld gaat")
    reden: str


class ImportSamenvatting(Uitvoer):
    aangemaakt: int
    bijgewerkt: int
    ongewijzigd: int
    geweigerd: int
    fouten: list[ImportFout] = Field(description=f"De geweigerde rijen (de eerste {MAX_FOUTEN})")
    fouten_afgekapt: bool = Field(description="Er zijn meer geweigerde rijen dan vermeld")


@dataclass
class Telling:
    """What a chunk (or a whole import) did to the stored data."""

    aangemaakt: int = 0
    bijgewerkt: int = 0
    ongewijzigd: int = 0

    def add(self, other: Telling) -> None:
        self.aangemaakt += other.aangemaakt
        self.bijgewerkt += other.bijgewerkt
        self.ongewijzigd += other.ongewijzigd


@dataclass
class Uitkomst:
    """The result of running an import."""

    telling: Telling = field(default_factory=Telling)
    geweigerd: int = 0
    fouten: list[RowError] = field(default_factory=list)
    rijen: int = 0
    written: bool = False

    def refuse(self, errors: Sequence[RowError]) -> None:
        rows = {e.rij for e in errors}
        self.geweigerd += len(rows)
        room = MAX_FOUTEN - len(self.fouten)
        if room > 0:
            self.fouten.extend(errors[:room])

    def samenvatting(self) -> ImportSamenvatting:
        return ImportSamenvatting(
            aangemaakt=self.telling.aangemaakt, bijgewerkt=self.telling.bijgewerkt,
            ongewijzigd=self.telling.ongewijzigd, geweigerd=self.geweigerd,
            fouten=[ImportFout(rij=e.rij, veld=e.veld, reden=e.reden)
                    for e in sorted(self.fouten, key=lambda e: e.rij)],
            fouten_afgekapt=self.geweigerd > len({e.rij for e in self.fouten}))


class Importer(Protocol):
    """What a service provides for one kind of import (e.g. metingen)."""

    soort: str  # the resource imported, e.g. "metingen"

    async def import_chunk(self, session: AsyncSession, rows: list[tuple[int, dict[str, Any]]],
                           principal: Principal, *, write: bool) -> tuple[Telling, list[RowError]]:
        """Validate the rows (with the same rules and permissions as a single write) and, when
        `write`, write the valid ones set-based with their events. Returns what was written
        and the refused rows. With `write=False` only validation runs (an atomic import that
        already has refused rows)."""
        ...


# -- reading rows into request schemas -------------------------------------------------------

def coerce_text_row(model: type[BaseModel], row: dict[str, Any]) -> dict[str, Any]:
    """A row as an import file gives it (CSV: all text; JSON: numbers kept as text) made fit
    for the service's `Invoer` schema: keys in camelCase as sent, whole numbers and booleans
    from their text where the field takes them (an `Invoer` takes only JSON types), an empty
    text as "not given". Everything else is left for the schema to judge."""
    fields = model.model_fields
    by_alias = {(info.alias or name): name for name, info in fields.items()}
    out: dict[str, Any] = {}
    for key, value in row.items():
        name = by_alias.get(key, key)
        kinds = scalar_kinds(model, name) if name in fields else frozenset()
        if isinstance(value, str):
            if value == "":
                continue
            if int in kinds and WHOLE.match(value):
                value = int(value)
            elif bool in kinds and value in ("true", "false"):
                value = value == "true"
        out[key] = value
    return out


def row_errors(number: int, exc: ValidationError) -> list[RowError]:
    """A schema's validation errors as refused-row reasons (field by its JSON name)."""
    errors = []
    for err in exc.errors(include_url=False):
        location = ".".join(str(part) for part in err["loc"]) or None
        errors.append(RowError(number, location, reason_of(dict(err))))
    return errors


WHOLE = re.compile(r"^-?[0-9]{1,18}$")


# -- running an import ------------------------------------------------------------------------

Progress = Callable[[int], Awaitable[None]]


class TooManyRows(Exception):
    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


async def run_import(session: AsyncSession, importer: Importer, chunks: AsyncIterator[Chunk],
                     principal: Principal, *, modus: ImportModus, dry_run: bool,
                     progress: Progress | None = None, max_rows: int | None = None) -> Uitkomst:
    """Run an import in the caller's transaction; its data in a savepoint that is kept only
    when something may be written (not for a dry run, not for an atomic import with refused
    rows). Raises `FileError` (the body is not a file of its type) and `TooManyRows`."""
    uitkomst = Uitkomst()
    savepoint = await session.begin_nested()
    try:
        async for chunk in chunks:
            uitkomst.rijen += len(chunk)
            if max_rows is not None and uitkomst.rijen > max_rows:
                raise TooManyRows(max_rows)
            write = not (modus is ImportModus.ATOMAIR and uitkomst.geweigerd)
            telling, refused = await importer.import_chunk(session, chunk.rows, principal,
                                                           write=write)
            refused = [*chunk.errors, *refused]
            uitkomst.refuse(refused)
            if write:
                uitkomst.telling.add(telling)
            if progress is not None:
                await progress(uitkomst.rijen)
    except BaseException:
        await savepoint.rollback()
        raise
    if modus is ImportModus.ATOMAIR and uitkomst.geweigerd:
        uitkomst.telling = Telling()
    if dry_run or (modus is ImportModus.ATOMAIR and uitkomst.geweigerd):
        await savepoint.rollback()
    else:
        await savepoint.commit()
        uitkomst.written = True
    return uitkomst


def status_of(uitkomst: Uitkomst, modus: ImportModus) -> ImportStatus:
    if modus is ImportModus.ATOMAIR and uitkomst.geweigerd:
        return ImportStatus.GEWEIGERD
    return ImportStatus.VOLTOOID


# -- the tables -------------------------------------------------------------------------------

def import_job_table(metadata: MetaData) -> Table:
    """Every import (synchronous ones too, so their summary can be read afterwards)."""
    return Table(
        "import_job",
        metadata,
        Column("id", UUID(as_uuid=True), primary_key=True),
        Column("soort", Text, nullable=False),
        Column("status", Text, nullable=False),
        Column("modus", Text, nullable=False),
        Column("dry_run", Boolean, nullable=False),
        Column("formaat", Text, nullable=False),
        Column("asynchroon", Boolean, nullable=False),
        Column("principal", JSONB, nullable=False),      # who asked: the job acts as them
        Column("traceparent", Text, nullable=True),       # the request that asked
        Column("grootte", BigInteger, nullable=False, server_default="0"),  # bytes
        Column("rijen_verwerkt", BigInteger, nullable=False, server_default="0"),
        Column("rijen_per_seconde", Integer, nullable=True),
        Column("pogingen", Integer, nullable=False, server_default="0"),
        Column("lease_tot", DateTime(timezone=True), nullable=True),
        Column("samenvatting", JSONB, nullable=True),
        Column("melding", Text, nullable=True),
        Column("aangemaakt_op", DateTime(timezone=True), nullable=False,
               server_default=func.now()),
        Column("gestart_op", DateTime(timezone=True), nullable=True),
        Column("beeindigd_op", DateTime(timezone=True), nullable=True),
        Index("ix_import_job_open", "aangemaakt_op",
              postgresql_where=text("status IN ('wachtend', 'bezig')")),
    )


def import_upload_table(metadata: MetaData) -> Table:
    """The stored body of a job, in parts of `UPLOAD_PART_BYTES`; deleted when the job ends."""
    return Table(
        "import_upload",
        metadata,
        Column("import_id", UUID(as_uuid=True),
               ForeignKey("import_job.id", ondelete="CASCADE"), primary_key=True),
        Column("deel", Integer, primary_key=True),
        Column("data", LargeBinary, nullable=False),
    )


@dataclass(frozen=True)
class ImportTables:
    jobs: Table
    uploads: Table

    @classmethod
    def on(cls, metadata: MetaData) -> ImportTables:
        return cls(jobs=import_job_table(metadata), uploads=import_upload_table(metadata))


def principal_json(principal: Principal) -> dict[str, Any]:
    return {"clientId": principal.client_id, "organisatie": principal.organisatie,
            "scopes": sorted(principal.scopes), "oin": principal.oin}


def principal_of(data: dict[str, Any]) -> Principal:
    return Principal(client_id=data["clientId"], organisatie=data["organisatie"],
                     scopes=frozenset(data["scopes"]), oin=data.get("oin"))


def audit_import(session: AsyncSession, soort: str, import_id: uuid.UUID,
                 uitkomst: Uitkomst) -> None:
    """The import in the audit log: one row with its counts (its rows are written with Core
    statements, which the ORM collector does not see)."""
    if not uitkomst.written:
        return
    record(session, Wijziging(
        "importeren", soort, str(import_id),
        details={"aangemaakt": uitkomst.telling.aangemaakt,
                 "bijgewerkt": uitkomst.telling.bijgewerkt,
                 "ongewijzigd": uitkomst.telling.ongewijzigd,
                 "geweigerd": uitkomst.geweigerd, "rijen": uitkomst.rijen}))


def body_hash() -> Any:
    return hashlib.sha256()


async def store_upload(session: AsyncSession, tables: ImportTables, import_id: uuid.UUID,
                       body: AsyncIterator[bytes], digest: Any | None = None) -> int:
    """Store a body in parts as it arrives; returns its size in bytes."""
    part, size, deel = bytearray(), 0, 0
    async for piece in body:
        if digest is not None:
            digest.update(piece)
        part += piece
        size += len(piece)
        while len(part) >= UPLOAD_PART_BYTES:
            await session.execute(insert(tables.uploads).values(
                import_id=import_id, deel=deel, data=bytes(part[:UPLOAD_PART_BYTES])))
            del part[:UPLOAD_PART_BYTES]
            deel += 1
    if part:
        await session.execute(insert(tables.uploads).values(
            import_id=import_id, deel=deel, data=bytes(part)))
    return size


async def read_upload(sessionmaker: async_sessionmaker[AsyncSession], tables: ImportTables,
                      import_id: uuid.UUID) -> AsyncIterator[bytes]:
    """A stored body part by part, each read in its own short autocommit query (a part in
    memory at a time)."""
    deel = 0
    while True:
        async with sessionmaker() as session:
            data = (await session.execute(
                select(tables.uploads.c.data).where(tables.uploads.c.import_id == import_id,
                                                    tables.uploads.c.deel == deel))).scalar()
        if data is None:
            return
        yield bytes(data)
        deel += 1


# -- jobs ---------------------------------------------------------------------------------------

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
                                                progress=progress)
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
            .values(status=status, beeindigd_op=func.now(), lease_tot=None,
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


def session_traceparent(session: AsyncSession) -> str | None:
    """The trace context an importer's events carry: the job's request, else the current."""
    value = session.info.get("traceparent")
    if value:
        return str(value)
    current = tracing.current()
    return str(current) if current else None
