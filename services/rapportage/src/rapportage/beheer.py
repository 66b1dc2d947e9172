"""Who manages the rapportage: the programmabureau, organisatie BZK with scope
`nplv:rapportage:beheer` (rebuilds of the views, publication of the half-yearly report)."""

from typing import Annotated

from fastapi import Depends

from nplv_shared.auth import Principal, require_scope
from nplv_shared.problems import Forbidden

SCOPE_BEHEER = "nplv:rapportage:beheer"
PROGRAMMABUREAU = "BZK"


async def programmabureau(
        principal: Annotated[Principal, require_scope(SCOPE_BEHEER)]) -> Principal:
    if principal.organisatie != PROGRAMMABUREAU:
        raise Forbidden(f"Alleen het programmabureau ({PROGRAMMABUREAU}) beheert de "
                        f"rapportage; organisatie {principal.organisatie} niet.")
    return principal


Beheerder = Annotated[Principal, Depends(programmabureau)]
