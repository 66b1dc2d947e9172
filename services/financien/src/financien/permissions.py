"""Who may write what in financien. Scopes come from the token; organisations from its
`organisatie` claim. Use cases call these checks themselves, so no caller can skip them.

- a ministry (scope `nplv:financien:schrijven`) revises its own begrotingsregels and writes
  toekenningen and realisaties on them;
- a gemeente (same scope) records realisaties on toekenningen to its own focusgebieden;
- only the ministry of Financiën (organisation `FIN`, scope `nplv:financien:goedkeuren`)
  changes the approval status of money on the aanvullende post;
- the programmabureau (organisation `BZK`, scope `nplv:financien:beheer`) maintains the
  actielijn shares.
"""

from nplv_shared.auth import Principal
from nplv_shared.problems import Forbidden

SCOPE_SCHRIJVEN = "nplv:financien:schrijven"
SCOPE_GOEDKEUREN = "nplv:financien:goedkeuren"
SCOPE_BEHEER = "nplv:financien:beheer"
PROGRAMMABUREAU = "BZK"
FINANCIEN = "FIN"
# The reference-data loader acts as the programmabureau (BZK owns the VRO and BZK lines and
# grants the programme-organisation money from the Volkshuisvestingsfonds).
LOADER = Principal(client_id="urn:nld:nplv:systeem:financien-loader",
                   organisatie=PROGRAMMABUREAU,
                   scopes=frozenset({SCOPE_BEHEER, SCOPE_SCHRIJVEN}))


def ensure_scope(principal: Principal, scope: str) -> None:
    if scope not in principal.scopes:
        raise Forbidden(f"Token mist scope '{scope}'.")


def ensure_loader(principal: Principal) -> None:
    if principal != LOADER:
        raise Forbidden("Begrotingsregels komen uit het programmadocument (de lader).")


def ensure_programmabureau(principal: Principal) -> None:
    ensure_scope(principal, SCOPE_BEHEER)
    if principal.organisatie != PROGRAMMABUREAU:
        raise Forbidden(f"Alleen het programmabureau ({PROGRAMMABUREAU}) mag dit; organisatie "
                        f"{principal.organisatie} niet.")


def ensure_financien(principal: Principal) -> None:
    ensure_scope(principal, SCOPE_GOEDKEUREN)
    if principal.organisatie != FINANCIEN:
        raise Forbidden(f"Alleen het ministerie van Financiën ({FINANCIEN}) keurt middelen op "
                        f"de aanvullende post goed; organisatie {principal.organisatie} niet.")


def ensure_ministerie_of(principal: Principal, ministerie: str) -> None:
    """The ministry that owns a begrotingsregel (and so its toekenningen)."""
    ensure_scope(principal, SCOPE_SCHRIJVEN)
    if principal.organisatie != ministerie:
        raise Forbidden(f"Organisatie {principal.organisatie} mag geen gegevens van een "
                        f"begrotingsregel van {ministerie} wijzigen.")


def ensure_may_realise(principal: Principal, *, ministerie: str, gemeente: str) -> None:
    """The ministry of the line, or the gemeente of the toekenning's focusgebied."""
    ensure_scope(principal, SCOPE_SCHRIJVEN)
    if principal.organisatie not in (ministerie, gemeente):
        raise Forbidden(f"Organisatie {principal.organisatie} mag geen realisaties vastleggen "
                        f"op een toekenning van {ministerie} aan gemeente {gemeente}.")
