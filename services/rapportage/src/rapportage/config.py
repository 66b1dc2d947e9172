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


@lru_cache
def get_settings() -> Settings:
    return Settings()
