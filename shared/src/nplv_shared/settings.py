"""Settings the platform reads; each service subclasses one of them with its own env prefix.

`ServiceSettings` is what every service process uses (database, API limits, tokens, logging).
A service that writes and publishes subclasses `ProducerSettings` (its topic, its event source,
the outbox relay and Idempotency-Keys); a service that only reads events subclasses
`ConsumerSettings` (its topics, consumer group and batch size).
"""

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Base settings. A service sets `model_config = SettingsConfigDict(env_prefix="GEBIEDEN_")`."""

    model_config = SettingsConfigDict(extra="ignore")

    database_url: str = "postgresql+asyncpg://nplv:nplv@127.0.0.1:55432/postgres"
    database_pool_size: int = 10
    kafka_bootstrap_servers: str = "127.0.0.1:19092"
    kafka_client_id: str = "nplv"

    api_version: str = "1.0.0"
    max_body_bytes: int = 1_048_576
    # Bulk imports (POST …/imports): their own body limit; above `import_sync_max_bytes` (or
    # with async=true) an import is a job; a synchronous one takes at most this many rows.
    import_max_body_bytes: int = 67_108_864
    import_sync_max_bytes: int = 16_777_216
    import_sync_max_rows: int = 100_000
    writes_per_minute: int = 1200  # per client and replica; 0 = no limit

    # Tokens: a PEM public key (inline or file) or a local JWKS file; issuer/audience checked.
    jwt_public_key: str | None = None
    jwt_public_key_file: str | None = None
    jwt_jwks_file: str | None = None
    jwt_issuer: str = "urn:nld:nplv:dev-token-issuer"
    jwt_audience: str = "nplv"
    jwt_algorithms: list[str] = Field(default_factory=lambda: ["RS256", "ES256"])

    metrics_port: int = 0  # worker's Prometheus port; 0 = do not serve
    ready_requires_kafka: bool = False
    log_level: str = "INFO"
    log_json: bool = True

    @property
    def asyncpg_dsn(self) -> str:
        """URL for asyncpg's raw connections (LISTEN): no SQLAlchemy driver suffix."""
        return self.database_url.replace("postgresql+asyncpg://", "postgresql://")


class ProducerSettings(ServiceSettings):
    """A service that owns aggregates and publishes their events through its outbox."""

    topic: str
    event_source: str
    outbox_batch_size: int = 500
    outbox_poll_interval_s: float = 2.0
    outbox_linger_ms: int = 10  # after a wake-up, wait this long so more commits join the batch
    idempotency_ttl_hours: int = 24
    # Published outbox rows are kept this long (for inspection and a relay replay), then pruned.
    outbox_retention_days: float = 7


class ConsumerSettings(ServiceSettings):
    """A service that builds read models from other services' events."""

    topics: list[str]
    consumer_group: str
    # Events the consumer cannot apply go here too (with the reason in a header), besides the
    # dead_letter table; None: the table only.
    dead_letter_topic: str | None = None
    consumer_batch_size: int = 2000  # records per consumed batch (one transaction); make bench
    consumer_linger_ms: int = 25  # the broker holds a fetch this long for more records
    # how much one fetch takes from one partition: with large batches, enough to fill them
    consumer_partition_fetch_bytes: int = 1 << 20
    # Inbox ids are kept this long. The inbox only has to catch redeliveries: a batch whose
    # offsets were not committed (seconds) or a group rewound by hand; a full replay is safe
    # without it, because every projection is guarded by the aggregate's sequence. 30 days
    # outlasts Kafka's committed-offset retention (7 days by default) four times over.
    inbox_retention_days: float = 30
