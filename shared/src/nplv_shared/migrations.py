"""Shared body of every service's async Alembic env.py."""

import asyncio

from alembic import context
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def run_migrations(metadata: MetaData, database_url: str) -> None:
    if context.is_offline_mode():
        context.configure(url=database_url, target_metadata=metadata, literal_binds=True,
                          compare_type=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(metadata, database_url))


async def _run_online(metadata: MetaData, database_url: str) -> None:
    engine = create_async_engine(database_url, poolclass=pool.NullPool)
    async with engine.connect() as connection:
        await connection.run_sync(_do_run, metadata)
    await engine.dispose()


def _do_run(connection: Connection, metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def create_producer_platform_v1() -> None:
    """First migration step of a service that publishes events (version 1 of the platform's
    tables): the transactional outbox (with the trace context of each row), the per-subject
    event sequence, the Idempotency-Key store, and the audit and processing logs. Written out
    here for the same reason as `create_traceability_v1`."""
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects import postgresql

    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("event_id", sa.UUID(), nullable=False),
        sa.Column("topic", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("type", sa.Text(), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("traceparent", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_outbox"),
        sa.UniqueConstraint("event_id", name="uq_outbox_event_id"),
    )
    op.create_index("ix_outbox_pending", "outbox", ["id"], unique=False,
                    postgresql_where=sa.text("published_at IS NULL"))
    op.create_table(
        "event_sequence",
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("last_sequence", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("subject", name="pk_event_sequence"),
    )
    op.create_table(
        "idempotency_key",
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("key", sa.Text(), nullable=False),
        sa.Column("request_hash", sa.Text(), nullable=False),
        sa.Column("status", sa.Integer(), nullable=True),
        sa.Column("body", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("headers", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.PrimaryKeyConstraint("client_id", "key", name="pk_idempotency_key"),
    )
    op.create_index("ix_idempotency_key_created_at", "idempotency_key", ["created_at"],
                    unique=False)
    create_traceability_v1()


def drop_producer_platform_v1() -> None:
    from alembic import op

    drop_traceability_v1()
    op.drop_table("idempotency_key")
    op.drop_table("event_sequence")
    op.drop_table("outbox")


def create_traceability_v1() -> None:
    """Migration step every service runs once: the audit log (with its trigger that refuses
    UPDATE and DELETE) and the processing log, as `audit.audit_table` and
    `verwerkingen.processing_log_table` defined them at version 1. Written out here, not
    derived from those definitions, so an old migration never changes with the code."""
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects import postgresql

    from nplv_shared.audit import IMMUTABLE_DDL

    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("tijd", sa.DateTime(timezone=True), nullable=False),
        sa.Column("trace_id", sa.Text(), nullable=False),
        sa.Column("span_id", sa.Text(), nullable=False),
        sa.Column("request_id", sa.Text(), nullable=True),
        sa.Column("client_id", sa.Text(), nullable=False),
        sa.Column("organisatie", sa.Text(), nullable=False),
        sa.Column("oin", sa.Text(), nullable=True),
        sa.Column("operatie", sa.Text(), nullable=False),
        sa.Column("resource", sa.Text(), nullable=False),
        sa.Column("resource_id", sa.Text(), nullable=False),
        sa.Column("voor", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("na", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("verwerkingsactiviteit", sa.Text(), nullable=False),
        sa.Column("methode", sa.Text(), nullable=True),
        sa.Column("pad", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_index("ix_audit_log_resource", "audit_log", ["resource", "resource_id", "id"])
    op.create_index("ix_audit_log_client_id", "audit_log", ["client_id", "id"])
    op.create_index("ix_audit_log_trace_id", "audit_log", ["trace_id"])
    op.create_index("ix_audit_log_tijd", "audit_log", ["tijd"])
    for statement in IMMUTABLE_DDL:
        op.execute(statement)
    op.create_table(
        "verwerkingslog",
        sa.Column("id", sa.BigInteger(), sa.Identity(always=False), nullable=False),
        sa.Column("trace_id", sa.Text(), nullable=False),
        sa.Column("span_id", sa.Text(), nullable=False),
        sa.Column("parent_span_id", sa.Text(), nullable=True),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("status_code", sa.SmallInteger(), nullable=False),
        sa.Column("start_time", sa.BigInteger(), nullable=False),
        sa.Column("end_time", sa.BigInteger(), nullable=False),
        sa.Column("processing_activity_id", sa.Text(), nullable=False),
        sa.Column("foreign_operation", sa.Text(), nullable=True),
        sa.Column("attributes", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_verwerkingslog"),
    )
    op.create_index("ix_verwerkingslog_trace_id", "verwerkingslog", ["trace_id"])


def drop_traceability_v1() -> None:
    from alembic import op

    from nplv_shared.audit import IMMUTABLE_DROP

    op.drop_table("verwerkingslog")
    for statement in IMMUTABLE_DROP:
        op.execute(statement)
    op.drop_table("audit_log")


def create_imports_v1() -> None:
    """Migration step of a service with bulk imports: `imports.import_job_table` and
    `imports.import_upload_table` at version 1."""
    import sqlalchemy as sa
    from alembic import op
    from sqlalchemy.dialects import postgresql

    op.create_table(
        "import_job",
        sa.Column("id", sa.UUID(), nullable=False),
        sa.Column("soort", sa.Text(), nullable=False),
        sa.Column("status", sa.Text(), nullable=False),
        sa.Column("modus", sa.Text(), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("formaat", sa.Text(), nullable=False),
        sa.Column("asynchroon", sa.Boolean(), nullable=False),
        sa.Column("principal", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("traceparent", sa.Text(), nullable=True),
        sa.Column("grootte", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rijen_verwerkt", sa.BigInteger(), server_default="0", nullable=False),
        sa.Column("rijen_per_seconde", sa.Integer(), nullable=True),
        sa.Column("pogingen", sa.Integer(), server_default="0", nullable=False),
        sa.Column("lease_tot", sa.DateTime(timezone=True), nullable=True),
        sa.Column("samenvatting", postgresql.JSONB(astext_type=sa.Text()), nullable=True),
        sa.Column("melding", sa.Text(), nullable=True),
        sa.Column("aangemaakt_op", sa.DateTime(timezone=True), server_default=sa.text("now()"),
                  nullable=False),
        sa.Column("gestart_op", sa.DateTime(timezone=True), nullable=True),
        sa.Column("beeindigd_op", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_import_job"),
    )
    op.create_index("ix_import_job_open", "import_job", ["aangemaakt_op"],
                    postgresql_where=sa.text("status IN ('wachtend', 'bezig')"))
    op.create_table(
        "import_upload",
        sa.Column("import_id", sa.UUID(), nullable=False),
        sa.Column("deel", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["import_id"], ["import_job.id"], ondelete="CASCADE",
                                name="fk_import_upload_import_id_import_job"),
        sa.PrimaryKeyConstraint("import_id", "deel", name="pk_import_upload"),
    )


def drop_imports_v1() -> None:
    from alembic import op

    op.drop_table("import_upload")
    op.drop_table("import_job")
