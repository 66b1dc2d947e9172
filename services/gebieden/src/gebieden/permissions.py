"""Who may write what. Scopes come from the token; organisations from its `organisatie` claim.
Use cases call these checks themselves, so no caller (router, loader) can skip them."""

from nplv_shared.auth import Principal
from nplv_shared.problems import Forbidden

SCOPE_BEHEER = "nplv:gebieden:beheer"            # programmabureau: gemeenten, focusgebieden
SCOPE_GEBIED = "nplv:gebieden:schrijven"         # gemeente: alliantie, programma, afspraken
SCOPE_INTERVENTIES = "nplv:interventies:schrijven"

# The programme is run by the programmabureau at BZK (the minister voor VRO): the beheer scope
# counts only in a token of that organisation, so a misissued scope does not make a gemeente
# or another ministry the programmabureau.
PROGRAMMABUREAU = "BZK"
# The reference-data loader acts as the programmabureau.
LOADER = Principal(client_id="urn:nld:nplv:systeem:gebieden-loader",
                   organisatie=PROGRAMMABUREAU, scopes=frozenset({SCOPE_BEHEER}))


def ensure_scope(principal: Principal, scope: str) -> None:
    if scope not in principal.scopes:
        raise Forbidden(f"Token mist scope '{scope}'.")


def is_programmabureau(principal: Principal) -> bool:
    return SCOPE_BEHEER in principal.scopes and principal.organisatie == PROGRAMMABUREAU


def ensure_programmabureau(principal: Principal) -> None:
    ensure_scope(principal, SCOPE_BEHEER)
    if principal.organisatie != PROGRAMMABUREAU:
        raise Forbidden(f"Alleen het programmabureau ({PROGRAMMABUREAU}) mag dit; organisatie "
                        f"{principal.organisatie} niet.")


def ensure_may_manage_gemeente(principal: Principal, gemeente_code: str) -> None:
    """The programmabureau may change every gemeente's records; a gemeente only its own."""
    if is_programmabureau(principal):
        return
    if SCOPE_GEBIED not in principal.scopes:
        raise Forbidden(f"Token mist scope '{SCOPE_GEBIED}' of '{SCOPE_BEHEER}'.")
    if principal.organisatie != gemeente_code:
        raise Forbidden(f"Organisatie {principal.organisatie} mag gegevens van gemeente "
                        f"{gemeente_code} niet wijzigen.")


def ensure_may_own_interventie(principal: Principal, *, ministerie: str | None,
                               gemeente_code: str) -> str:
    """Return the owner of an interventie written by `principal`, or refuse (403).

    A ministry writes only interventies of its own ministry; a gemeente only interventies in
    its own focusgebieden that no ministry is responsible for.
    """
    ensure_scope(principal, SCOPE_INTERVENTIES)
    if principal.is_ministerie:
        if ministerie != principal.organisatie:
            raise Forbidden(f"Organisatie {principal.organisatie} mag geen interventies van "
                            f"ministerie {ministerie or '(geen)'} aanmaken of wijzigen.")
        return principal.organisatie
    if principal.organisatie != gemeente_code:
        raise Forbidden(f"Organisatie {principal.organisatie} mag geen interventies in gemeente "
                        f"{gemeente_code} aanmaken of wijzigen.")
    if ministerie is not None:
        raise Forbidden("Een gemeente mag geen interventie op naam van een ministerie vastleggen.")
    return principal.organisatie
