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
  savepoint: a dry run rolls the savepoint back and commits only the import's record (with its
  summary, readable at `GET /v1/imports/{id}`); a refused atomic import writes nothing at all.
- **Jobs.** With `async=true`, or a body larger than `import_sync_max_bytes`, the upload is
  stored in `import_upload` (in parts, as it arrives) next to an `import_job` row in state
  `wachtend`, and the API answers 202 with `Location: /v1/imports/{id}`. The service's worker
  runs it (`importjobs.ImportJobs`): one transaction per attempt, progress reported outside it,
  a killed attempt started again from the stored upload. A job is never lost and never
  half-written.
"""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
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
    func,
    insert,
    select,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from nplv_shared import tracing
from nplv_shared.audit import Wijziging, record
from nplv_shared.auth import Principal
from nplv_shared.importformats import Chunk, FileError, RowError
from nplv_shared.problems import reason_of
from nplv_shared.schemas import Uitvoer, scalar_kinds

logger = logging.getLogger(__name__)

UPLOAD_PART_BYTES = 1 << 20
MAX_FOUTEN = 1000         # refused rows listed in a summary (all are counted)

# session.info key: the id of the import running in this session
IMPORT_ID = "nplv_import_id"


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
                     progress: Progress | None = None, max_rows: int | None = None,
                     import_id: uuid.UUID | str | None = None) -> Uitkomst:
    """Run an import in the caller's transaction; its data in a savepoint that is kept only
    when something may be written (not for a dry run, not for an atomic import with refused
    rows). Raises `FileError` (the body is not a file of its type, or has no rows) and
    `TooManyRows`. While it runs, `session.info[IMPORT_ID]` is the import's id (an importer
    names it in its events: provenance)."""
    uitkomst = Uitkomst()
    savepoint = await session.begin_nested()
    if import_id is not None:
        session.info[IMPORT_ID] = str(import_id)
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
    finally:
        session.info.pop(IMPORT_ID, None)
    if uitkomst.rijen == 0:
        await savepoint.rollback()
        raise FileError("Het bestand bevat geen rijen.")
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


def session_traceparent(session: AsyncSession) -> str | None:
    """The trace context an importer's events carry: the job's request, else the current."""
    value = session.info.get("traceparent")
    if value:
        return str(value)
    current = tracing.current()
    return str(current) if current else None
