from indicatoren.config import Settings
from indicatoren.models import Base
from nplv_shared.migrations import run_migrations

run_migrations(Base.metadata, Settings().database_url)
