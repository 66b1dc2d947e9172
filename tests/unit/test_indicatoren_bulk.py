"""The metingen import builds its events from the written rows directly (for speed): they must
carry exactly what the single write publishes, `MetingVastgelegd.of(Meting)`."""

from datetime import UTC, date, datetime
from decimal import Decimal
from types import SimpleNamespace

from indicatoren import events
from indicatoren.metingen.bulk import event_data
from indicatoren.metingen.schemas import Meting


def _row(**overrides: object) -> SimpleNamespace:
    fields = dict(indicator="incidentie-criminaliteit", indicator_versie=1, regio="BU05991201",
                  regio_soort="buurt", focusgebied=None, gemeente="GM0599", periode="2024S1",
                  periode_type="halfjaar", periode_begin=date(2024, 1, 1),
                  periode_eind=date(2024, 6, 30), waarde=Decimal("12.5000"),
                  status="definitief", bron="CBS 85146NED", plausibel=None, zscore=None,
                  ingediend_door="client-1", organisatie="GM0599", versie=1,
                  aangemaakt_op=datetime(2024, 7, 1, tzinfo=UTC),
                  gewijzigd_op=datetime(2024, 7, 1, tzinfo=UTC))
    fields.update(overrides)
    return SimpleNamespace(**fields)


def test_the_import_event_equals_the_single_write_event() -> None:
    for row in (_row(), _row(focusgebied="rotterdam-zuid", regio="rotterdam-zuid",
                             regio_soort="focusgebied", plausibel=False,
                             zscore=Decimal("4.20"), bron=None)):
        bulk = events.MetingVastgelegd.model_validate(event_data(row))
        single = events.MetingVastgelegd.of(Meting.model_validate(row))
        assert bulk.model_dump(mode="json") == single.model_dump(mode="json")


def test_every_declared_field_is_filled() -> None:
    declared = {f.alias or n for n, f in events.MetingVastgelegd.model_fields.items()}
    assert set(event_data(_row())) == declared
