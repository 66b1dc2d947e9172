from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from nplv_shared.settings import ProducerSettings

SERVICE = "indicatoren"


class Settings(ProducerSettings):
    model_config = SettingsConfigDict(env_prefix="INDICATOREN_", extra="ignore")

    database_url: str = "postgresql+asyncpg://nplv:nplv@127.0.0.1:55432/indicatoren"
    topic: str = "nplv.indicatoren.v1"
    event_source: str = "urn:nld:nplv:systeem:indicatoren"


@lru_cache
def get_settings() -> Settings:
    return Settings()
