from nplv_shared.migrations import run_migrations
from rapportage.config import Settings
from rapportage.db import metadata

run_migrations(metadata, Settings().database_url)
