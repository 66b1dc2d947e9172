from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from nplv_shared.settings import ConsumerSettings

SERVICE = "rapportage"


class Settings(ConsumerSettings):
    model_config = SettingsConfigDict(env_prefix="RAPPORTAGE_", extra="ignore")

    database_url: str = "postgresql+asyncpg://nplv:nplv@127.0.0.1:55432/rapportage"
    topics: list[str] = ["nplv.gebieden.v1", "nplv.indicatoren.v1", "nplv.financien.v1"]
    dead_letter_topic: str | None = "nplv.rapportage.dlq.v1"
    consumer_group: str = "nplv-rapportage"
    # A batch recomputes each touched view row once, whatever the number of its events: a
    # backlog (or a rebuild) goes fastest in large batches; a steady stream gives small ones.
    consumer_batch_size: int = 10_000
    consumer_partition_fetch_bytes: int = 4 << 20


@lru_cache
def get_settings() -> Settings:
    return Settings()
