"""Who may write what. Scopes come from the token; organisations from its `organisatie` claim.
Use cases call these checks themselves, so no caller (router, loader, bulk import) can skip
them.

- the programmabureau (organisatie `BZK`, scope `nplv:indicatoren:beheer`): everything, i.e.
  kernindicatoren, local indicators, every meting, nulmeting and streefwaarde;
- a gemeente (`GM…`, scope `nplv:indicatoren:schrijven`): local indicators of its own
  focusgebieden; metingen of its own regions (its focusgebieden, itself, its rest, its wijken
  and buurten); nulmetingen and streefwaarden of its own focusgebieden;
- a ministry's data team (`BZK`, `OCW`, `SZW`, `JenV`, `VWS`, `EZK`, `FIN`, scope
  `nplv:indicatoren:schrijven`): metingen of **kernindicatoren** in every region (national
  statistics such as CBS's (EZK), the Leefbaarometer (BZK) and the Veiligheidsmonitor (JenV)
  cover all areas and the comparison regions); not local indicators, not targets.

Tokens carry a ministry or gemeente code as `organisatie` (the platform accepts no other), so
a data team such as CBS's writes under its ministry.
"""

from nplv_shared.auth import Principal
from nplv_shared.problems import Forbidden

SCOPE_BEHEER = "nplv:indicatoren:beheer"
SCOPE_SCHRIJVEN = "nplv:indicatoren:schrijven"
PROGRAMMABUREAU = "BZK"
LOADER = Principal(client_id="urn:nld:nplv:systeem:indicatoren-loader",
                   organisatie=PROGRAMMABUREAU, scopes=frozenset({SCOPE_BEHEER}))


def is_programmabureau(principal: Principal) -> bool:
    return SCOPE_BEHEER in principal.scopes and principal.organisatie == PROGRAMMABUREAU


def ensure_programmabureau(principal: Principal) -> None:
    if SCOPE_BEHEER not in principal.scopes:
        raise Forbidden(f"Token mist scope '{SCOPE_BEHEER}'.")
    if principal.organisatie != PROGRAMMABUREAU:
        raise Forbidden(f"Alleen het programmabureau ({PROGRAMMABUREAU}) mag dit; organisatie "
                        f"{principal.organisatie} niet.")


def ensure_may_write_metingen(principal: Principal) -> None:
    """A token that may write metingen at all (which regions: `meting_refusal`, per row)."""
    if not is_programmabureau(principal):
        _ensure_write_scope(principal)


def _ensure_write_scope(principal: Principal) -> None:
    if SCOPE_SCHRIJVEN not in principal.scopes:
        raise Forbidden(f"Token mist scope '{SCOPE_SCHRIJVEN}' of '{SCOPE_BEHEER}'.")


def ensure_may_manage_focusgebied(principal: Principal, gemeente: str, what: str) -> None:
    """Local indicators, nulmetingen, streefwaarden: the programmabureau or the gemeente of
    the focusgebied."""
    if is_programmabureau(principal):
        return
    _ensure_write_scope(principal)
    if principal.organisatie != gemeente:
        raise Forbidden(f"Organisatie {principal.organisatie} mag {what} van gemeente "
                        f"{gemeente} niet vastleggen.")


def meting_refusal(principal: Principal, *, regio: str, gemeente: str | None,
                   lokaal: bool) -> str | None:
    """Why `principal` may not write a meting of this region (None: it may). A reason, not an
    exception, so a batch validation reports it per row."""
    if is_programmabureau(principal):
        return None
    if SCOPE_SCHRIJVEN not in principal.scopes:
        return f"token mist scope '{SCOPE_SCHRIJVEN}' of '{SCOPE_BEHEER}'"
    if principal.is_gemeente:
        if gemeente != principal.organisatie:
            waar = f"gemeente {gemeente}" if gemeente else "geen gemeente"
            return (f"organisatie {principal.organisatie} mag geen metingen van regio {regio} "
                    f"({waar}) vastleggen, alleen van haar eigen gebieden")
        return None
    if lokaal:
        return (f"organisatie {principal.organisatie} mag geen metingen van een lokale "
                "indicator vastleggen (alleen de gemeente of het programmabureau)")
    return None


def ensure_may_write_meting(principal: Principal, *, regio: str, gemeente: str | None,
                            lokaal: bool) -> None:
    reason = meting_refusal(principal, regio=regio, gemeente=gemeente, lokaal=lokaal)
    if reason is not None:
        raise Forbidden(reason[0].upper() + reason[1:] + ".")
