from functools import lru_cache

from pydantic_settings import SettingsConfigDict

from nplv_shared.settings import ProducerSettings

SERVICE = "financien"


class Settings(ProducerSettings):
    model_config = SettingsConfigDict(env_prefix="FINANCIEN_", extra="ignore")

    database_url: str = "postgresql+asyncpg://nplv:nplv@127.0.0.1:55432/financien"
    topic: str = "nplv.financien.v1"
    event_source: str = "urn:nld:nplv:systeem:financien"


@lru_cache
def get_settings() -> Settings:
    return Settings()
