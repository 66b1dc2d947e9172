"""gebieden.permissions: who may own an interventie and who may manage a gemeente."""

import pytest

from gebieden.permissions import (
    SCOPE_BEHEER,
    SCOPE_GEBIED,
    SCOPE_INTERVENTIES,
    ensure_may_manage_gemeente,
    ensure_may_own_interventie,
    ensure_programmabureau,
)
from nplv_shared.auth import Principal
from nplv_shared.problems import Forbidden


def principal(organisatie: str, *scopes: str) -> Principal:
    return Principal(client_id=f"client-{organisatie.lower()}", organisatie=organisatie,
                     scopes=frozenset(scopes))


class TestEnsureMayOwnInterventie:
    def test_ministry_creates_interventie_of_its_own_ministry(self) -> None:
        owner = ensure_may_own_interventie(principal("SZW", SCOPE_INTERVENTIES),
                                           ministerie="SZW", gemeente_code="GM0599")
        assert owner == "SZW"

    def test_ministry_with_mixed_case_code_owns_its_own_interventie(self) -> None:
        owner = ensure_may_own_interventie(principal("JenV", SCOPE_INTERVENTIES), ministerie="JenV",
                                           gemeente_code="GM0363")
        assert owner == "JenV"

    def test_ministry_may_not_create_interventie_of_another_ministry(self) -> None:
        with pytest.raises(Forbidden) as info:
            ensure_may_own_interventie(principal("SZW", SCOPE_INTERVENTIES), ministerie="BZK",
                                       gemeente_code="GM0599")
        assert info.value.status == 403
        assert "BZK" in info.value.detail

    def test_ministry_may_not_create_interventie_without_ministerie(self) -> None:
        with pytest.raises(Forbidden) as info:
            ensure_may_own_interventie(principal("BZK", SCOPE_INTERVENTIES), ministerie=None,
                                       gemeente_code="GM0599")
        assert "(geen)" in info.value.detail

    def test_gemeente_creates_interventie_in_own_gemeente_without_ministerie(self) -> None:
        owner = ensure_may_own_interventie(principal("GM0599", SCOPE_INTERVENTIES), ministerie=None,
                                           gemeente_code="GM0599")
        assert owner == "GM0599"

    def test_gemeente_may_not_create_interventie_in_another_gemeente(self) -> None:
        with pytest.raises(Forbidden) as info:
            ensure_may_own_interventie(principal("GM0599", SCOPE_INTERVENTIES), ministerie=None,
                                       gemeente_code="GM0363")
        assert info.value.status == 403
        assert "GM0363" in info.value.detail

    @pytest.mark.parametrize("ministerie", ["BZK", "SZW"])
    def test_gemeente_may_not_create_interventie_on_behalf_of_a_ministry(
            self, ministerie: str) -> None:
        with pytest.raises(Forbidden) as info:
            ensure_may_own_interventie(principal("GM0599", SCOPE_INTERVENTIES),
                                       ministerie=ministerie, gemeente_code="GM0599")
        assert "ministerie" in info.value.detail

    def test_without_the_interventies_scope_nobody_owns_an_interventie(self) -> None:
        with pytest.raises(Forbidden, match="scope"):
            ensure_may_own_interventie(principal("BZK", SCOPE_BEHEER), ministerie="BZK",
                                       gemeente_code="GM0599")


class TestEnsureMayManageGemeente:
    def test_the_programmabureau_may_manage_any_gemeente(self) -> None:
        ensure_may_manage_gemeente(principal("BZK", SCOPE_BEHEER), "GM0599")

    @pytest.mark.parametrize("organisatie", ["GM0363", "SZW"])
    def test_the_beheer_scope_of_another_organisation_is_not_the_programmabureau(
            self, organisatie: str) -> None:
        with pytest.raises(Forbidden):
            ensure_may_manage_gemeente(principal(organisatie, SCOPE_BEHEER), "GM0599")
        with pytest.raises(Forbidden, match="programmabureau"):
            ensure_programmabureau(principal(organisatie, SCOPE_BEHEER))

    def test_gebied_scope_may_manage_own_gemeente(self) -> None:
        ensure_may_manage_gemeente(principal("GM0599", SCOPE_GEBIED), "GM0599")

    def test_gebied_scope_may_not_manage_another_gemeente(self) -> None:
        with pytest.raises(Forbidden) as info:
            ensure_may_manage_gemeente(principal("GM0599", SCOPE_GEBIED), "GM0363")
        assert info.value.status == 403
        assert "GM0363" in info.value.detail

    def test_ministry_with_gebied_scope_may_not_manage_a_gemeente(self) -> None:
        with pytest.raises(Forbidden):
            ensure_may_manage_gemeente(principal("BZK", SCOPE_GEBIED), "GM0599")

    @pytest.mark.parametrize("scopes", [(), (SCOPE_INTERVENTIES,), ("nplv:iets:anders",)])
    def test_own_gemeente_without_gebied_or_beheer_scope_is_forbidden(
            self, scopes: tuple[str, ...]) -> None:
        with pytest.raises(Forbidden) as info:
            ensure_may_manage_gemeente(principal("GM0599", *scopes), "GM0599")
        assert SCOPE_GEBIED in info.value.detail
        assert SCOPE_BEHEER in info.value.detail
