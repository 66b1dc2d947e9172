from financien.config import Settings
from financien.models import Base
from nplv_shared.migrations import run_migrations

run_migrations(Base.metadata, Settings().database_url)
