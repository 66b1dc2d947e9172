"""Every table of this service, imported once so Alembic sees the whole metadata."""

from gebieden.db import Base, outbox
from gebieden.focusgebieden.models import Alliantie, Focusgebied, Uitvoeringsprogramma
from gebieden.gemeenten.models import Gemeente, Prestatieafspraken
from gebieden.interventies.models import Interventie

__all__ = ["Alliantie", "Base", "Focusgebied", "Gemeente", "Interventie", "Prestatieafspraken",
           "Uitvoeringsprogramma", "outbox"]
